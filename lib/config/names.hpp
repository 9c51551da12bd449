// SPDX-License-Identifier: Apache-2.0
#pragma once

// Checks on names and paths that can be decided from the text alone (nothing touches the disk
// at parse time). Each returns "" when the value is fine, else the reason it is not.

#include <string>
#include <string_view>

namespace css {

// lvm(8) "VALID NAMES": a-z A-Z 0-9 + _ . -, not starting with '-', not "." or "..", at most
// 127 characters (lvm's NAME_LEN includes the NUL).
std::string check_vg_name(std::string_view name);

// As a VG name, plus lvm's reserved LV names: no "snapshot"/"pvmove" prefix (lvm refuses those
// prefixes even though the man page lists only the exact words) and none of the internal
// sub-LV markers such as "_tdata" anywhere in the name.
std::string check_lv_name(std::string_view name);

// An absolute mount point. The original ran realpath; we cannot look at the disk while
// parsing, so the text is normalised instead: "//" and "/./" collapse, a trailing '/' goes.
// ".." components, relative paths, "/" itself and control characters are refused, and so is
// whatever the generator could not write as the mount unit (systemd/unit_path.hpp: a trailing
// blank or backslash, a unit name over 255 bytes). On success `normalised` holds the result.
std::string normalise_mount_path(std::string_view path, std::string &normalised);

// One DEVS entry: an absolute path (/dev/sdb, /dev/disk/by-id/...) or a bare name that the
// original looked up under /dev (sdb). Relative paths with a '/' are refused: their meaning
// would depend on the working directory of a boot-time service. So is whatever the generator
// could not write as the disk's step unit (systemd/unit_path.hpp): a path that is not normalized
// ("/dev/../dev/vdb", "/dev//vdb"), or one whose unit name would exceed 255 bytes.
std::string check_dev_entry(std::string_view entry);

} // namespace css
