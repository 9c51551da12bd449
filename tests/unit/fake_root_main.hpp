// SPDX-License-Identifier: Apache-2.0
#pragma once

// The main() of a test binary that runs against a fake machine under CSS_ROOT. CSS_ROOT is read
// once per process, so the root is made (and filled by `build`) and CSS_ROOT set before any
// test, and so any library code, runs. The root is removed afterwards.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <string_view>

namespace css::test {

inline int run_tests_on_fake_root(int argc, char **argv, std::string_view name, std::string &root,
                                  const std::function<void(const std::string &)> &build = {})
{
        namespace fs = std::filesystem;
        std::string t = (fs::temp_directory_path() / (std::string(name) + ".XXXXXX")).string();
        if (!::mkdtemp(t.data())) {
                std::perror("mkdtemp");
                return 1;
        }
        root = t;
        if (build)
                build(root);
        ::setenv("CSS_ROOT", root.c_str(), 1);
        ::testing::InitGoogleTest(&argc, argv);
        int rc = RUN_ALL_TESTS();
        fs::remove_all(root);
        return rc;
}

} // namespace css::test
