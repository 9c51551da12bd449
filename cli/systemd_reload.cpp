// SPDX-License-Identifier: Apache-2.0
#include "systemd_reload.hpp"

#include "build-config.h"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/step_util.hpp"
#include "sys/process.hpp"
#include "systemd/generator_output.hpp"

#include <filesystem>
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

} // namespace

// The steps are idempotent, so steps that are new in the graph find nothing to do when pulled in.
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

} // namespace css::cli
