// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup add-dev NAME DEV`: prepare one more disk (as DEVS is prepared) and
// add it to the configuration's VG; the configuration records it.

#include "arguments.hpp"
#include "commands.hpp"
#include "named/named_setup.hpp"
#include "named/state.hpp"
#include "session.hpp"

#include "core/log.hpp"

#include <cstdio>

namespace css::cli {

namespace {

constexpr CommandSyntax add_dev_syntax{
        "add-dev",
        "add-dev NAME DEV",
        "Partition the whole disk DEV, create a physical volume on it and add it to the volume\n"
        "group of the storage configuration NAME.\n\n"
        "Options:\n  -h --help    Show this help\n\n"
        "Exit status: 0 added, 1 failure, 2 usage error.\n",
        {},
        2,
        2,
};

} // namespace

int run_add_dev(std::span<char *const> args)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(add_dev_syntax, args, &exit);
        if (!parsed)
                return exit;
        const std::string &name = parsed->positional[0];
        const std::string &dev = parsed->positional[1];
        Result<LockedConfiguration> locked = lock_configuration(name);
        if (!locked)
                return fail(locked.error());
        named::Opened &c = locked->opened;
        if (c.metadata.vg.empty())
                return fail(
                        Error{"Storage configuration " + name + " has no volume group to add " + dev + " to", EINVAL});

        Config config = named::config_of(c.metadata);
        config.devs = {dev};
        StepContext context(config, RunMode::apply);
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return fail(snapshot.error());
        if (!(*snapshot)->find_vg(c.metadata.vg))
                return fail(Error{"Volume group " + c.metadata.vg + " does not exist", ENOENT});
        named::SetupResult result;
        if (named::prepare_devices(context, result) != 0)
                return exit_failure;
        // As the original: the device as given is appended.
        c.metadata.devs_resolved.push_back(dev);
        if (Result<void> r = c.dir.write_metadata(c.metadata); !r)
                return fail(r.error());
        std::printf("Added device %s to storage configuration %s\n", dev.c_str(), name.c_str());
        return exit_ok;
}

} // namespace css::cli
