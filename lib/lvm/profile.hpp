// SPDX-License-Identifier: Apache-2.0
#pragma once

// LVM metadata profiles: the thin pool's autoextend profile as the original wrote it
// (upstream-reference §2.6), and where lvm looks for profiles.

#include "core/result.hpp"
#include "lvm/commands.hpp"

#include <string>
#include <string_view>

namespace css::lvm {

// The autoextend profile, as the original wrote it: "<VG>--<pool>-extend" (a literal "--",
// not dm escaping), in <profile dir>/<name>.profile.
std::string autoextend_profile_name(std::string_view vg, std::string_view pool);
std::string autoextend_profile_file_name(std::string_view vg, std::string_view pool);
std::string autoextend_profile_contents(unsigned threshold, unsigned percent);

// lvm's compiled-in default; `lvmconfig --typeconfig full config/profile_dir` tells the real one.
inline constexpr std::string_view default_profile_dir = "/etc/lvm/profile";
Argv profile_dir_argv();
// Parses `profile_dir="/etc/lvm/profile"` as lvmconfig prints it.
Result<std::string> parse_profile_dir(std::string_view lvmconfig_output);

} // namespace css::lvm
