// SPDX-License-Identifier: Apache-2.0
#include "steps/step_context.hpp"

#include "sys/block.hpp"

#include <sys/sysmacros.h>

namespace css {

Result<const lvm::Snapshot *> StepContext::lvm()
{
        if (!snapshot_) {
                Result<lvm::Snapshot> s = lvm::query();
                if (!s)
                        return s.error();
                snapshot_ = std::move(*s);
        }
        return &*snapshot_;
}

Result<std::string> StepContext::effective_vg()
{
        if (!config_.vg.empty())
                return config_.vg;

        // upstream-reference §2.2: the VG of the root LV, or none when root is not on LVM.
        Result<block::BlockDevice> root = block::root_device();
        if (!root)
                return root.error();
        Result<std::vector<block::BlockDevice>> pvs = block::lvm_physical_volumes(*root);
        if (!pvs)
                return pvs.error();
        if (pvs->empty())
                return std::string();

        Result<const lvm::Snapshot *> snapshot = lvm();
        if (!snapshot)
                return snapshot.error();
        for (const block::BlockDevice &pv : *pvs) {
                // lvm names PVs by path; the device number also matches when lvm chose another
                // name for the same node (a /dev/mapper alias of a multipath PV, say).
                const lvm::Pv *p = (*snapshot)->find_pv(major(pv.devnum), minor(pv.devnum));
                if (!p)
                        p = (*snapshot)->find_pv(pv.devnode());
                if (p && !p->vg.empty())
                        return p->vg;
        }
        return std::string();
}

} // namespace css
