// SPDX-License-Identifier: Apache-2.0
#pragma once

// Fixtures shared by the LVM decision tests.

#include "config/size.hpp"
#include "lvm/report.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace css::test {

inline constexpr uint64_t MiB = uint64_t{1} << 20;
inline constexpr uint64_t GiB = uint64_t{1} << 30;

// A VG of that size and free space with LVM's default 4 MiB extents (the lab's VG).
inline lvm::Vg vg_of(std::string name, uint64_t size, uint64_t free)
{
        lvm::Vg vg;
        vg.name = std::move(name);
        vg.size = size;
        vg.free = free;
        vg.extent_size = 4 * MiB;
        vg.extent_count = size / vg.extent_size;
        vg.free_count = free / vg.extent_size;
        return vg;
}

// A size as the config would hold it (the extend grammar covers every size lvm is given).
inline Size size_of(std::string_view text)
{
        Size size;
        EXPECT_EQ(parse_extend_size(text, size), SizeStatus::ok) << text;
        return size;
}

} // namespace css::test
