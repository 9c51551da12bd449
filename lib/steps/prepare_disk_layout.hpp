// SPDX-License-Identifier: Apache-2.0
#pragma once

// What css-prepare-disk knows about one DEVS disk, and the decision it takes from that
// alone (pure, so the rules can be tested without disks): skip it, finish an earlier run,
// prepare it, or refuse it. The facts come from sysfs, libblkid and (only when a partition
// carries an LVM2_member label) the LVM snapshot.

#include "core/result.hpp"
#include "sys/blkid_probe.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::disk_plan {

struct PartitionEntry {
        unsigned number = 0;
        uint64_t start = 0; // 512-byte sectors, whatever the logical sector size
        uint64_t size = 0;  // 512-byte sectors
        std::string type;   // dos: "0x8e"; gpt: the type GUID in upper case
};

struct PartitionTable {
        std::string label; // "dos", "gpt", "" when there is none
        std::vector<PartitionEntry> entries;
};

// The partition table as libblkid reads it from the disk itself (not the kernel's view).
Result<PartitionTable> read_partition_table(std::string_view disk);

struct DiskFacts {
        std::string disk; // "/dev/vdb"
        uint64_t disk_bytes = 0;
        unsigned sector_size = 512;                    // logical
        std::vector<blkid::Signature> disk_signatures; // on the whole disk
        PartitionTable table;
        std::string first_partition; // the kernel's first partition, "" if none
        std::vector<blkid::Signature> first_partition_signatures;
        // Only known when the first partition carries an LVM2_member label: the VG of that PV
        // ("" for an orphan PV); nullopt when it is not a PV (or was not asked).
        std::optional<std::string> first_partition_vg;
        // The disk itself and each of its partitions that carries an LVM2_member label which
        // the LVM report does not list as a PV: an lvm devices file that leaves it out (the
        // default on RHEL 9), a filter, a foreign system ID hide it from lvm, not from us.
        std::vector<std::string> unreported_pv_labels;
};

bool has_lvm_label(const std::vector<blkid::Signature> &signatures);

// "Ours": the exact layout css-prepare-disk (and the original) writes, see the .cpp.
bool is_our_layout(const DiskFacts &facts);

enum class Action {
        in_vg,           // already a PV of the VG: nothing to do (every boot after the first)
        prepared,        // our partition holds a PV in no VG yet: css-vg adds it
        finish_pvcreate, // our partition, empty: an earlier run stopped before pvcreate
        prepare,         // wipe (WIPE_SIGNATURES=true only), partition, pvcreate
        refuse,
};

struct Decision {
        Action action = Action::refuse;
        std::string message; // what to log (info, or the error for refuse)
};

Decision decide(const DiskFacts &facts, std::string_view vg, bool wipe_signatures);

// The node of partition `number` of `disk` as the kernel names it: "p" between a disk name
// ending in a digit and the number (nvme0n1p1, loop0p1, mmcblk0p1), none otherwise (vdb1).
// Only for messages of a dry run: a real run reads the name from sysfs.
std::string partition_node(std::string_view disk, unsigned number);

} // namespace css::disk_plan
