// SPDX-License-Identifier: Apache-2.0
#pragma once

// "The work is already done", told from files alone, so that a provisioned machine's boot
// runs no step that would only find nothing to do (docs/design.md, "Already provisioned").
//
// The fingerprint is a few lines of text describing everything the steps' work depends on
// and that a file can show:
//   * the bytes of the defaults file and of /etc/sysconfig/docker-storage-setup (a digest),
//   * the bytes of the output file /etc/sysconfig/docker-storage,
//   * the bytes of LVM's metadata backup of the VG (/etc/lvm/backup/VG; LVM rewrites it on every
//     change of the VG, so a removed, renamed or resized LV or a new PV changes it),
//   * per DEVS disk: the kernel name it resolves to, its size and its partitions' start and size
//     (sysfs), so a new, grown, replaced-by-blank or missing disk changes it,
//   * with GROWPART or ROOT_SIZE: the root LV's size and, per PV under it, the partition's start
//     and size and its disk's size (sysfs), so a grown disk changes it.
// css-write-storage-config, the last step, writes it after the others succeeded
// (record_provisioned()); the generator compares it at the next boot (provisioned()), and so
// does css-thinpool before it skips its LVM report. Anything it cannot read makes the
// fingerprint unknown, and an unknown fingerprint never matches: the steps then run as before.

#include "config/config.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace css {
class StepContext;
}

namespace css::steps {

// Dot-prefixed: the named configurations' directories live next to it (cli/named).
inline constexpr std::string_view provisioned_record = "/var/lib/container-storage-setup/.provisioned";

// The fingerprint of this machine for this configuration, or nullopt when something it needs
// cannot be read (no output file, no LVM metadata backup of a known VG, a DEVS disk not found).
std::optional<std::string> provisioning_fingerprint(const Config &config);

// The record exists and equals the current fingerprint.
bool provisioned(const Config &config);

// Writes the current fingerprint atomically (nothing under --dry-run); removes a stale record
// when the fingerprint is unknown.
Result<void> record_provisioned(StepContext &context);

// 64-bit FNV-1a: detects that a file changed, nothing more (no adversary writes these files).
std::string content_digest(std::string_view data);

} // namespace css::steps
