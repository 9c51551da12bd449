// SPDX-License-Identifier: Apache-2.0
#include "sys/xfs.hpp"

#include "core/paths.hpp"

#include <cerrno>
#include <cstdint>
#include <fcntl.h>
#include <optional>
#include <string>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace css::xfs {

namespace {

// From the kernel's XFS UAPI (fs/xfs/libxfs/xfs_fs.h), rather than a build dependency on
// xfslibs-dev for one struct. The V1 geometry call is the oldest one, answered by every
// kernel, and its `flags` word already carries the ftype bit; the layout is fixed ABI.
struct XfsFsopGeomV1 {
        uint32_t blocksize;
        uint32_t rtextsize;
        uint32_t agblocks;
        uint32_t agcount;
        uint32_t logblocks;
        uint32_t sectsize;
        uint32_t inodesize;
        uint32_t imaxpct;
        uint64_t datablocks;
        uint64_t rtblocks;
        uint64_t rtextents;
        uint64_t logstart;
        unsigned char uuid[16];
        uint32_t sunit;
        uint32_t swidth;
        int32_t version;
        uint32_t flags;
        uint32_t logsectsize;
        uint32_t rtsectsize;
        uint32_t dirblocksize;
};
static_assert(sizeof(XfsFsopGeomV1) == 112, "must match struct xfs_fsop_geom_v1");

constexpr unsigned long xfs_ioc_fsgeometry_v1 = _IOR('X', 100, XfsFsopGeomV1);
constexpr uint32_t xfs_fsop_geom_flags_ftype = 1u << 16;
constexpr long xfs_super_magic = 0x58465342; // "XFSB"

} // namespace

namespace {

// The geometry of the XFS holding `directory`; nullopt when it is not on XFS.
Result<std::optional<XfsFsopGeomV1>> geometry(std::string_view directory)
{
        std::string path = paths::host_path(directory);
        struct statfs sfs;
        if (::statfs(path.c_str(), &sfs) < 0)
                return make_errno_error(errno, "Failed to statfs '" + std::string(directory) + "'");
        if (sfs.f_type != xfs_super_magic)
                return std::optional<XfsFsopGeomV1>{};

        int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return make_errno_error(errno, "Failed to open '" + std::string(directory) + "'");
        XfsFsopGeomV1 geom = {};
        int rc = ::ioctl(fd, xfs_ioc_fsgeometry_v1, &geom);
        int e = errno;
        ::close(fd);
        if (rc < 0)
                return make_errno_error(e, "Failed to get the XFS geometry of '" + std::string(directory) + "'");
        return std::optional<XfsFsopGeomV1>{geom};
}

} // namespace

Result<Ftype> ftype(std::string_view directory)
{
        Result<std::optional<XfsFsopGeomV1>> geom = geometry(directory);
        if (!geom)
                return geom.error();
        if (!*geom)
                return Ftype::not_xfs;
        return ((*geom)->flags & xfs_fsop_geom_flags_ftype) ? Ftype::enabled : Ftype::disabled;
}

Result<std::optional<DataSize>> data_size(std::string_view directory)
{
        Result<std::optional<XfsFsopGeomV1>> geom = geometry(directory);
        if (!geom)
                return geom.error();
        if (!*geom)
                return std::optional<DataSize>{};
        return std::optional<DataSize>{DataSize{(*geom)->datablocks, (*geom)->blocksize}};
}

} // namespace css::xfs
