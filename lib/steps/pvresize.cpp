// SPDX-License-Identifier: Apache-2.0
#include "steps/pvresize.hpp"

#include "core/log.hpp"
#include "lvm/commands.hpp"
#include "steps/device_note.hpp"
#include "steps/growpart.hpp"
#include "steps/step_util.hpp"
#include "steps/vg.hpp"
#include "sys/process.hpp"

namespace css {

bool pv_resize::needs_resize(uint64_t device_bytes, const lvm::Pv &pv, uint64_t extent_bytes)
{
        // Without pe_start (an old report) assume 0: at worst one needless pvresize.
        uint64_t pe_start = pv.pe_start.value_or(0);
        if (device_bytes <= pe_start)
                return false;
        uint64_t usable = device_bytes - pe_start;
        if (extent_bytes == 0)
                return usable > pv.size;
        return usable / extent_bytes > pv.size / extent_bytes;
}

namespace steps {

int resize_root_pvs(StepContext &context)
{
        // The original resized the root PVs only together with growpart (§2.3).
        if (!context.config().growpart) {
                log::info("GROWPART is not true: not resizing the root physical volumes");
                return 0;
        }
        Result<std::vector<block::BlockDevice>> pvs = root_growth::root_pvs();
        if (!pvs) {
                log::error(pvs.error().message);
                return 1;
        }
        if (pvs->empty()) {
                log::info("The root filesystem is not on LVM: no root physical volume to resize");
                return 0;
        }
        return resize_pvs(context, *pvs);
}

int resize_pvs(StepContext &context, const std::vector<block::BlockDevice> &pvs)
{
        int rc = 0;
        for (const block::BlockDevice &device : pvs) {
                // css-growpart grew this PV's partition this boot, to the size sysfs still shows:
                // the PV is smaller than its device, and pvresize runs without a report first.
                // (A dry run asks LVM, as a real run without the note would.)
                if (Result<uint64_t> bytes = block::size_bytes(device);
                    !context.dry_run() && bytes &&
                    device_note_holds(grown_pv_note, device.devnode(), std::to_string(*bytes))) {
                        if (Result<void> r = run_lvm_change(context, lvm::pvresize(device.devnode())); !r) {
                                log::error(r.error().message);
                                rc = 1;
                        } else {
                                remove_device_note(grown_pv_note, device.devnode());
                        }
                        continue;
                }
                Result<const lvm::Snapshot *> snapshot = context.lvm();
                if (!snapshot) {
                        log::error(snapshot.error().message);
                        return 1;
                }
                const lvm::Pv *pv = pv_of_device(**snapshot, device);
                if (!pv) {
                        log::error("Failed to find the physical volume on '" + device.devnode() +
                                   "' in the LVM report");
                        rc = 1;
                        continue;
                }
                const lvm::Vg *vg = (*snapshot)->find_vg(pv->vg);
                Result<uint64_t> bytes = context.device_bytes(device);
                if (!bytes) {
                        log::error(bytes.error().message);
                        rc = 1;
                        continue;
                }
                if (!pv_resize::needs_resize(*bytes, *pv, vg ? vg->extent_size : 0)) {
                        log::info("Physical volume " + pv->name + " already uses all of " + device.devnode());
                        continue;
                }
                std::string name = pv->name; // the snapshot goes away with lvm_changed()
                if (Result<void> r = run_lvm_change(context, lvm::pvresize(name)); !r) {
                        log::error(r.error().message);
                        rc = 1;
                        continue;
                }
                context.plan_pv_resize(name, *bytes);
        }
        return rc;
}

} // namespace steps

} // namespace css
