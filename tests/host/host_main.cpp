// SPDX-License-Identifier: Apache-2.0
//
// main() of the loop-device tests. They need root, loop devices with partition scanning and
// the standard tools that set up and verify (losetup, sfdisk); without them the whole
// binary reports "skipped" (exit 77), which meson shows as SKIP rather than a pass.

#include "host_util.hpp"

#include <cstdio>
#include <gtest/gtest.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        const char *missing = nullptr;
        if (::geteuid() != 0)
                missing = "root";
        else if (::access("/dev/loop-control", F_OK) != 0)
                missing = "/dev/loop-control";
        else if (!css::host_test::have_tool("losetup"))
                missing = "losetup";
        else if (!css::host_test::have_tool("sfdisk"))
                missing = "sfdisk";
        if (missing) {
                std::printf("SKIP: the loop-device tests need %s\n", missing);
                return 77;
        }
        ::testing::InitGoogleTest(&argc, argv);
        return RUN_ALL_TESTS();
}
