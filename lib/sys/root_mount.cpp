// SPDX-License-Identifier: Apache-2.0
#include "sys/root_mount.hpp"

#include "core/paths.hpp"

#include <cerrno>
#include <libmount.h>
#include <memory>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace css {

namespace {

struct TableUnref {
        void operator()(libmnt_table *t) const { mnt_unref_table(t); }
};

} // namespace

Result<RootMount> root_mount()
{
        const std::string path = paths::host_path("/proc/self/mountinfo");
        std::unique_ptr<libmnt_table, TableUnref> table(mnt_new_table_from_file(path.c_str()));
        if (!table)
                return make_errno_error(errno ? errno : EINVAL, "Failed to read '" + path + "'");
        // Backward: the first match is the last mount on "/", the one in use.
        libmnt_fs *fs = mnt_table_find_target(table.get(), "/", MNT_ITER_BACKWARD);
        if (!fs)
                return Error{"Failed to find the root filesystem in '" + path + "'", ENOENT};
        RootMount root{mnt_fs_get_devno(fs), mnt_fs_get_source(fs) ? mnt_fs_get_source(fs) : ""};
        if (major(root.devnum) != 0)
                return root;
        struct stat st;
        if (root.source.starts_with("/dev/") && ::stat(paths::host_path(root.source).c_str(), &st) == 0 &&
            S_ISBLK(st.st_mode)) {
                root.devnum = st.st_rdev;
                return root;
        }
        return Error{"The root filesystem is not on a block device (source '" + root.source + "')", ENOTBLK};
}

} // namespace css
