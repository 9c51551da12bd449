// SPDX-License-Identifier: Apache-2.0
#pragma once

// Does the filesystem holding a directory record file types in directory entries (XFS
// ftype=1)? overlay/overlay2 need d_type; on XFS formatted with ftype=0 they break. The
// original refused such a setup with "XFS filesystem at <dir> has ftype=0, cannot use overlay
// backend; ..." but looked at /var even when /var/lib/docker was a separate filesystem
// (#280). Callers here pass the real target directory.

#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace css::xfs {

enum class Ftype {
        not_xfs,  // the directory is not on XFS: nothing to check here
        enabled,  // XFS with ftype=1 (always so for V5/crc filesystems)
        disabled, // XFS with ftype=0: overlay cannot be used on it
};

// statfs() for the filesystem type, then the XFS geometry ioctl for the feature flags.
Result<Ftype> ftype(std::string_view directory);

// The data section of the XFS mounted at a directory, from the same geometry call: what
// xfs_growfs grows to the size of the device. nullopt when the directory is not on XFS.
struct DataSize {
        uint64_t blocks = 0;
        uint32_t block_size = 0;
        uint64_t bytes() const { return blocks * block_size; }
};
Result<std::optional<DataSize>> data_size(std::string_view directory);

} // namespace css::xfs
