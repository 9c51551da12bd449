// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a dry run's printed growth would have done. `plan` cannot grow a partition, resize a PV
// or extend an LV, yet the steps after it decide from those sizes: css-pvresize from the
// partition's, css-thinpool and css-create-lv (GROW_DEVS) from the VG's, css-growfs from the
// LV's. So each printed growth is remembered here, and the StepContext lays it over every
// later probe of the same run: device_bytes() for sysfs, apply() for the LVM snapshot. The
// plan then shows the whole chain a real boot would run, as it would run it.

#include "lvm/report.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace css::steps {

struct PlannedGrowth {
        struct Device {
                dev_t devnum = 0;
                uint64_t bytes = 0;
        };
        struct PvResize {
                std::string pv; // LVM's name of the PV
                uint64_t device_bytes = 0;
        };
        struct LvExtension {
                std::string vg, lv;
                uint64_t bytes = 0;
                std::vector<std::string> pvs; // lvextend's PVs: the stripes, or "" for any of the VG's
        };
        std::vector<Device> devices;
        std::vector<PvResize> pv_resizes;
        std::vector<LvExtension> lv_extensions;

        void grow_device(dev_t devnum, uint64_t bytes);
        std::optional<uint64_t> device_bytes(dev_t devnum) const;

        // The snapshot as it would be after the printed pvresizes, then the printed lvextends:
        // a PV gains whole extents of its grown device (past pe_start), its VG the same; an LV
        // takes what it grows by from its VG's free space, split evenly over its stripes' PVs
        // or, for a linear LV, from the VG's PVs in turn.
        void apply(lvm::Snapshot &snapshot) const;
};

} // namespace css::steps
