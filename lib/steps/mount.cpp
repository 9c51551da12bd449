// SPDX-License-Identifier: Apache-2.0
#include "steps/mount.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"
#include "sys/dm_name.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/mount.h>
#include <sys/stat.h>

namespace css::steps {

namespace {

// mount(2) changes the directory's label to that of the new root inode; the original ran
// `restorecon -R` after mounting. Only where SELinux is on and restorecon is installed.
void restore_selinux_label(StepContext &context, const std::string &mount_path)
{
        struct stat st;
        if (::stat(paths::host_path("/sys/fs/selinux/enforce").c_str(), &st) < 0)
                return;
        Result<std::string> restorecon = process::find_program("restorecon");
        if (!restorecon)
                return;
        process::Command c;
        c.argv = {*restorecon, "-R", mount_path};
        c.mutating = true;
        c.stdout_mode = process::Stdout::pass_through;
        if (Result<process::Outcome> r = context.run_checked(c); !r)
                log::warning(r.error().message + ", ignoring.");
}

} // namespace

bool mounted_from(std::string_view mount_path, std::string_view device)
{
        struct stat dev, dir, parent;
        const std::string path = paths::host_path(mount_path);
        if (::stat(paths::host_path(device).c_str(), &dev) < 0 || !S_ISBLK(dev.st_mode))
                return false;
        if (::stat(path.c_str(), &dir) < 0 || dir.st_dev != dev.st_rdev)
                return false;
        // The root of that filesystem, not a directory inside it mounted elsewhere.
        return ::stat((path + "/..").c_str(), &parent) == 0 &&
               (parent.st_dev != dir.st_dev || parent.st_ino == dir.st_ino);
}

int mount_lv(StepContext &context, std::string_view vg, std::string_view lv, std::string_view mount_path)
{
        const std::string device = "/dev/" + std::string(vg) + "/" + std::string(lv);
        const std::string where(mount_path);
        if (mounted_from(where, device)) {
                log::info(device + " is already mounted on " + where + ", nothing to do.");
                return 0;
        }
        if (context.dry_run()) {
                std::printf("would mount %s on %s (xfs, pquota)\n", device.c_str(), where.c_str());
                std::fflush(stdout);
                return 0;
        }
        const std::string host_where = paths::host_path(where);
        if (Result<void> r = make_directories(host_where); !r)
                return fail(r.error());
        // The /dev/mapper name as the source, as mount(8) and systemd's mount units record
        // an LV (findmnt, /proc/self/mountinfo), rather than the /dev/VG/LV symlink.
        const std::string source = "/dev/mapper/" + dm::lvm_dm_name(vg, lv);
        if (::mount(paths::host_path(source).c_str(), host_where.c_str(), "xfs", 0, "pquota") < 0)
                return fail(make_errno_error(errno, "Failed to mount '" + device + "' on '" + where + "'"));
        restore_selinux_label(context, host_where);
        return 0;
}

int mount_container_root_lv(StepContext &context)
{
        std::optional<ContainerRootLv> lv = container_root_lv(context.config());
        if (!lv)
                return 0;
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return fail(vg.error());
        if (vg->empty())
                return fail(Error{"No valid volume group found. Exiting.", ENOENT});
        return mount_lv(context, *vg, lv->name, lv->mount_path);
}

} // namespace css::steps
