// SPDX-License-Identifier: Apache-2.0
#include "engine/kernel_probes.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

using namespace css;

namespace {

std::string make_temp_dir()
{
        std::string t = (std::filesystem::temp_directory_path() / "css-probe.XXXXXX").string();
        return mkdtemp(t.data());
}

bool mounts_contain(const std::string &needle)
{
        std::ifstream in("/proc/self/mountinfo");
        std::string line;
        while (std::getline(in, line))
                if (line.find(needle) != std::string::npos)
                        return true;
        return false;
}

bool can_unshare_mounts()
{
        return geteuid() == 0;
}

} // namespace

TEST(KernelProbes, OverlayProbeLeavesNothingBehind)
{
        if (!can_unshare_mounts())
                GTEST_SKIP() << "needs root for a mount namespace";
        std::string base = make_temp_dir();
        std::string scratch = base + "/scratch";
        Result<void> r = probe_overlay_mount(scratch);
        // This host's kernel has overlayfs; the probe must say so, and clean up either way.
        EXPECT_TRUE(r.ok()) << r.error().message;
        EXPECT_FALSE(std::filesystem::exists(scratch));
        EXPECT_FALSE(mounts_contain(scratch));
        std::filesystem::remove_all(base);
}

TEST(KernelProbes, OverlayProbeReportsAFailure)
{
        if (!can_unshare_mounts())
                GTEST_SKIP() << "needs root for a mount namespace";
        // A scratch directory under a regular file cannot be created: a clear error, no crash.
        std::string base = make_temp_dir();
        std::ofstream(base + "/file") << "x";
        Result<void> r = probe_overlay_mount(base + "/file/scratch");
        ASSERT_FALSE(r.ok());
        EXPECT_NE(r.error().message.find("Failed to create directory"), std::string::npos);
        std::filesystem::remove_all(base);
}

TEST(KernelProbes, DeferredDeletionOnAModernKernel)
{
        if (!can_unshare_mounts())
                GTEST_SKIP() << "needs root for a mount namespace";
        std::string base = make_temp_dir();
        EXPECT_TRUE(deferred_deletion_supported(base));
        EXPECT_TRUE(std::filesystem::is_empty(base));
        std::filesystem::remove_all(base);
}
