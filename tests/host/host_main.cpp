// SPDX-License-Identifier: Apache-2.0
//
// main() of the loop-device tests. They need root, loop devices with partition scanning and
// the standard tools that set up and verify (losetup, sfdisk); without them the whole
// binary reports "skipped" (exit 77), which meson shows as SKIP rather than a pass.

#include "host_util.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <gtest/gtest.h>
#include <unistd.h>

namespace {

// Each test starts with no state: the loop devices of earlier tests had the same names, and
// their recorded identities (other backing files) would refuse this test's disks.
class FreshStateDir : public ::testing::EmptyTestEventListener {
public:
        explicit FreshStateDir(std::string dir) : dir_(std::move(dir)) {}
        void OnTestStart(const ::testing::TestInfo &) override
        {
                std::filesystem::remove_all(dir_);
                std::filesystem::create_directories(dir_);
        }

private:
        std::string dir_;
};

} // namespace

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
        // css-prepare-disk records each disk it prepares (steps/devs_identity.hpp): in a directory
        // of this run's, not in the machine's /var/lib/container-storage-setup.
        char state[] = "/tmp/css-host-tests-state.XXXXXX";
        if (!::mkdtemp(state)) {
                std::perror("mkdtemp");
                return 1;
        }
        ::setenv("CSS_STATE_DIR", state, 1);
        ::testing::InitGoogleTest(&argc, argv);
        ::testing::UnitTest::GetInstance()->listeners().Append(new FreshStateDir(state));
        int status = RUN_ALL_TESTS();
        std::filesystem::remove_all(state);
        return status;
}
