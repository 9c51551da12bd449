// SPDX-License-Identifier: Apache-2.0
#pragma once

// Everything a helper needs to know about LVM, from ONE exec:
//   lvm fullreport --reportformat json --units b --nosuffix --configreport vg -o ... (see
//   report_argv()), parsed into a typed Snapshot. Sizes are bytes. fullreport puts each VG in
//   its own report object, and PVs that belong to no VG in a last object with only "pv".
// Field names are lvm2's (lib/report/columns.h); lv_profile is the metadata profile attached
// with `lvchange --metadataprofile`.

#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace css::lvm {

struct Vg {
        std::string name;
        std::string uuid;
        std::string attr;
        uint64_t size = 0;
        uint64_t free = 0;
        uint64_t extent_size = 0;
        uint64_t extent_count = 0;
        uint64_t free_count = 0;
        unsigned pv_count = 0;
        unsigned lv_count = 0;
        std::string profile;
};

struct Pv {
        std::string name; // the device path LVM uses, e.g. /dev/vdb1
        std::string vg;   // "" for an orphan PV
        std::string uuid;
        uint64_t size = 0;
        uint64_t free = 0;
        uint64_t dev_size = 0;
        std::optional<uint64_t> pe_start; // where the first extent starts (css-pvresize)
        std::optional<unsigned> major;
        std::optional<unsigned> minor;
};

struct Lv {
        std::string vg;
        std::string name;
        std::string uuid;
        std::string attr; // lv_attr, e.g. "twi-aotz--"
        uint64_t size = 0;
        std::optional<uint64_t> metadata_size; // thin pools
        std::string pool_lv;                   // thin volumes: their pool
        std::string data_lv, metadata_lv;      // thin pools: "[pool_tdata]", "[pool_tmeta]"
        bool active = false;
        std::optional<unsigned> kernel_major; // when active
        std::optional<unsigned> kernel_minor;
        std::string path;              // /dev/VG/LV, "" for pools
        std::string dm_path;           // /dev/mapper/<escaped>
        std::string profile;           // attached metadata profile, "" for none
        std::string layout;            // "linear", "thin,pool", ...
        std::string role;              // "public", "private", ...
        std::vector<std::string> tags; // lv_tags (lvchange --addtag), comma-separated in the report

        // The original's test: a thin pool's lv_attr starts with 't'.
        bool is_thin_pool() const { return !attr.empty() && attr[0] == 't'; }
};

struct Snapshot {
        std::vector<Vg> vgs;
        std::vector<Pv> pvs;
        std::vector<Lv> lvs;

        const Vg *find_vg(std::string_view name) const;
        const Lv *find_lv(std::string_view vg, std::string_view name) const;
        const Pv *find_pv(std::string_view name) const;
        // The same, to change what was found (a dry run's planned growth, steps/planned_growth).
        Vg *find_vg(std::string_view name) { return const_cast<Vg *>(std::as_const(*this).find_vg(name)); }
        Lv *find_lv(std::string_view vg, std::string_view name)
        {
                return const_cast<Lv *>(std::as_const(*this).find_lv(vg, name));
        }
        Pv *find_pv(std::string_view name) { return const_cast<Pv *>(std::as_const(*this).find_pv(name)); }
        const Pv *find_pv(unsigned major, unsigned minor) const;
        std::vector<const Pv *> pvs_of_vg(std::string_view vg) const;
        // The VG of a PV: nullopt if `pv` is not a PV, "" if it is an orphan.
        std::optional<std::string> vg_of_pv(std::string_view pv) const;
        // A thin pool of that name in that VG (find_lv + is_thin_pool).
        const Lv *find_thin_pool(std::string_view vg, std::string_view name) const;
};

// The query, for the process runner (and for tests and docs).
std::vector<std::string> report_argv();

Result<Snapshot> parse_report(std::string_view json);

// Runs report_argv() (a read-only probe: it also runs in dry-run mode) and parses it.
Result<Snapshot> query();

} // namespace css::lvm
