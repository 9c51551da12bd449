// SPDX-License-Identifier: Apache-2.0
#include "steps/mkfs.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/step_util.hpp"
#include "sys/lock.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <sys/stat.h>

namespace css::steps {

MkfsDecision decide_mkfs(std::string_view device, const std::vector<blkid::Signature> &signatures)
{
        MkfsDecision d;
        if (signatures.empty())
                return d;
        if (signatures.size() == 1 && signatures[0].type == "xfs") {
                d.action = MkfsDecision::Action::keep;
                d.message = std::string(device) + " already has an XFS filesystem, nothing to do.";
                return d;
        }
        d.action = MkfsDecision::Action::refuse;
        const blkid::Signature &s = signatures[0];
        d.message = "Refusing to make a filesystem on " + std::string(device) + ": found " + s.type +
                    " signature at offset " + blkid::format_offset(s.offset) +
                    (signatures.size() > 1 ? " (and " + std::to_string(signatures.size() - 1) + " more)" : "") +
                    ". Remove the data yourself if it is not needed, or remove the logical volume.";
        return d;
}

std::vector<std::string> mkfs_xfs_argv(std::string_view device)
{
        return {"mkfs.xfs", "-n", "ftype=1", std::string(device)};
}

int mkfs(StepContext &context)
{
        Result<std::optional<ContainerRootLvDevice>> target = container_root_lv_device(context);
        if (!target)
                return fail(target.error());
        if (!*target)
                return exit_ok;
        const std::string &device = (*target)->device;

        process::Command command;
        command.argv = mkfs_xfs_argv(paths::host_path(device));
        command.mutating = true;
        // The original silenced mkfs; its geometry dump only clutters the journal.
        command.stdout_mode = process::Stdout::discard;

        struct stat st;
        if (::stat(paths::host_path(device).c_str(), &st) < 0 && context.dry_run()) {
                // A dry run did not create the LV; the real run would make it and then this.
                (void)context.run(command);
                return exit_ok;
        }

        // Exclusive flock for the probe and mkfs, as systemd-makefs does: udev keeps out.
        Result<FileLock> lock = lock_block_device(paths::host_path(device));
        if (!lock)
                return fail(lock.error());
        Result<std::vector<blkid::Signature>> signatures = blkid::list_signatures(lock->fd(), device);
        if (!signatures)
                return fail(signatures.error());
        MkfsDecision d = decide_mkfs(device, *signatures);
        switch (d.action) {
        case MkfsDecision::Action::keep:
                log::info(d.message);
                return exit_ok;
        case MkfsDecision::Action::refuse:
                return fail(Error{d.message, EEXIST});
        case MkfsDecision::Action::make_filesystem:
                break;
        }
        if (Result<process::Outcome> r = context.run_checked(command); !r)
                return fail(r.error());
        return exit_ok;
}

} // namespace css::steps
