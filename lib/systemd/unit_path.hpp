// SPDX-License-Identifier: Apache-2.0
#pragma once

// The units the generator names after a configured path, and whether it can write them at all.
// The validator asks the same functions (config/names.hpp), so a value `check` accepts is a value
// the generator can write: the two cannot drift apart (issue 15). A value refused here would
// otherwise be found only at boot, when the generator cannot write the steps.
//
// systemd reads a path back from a unit only when it is absolute and normalized (no "//", "."
// or ".." component, no trailing '/'), ends in neither a blank (stripped from a setting's value)
// nor a backslash (which continues the line), has no control character, and names a unit of at
// most 255 bytes, suffix included. Values are UTF-8 already: the configuration lexer refuses
// anything else.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace css::unit_path {

// The template of the per-disk step; an instance per DEVS disk.
inline constexpr std::string_view prepare_disk_template = "css-prepare-disk@.service";

// A DEVS entry as a path: the original took bare names ("sdb") as /dev/<name>.
std::string device_path(std::string_view dev_entry);

// "" when `path` can be written into a unit file and read back unchanged, else the reason (to
// follow "is invalid: ").
std::string check(std::string_view path);

// The mount unit for a (normalised) mount point, e.g. "var-lib-docker.mount". The error's
// message is the reason, as check() words it.
Result<std::string> mount_unit(std::string_view mount_path);

// The step unit for one DEVS entry, e.g. "css-prepare-disk@dev-vdb.service". Its instance,
// the escaped device path, also names the disk's ".device" unit, which is shorter.
Result<std::string> prepare_disk_unit(std::string_view dev_entry);

} // namespace css::unit_path
