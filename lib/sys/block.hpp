// SPDX-License-Identifier: Apache-2.0
#pragma once

// Block device topology from sysfs, without running lsblk or lvm.
//
// Every device is identified by its major:minor; /sys/dev/block/MAJ:MIN links to its sysfs
// directory. A partition's directory sits inside its disk's directory, which is how the
// parent disk is found for any naming scheme (nvme0n1p2, mmcblk0p2, vda2, sdb1, loop0p1:
// #275, openshift/os#133). All paths go through css::paths::host_path(), so tests can build a
// fake /sys, /dev and /proc under CSS_ROOT.

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace css::block {

struct BlockDevice {
        std::string name; // kernel name: "nvme0n1p2", "dm-0", "loop0p1"
        dev_t devnum = 0;
        std::string sysfs_dir; // canonical sysfs directory, host path (CSS_ROOT included)

        // "/dev/<name>", with the '!' sysfs uses for '/' turned back ("cciss!c0d0").
        std::string devnode() const;
        std::string devnum_string() const; // "259:2"
};

// The compat-mode spelling of a DEVS entry: a bare name ("sdb") means /dev/sdb; symlinks
// (/dev/disk/by-id/...) are followed. Returns the canonical path (without CSS_ROOT).
// Fails with the original's "<spec> is not a valid block device." when it is not one.
Result<std::string> resolve_path(std::string_view spec);

Result<BlockDevice> from_path(std::string_view path); // stat() for the major:minor
Result<BlockDevice> from_devnum(dev_t devnum);
Result<BlockDevice> from_name(std::string_view name); // via /sys/class/block/<name>

bool is_partition(const BlockDevice &device);     // has a `partition` attribute
bool is_device_mapper(const BlockDevice &device); // has a dm/ directory
std::string dm_uuid(const BlockDevice &device);   // "" when not dm or unreadable
std::string dm_name(const BlockDevice &device);   // the map's name; "" likewise
bool is_multipath(const BlockDevice &device);     // dm uuid "mpath-..." (#270)

// What lsblk -s would show as parents: the partition's disk, or the slaves of a stacked
// device (dm, md). A multipath map counts as a disk, since its slaves are paths to the
// same LUN (#270).
Result<bool> has_parent(const BlockDevice &device);

// A DEVS entry: resolve_path() + from_path() + the original's refusal of anything with a
// parent ("Partition specification unsupported at this time.").
Result<BlockDevice> resolve_whole_disk(std::string_view spec);

struct PartitionOf {
        BlockDevice disk;
        unsigned number = 0; // the `partition` attribute
};
Result<PartitionOf> parent_disk(const BlockDevice &partition);

// The partitions of a disk, ordered by partition number.
Result<std::vector<BlockDevice>> partitions(const BlockDevice &disk);

Result<uint64_t> size_bytes(const BlockDevice &device);          // `size` x 512, always
Result<uint64_t> start_bytes(const BlockDevice &partition);      // `start` x 512, always
Result<unsigned> logical_sector_size(const BlockDevice &device); // queue/logical_block_size

Result<std::vector<BlockDevice>> holders(const BlockDevice &device);
Result<std::vector<BlockDevice>> slaves(const BlockDevice &device);

// The block device mounted on / (sys/root_mount.hpp).
Result<BlockDevice> root_device();

// The devices directly under the LVM layer of `device`: walks slaves/ through every dm
// device whose uuid starts with "LVM-" (LVs, thin pools, their hidden sub-LVs) and returns
// what lies below, deduplicated and sorted by name: the PVs (partitions, disks, or dm
// devices that are not LVM, such as multipath or crypt). Empty when `device` is not an LV.
// This finds the root PVs without running lvm.
Result<std::vector<BlockDevice>> lvm_physical_volumes(const BlockDevice &device);

} // namespace css::block
