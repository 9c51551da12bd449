// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup` with no command (the original's compat mode, as the lab runs it
// by hand) and `container-storage-setup --reset`: the same lib/steps code the boot units run,
// in one process, under the global lock. The original took no lock in compat mode, so a
// by-hand run could interleave with a `create` or a second by-hand run; we lock for both.

#include "commands.hpp"
#include "session.hpp"
#include "setup_steps.hpp"
#include "systemd_reload.hpp"

#include "core/log.hpp"
#include "steps/reset.hpp"

#include <functional>
#include <optional>

namespace css::cli {

namespace {

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
