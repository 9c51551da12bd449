// SPDX-License-Identifier: Apache-2.0
#pragma once

// Which disk each DEVS entry named when css-prepare-disk made it ours (issue 18, upstream
// #278): /var/lib/container-storage-setup/.devs-identity, one line "ENTRY<TAB>IDENTITY" per DEVS
// entry as written (sys/disk_identity.hpp). A kernel name in DEVS (nvme1n1, sdb) can name
// another disk after a reboot; when it now names a disk of another identity that carries
// data, css-prepare-disk refuses it, WIPE_SIGNATURES=true or not. A blank disk is taken (a
// cloud instance's ephemeral disk comes back blank, and often with a new serial), and so is
// a disk LVM knows as a PV of the VG already. /dev/disk/by-id names follow the disk.

#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace css::steps {

inline constexpr std::string_view devs_identity_record = "/var/lib/container-storage-setup/.devs-identity";

// The identity recorded for the DEVS entry, nullopt when none is.
std::optional<std::string> recorded_identity(std::string_view entry);

// Records (or replaces) the entry's identity; an empty identity records nothing. The file is
// replaced whole (temp file, fsync, rename).
Result<void> record_identity(std::string_view entry, std::string_view identity);

// Pure: the refusal when the entry named a disk of identity `recorded` and now names `node` of
// identity `now`; "" when either is unknown or they are the same.
std::string changed_identity_refusal(std::string_view entry, std::string_view node, std::string_view recorded,
                                     std::string_view now);

} // namespace css::steps
