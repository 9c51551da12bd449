// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup` with no command (the original's compat mode, as the lab runs it
// by hand) and `container-storage-setup --reset`: the same lib/steps code the boot units run,
// in one process, under the global lock. The original took no lock in compat mode, so a
// by-hand run could interleave with a `create` or a second by-hand run; we lock for both.

#include "commands.hpp"
#include "session.hpp"
#include "setup_steps.hpp"

#include "build-config.h"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/reset.hpp"
#include "steps/step_util.hpp"
#include "sys/process.hpp"
#include "systemd/generator_output.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <sys/stat.h>

namespace css::cli {

namespace {

// What the generator writes for the system as it is now, against what it wrote at the last
// boot or daemon-reload (what systemd has loaded): true when they differ, or when that cannot
// be told. One exec of our generator instead of a reload, which runs every generator on the
// system again and is most of a by-hand run's time (docs/measurements.md).
bool unit_graph_changed()
{
        Result<std::string> scratch = steps::ensure_scratch_dir();
        if (!scratch)
                return true;
        std::string dir = *scratch + "/generator-XXXXXX";
        if (!::mkdtemp(dir.data()))
                return true;
        process::Command c;
        c.argv = {std::string(CSS_GENERATOR_DIR) + "/" + std::string(generator_program), dir};
        c.extra_env = process::test_knobs(); // under a test's CSS_ROOT it reads the files we read
        c.extra_env.push_back("CSS_LOG_TARGET=console");
        c.timeout = process::query_timeout;
        c.forward_stderr = false; // its notes are about the boot, not this run
        bool changed = true;
        if (Result<process::Outcome> r = process::run_checked(c); r)
                changed = generator_output(dir, generator_program) !=
                          generator_output(paths::host_path("/run/systemd/generator"), generator_program);
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
        return changed;
}

// The generator wrote the unit graph (and the engines' drop-ins: RequiresMountsFor=, the
// pool's device) from the configuration of the last boot or daemon-reload. After a by-hand
// run the admin starts docker next (the lab does); a reload makes the graph follow the new
// configuration first, so docker does not wait for a mount that was removed. The steps are
// idempotent, so steps that are new in the graph find nothing to do when pulled in. No
// reload when the generator would write what systemd has loaded already.
void reload_systemd()
{
        struct stat st;
        if (::stat(paths::host_path("/run/systemd/system").c_str(), &st) < 0 || !S_ISDIR(st.st_mode))
                return;
        if (!unit_graph_changed()) {
                log::debug("The generator's output is what systemd has loaded: no daemon-reload.");
                return;
        }
        process::Command c;
        c.argv = {"systemctl", "daemon-reload"};
        c.mutating = true;
        if (Result<process::Outcome> r = process::run_checked(c); !r)
                log::warning(r.error().message + ", ignoring.");
}

// Under the global lock, with the settings as they are when our turn comes (not as they were
// when we started waiting): runs `work`, then lets systemd follow the new state.
int locked_then_reload(const std::function<int(StepContext &)> &work)
{
        Result<FileLock> lock = take_global_lock();
        if (!lock)
                return fail(lock.error());
        std::optional<Config> config = load_reported(default_load_options());
        if (!config)
                return exit_failure;
        StepContext context(*config, RunMode::apply);
        if (work(context) != 0)
                return exit_failure;
        reload_systemd();
        return exit_ok;
}

} // namespace

int run_setup()
{
        return locked_then_reload(
                [](StepContext &context) { return run_setup_steps(context, setup_steps(context.config())); });
}

int run_reset()
{
        return locked_then_reload([](StepContext &context) { return steps::reset(context); });
}

} // namespace css::cli
