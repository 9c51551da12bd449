// SPDX-License-Identifier: Apache-2.0
#pragma once

// Every file the project reads or writes on the host goes through host_path(), so tests can
// point the real binaries at a fake root with CSS_ROOT=<dir> (as systemd's SYSTEMD_* knobs and
// zram-generator's ZRAM_GENERATOR_ROOT do). Never an #ifdef.

#include <string>
#include <string_view>

namespace css::paths {

// The original's file names (upstream-reference §0).
inline constexpr std::string_view defaults_file = "/usr/share/container-storage-setup/container-storage-setup";
inline constexpr std::string_view sysconfig_input = "/etc/sysconfig/docker-storage-setup";
inline constexpr std::string_view sysconfig_output = "/etc/sysconfig/docker-storage";
inline constexpr std::string_view state_dir = "/var/lib/container-storage-setup";
inline constexpr std::string_view lock_file = "/run/container-storage-setup/lock";
inline constexpr std::string_view proc_cmdline = "/proc/cmdline";
inline constexpr std::string_view proc_mounts = "/proc/mounts";
inline constexpr std::string_view initrd_release = "/etc/initrd-release";

// The value of CSS_ROOT without trailing slashes, or "" when unset (the real root). Read at
// each call (a getenv), so one test binary can run suites on several fake roots.
std::string root();

// CSS_ROOT + path. `path` must be absolute. A path under state_dir goes under CSS_STATE_DIR
// instead when that is set.
std::string host_path(std::string_view path);

} // namespace css::paths
