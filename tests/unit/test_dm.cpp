// SPDX-License-Identifier: Apache-2.0
#include "sys/dm.hpp"

#include <gtest/gtest.h>

using namespace css;
using dm::ThinPoolStatus;

TEST(DmName, EscapesEveryDash)
{
        EXPECT_EQ(dm::escape_name_part("docker-pool"), "docker--pool");
        EXPECT_EQ(dm::escape_name_part("a--b"), "a----b");
        EXPECT_EQ(dm::escape_name_part("plain"), "plain");
        EXPECT_EQ(dm::lvm_dm_name("docker-vg", "docker-pool"), "docker--vg-docker--pool");
        EXPECT_EQ(dm::lvm_dm_name("vg", "lv"), "vg-lv");
        EXPECT_EQ(dm::lvm_dm_name("atomicos", "root"), "atomicos-root");
        EXPECT_EQ(dm::lvm_dm_name("vg", "pool", "tpool"), "vg-pool-tpool");
        EXPECT_EQ(dm::lvm_dm_name("my-vg", "my-pool", "tpool"), "my--vg-my--pool-tpool");
        EXPECT_EQ(dm::lvm_dm_name("-vg-", "-lv-"), "--vg-----lv--");
}

TEST(DmName, SplitsLikeDmsetupSplitname)
{
        using S = dm::SplitName;
        auto split = [](std::string_view n) {
                Result<S> r = dm::split_lvm_dm_name(n);
                EXPECT_TRUE(r) << n;
                return r ? *r : S{};
        };
        EXPECT_EQ(split("docker--vg-docker--pool"), (S{"docker-vg", "docker-pool", ""}));
        EXPECT_EQ(split("vg-lv"), (S{"vg", "lv", ""}));
        EXPECT_EQ(split("vg-pool-tpool"), (S{"vg", "pool", "tpool"}));
        EXPECT_EQ(split("my--vg-my--pool_tdata-real"), (S{"my-vg", "my-pool_tdata", "real"}));
        EXPECT_EQ(split("a----b-c"), (S{"a--b", "c", ""}));
}

TEST(DmName, RoundTrips)
{
        for (auto [vg, lv] : {std::pair{"docker-vg", "docker-pool"}, {"a", "b"}, {"x--y", "z--"}, {"v-", "l"}}) {
                Result<dm::SplitName> r = dm::split_lvm_dm_name(dm::lvm_dm_name(vg, lv));
                ASSERT_TRUE(r) << vg << "/" << lv;
                EXPECT_EQ(r->vg, vg);
                EXPECT_EQ(r->lv, lv);
        }
}

TEST(DmName, RejectsNamesThatAreNotLvms)
{
        for (const char *bad : {"", "novg", "docker--pool", "-lv", "vg-", "vg-lv-", "a-b-c-d"})
                EXPECT_FALSE(dm::split_lvm_dm_name(bad)) << bad;
}

TEST(ThinPoolStatus, CurrentKernelFormat)
{
        // `dmsetup status docker--vg-docker--pool` after "0 <len> thin-pool " on Linux 5.x/6.x.
        Result<ThinPoolStatus> r =
                dm::parse_thin_pool_status("0 141/4096 0/163840 - rw discard_passdown queue_if_no_space - 1024");
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_FALSE(r->failed);
        EXPECT_EQ(r->transaction_id, 0u);
        EXPECT_EQ(r->used_metadata_blocks, 141u);
        EXPECT_EQ(r->total_metadata_blocks, 4096u);
        EXPECT_EQ(r->used_data_blocks, 0u);
        EXPECT_EQ(r->total_data_blocks, 163840u);
        EXPECT_FALSE(r->held_metadata_root);
        EXPECT_EQ(r->mode, ThinPoolStatus::Mode::rw);
        EXPECT_TRUE(r->discard_passdown);
        EXPECT_TRUE(r->queue_if_no_space);
        EXPECT_FALSE(r->needs_check);
        EXPECT_EQ(r->metadata_low_watermark, 1024u);
        EXPECT_DOUBLE_EQ(r->metadata_percent(), 100.0 * 141 / 4096);
        EXPECT_DOUBLE_EQ(r->data_percent(), 0.0);
}

TEST(ThinPoolStatus, FlagsAndHeldRoot)
{
        Result<ThinPoolStatus> r = dm::parse_thin_pool_status(
                "7 466/10240 45128/819200 1823 ro no_discard_passdown error_if_no_space needs_check 2560");
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->transaction_id, 7u);
        EXPECT_EQ(r->held_metadata_root, 1823u);
        EXPECT_EQ(r->mode, ThinPoolStatus::Mode::ro);
        EXPECT_FALSE(r->discard_passdown);
        EXPECT_FALSE(r->discards_ignored);
        EXPECT_FALSE(r->queue_if_no_space);
        EXPECT_TRUE(r->needs_check);
        EXPECT_EQ(r->metadata_low_watermark, 2560u);
}

TEST(ThinPoolStatus, OutOfDataSpaceAndIgnoredDiscards)
{
        Result<ThinPoolStatus> r = dm::parse_thin_pool_status(
                "12 1024/1024 81920/81920 - out_of_data_space ignore_discard queue_if_no_space - 256");
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->mode, ThinPoolStatus::Mode::out_of_data_space);
        EXPECT_FALSE(r->discard_passdown);
        EXPECT_TRUE(r->discards_ignored);
        EXPECT_DOUBLE_EQ(r->data_percent(), 100.0);
}

TEST(ThinPoolStatus, OlderKernelsWithFewerFields)
{
        // Before needs_check/metadata_low_watermark (Linux 3.x/4.x) and before the flags.
        Result<ThinPoolStatus> r =
                dm::parse_thin_pool_status("0 141/4096 10/163840 - rw discard_passdown queue_if_no_space");
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_FALSE(r->metadata_low_watermark);
        EXPECT_FALSE(r->needs_check);
        Result<ThinPoolStatus> oldest = dm::parse_thin_pool_status("0 141/4096 10/163840 -");
        ASSERT_TRUE(oldest);
        EXPECT_EQ(oldest->used_data_blocks, 10u);
}

TEST(ThinPoolStatus, FailedPool)
{
        Result<ThinPoolStatus> r = dm::parse_thin_pool_status("Fail");
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->failed);
}

TEST(ThinPoolStatus, RejectsGarbage)
{
        for (const char *bad :
             {"", "0 141/4096", "x 1/2 3/4 -", "0 5/4 0/1 -", "0 1/2 3/x -", "0 1/2 3/4 root", "0 1/2 3/4 - rw bogus",
              "0 1/2 3/4 - rx", "0 1/2 3/4 - rw 12 discard_passdown", "0 12 3/4 -", "0 -1/2 3/4 -"})
                EXPECT_FALSE(dm::parse_thin_pool_status(bad)) << bad;
}

TEST(DmQueries, FailCleanlyWithoutDeviceMapper)
{
        Result<std::vector<dm::Device>> list = dm::list_devices();
        if (list) {
                // A machine with device-mapper: the queries work and unknown names are absent.
                Result<bool> e = dm::exists("css-unit-test-no-such-device");
                ASSERT_TRUE(e) << e.error().message;
                EXPECT_FALSE(*e);
                EXPECT_EQ(dm::uuid_of("css-unit-test-no-such-device").error().errno_value, ENXIO);
                return;
        }
        // No working device-mapper (this build host): every query is an error, none crashes.
        // Without the control node the error says so; with a node but no driver (lvm creates
        // the node on demand) libdevmapper's failure comes back as EIO.
        const int expected = dm::available() ? EIO : ENODEV;
        EXPECT_EQ(list.error().errno_value, expected) << list.error().message;
        EXPECT_EQ(dm::exists("docker--vg-docker--pool").error().errno_value, expected);
        EXPECT_EQ(dm::name_of(253, 0).error().errno_value, expected);
        EXPECT_EQ(dm::uuid_of("docker--vg-docker--pool").error().errno_value, expected);
        EXPECT_EQ(dm::target_type("docker--vg-docker--pool").error().errno_value, expected);
        Result<ThinPoolStatus> st = dm::thin_pool_status("docker--vg-docker--pool");
        ASSERT_FALSE(st);
        EXPECT_NE(st.error().message.find(dm::available() ? "kernel driver" : "/dev/mapper/control"), std::string::npos)
                << st.error().message;
}
