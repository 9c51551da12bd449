// SPDX-License-Identifier: Apache-2.0
#pragma once

// Tests against a fake machine under CSS_ROOT (core/paths.hpp), in the one unit-test binary: a
// suite's SetUpTestSuite() makes its root (filled by `build`) and points CSS_ROOT at it, and
// TearDownTestSuite() removes both, so the other suites run on the real root. paths::root()
// reads CSS_ROOT at each call.

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <string_view>

namespace css::test {

inline std::string make_fake_root(std::string_view name, const std::function<void(const std::string &)> &build = {})
{
        namespace fs = std::filesystem;
        std::string root = (fs::temp_directory_path() / (std::string(name) + ".XXXXXX")).string();
        if (!::mkdtemp(root.data())) {
                ADD_FAILURE() << "mkdtemp " << root << " failed";
                return {};
        }
        if (build)
                build(root);
        ::setenv("CSS_ROOT", root.c_str(), 1);
        return root;
}

inline void remove_fake_root(std::string &root)
{
        ::unsetenv("CSS_ROOT");
        if (!root.empty())
                std::filesystem::remove_all(root);
        root.clear();
}

} // namespace css::test
