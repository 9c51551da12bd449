// SPDX-License-Identifier: Apache-2.0
#pragma once

// GROW_DEVS=true (ours): the thin pool (css-thinpool) or the container root LV (css-create-lv)
// takes its share of what its VG gained since its size was last decided, when a DEVS disk grew
// (css-prepare-disk grew its partition and PV). css-growfs then grows the LV's XFS.
//
// The share: an LV of N%FREE took N% of the free space it was created in, and takes N% of the
// new space; N%VG likewise; an absolute size does not grow. To know what is new, the LV carries
// an LVM tag, css_grow_vg<V>_lv<S>: the VG's size V and the LV's size S (bytes) when its size
// was last decided. The target, S + N% of (VG size now - V), is absolute (`lvextend -L`): after
// a power cut between the extension and the new tag the next boot computes the same target,
// finds it reached and only writes the tag. An LV without the tag (made before GROW_DEVS=true)
// gets one with today's sizes and grows from then on. The tag travels with the VG, so a disk
// that comes back blank (EPHEMERAL_STORAGE) starts again from its new LV. A pool that grew past
// its target (dmeventd's auto-extend) is not extended; a striped LV grows by at most what its
// stripes hold (lvextend keeps the stripes, on the DEVS PVs).

#include "config/size.hpp"
#include "core/result.hpp"
#include "lvm/report.hpp"
#include "steps/step_context.hpp"
#include "steps/stripes.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace css::steps {

struct GrowthMark {
        uint64_t vg_bytes = 0;
        uint64_t lv_bytes = 0;
        bool operator==(const GrowthMark &) const = default;
};

std::string growth_tag(const GrowthMark &mark);
// The LV's mark, from its tags; nullopt when it has none (or only a malformed one).
std::optional<GrowthMark> growth_mark(const lvm::Lv &lv);

struct LvGrowth {
        std::optional<uint64_t> extend_to; // lvextend -L <bytes>b
        std::string old_tag;               // the tag to replace, "" for none
        std::string new_tag;               // "" leaves the tags alone
        std::string message;               // what is done and why, for the journal
};

// Pure. `stripes`: the LV's stripes (plan_stripes()) when it is striped, which cap the growth.
LvGrowth plan_lv_growth(const Size &size, const lvm::Lv &lv, const lvm::Vg &vg, const Stripes *stripes);

// The step's part: plans from the LVM snapshot and runs the lvextend and the lvchange. Does
// nothing without GROW_DEVS=true.
Result<void> grow_lv(StepContext &context, std::string_view vg, std::string_view lv, const Size &size);

} // namespace css::steps
