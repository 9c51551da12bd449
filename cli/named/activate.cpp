// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup activate NAME` and `deactivate NAME`: bring a named configuration's
// volumes up (pool with -K past its activation-skip flag, container root LV, mount) or down,
// and record the status.

#include "arguments.hpp"
#include "commands.hpp"
#include "named/volumes.hpp"
#include "session.hpp"

#include "core/log.hpp"

#include <cstdio>

namespace css::cli {

namespace {

constexpr CommandSyntax activate_syntax{
        "activate",
        "activate NAME",
        "Activate the volumes of the storage configuration NAME and mount its container root LV.\n\n"
        "Options:\n  -h --help    Show this help\n\n"
        "Exit status: 0 active, 1 failure (NAME does not exist or is invalid), 2 usage error.\n",
        {},
        1,
        1,
};

constexpr CommandSyntax deactivate_syntax{
        "deactivate",
        "deactivate NAME",
        "Unmount the container root LV of the storage configuration NAME and deactivate its volumes.\n\n"
        "Options:\n  -h --help    Show this help\n\n"
        "Exit status: 0 inactive, 1 failure, 2 usage error.\n",
        {},
        1,
        1,
};

int change_state(const CommandSyntax &syntax, std::span<char *const> args, bool activate)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(syntax, args, &exit);
        if (!parsed)
                return exit;
        const std::string &name = parsed->positional[0];
        Result<LockedConfiguration> locked = lock_configuration(name);
        if (!locked)
                return fail(locked.error());
        named::Opened &c = locked->opened;
        if (c.status == named::Status::invalid)
                return fail(Error{"Storage configuration " + name + " is invalid", EINVAL});
        const Config config = named::config_of(c.metadata);
        StepContext context(config, RunMode::apply);
        Result<void> r = activate ? named::activate_volumes(context, c.metadata)
                                  : named::deactivate_volumes(context, c.metadata);
        if (!r)
                return fail(r.error());
        if (Result<void> w = c.dir.write_status(activate ? named::Status::active : named::Status::inactive); !w)
                return fail(w.error());
        std::printf("%s storage config %s\n", activate ? "Activated" : "Deactivated", name.c_str());
        return exit_ok;
}

} // namespace

int run_activate(std::span<char *const> args)
{
        return change_state(activate_syntax, args, true);
}

int run_deactivate(std::span<char *const> args)
{
        return change_state(deactivate_syntax, args, false);
}

} // namespace css::cli
