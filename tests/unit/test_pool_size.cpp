// SPDX-License-Identifier: Apache-2.0
// The sizes of a new thin pool: DATA_SIZE with the MIN_DATA_SIZE rule, the metadata size, and
// the lvcreate they make.

#include "lvm/commands.hpp"
#include "lvm_test_util.hpp"
#include "steps/pool_size.hpp"

#include <gtest/gtest.h>

using namespace css;
using namespace css::steps;
using lvm::Argv;
using namespace css::test;

namespace {

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

TEST(ThinPoolDecisions, MetadataSizeIsATenthPercentOfTheVgInSectors)
{
        // The captured docker-vg: 1602224128 bytes = 3129344 sectors; / 1000 + 1 = 3130.
        Config c;
        lvm::Vg vg = vg_of("docker-vg", 1602224128, 650117120);
        EXPECT_EQ(pool_metadata_size(c, vg), "3130s");
        // Of the whole VG, not of the free space.
        vg.free = 0;
        EXPECT_EQ(pool_metadata_size(c, vg), "3130s");
        EXPECT_EQ(pool_metadata_size(c, vg_of("big", 100 * GiB, 100 * GiB)), "209716s");
        c.pool_meta_size = absolute(64 * MiB, "64M");
        EXPECT_EQ(pool_metadata_size(c, vg), "64M");
}

TEST(ThinPoolDecisions, SizeInBytes)
{
        lvm::Vg vg = vg_of("vg", 20 * GiB, 10 * GiB);
        EXPECT_EQ(size_in_bytes(pct_free(40), vg), 4 * GiB);
        EXPECT_EQ(size_in_bytes(pct_vg(40), vg), 8 * GiB);
        EXPECT_EQ(size_in_bytes(absolute(2 * GiB, "2G"), vg), 2 * GiB);
        EXPECT_EQ(size_in_bytes(pct_free(33), vg_of("vg", 100, 100)), 33u); // rounded down
        // No wrap-around on absurd percentages of huge VGs.
        lvm::Vg huge = vg_of("vg", UINT64_MAX, UINT64_MAX);
        EXPECT_EQ(size_in_bytes(pct_vg(1000), huge), UINT64_MAX);
}

TEST(ThinPoolDecisions, ContainerRootPercentIsOfWhatThePoolLeft)
{
        // The reference's example: 10G free, a 40%FREE pool takes 4G, then 40%FREE of the 6G
        // left is 2.4G. lvm evaluates %FREE when css-create-lv runs, after the pool exists.
        lvm::Vg before = vg_of("vg", 10 * GiB, 10 * GiB);
        uint64_t pool = size_in_bytes(pct_free(40), before);
        EXPECT_EQ(pool, 4 * GiB);
        lvm::Vg after = vg_of("vg", 10 * GiB, before.free - pool);
        EXPECT_EQ(size_in_bytes(pct_free(40), after), 6 * GiB * 40 / 100);
}

TEST(ThinPoolDecisions, DataSizeKeptWhenAboveMinimum)
{
        Config c; // DATA_SIZE=40%FREE, MIN_DATA_SIZE=2G
        Result<DataSizeDecision> d = decide_data_size(c, vg_of("vg", 20 * GiB, 10 * GiB));
        ASSERT_TRUE(d) << d.error().message;
        EXPECT_EQ(d->size.text, "40%FREE");
        EXPECT_EQ(d->info, "");
}

TEST(ThinPoolDecisions, DataSizeRaisedToMinimumWithTheOriginalsMessage)
{
        Config c;
        Result<DataSizeDecision> d = decide_data_size(c, vg_of("vg", 4 * GiB, 4 * GiB)); // 40% = 1.6G
        ASSERT_TRUE(d) << d.error().message;
        EXPECT_EQ(d->size.text, "2G");
        EXPECT_EQ(d->size.kind, Size::Kind::absolute);
        EXPECT_EQ(d->info, "DATA_SIZE=40%FREE is smaller than MIN_DATA_SIZE=2G. Will create data volume of size "
                           "specified by MIN_DATA_SIZE.");
        // Exactly the minimum is enough.
        c.data_size = absolute(2 * GiB, "2048M");
        d = decide_data_size(c, vg_of("vg", 4 * GiB, 4 * GiB));
        ASSERT_TRUE(d);
        EXPECT_EQ(d->size.text, "2048M");
}

TEST(ThinPoolDecisions, NotEnoughFreeSpaceForTheMinimum)
{
        Config c;
        Result<DataSizeDecision> d = decide_data_size(c, vg_of("docker-vg", 20 * GiB, 2 * GiB - 1));
        ASSERT_FALSE(d);
        EXPECT_EQ(d.error().message, "There is not enough free space in volume group docker-vg to create data "
                                     "volume of size MIN_DATA_SIZE=2G.");
}

TEST(ThinPoolDecisions, NoMinimumAndNoDataSize)
{
        Config c;
        c.min_data_size.reset();
        Result<DataSizeDecision> d = decide_data_size(c, vg_of("vg", 1 * GiB, 0));
        ASSERT_TRUE(d);
        EXPECT_EQ(d->size.text, "40%FREE");
        c.data_size.reset();
        d = decide_data_size(c, vg_of("vg", 1 * GiB, 1 * GiB));
        ASSERT_FALSE(d);
        EXPECT_EQ(d.error().message, "DATA_SIZE not specified.");
}

TEST(ThinPoolDecisions, SpecFromConfig)
{
        Config c;
        lvm::Vg vg = vg_of("docker-vg", 1602224128, 650117120);
        DataSizeDecision data{pct_free(40), ""};
        EXPECT_EQ(lvm::lvcreate_thin_pool(thin_pool_spec(c, vg, data)),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "-c", "512K", "--poolmetadatasize",
                        "3130s", "-l", "40%FREE", "--metadataprofile", "docker-vg--docker-pool-extend", "-n",
                        "docker-pool", "docker-vg"}));
        c.auto_extend_pool = false;
        c.chunk_size.reset();
        EXPECT_EQ(lvm::lvcreate_thin_pool(thin_pool_spec(c, vg, data)),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "--poolmetadatasize", "3130s", "-l",
                        "40%FREE", "-n", "docker-pool", "docker-vg"}));
}
