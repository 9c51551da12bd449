// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-growpart (GROWPART=true): grow each partition under a root PV into the free space
// right after it (upstream-reference §2.3), as `growpart DISK N` did, with libfdisk and
// BLKPG_RESIZE_PARTITION instead of the script. The disk and the partition number come from
// sysfs (NVMe, mmcblk, virtio alike: #235, #275). "Nothing to grow" is success. pvresize is
// css-pvresize's job.

#include "steps/step_context.hpp"
#include "sys/block.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css {

namespace root_growth {

// The device named by the last root= word of a kernel command line, as a path: /dev/...
// as given, LABEL=, UUID=, PARTUUID= and PARTLABEL= as their /dev/disk/by-* links.
// nullopt when there is none (or it is not a device: root=tmpfs, root=nfs:...).
std::optional<std::string> root_from_cmdline(std::string_view cmdline);

// The device of the root filesystem. In the real root, what is mounted on /. In the initrd
// (the generator's initrd units run before sysroot.mount), "/" is the initramfs, so the
// device the kernel command line's root= names is the one that will be mounted.
Result<block::BlockDevice> root_device();

// The PVs under the root LV (root_device() walked down through sysfs, no lvm exec); empty when
// the root is not on LVM. Shared by css-growpart and css-pvresize.
Result<std::vector<block::BlockDevice>> root_pvs();

} // namespace root_growth

namespace steps {

// The step: the root PVs from sysfs (no lvm exec). 0 done or nothing to do, 1 failure.
int grow_root_partitions(StepContext &context);

// The work on given PVs (the root's at boot; loop partitions in the host tests). A PV that
// is not a partition (a whole disk, a multipath map) is skipped with an INFO line. A dry run
// plans the partitions' new sizes into the context (StepContext::device_bytes()).
int grow_pv_partitions(StepContext &context, const std::vector<block::BlockDevice> &pvs);

} // namespace steps

} // namespace css
