// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-pvresize (GROWPART=true, after css-growpart): `pvresize <pv>` for each root PV, but
// only when the PV is smaller than its device by at least one extent, so that a boot with
// nothing to do writes no LVM metadata. lvm itself prints `Physical volume "/dev/vda2"
// changed`. When css-growpart grew the PV's partition this boot (its grown-pv note,
// steps/device_note.hpp), pvresize runs without the report that would tell that first.

#include "lvm/report.hpp"
#include "steps/step_context.hpp"
#include "sys/block.hpp"

#include <cstdint>
#include <vector>

namespace css {

namespace pv_resize {

// Would pvresize add an extent? device_bytes: the device's size now (sysfs); pv: as lvm
// recorded it (pv_size = extents x extent size for a PV in a VG); extent_bytes: the VG's
// extent size (0 for an orphan PV, which is then compared byte for byte).
bool needs_resize(uint64_t device_bytes, const lvm::Pv &pv, uint64_t extent_bytes);

} // namespace pv_resize

namespace steps {

// The step: the root PVs from sysfs. 0 done or nothing to do, 1 failure.
int resize_root_pvs(StepContext &context);

// The work on given PV devices (the root's at boot; loop devices in the host tests).
int resize_pvs(StepContext &context, const std::vector<block::BlockDevice> &pvs);

} // namespace steps

} // namespace css
