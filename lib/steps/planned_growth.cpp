// SPDX-License-Identifier: Apache-2.0
#include "steps/planned_growth.hpp"

#include <algorithm>

namespace css::steps {

namespace {

void resize_pv(lvm::Snapshot &s, const PlannedGrowth::PvResize &r)
{
        lvm::Pv *pv = s.find_pv(r.pv);
        const uint64_t pe_start = pv ? pv->pe_start.value_or(0) : 0;
        if (!pv || r.device_bytes <= pe_start)
                return;
        pv->dev_size = std::max(pv->dev_size, r.device_bytes);
        lvm::Vg *vg = s.find_vg(pv->vg);
        if (!vg || vg->extent_size == 0) {
                const uint64_t usable = r.device_bytes - pe_start;
                if (usable > pv->size) {
                        pv->free += usable - pv->size;
                        pv->size = usable;
                }
                return;
        }
        const uint64_t extents = (r.device_bytes - pe_start) / vg->extent_size;
        const uint64_t had = pv->size / vg->extent_size;
        if (extents <= had)
                return;
        const uint64_t gained = (extents - had) * vg->extent_size;
        pv->size += gained;
        pv->free += gained;
        vg->size += gained;
        vg->free += gained;
        vg->extent_count += extents - had;
        vg->free_count += extents - had;
}

// Takes `bytes` from the PVs' free space: evenly over the named PVs (the stripes), else in
// turn over the VG's.
void take_from_pvs(lvm::Snapshot &s, const PlannedGrowth::LvExtension &e, uint64_t bytes)
{
        if (!e.pvs.empty()) {
                for (const std::string &name : e.pvs)
                        if (lvm::Pv *pv = s.find_pv(name))
                                pv->free -= std::min(pv->free, bytes / e.pvs.size());
                return;
        }
        for (lvm::Pv &pv : s.pvs) {
                if (pv.vg != e.vg || bytes == 0)
                        continue;
                const uint64_t taken = std::min(pv.free, bytes);
                pv.free -= taken;
                bytes -= taken;
        }
}

void extend_lv(lvm::Snapshot &s, const PlannedGrowth::LvExtension &e)
{
        lvm::Lv *lv = s.find_lv(e.vg, e.lv);
        lvm::Vg *vg = s.find_vg(e.vg);
        if (!lv || !vg || e.bytes <= lv->size)
                return;
        const uint64_t grown = std::min(e.bytes - lv->size, vg->free);
        lv->size += grown;
        vg->free -= grown;
        if (vg->extent_size)
                vg->free_count -= std::min(vg->free_count, grown / vg->extent_size);
        take_from_pvs(s, e, grown);
}

} // namespace

void PlannedGrowth::grow_device(dev_t devnum, uint64_t bytes)
{
        auto it = std::ranges::find(devices, devnum, &Device::devnum);
        if (it == devices.end())
                devices.push_back({devnum, bytes});
        else
                it->bytes = std::max(it->bytes, bytes);
}

std::optional<uint64_t> PlannedGrowth::device_bytes(dev_t devnum) const
{
        auto it = std::ranges::find(devices, devnum, &Device::devnum);
        return it == devices.end() ? std::nullopt : std::optional<uint64_t>(it->bytes);
}

void PlannedGrowth::apply(lvm::Snapshot &snapshot) const
{
        for (const PvResize &r : pv_resizes)
                resize_pv(snapshot, r);
        for (const LvExtension &e : lv_extensions)
                extend_lv(snapshot, e);
}

} // namespace css::steps
