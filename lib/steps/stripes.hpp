// SPDX-License-Identifier: Apache-2.0
#pragma once

// The stripes of a new thin pool or container LV (STRIPES, STRIPE_SIZE; ours): LVM striped
// segments across the PVs css-prepare-disk made on the DEVS disks, one stripe per disk for
// STRIPES=auto. The PVs are named on lvcreate's command line, so that the stripes go on DEVS
// disks only, never on another PV of the VG (the root's, when VG is unset). Existing LVs are
// left as they are: striping applies when an LV is created.

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/commands.hpp"
#include "lvm/report.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::steps {

// The stripe count the config asks for; 0 when nothing is striped (STRIPES unset or 1, or
// auto with one DEVS disk).
unsigned stripe_count(const Config &config);

// The DEVS disks' PVs as LVM names them: each disk's first partition, css-vg's rule. A disk
// without a partition or a PV on it is left out (plan_stripes then counts too few). Empty when
// stripe_count() is 0. Reads sysfs.
Result<std::vector<std::string>> devs_pvs(const Config &config, const lvm::Snapshot &snapshot);

struct Stripes {
        lvm::Striping striping;
        uint64_t capacity = 0; // the largest striped LV those PVs hold now, in bytes
};

// Pure: the stripes over `pvs` (from devs_pvs) in VG `vg`. nullopt when nothing is striped.
// Fails when fewer than the stripe count of them are PVs of the VG.
Result<std::optional<Stripes>> plan_stripes(const Config &config, const lvm::Snapshot &snapshot, std::string_view vg,
                                            const std::vector<std::string> &pvs);

// A size that does not fit the stripes: "DATA_SIZE=40%FREE is 12 GiB, more than ..." (what
// is the key and its text). Empty when it fits.
std::string stripes_too_small(const Stripes &stripes, std::string_view what, uint64_t bytes);

} // namespace css::steps
