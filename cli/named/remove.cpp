// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup remove NAME`: deactivate, mark invalid (so a failure half-way is
// not mistaken for a usable configuration), remove the volumes (and the VG when create made
// it), then the state directory.

#include "arguments.hpp"
#include "commands.hpp"
#include "named/volumes.hpp"
#include "session.hpp"

#include "core/log.hpp"

#include <cstdio>

namespace css::cli {

namespace {

constexpr CommandSyntax remove_syntax{
        "remove",
        "remove NAME",
        "Remove the storage configuration NAME: its volumes, the volume group and physical volumes\n"
        "when create made them, and its saved state. The data on the volumes is lost.\n\n"
        "Options:\n  -h --help    Show this help\n\n"
        "Exit status: 0 removed, 1 failure, 2 usage error.\n",
        {},
        1,
        1,
};

} // namespace

int run_remove(std::span<char *const> args)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(remove_syntax, args, &exit);
        if (!parsed)
                return exit;
        const std::string &name = parsed->positional[0];
        Result<LockedConfiguration> locked = lock_configuration(name);
        if (!locked)
                return fail(locked.error());
        named::Opened &c = locked->opened;
        const Config config = named::config_of(c.metadata);
        StepContext context(config, RunMode::apply);
        if (c.status == named::Status::active)
                if (Result<void> r = named::deactivate_volumes(context, c.metadata); !r)
                        return fail(r.error());
        if (Result<void> r = c.dir.write_status(named::Status::invalid); !r)
                return fail(r.error());
        if (Result<void> r = named::remove_volumes(context, c.metadata); !r)
                return fail(r.error());
        if (Result<void> r = c.dir.remove(); !r)
                return fail(r.error());
        std::printf("Removed storage configuration %s\n", name.c_str());
        return exit_ok;
}

} // namespace css::cli
