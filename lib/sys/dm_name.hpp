// SPDX-License-Identifier: Apache-2.0
#pragma once

// LVM's device-mapper names: "<vg>-<lv>[-<layer>]" with every '-' inside a part doubled,
// e.g. VG "docker-vg", LV "docker-pool" -> "docker--vg-docker--pool" (what docker is given
// as dm.thinpooldev=/dev/mapper/...). split_lvm_dm_name() is `dmsetup splitname`.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace css::dm {

std::string escape_name_part(std::string_view part);
std::string lvm_dm_name(std::string_view vg, std::string_view lv, std::string_view layer = {});

struct SplitName {
        std::string vg;
        std::string lv;
        std::string layer; // "" for a top-level LV; "tpool", "tdata", "tmeta" for pool internals
        bool operator==(const SplitName &) const = default;
};

// Errors on names that are not LVM's (no single '-', or an empty part).
Result<SplitName> split_lvm_dm_name(std::string_view dm_name);

} // namespace css::dm
