// SPDX-License-Identifier: Apache-2.0
#pragma once

// On-disk signatures through libblkid, the way wipefs(8) sees them: every superblock
// (filesystems, LVM2_member, linux_raid_member, swap, crypto, ...) and every partition table
// (dos, gpt, ...), each with the byte offset of its magic. The original ran `wipefs -p` to
// refuse non-empty disks and `wipefs -a` to clear them (upstream-reference §1
// WIPE_SIGNATURES, §2.4); these are the same operations without the tool.
//
// `device` may be a block device or a regular file (a disk image). Paths are host paths,
// resolved with css::paths::host_path().

#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::blkid {

struct Signature {
        std::string type;        // "ext4", "LVM2_member", "swap", "dos", "gpt", ...
        std::string usage;       // "filesystem", "raid", "crypto", "other", "partition table"
        uint64_t offset = 0;     // byte offset of the magic string
        size_t magic_length = 0; // its length: what a wipe erases
        std::string uuid;        // may be empty
        std::string label;       // may be empty
        bool partition_table = false;
};

// "0x438": how `wipefs -p` prints an offset, and so how the original's refusal showed it.
std::string format_offset(uint64_t offset);

// The original's refusal, word for word:
// "Found <type> signature on device <dev> at offset <off>. Wipe signatures using wipefs or
// use WIPE_SIGNATURES=true and retry."
std::string refusal_message(const Signature &signature, std::string_view device);

// Every signature on the device, in libblkid's probing order (superblocks, then partition
// tables). Read-only. As wipefs does, each magic found is hidden in the probe's buffers and
// the probe repeated, so signatures behind it show too (the GPT backup header and the
// protective MBR behind a primary GPT header).
Result<std::vector<Signature>> list_signatures(std::string_view device);
// The same on a descriptor the caller already holds (and may hold locked); `device` names
// it in messages.
Result<std::vector<Signature>> list_signatures(int fd, std::string_view device);

// Erases every signature (`wipefs -a`): the magic bytes only, as blkid_do_wipe() does, then
// probes again, so signatures hidden behind others (a GPT backup header) go too. The device
// is opened O_EXCL, so a mounted filesystem or an active PV is refused with EBUSY. When a
// partition table on a whole disk was erased, the kernel is asked to re-read it.
// With dry_run, nothing is opened for writing; each signature is printed on stdout as
// "would wipe <type> signature on <dev> at offset <off>".
// Returns the signatures erased (or that would be).
Result<std::vector<Signature>> wipe_signatures(std::string_view device, bool dry_run);

// The filesystem (or other superblock) type of a device, with blkid_do_safeprobe(): nothing
// found is std::nullopt; two conflicting superblocks are an error, never a guess.
Result<std::optional<std::string>> superblock_type(std::string_view device);

} // namespace css::blkid
