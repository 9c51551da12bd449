// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-prepare-disk DEV: turn one DEVS disk into an LVM partition with a PV on it
// (upstream-reference §2.4 steps 1-4 for one disk): resolve and validate the name, skip a
// disk that is already a PV of the VG, finish a disk an interrupted earlier run left
// half-prepared, refuse anything carrying someone's data unless WIPE_SIGNATURES=true, then
// zero the head, write the label and partition, wait for the node, wipe stale signatures on
// the partition and pvcreate it. Adding it to the VG is css-vg's job.

#include "steps/step_context.hpp"
#include "sys/block.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css::steps {

// Returns 0 (done or nothing to do) or 1 (failure or refusal, logged). A device that is not
// one of DEVS is refused before anything is locked or looked at: `systemctl start
// css-prepare-disk@dev-sda.service` by mistake must not partition sda.
int prepare_disk(StepContext &context, std::string_view device);

// Whether `disk` is one of `devs`, each entry resolved as the step resolves its argument (a
// bare name, a /dev/disk/by-* link) and compared by device number. An entry that does not
// resolve names no disk here; its own unit instance reports it.
bool is_devs_disk(const std::vector<std::string> &devs, const block::BlockDevice &disk);

} // namespace css::steps
