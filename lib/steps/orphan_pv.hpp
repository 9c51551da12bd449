// SPDX-License-Identifier: Apache-2.0
#pragma once

// A hand-off from css-prepare-disk to css-vg within one boot: "this partition holds a PV in no
// volume group", made by pvcreate a moment ago or found so in LVM's report. When every DEVS
// partition carries such a record, css-vg runs vgcreate without asking LVM for a report first
// (a report is one of the slow parts of a first boot: docs/measurements.md). vgcreate checks under LVM's own
// lock that the VG does not exist and that each PV is an orphan, so a wrong guess changes
// nothing; css-vg then takes the full path, report first.
//
// The record is a device note (steps/device_note.hpp) holding the PV's UUID as libblkid reads
// it from the label, so a partition that was re-made or re-labelled since no longer matches.

#include <string>

namespace css::steps {

// Records that the partition `node` ("/dev/vdb1") holds a PV in no VG. A record that cannot be
// written only costs css-vg its report: logged at debug level.
void record_orphan_pv(const std::string &node);

// True when `node` has a record and the PV on it now has the recorded UUID.
bool recorded_orphan_pv(const std::string &node);

// Removes the record (the PV is in a VG now).
void forget_orphan_pv(const std::string &node);

} // namespace css::steps
