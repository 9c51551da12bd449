// SPDX-License-Identifier: Apache-2.0
#pragma once

// What one generator wrote into a directory that every generator shares
// (/run/systemd/generator): the files that start with its header (generated_header():
// units and drop-ins, at the top or in a "<unit>.d/" directory) and the symlinks in
// "<unit>.wants/" and "<unit>.requires/" that point at such a file. Each is keyed by its path
// relative to the directory, with "file\n" + content or "link\n" + target as the value. Two
// directories hold the same output of the program when the maps are equal. Hidden entries
// (UnitWriter's staging directory) are left out.
//
// The CLI compares what the generator would write now with what systemd loaded at the last
// boot or daemon-reload, and reloads only when they differ.

#include <map>
#include <string>
#include <string_view>

namespace css {

// The project's generator, as systemd knows it (its file name in the generator directory).
inline constexpr std::string_view generator_program = "container-storage-setup-generator";

std::map<std::string, std::string> generator_output(const std::string &dir, std::string_view program);

} // namespace css
