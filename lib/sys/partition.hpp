// SPDX-License-Identifier: Apache-2.0
#pragma once

// Partition tables with libfdisk, and telling the running kernel about the change (BLKPG).
//
// Two operations, both on a whole disk (or a disk image file, for which the kernel step is
// skipped), both under an exclusive flock(2) on the disk so udev keeps out while the table
// changes (the convention systemd's tools and udev share):
//
//   create_lvm_partition: the original's new-DEVS-disk preparation (upstream-reference §2.4):
//     zero the first 4 MiB (#269), a GPT label above 2,199,023,255,040 bytes, else DOS (#114),
//     one Linux LVM partition from sector 2048 to the end.
//   grow_partition: what `growpart DISK N` did for GROWPART=true (§2.3, §5 cloud-utils).
//
// Nothing is written in dry-run mode: the device is opened read-only and the outcome is
// computed and printed exactly as the real run would do it.

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace css::partition {

enum class LabelType { dos, gpt };

// #114: DOS tables cannot describe more than 2^32 sectors; the original switched to GPT
// for disks larger than this.
inline constexpr uint64_t gpt_threshold_bytes = 2199023255040ULL;
LabelType label_type_for_size(uint64_t disk_bytes);
std::string_view label_name(LabelType type); // "dos", "gpt"

inline constexpr std::string_view lvm_gpt_type_guid = "E6D6D379-F507-44C2-A23C-238F2A3DF928";
inline constexpr unsigned lvm_dos_type_code = 0x8e;
inline constexpr uint64_t zeroed_head_bytes = 4 * 1024 * 1024;

struct NewPartition {
        LabelType label = LabelType::dos;
        unsigned number = 1;
        uint64_t start = 0; // in logical sectors
        uint64_t size = 0;  // in logical sectors
        unsigned sector_size = 512;
};

// Who holds the disk's exclusive flock while the table changes. `held_by_caller`: the
// caller locked the disk on another descriptor (lock_block_device()) and keeps it locked
// after we return, e.g. until its pvcreate is done; taking it again here would wait for
// ourselves, since flock(2) locks belong to open file descriptions, not to processes.
enum class DiskLock { take, held_by_caller };

// Partitions an empty disk for LVM. Refuses a disk that carries any signature (the caller
// decides about WIPE_SIGNATURES and wipes first) and a disk that is in use (O_EXCL).
// The kernel learns the new table through BLKRRPART, or BLKPG when a re-read is refused;
// either way devtmpfs has the new partition's node when this returns.
Result<NewPartition> create_lvm_partition(std::string_view disk, bool dry_run, DiskLock lock = DiskLock::take);

struct Growth {
        unsigned number = 0;
        uint64_t start = 0;    // sectors; never changes
        uint64_t old_size = 0; // sectors
        uint64_t new_size = 0; // sectors; == old_size when nothing could be grown
        bool changed() const { return new_size > old_size; }
};

// growpart's report lines:
// "CHANGED: partition=2 start=616448 old: size=83269632 end=83886080 new: size=85366784,end=85983232"
// ("CHANGE:" in dry-run), and "NOCHANGE: partition 2 is size 85366784. it cannot be grown".
// As in growpart, end = start + size.
std::string format_change(const Growth &growth, bool dry_run);
std::string format_nochange(const Growth &growth);

// Grows partition `number` (1-based) into the free space right after it: up to the next
// partition, or to the last usable sector of the disk. The start never moves. A GPT whose
// backup header is not at the end (the disk grew) gets it moved there. "Nothing to grow" is
// success with growth.changed() == false. After writing, the kernel is told the new size
// with BLKPG_RESIZE_PARTITION, which works while the partition is in use (a mounted root PV).
// Prints the CHANGED/CHANGE/NOCHANGE line on stdout.
Result<Growth> grow_partition(std::string_view disk, unsigned number, bool dry_run);

} // namespace css::partition
