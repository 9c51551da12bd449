// SPDX-License-Identifier: Apache-2.0
// LVM name rules, mount path normalisation and DEVS entries.

#include "config/names.hpp"

#include <gtest/gtest.h>

namespace css {
namespace {

TEST(ConfigNames, VgNames)
{
        for (const char *ok : {"vg", "docker-vg", "a+b_c.d-e", "x", "..."})
                EXPECT_EQ(check_vg_name(ok), "") << ok;
        EXPECT_NE(check_vg_name(""), "");
        EXPECT_NE(check_vg_name("."), "");
        EXPECT_NE(check_vg_name(".."), "");
        EXPECT_NE(check_vg_name("-vg"), "");
        EXPECT_NE(check_vg_name("a/b"), "");
        EXPECT_NE(check_vg_name("caf\xc3\xa9"), "");
        EXPECT_EQ(check_vg_name(std::string(127, 'a')), "");
        EXPECT_NE(check_vg_name(std::string(128, 'a')), "");
        EXPECT_EQ(check_vg_name("snapshot"), ""); // reserved for LVs only
}

TEST(ConfigNames, LvNames)
{
        EXPECT_EQ(check_lv_name("docker-pool"), "");
        EXPECT_EQ(check_lv_name("my_tdat"), "");
        for (const char *bad : {"snapshot", "snapshot0", "pvmove", "pvmove1", "x_tdata", "x_tmeta", "a_cdata_b",
                                "x_rimage_1", "x_vorigin", "x_wcorig", "x_pmspare", "x_mlog", ".", "-a"})
                EXPECT_NE(check_lv_name(bad), "") << bad;
}

TEST(ConfigNames, MountPaths)
{
        std::string out;
        EXPECT_EQ(normalise_mount_path("/var/lib/docker", out), "");
        EXPECT_EQ(out, "/var/lib/docker");
        EXPECT_EQ(normalise_mount_path("//var//lib/./docker/", out), "");
        EXPECT_EQ(out, "/var/lib/docker");
        EXPECT_EQ(normalise_mount_path("/a b", out), "");
        EXPECT_EQ(out, "/a b");
        EXPECT_EQ(normalise_mount_path("var/lib", out), "the path must be absolute");
        EXPECT_EQ(normalise_mount_path("", out), "the path must be absolute");
        EXPECT_EQ(normalise_mount_path("/var/../etc", out), "'..' components are not allowed");
        EXPECT_EQ(normalise_mount_path("/..", out), "'..' components are not allowed");
        EXPECT_EQ(normalise_mount_path("/var/..x", out), "");
        EXPECT_EQ(normalise_mount_path("/./", out), "'/' cannot be a mount point for a container volume");
        EXPECT_EQ(normalise_mount_path("/a\nb", out), "control characters are not allowed");
}

TEST(ConfigNames, DevEntries)
{
        EXPECT_EQ(check_dev_entry("/dev/sdb"), "");
        EXPECT_EQ(check_dev_entry("/dev/disk/by-id/nvme-eui.1"), "");
        EXPECT_EQ(check_dev_entry("sdb"), "");
        EXPECT_EQ(check_dev_entry("nvme0n1"), "");
        EXPECT_NE(check_dev_entry("dev/sdb"), "");
        EXPECT_NE(check_dev_entry("/"), "");
        EXPECT_NE(check_dev_entry("."), "");
        EXPECT_NE(check_dev_entry(".."), "");
        EXPECT_NE(check_dev_entry("sd\x01"), "");
}

} // namespace
} // namespace css
