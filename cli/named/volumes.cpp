// SPDX-License-Identifier: Apache-2.0
#include "named/volumes.hpp"

#include "steps/mount.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/step_util.hpp"
#include "sys/block.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <chrono>
#include <sys/mount.h>
#include <thread>

namespace css::cli::named {

namespace {

std::string vg_lv(const Metadata &m, const std::string &lv)
{
        return m.vg + "/" + lv;
}

// Polls LVM once a second (the original polled too) until it reports the LV.
Result<bool> wait_for_lv(StepContext &context, const Metadata &m, const std::string &lv)
{
        for (unsigned waited = 0;; waited++) {
                context.lvm_changed();
                Result<const lvm::Snapshot *> s = context.lvm();
                if (!s)
                        return s.error();
                if ((*s)->find_lv(m.vg, lv))
                        return true;
                if (waited >= m.device_wait_timeout)
                        return false;
                std::this_thread::sleep_for(std::chrono::seconds(1));
        }
}

Result<bool> lv_exists(StepContext &context, const Metadata &m, const std::string &lv)
{
        Result<const lvm::Snapshot *> s = context.lvm();
        if (!s)
                return s.error();
        return (*s)->find_lv(m.vg, lv) != nullptr;
}

Result<void> unmount_if_mounted(const StepContext &context, const Metadata &m)
{
        const std::string device = "/dev/" + m.vg + "/" + m.container_root_lv_name;
        if (!steps::mounted_from(m.container_root_lv_mount_path, device))
                return {};
        if (context.dry_run())
                return {};
        if (::umount2(paths::host_path(m.container_root_lv_mount_path).c_str(), 0) < 0)
                return make_errno_error(errno, "Failed to unmount '" + m.container_root_lv_mount_path + "'");
        return {};
}

} // namespace

Result<void> activate_volumes(StepContext &context, const Metadata &m)
{
        if (!m.container_thinpool.empty()) {
                Result<bool> found = wait_for_lv(context, m, m.container_thinpool);
                if (!found)
                        return found.error();
                if (!*found)
                        return Error{"Thin pool " + vg_lv(m, m.container_thinpool) + " does not exist.", ENOENT};
                if (Result<void> r =
                            steps::run_lvm_change(context, {"lvchange", "-ay", "-K", vg_lv(m, m.container_thinpool)});
                    !r)
                        return r;
        }
        if (!m.container_root_lv_name.empty()) {
                Result<bool> found = wait_for_lv(context, m, m.container_root_lv_name);
                if (!found)
                        return found.error();
                if (!*found)
                        return Error{"Logical volume " + vg_lv(m, m.container_root_lv_name) + " does not exist.",
                                     ENOENT};
                if (Result<void> r =
                            steps::run_lvm_change(context, {"lvchange", "-ay", vg_lv(m, m.container_root_lv_name)});
                    !r)
                        return r;
                if (steps::mount_lv(context, m.vg, m.container_root_lv_name, m.container_root_lv_mount_path) != 0)
                        return Error{"Failed to mount " + vg_lv(m, m.container_root_lv_name), EIO};
        }
        return {};
}

Result<void> deactivate_volumes(StepContext &context, const Metadata &m)
{
        if (!m.container_root_lv_name.empty()) {
                if (Result<void> r = unmount_if_mounted(context, m); !r)
                        return r;
                Result<bool> exists = lv_exists(context, m, m.container_root_lv_name);
                if (!exists)
                        return exists.error();
                if (*exists)
                        if (Result<void> r = steps::run_lvm_change(
                                    context, lvm::lvchange_deactivate(m.vg, m.container_root_lv_name));
                            !r)
                                return r;
        }
        if (!m.container_thinpool.empty()) {
                Result<bool> exists = lv_exists(context, m, m.container_thinpool);
                if (!exists)
                        return exists.error();
                if (*exists)
                        if (Result<void> r = steps::run_lvm_change(
                                    context, lvm::lvchange_deactivate(m.vg, m.container_thinpool));
                            !r)
                                return r;
        }
        return {};
}

Result<void> remove_volumes(StepContext &context, const Metadata &m)
{
        for (const std::string &lv : {m.container_root_lv_name, m.container_thinpool}) {
                if (lv.empty())
                        continue;
                Result<bool> exists = lv_exists(context, m, lv);
                if (!exists)
                        return exists.error();
                if (*exists)
                        if (Result<void> r = steps::run_lvm_change(context, {"lvremove", "-y", vg_lv(m, lv)}); !r)
                                return r;
        }
        if (!m.vg_created)
                return {};
        if (Result<void> r = steps::run_lvm_change(context, {"vgremove", "-y", m.vg}); !r)
                return r;
        for (const std::string &dev : m.devs_resolved) {
                Result<block::BlockDevice> disk = block::resolve_whole_disk(dev);
                if (!disk)
                        return disk.error();
                auto parts = block::partitions(*disk);
                if (!parts)
                        return parts.error();
                if (parts->empty())
                        continue;
                if (Result<void> r = steps::run_lvm_change(context, {"pvremove", "-y", parts->front().devnode()}); !r)
                        return r;
        }
        return {};
}

} // namespace css::cli::named
