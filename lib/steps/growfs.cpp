// SPDX-License-Identifier: Apache-2.0
#include "steps/growfs.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/container_root_lv.hpp"
#include "steps/mount.hpp"
#include "steps/step_util.hpp"
#include "sys/block.hpp"
#include "sys/process.hpp"
#include "sys/xfs.hpp"

#include <cerrno>

namespace css::steps {

bool filesystem_needs_growing(uint64_t device_bytes, uint64_t data_blocks, uint32_t block_size)
{
        const uint64_t data_bytes = data_blocks * block_size;
        return device_bytes >= data_bytes + growfs_threshold_bytes;
}

std::vector<std::string> xfs_growfs_argv(std::string_view mount_path)
{
        return {"xfs_growfs", std::string(mount_path)};
}

int growfs(StepContext &context)
{
        const Config &config = context.config();
        if (!config.grow_devs) {
                log::info("GROW_DEVS is not true: not growing the filesystem");
                return exit_ok;
        }
        Result<std::optional<ContainerRootLvDevice>> target = container_root_lv_device(context);
        if (!target)
                return fail(target.error());
        if (!*target)
                return exit_ok;
        const std::string &device = (*target)->device;
        const ContainerRootLv *lv = &(*target)->lv;

        process::Command command;
        command.argv = xfs_growfs_argv(paths::host_path(lv->mount_path));
        command.mutating = true;
        if (!mounted_from(lv->mount_path, device)) {
                if (context.dry_run()) {
                        // Nothing is mounted in a dry run; the real run grows what needs it.
                        (void)context.run(command);
                        return exit_ok;
                }
                return fail(Error{device + " is not mounted on " + lv->mount_path + ": cannot grow its filesystem.",
                                  ENOENT});
        }
        Result<std::optional<xfs::DataSize>> fs = xfs::data_size(lv->mount_path);
        if (!fs)
                return fail(fs.error());
        if (!*fs)
                return fail(Error{lv->mount_path + " is not an XFS filesystem: not growing it.", EINVAL});
        Result<block::BlockDevice> dev = block::from_path(device);
        if (!dev)
                return fail(dev.error());
        Result<uint64_t> bytes = context.device_bytes(*dev);
        if (!bytes)
                return fail(bytes.error());
        if (!filesystem_needs_growing(*bytes, (*fs)->blocks, (*fs)->block_size)) {
                log::info("The filesystem on " + lv->mount_path + " fills " + device + " (" + gib_text((*fs)->bytes()) +
                          " of " + gib_text(*bytes) + "), nothing to do.");
                return exit_ok;
        }
        log::info("Growing the filesystem on " + lv->mount_path + " from " + gib_text((*fs)->bytes()) + " to the " +
                  gib_text(*bytes) + " of " + device + ".");
        // xfs_growfs prints the geometry before and after: the journal keeps it.
        if (Result<process::Outcome> r = context.run_checked(command); !r)
                return fail(r.error());
        return exit_ok;
}

} // namespace css::steps
