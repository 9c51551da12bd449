// SPDX-License-Identifier: Apache-2.0
#pragma once

// The thin-pool decisions of the original (upstream-reference §2.6), as pure functions over
// the config and one VG from the report snapshot.

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/commands.hpp"
#include "lvm/report.hpp"

#include <string>
#include <string_view>

namespace css::lvm
{

// The bytes a size stands for in this VG: N%FREE of vg_free, N%VG of vg_size (the original's
// percent * bytes / 100, rounded down), or the absolute value. Saturates instead of wrapping.
uint64_t size_in_bytes(const Size &size, const Vg &vg);

// POOL_META_SIZE as written, else 0.1% of the whole VG: vg_size in 512-byte sectors
// / 1000 + 1, with an "s" suffix (the original's comment says "free space", its code uses
// the VG size; we keep the code's behaviour).
std::string pool_metadata_size(const Config &config, const Vg &vg);

struct DataSizeDecision {
        Size size;        // what to pass to lvcreate (-l for percentages, -L otherwise)
        std::string info; // the original's INFO line when DATA_SIZE was raised, else ""
};

// DATA_SIZE with the MIN_DATA_SIZE rule. Errors, word for word from the original:
//   "DATA_SIZE not specified."
//   "There is not enough free space in volume group VG to create data volume of size
//    MIN_DATA_SIZE=X."
// When DATA_SIZE works out smaller than MIN_DATA_SIZE it becomes MIN_DATA_SIZE and `info` says
// "DATA_SIZE=A is smaller than MIN_DATA_SIZE=B. Will create data volume of size specified by
// MIN_DATA_SIZE."
Result<DataSizeDecision> decide_data_size(const Config &config, const Vg &vg);

// The whole lvcreate for the pool; the autoextend profile is attached at creation when
// AUTO_EXTEND_POOL is on.
ThinPoolSpec thin_pool_spec(const Config &config, const Vg &vg, const DataSizeDecision &data);

// CONTAINER_ROOT_LV_NAME: `lvcreate -y -l|-L SIZE -n NAME VG`. Run after the pool, so a
// N%FREE size is N% of what the pool left free, as in the original (10G free, 40% pool: 4G;
// then 40% of the remaining 6G: 2.4G).
Argv container_root_lv_argv(const Config &config, std::string_view vg);

// The autoextend profile, as the original wrote it: "<VG>--<pool>-extend" (a literal "--",
// not dm escaping), in <profile dir>/<name>.profile.
std::string autoextend_profile_name(std::string_view vg, std::string_view pool);
std::string autoextend_profile_file_name(std::string_view vg, std::string_view pool);
std::string autoextend_profile_contents(unsigned threshold, unsigned percent);

// lvm's compiled-in default; `lvmconfig --typeconfig full config/profile_dir` tells the real one.
inline constexpr std::string_view default_profile_dir = "/etc/lvm/profile";
Argv profile_dir_argv();
// Parses `profile_dir="/etc/lvm/profile"` as lvmconfig prints it.
Result<std::string> parse_profile_dir(std::string_view lvmconfig_output);

} // namespace css::lvm
