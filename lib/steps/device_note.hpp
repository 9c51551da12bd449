// SPDX-License-Identifier: Apache-2.0
#pragma once

// Hand-offs between the steps of one boot about one block device: a scratch note under
// /run/container-storage-setup (tmpfs, so gone at the next boot) named "<kind>-<kernel name>"
// and holding one value the later step checks against the device as it is then. A note only
// lets a step skip an LVM report; a missing or stale one means "ask LVM", so a note that
// cannot be written is logged at debug level and otherwise ignored.
//
//   orphan-pv: css-prepare-disk -> css-vg, the PV UUID of a PV in no VG (steps/orphan_pv.hpp)
//   grown-pv:  css-growpart -> css-pvresize, the size in bytes a root PV's partition grew to
//              (grown_pv_note)

#include <string>
#include <string_view>

namespace css::steps {

inline constexpr std::string_view grown_pv_note = "grown-pv";

// Writes the note of `kind` for the device `node` ("/dev/vdb1", or a link to it).
void write_device_note(std::string_view kind, const std::string &node, const std::string &value);

// True when the note is there and holds exactly `value`.
bool device_note_holds(std::string_view kind, const std::string &node, const std::string &value);

// True when there is a note of `kind` for `node` at all.
bool device_note_exists(std::string_view kind, const std::string &node);

void remove_device_note(std::string_view kind, const std::string &node);

} // namespace css::steps
