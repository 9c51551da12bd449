// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-prepare-disk DEV: turn one DEVS disk into an LVM partition with a PV on it
// (upstream-reference §2.4 steps 1-4 for one disk): resolve and validate the name, skip a
// disk that is already a PV of the VG, finish a disk an interrupted earlier run left
// half-prepared, refuse anything carrying someone's data unless WIPE_SIGNATURES=true, then
// zero the head, write the label and partition, wait for the node, wipe stale signatures on
// the partition and pvcreate it. Adding it to the VG is css-vg's job.

#include "steps/step_context.hpp"

#include <string_view>

namespace css::steps {

// Returns 0 (done or nothing to do) or 1 (failure or refusal, logged).
int prepare_disk(StepContext &context, std::string_view device);

} // namespace css::steps
