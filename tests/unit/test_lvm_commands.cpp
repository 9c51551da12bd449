// SPDX-License-Identifier: Apache-2.0
// argv builders against the original's exact commands (upstream-reference §2), and the
// thin-pool decisions.

#include "lvm/commands.hpp"
#include "lvm/thinpool.hpp"
#include "lvm_test_util.hpp"

#include <gtest/gtest.h>

using namespace css;
using lvm::Argv;
using namespace css::test;

namespace
{

Size absolute(uint64_t bytes, std::string text)
{
        return Size{Size::Kind::absolute, bytes, 0, std::move(text)};
}
Size pct_free(uint64_t p)
{
        return Size{Size::Kind::percent_free, 0, p, std::to_string(p) + "%FREE"};
}
Size pct_vg(uint64_t p)
{
        return Size{Size::Kind::percent_vg, 0, p, std::to_string(p) + "%VG"};
}


} // namespace

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
        EXPECT_EQ(lvm::lvextend_root("/dev/mapper/atomicos-root", "8G"),
                  (Argv{"lvextend", "-r", "-L", "8G", "/dev/mapper/atomicos-root"}));
        EXPECT_EQ(lvm::lvextend_root("/dev/mapper/atomicos-root", "+5G"),
                  (Argv{"lvextend", "-r", "-L", "+5G", "/dev/mapper/atomicos-root"}));
        EXPECT_EQ(lvm::lvextend_root("/dev/mapper/atomicos-root", "80%FREE"),
                  (Argv{"lvextend", "-r", "-l", "80%FREE", "/dev/mapper/atomicos-root"}));
}

TEST(LvmCommands, ThinPoolAsTheOriginal)
{
        // lvcreate -y --type thin-pool --zero n -c 512K --poolmetadatasize ${META}s -l 40%FREE -n docker-pool
        // VG
        lvm::ThinPoolSpec spec{"docker-vg", "docker-pool", "40%FREE", "3130s", "512K", ""};
        EXPECT_EQ(lvm::lvcreate_thin_pool(spec),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "-c", "512K",
                        "--poolmetadatasize", "3130s", "-l", "40%FREE", "-n", "docker-pool", "docker-vg"}));
        spec.chunk_size = "";
        spec.data_size = "2G";
        EXPECT_EQ(lvm::lvcreate_thin_pool(spec),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "--poolmetadatasize", "3130s",
                        "-L", "2G", "-n", "docker-pool", "docker-vg"}));
}

TEST(LvmCommands, ThinPoolWithProfileAttachedAtCreation)
{
        lvm::ThinPoolSpec spec{"docker-vg", "docker-pool", "40%FREE",
                               "3130s",     "512K",        "docker-vg--docker-pool-extend"};
        EXPECT_EQ(lvm::lvcreate_thin_pool(spec),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "-c", "512K",
                        "--poolmetadatasize", "3130s", "-l", "40%FREE", "--metadataprofile",
                        "docker-vg--docker-pool-extend", "-n", "docker-pool", "docker-vg"}));
}

TEST(LvmCommands, LinearLvProfilesAndReset)
{
        EXPECT_EQ(lvm::lvcreate_linear("docker-vg", "container-root-lv", "40%FREE"),
                  (Argv{"lvcreate", "-y", "-l", "40%FREE", "-n", "container-root-lv", "docker-vg"}));
        EXPECT_EQ(lvm::lvcreate_linear("docker-vg", "docker-root-lv", "10G"),
                  (Argv{"lvcreate", "-y", "-L", "10G", "-n", "docker-root-lv", "docker-vg"}));
        EXPECT_EQ(lvm::lvchange_metadataprofile("docker-vg", "docker-pool", "docker-vg--docker-pool-extend"),
                  (Argv{"lvchange", "--metadataprofile", "docker-vg--docker-pool-extend",
                        "docker-vg/docker-pool"}));
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

TEST(ThinPoolDecisions, MetadataSizeIsATenthPercentOfTheVgInSectors)
{
        // The captured docker-vg: 1602224128 bytes = 3129344 sectors; / 1000 + 1 = 3130.
        Config c;
        lvm::Vg vg = vg_of("docker-vg", 1602224128, 650117120);
        EXPECT_EQ(lvm::pool_metadata_size(c, vg), "3130s");
        // Of the whole VG, not of the free space.
        vg.free = 0;
        EXPECT_EQ(lvm::pool_metadata_size(c, vg), "3130s");
        EXPECT_EQ(lvm::pool_metadata_size(c, vg_of("big", 100 * GiB, 100 * GiB)), "209716s");
        c.pool_meta_size = absolute(64 * MiB, "64M");
        EXPECT_EQ(lvm::pool_metadata_size(c, vg), "64M");
}

TEST(ThinPoolDecisions, SizeInBytes)
{
        lvm::Vg vg = vg_of("vg", 20 * GiB, 10 * GiB);
        EXPECT_EQ(lvm::size_in_bytes(pct_free(40), vg), 4 * GiB);
        EXPECT_EQ(lvm::size_in_bytes(pct_vg(40), vg), 8 * GiB);
        EXPECT_EQ(lvm::size_in_bytes(absolute(2 * GiB, "2G"), vg), 2 * GiB);
        EXPECT_EQ(lvm::size_in_bytes(pct_free(33), vg_of("vg", 100, 100)), 33u); // rounded down
        // No wrap-around on absurd percentages of huge VGs.
        lvm::Vg huge = vg_of("vg", UINT64_MAX, UINT64_MAX);
        EXPECT_EQ(lvm::size_in_bytes(pct_vg(1000), huge), UINT64_MAX);
}

TEST(ThinPoolDecisions, ContainerRootPercentIsOfWhatThePoolLeft)
{
        // The reference's example: 10G free, a 40%FREE pool takes 4G, then 40%FREE of the 6G
        // left is 2.4G. lvm evaluates %FREE when css-create-lv runs, after the pool exists.
        lvm::Vg before = vg_of("vg", 10 * GiB, 10 * GiB);
        uint64_t pool = lvm::size_in_bytes(pct_free(40), before);
        EXPECT_EQ(pool, 4 * GiB);
        lvm::Vg after = vg_of("vg", 10 * GiB, before.free - pool);
        EXPECT_EQ(lvm::size_in_bytes(pct_free(40), after), 6 * GiB * 40 / 100);
        Config c;
        c.container_root_lv_name = "container-root-lv";
        EXPECT_EQ(lvm::container_root_lv_argv(c, "vg"),
                  (Argv{"lvcreate", "-y", "-l", "40%FREE", "-n", "container-root-lv", "vg"}));
}

TEST(ThinPoolDecisions, DataSizeKeptWhenAboveMinimum)
{
        Config c; // DATA_SIZE=40%FREE, MIN_DATA_SIZE=2G
        Result<lvm::DataSizeDecision> d = lvm::decide_data_size(c, vg_of("vg", 20 * GiB, 10 * GiB));
        ASSERT_TRUE(d) << d.error().message;
        EXPECT_EQ(d->size.text, "40%FREE");
        EXPECT_EQ(d->info, "");
}

TEST(ThinPoolDecisions, DataSizeRaisedToMinimumWithTheOriginalsMessage)
{
        Config c;
        Result<lvm::DataSizeDecision> d =
                lvm::decide_data_size(c, vg_of("vg", 4 * GiB, 4 * GiB)); // 40% = 1.6G
        ASSERT_TRUE(d) << d.error().message;
        EXPECT_EQ(d->size.text, "2G");
        EXPECT_EQ(d->size.kind, Size::Kind::absolute);
        EXPECT_EQ(d->info,
                  "DATA_SIZE=40%FREE is smaller than MIN_DATA_SIZE=2G. Will create data volume of size "
                  "specified by MIN_DATA_SIZE.");
        // Exactly the minimum is enough.
        c.data_size = absolute(2 * GiB, "2048M");
        d = lvm::decide_data_size(c, vg_of("vg", 4 * GiB, 4 * GiB));
        ASSERT_TRUE(d);
        EXPECT_EQ(d->size.text, "2048M");
}

TEST(ThinPoolDecisions, NotEnoughFreeSpaceForTheMinimum)
{
        Config c;
        Result<lvm::DataSizeDecision> d = lvm::decide_data_size(c, vg_of("docker-vg", 20 * GiB, 2 * GiB - 1));
        ASSERT_FALSE(d);
        EXPECT_EQ(d.error().message,
                  "There is not enough free space in volume group docker-vg to create data "
                  "volume of size MIN_DATA_SIZE=2G.");
}

TEST(ThinPoolDecisions, NoMinimumAndNoDataSize)
{
        Config c;
        c.min_data_size.reset();
        Result<lvm::DataSizeDecision> d = lvm::decide_data_size(c, vg_of("vg", 1 * GiB, 0));
        ASSERT_TRUE(d);
        EXPECT_EQ(d->size.text, "40%FREE");
        c.data_size.reset();
        d = lvm::decide_data_size(c, vg_of("vg", 1 * GiB, 1 * GiB));
        ASSERT_FALSE(d);
        EXPECT_EQ(d.error().message, "DATA_SIZE not specified.");
}

TEST(ThinPoolDecisions, SpecFromConfig)
{
        Config c;
        lvm::Vg vg = vg_of("docker-vg", 1602224128, 650117120);
        lvm::DataSizeDecision data{pct_free(40), ""};
        EXPECT_EQ(lvm::lvcreate_thin_pool(lvm::thin_pool_spec(c, vg, data)),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "-c", "512K",
                        "--poolmetadatasize", "3130s", "-l", "40%FREE", "--metadataprofile",
                        "docker-vg--docker-pool-extend", "-n", "docker-pool", "docker-vg"}));
        c.auto_extend_pool = false;
        c.chunk_size.reset();
        EXPECT_EQ(lvm::lvcreate_thin_pool(lvm::thin_pool_spec(c, vg, data)),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "--poolmetadatasize", "3130s",
                        "-l", "40%FREE", "-n", "docker-pool", "docker-vg"}));
}

TEST(AutoextendProfile, NameFileAndContents)
{
        EXPECT_EQ(lvm::autoextend_profile_name("docker-vg", "docker-pool"), "docker-vg--docker-pool-extend");
        EXPECT_EQ(lvm::autoextend_profile_file_name("atomicos", "docker-pool"),
                  "atomicos--docker-pool-extend.profile");
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
