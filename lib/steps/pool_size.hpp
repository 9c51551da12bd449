// SPDX-License-Identifier: Apache-2.0
#pragma once

// The sizes of a new thin pool (upstream-reference §2.6): DATA_SIZE with the MIN_DATA_SIZE rule
// and the metadata size, as pure functions over the config and one VG of the LVM report.

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/commands.hpp"
#include "lvm/report.hpp"
#include "steps/stripes.hpp"

#include <cstdint>
#include <string>

namespace css::steps {

// The bytes a size stands for in this VG: N%FREE of vg_free, N%VG of vg_size (the original's
// percent * bytes / 100, rounded down), or the absolute value. Saturates instead of wrapping.
uint64_t size_in_bytes(const Size &size, const lvm::Vg &vg);

// POOL_META_SIZE as written, else 0.1% of the whole VG: vg_size in 512-byte sectors
// / 1000 + 1, with an "s" suffix (the original's comment says "free space", its code uses
// the VG size; we keep the code's behaviour).
std::string pool_metadata_size(const Config &config, const lvm::Vg &vg);

struct DataSizeDecision {
        Size size;        // what lvcreate is given
        std::string info; // the original's INFO line when DATA_SIZE was raised, else ""
};

// DATA_SIZE with the MIN_DATA_SIZE rule. Errors, word for word from the original:
//   "DATA_SIZE not specified."
//   "There is not enough free space in volume group VG to create data volume of size
//    MIN_DATA_SIZE=X."
// When DATA_SIZE works out smaller than MIN_DATA_SIZE it becomes MIN_DATA_SIZE and `info` says
// "DATA_SIZE=A is smaller than MIN_DATA_SIZE=B. Will create data volume of size specified by
// MIN_DATA_SIZE."
// A striped pool (`stripes`, ours) must fit its stripes instead: MIN_DATA_SIZE is checked against
// what the stripes hold ("There is not enough free space on the DEVS disks ..."), and so is
// the final DATA_SIZE (steps/stripes.hpp).
Result<DataSizeDecision> decide_data_size(const Config &config, const lvm::Vg &vg, const Stripes *stripes = nullptr);

// The whole lvcreate for the pool; the autoextend profile is attached at creation when
// AUTO_EXTEND_POOL is on.
lvm::ThinPoolSpec thin_pool_spec(const Config &config, const lvm::Vg &vg, const DataSizeDecision &data,
                                 const Stripes *stripes = nullptr);

} // namespace css::steps
