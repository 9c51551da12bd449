// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-vg: vgcreate VG, or vgextend VG, with the PVs css-prepare-disk made on the DEVS disks
// (upstream-reference §2.4 step 5). Each DEVS entry stands for its first partition; those
// already in the VG are skipped. When css-prepare-disk recorded every partition as an orphan
// PV this boot (steps/orphan_pv.hpp), vgcreate runs without a report first; otherwise one
// report decides.

#include "lvm/report.hpp"
#include "steps/step_context.hpp"
#include "sys/block.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css {

// The PV of a block device in the snapshot: by major:minor first (lvm may name the node
// differently, e.g. a /dev/mapper alias of a multipath partition), else by path.
const lvm::Pv *pv_of_device(const lvm::Snapshot &snapshot, const block::BlockDevice &device);

namespace vg_plan {

struct Member {
        std::string disk;      // the DEVS entry, resolved ("/dev/vdb")
        std::string partition; // its first partition, "" when it has none
        // The VG of the PV on that partition ("" for an orphan PV); nullopt when not a PV.
        std::optional<std::string> pv_vg;
};

struct Plan {
        enum class Kind { nothing, create, extend };
        Kind kind = Kind::nothing;
        std::vector<std::string> pvs; // for vgcreate / vgextend, in DEVS order, no duplicates
};

// vg_exists: the VG is in the snapshot. Fails (with the one-line reason) when a disk was not
// prepared or its PV belongs to another VG.
Result<Plan> plan(std::string_view vg, bool vg_exists, const std::vector<Member> &members);

// The lvm command of a plan; empty for Kind::nothing.
std::vector<std::string> argv(std::string_view vg, const Plan &plan);

} // namespace vg_plan

// The step. Returns 0 (done or nothing to do) or 1 (failure, logged).
namespace steps {
int create_or_extend_vg(StepContext &context);
}

} // namespace css
