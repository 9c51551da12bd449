// SPDX-License-Identifier: Apache-2.0
// The precompiled header of the GoogleTest executables (meson's cpp_pch): GoogleTest and the
// standard headers most tests include, parsed once per target instead of once per file. What
// it saves is in README.md ("CI time"). No include guard: the compiler reads it once, first.
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>
#include <string>
#include <vector>
