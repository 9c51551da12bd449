// SPDX-License-Identifier: Apache-2.0
// argv builders against the original's exact commands (upstream-reference §2), and the
// autoextend profile.

#include "lvm/commands.hpp"
#include "lvm/profile.hpp"
#include "lvm_test_util.hpp"

#include <gtest/gtest.h>

using namespace css;
using lvm::Argv;
using namespace css::test;

TEST(LvmCommands, DiskAndVgCommands)
{
        EXPECT_EQ(lvm::pvcreate("/dev/vdb1"), (Argv{"pvcreate", "/dev/vdb1"}));
        EXPECT_EQ(lvm::vgcreate("docker-vg", {"/dev/vdb1", "/dev/vdc1"}),
                  (Argv{"vgcreate", "docker-vg", "/dev/vdb1", "/dev/vdc1"}));
        EXPECT_EQ(lvm::vgextend("atomicos", {"/dev/vdb1"}), (Argv{"vgextend", "atomicos", "/dev/vdb1"}));
        EXPECT_EQ(lvm::pvresize("/dev/vda2"), (Argv{"pvresize", "/dev/vda2"}));
}

TEST(LvmCommands, ExtendRoot)
{
        // `lvextend -r -L $ROOT_SIZE $_ROOT_DEV`, -l since 0.8.0 when the size holds '%'.
        EXPECT_EQ(lvm::lvextend_root("/dev/mapper/atomicos-root", size_of("8G")),
                  (Argv{"lvextend", "-r", "-L", "8G", "/dev/mapper/atomicos-root"}));
        EXPECT_EQ(lvm::lvextend_root("/dev/mapper/atomicos-root", size_of("+5G")),
                  (Argv{"lvextend", "-r", "-L", "+5G", "/dev/mapper/atomicos-root"}));
        EXPECT_EQ(lvm::lvextend_root("/dev/mapper/atomicos-root", size_of("80%FREE")),
                  (Argv{"lvextend", "-r", "-l", "80%FREE", "/dev/mapper/atomicos-root"}));
}

TEST(LvmCommands, ThinPoolAsTheOriginal)
{
        // lvcreate -y --type thin-pool --zero n -c 512K --poolmetadatasize ${META}s -l 40%FREE -n docker-pool
        // VG
        lvm::ThinPoolSpec spec{"docker-vg", "docker-pool", size_of("40%FREE"), "3130s", "512K", ""};
        EXPECT_EQ(lvm::lvcreate_thin_pool(spec),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "-c", "512K", "--poolmetadatasize",
                        "3130s", "-l", "40%FREE", "-n", "docker-pool", "docker-vg"}));
        spec.chunk_size = "";
        spec.data_size = size_of("2G");
        EXPECT_EQ(lvm::lvcreate_thin_pool(spec),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "--poolmetadatasize", "3130s", "-L",
                        "2G", "-n", "docker-pool", "docker-vg"}));
}

TEST(LvmCommands, ThinPoolWithProfileAttachedAtCreation)
{
        lvm::ThinPoolSpec spec{"docker-vg", "docker-pool", size_of("40%FREE"),
                               "3130s",     "512K",        "docker-vg--docker-pool-extend"};
        EXPECT_EQ(lvm::lvcreate_thin_pool(spec),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "-c", "512K", "--poolmetadatasize",
                        "3130s", "-l", "40%FREE", "--metadataprofile", "docker-vg--docker-pool-extend", "-n",
                        "docker-pool", "docker-vg"}));
}

TEST(LvmCommands, StripedPoolAndLvNameTheirStripesAndPvs)
{
        lvm::ThinPoolSpec spec{"docker-vg", "docker-pool", size_of("40%FREE"), "3130s", "512K", ""};
        spec.striping = {3, "64K", {"/dev/vdb1", "/dev/vdc1", "/dev/vdd1"}};
        EXPECT_EQ(lvm::lvcreate_thin_pool(spec), (Argv{"lvcreate",  "-y",        "--type",
                                                       "thin-pool", "--zero",    "n",
                                                       "-c",        "512K",      "--poolmetadatasize",
                                                       "3130s",     "-l",        "40%FREE",
                                                       "--stripes", "3",         "--stripesize",
                                                       "64K",       "-n",        "docker-pool",
                                                       "docker-vg", "/dev/vdb1", "/dev/vdc1",
                                                       "/dev/vdd1"}));
        EXPECT_EQ(
                lvm::lvcreate_lv("docker-vg", "container-root-lv", size_of("10G"), {2, "", {"/dev/vdb1", "/dev/vdc1"}}),
                (Argv{"lvcreate", "-y", "-L", "10G", "--stripes", "2", "-n", "container-root-lv", "docker-vg",
                      "/dev/vdb1", "/dev/vdc1"}));
        // No stripes: the PVs are not named either (the original's lvcreate).
        EXPECT_EQ(lvm::lvcreate_lv("docker-vg", "container-root-lv", size_of("10G"), {0, "", {"/dev/vdb1"}}),
                  (Argv{"lvcreate", "-y", "-L", "10G", "-n", "container-root-lv", "docker-vg"}));
}

TEST(LvmCommands, LinearLvProfilesAndReset)
{
        EXPECT_EQ(lvm::lvcreate_lv("docker-vg", "container-root-lv", size_of("40%FREE")),
                  (Argv{"lvcreate", "-y", "-l", "40%FREE", "-n", "container-root-lv", "docker-vg"}));
        EXPECT_EQ(lvm::lvcreate_lv("docker-vg", "docker-root-lv", size_of("10G")),
                  (Argv{"lvcreate", "-y", "-L", "10G", "-n", "docker-root-lv", "docker-vg"}));
        EXPECT_EQ(lvm::lvchange_metadataprofile("docker-vg", "docker-pool", "docker-vg--docker-pool-extend"),
                  (Argv{"lvchange", "--metadataprofile", "docker-vg--docker-pool-extend", "docker-vg/docker-pool"}));
        EXPECT_EQ(lvm::lvchange_detachprofile("docker-vg", "docker-pool"),
                  (Argv{"lvchange", "--detachprofile", "docker-vg/docker-pool"}));
        EXPECT_EQ(lvm::lvchange_activate("docker-vg", "docker-root-lv"),
                  (Argv{"lvchange", "-ay", "docker-vg/docker-root-lv"}));
        EXPECT_EQ(lvm::lvchange_deactivate("docker-vg", "docker-pool"),
                  (Argv{"lvchange", "-an", "docker-vg/docker-pool"}));
        EXPECT_EQ(lvm::lvremove("docker-vg", "docker-pool"), (Argv{"lvremove", "docker-vg/docker-pool"}));
}

TEST(LvmCommands, CommandsCarryLvmEnvironmentDryRunFlagAndTimeout)
{
        process::Command change = lvm::make_command(lvm::pvresize("/dev/vda2"), true);
        EXPECT_TRUE(change.mutating);
        EXPECT_EQ(change.stdout_mode, process::Stdout::pass_through);
        EXPECT_EQ(change.extra_env, std::vector<std::string>{"LVM_SUPPRESS_FD_WARNINGS=1"});
        process::Command probe = lvm::make_command({"lvm", "fullreport"}, false);
        EXPECT_FALSE(probe.mutating);
        EXPECT_EQ(probe.stdout_mode, process::Stdout::capture);
        // A change may take as long as lvcreate on a large disk; a report should answer at once.
        EXPECT_EQ(change.timeout, process::default_timeout);
        EXPECT_EQ(probe.timeout, process::query_timeout);
}

TEST(AutoextendProfile, NameFileAndContents)
{
        EXPECT_EQ(lvm::autoextend_profile_name("docker-vg", "docker-pool"), "docker-vg--docker-pool-extend");
        EXPECT_EQ(lvm::autoextend_profile_file_name("atomicos", "docker-pool"), "atomicos--docker-pool-extend.profile");
        EXPECT_EQ(lvm::autoextend_profile_contents(60, 20),
                  "activation "
                  "{\n\tthin_pool_autoextend_threshold=60\n\tthin_pool_autoextend_percent=20\n\n}\n");
}

TEST(AutoextendProfile, ProfileDirFromLvmconfig)
{
        EXPECT_EQ(lvm::profile_dir_argv(), (Argv{"lvmconfig", "--typeconfig", "full", "config/profile_dir"}));
        // lvmconfig 2.03.16's output, as printed on this machine.
        EXPECT_EQ(*lvm::parse_profile_dir("profile_dir=\"/etc/lvm/profile\"\n"), "/etc/lvm/profile");
        EXPECT_EQ(*lvm::parse_profile_dir("profile_dir=\"/tmp/x y\"\n"), "/tmp/x y");
        EXPECT_FALSE(lvm::parse_profile_dir(""));
        EXPECT_FALSE(lvm::parse_profile_dir("profile_dir=\"\"\n"));
        EXPECT_FALSE(lvm::parse_profile_dir("profile_dir=\"relative\"\n"));
        EXPECT_EQ(lvm::default_profile_dir, "/etc/lvm/profile");
}
