// SPDX-License-Identifier: Apache-2.0
#pragma once

// A file of the source tree (test data), read whole. CSS_TEST_SOURCE_DIR is set in
// tests/unit/meson.build.

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

#ifndef CSS_TEST_SOURCE_DIR
#error "CSS_TEST_SOURCE_DIR must name the source tree (set in tests/unit/meson.build)"
#endif

namespace css::test {

inline std::string read_source(const std::string &relative)
{
        std::ifstream in(std::string(CSS_TEST_SOURCE_DIR) + "/" + relative, std::ios::binary);
        EXPECT_TRUE(in.good()) << relative;
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
}

} // namespace css::test
