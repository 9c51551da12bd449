// SPDX-License-Identifier: Apache-2.0
//
// grow_partition on real loop devices: a 64 MiB disk with two partitions and free space
// after the second, grown to 96 MiB underneath (as a cloud disk is resized), then partition
// 2 grown while it is held open exclusively (as a mounted root PV is). Checked with sfdisk,
// sgdisk and the kernel's own view in sysfs; data before and inside the partition must be
// unchanged.

#include "host_util.hpp"
#include "sys/partition.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace css;
using namespace css::host_test;

namespace {

constexpr uint64_t MiB = 1024 * 1024;
constexpr uint64_t p2_start = 22528;
constexpr uint64_t p2_sectors = 40960;

struct Disk {
        ImageFile image{64 * MiB};
        std::unique_ptr<LoopDevice> loop;

        explicit Disk(const std::string &label)
        {
                auto r = run({"sfdisk", "--quiet", image.path()},
                             "label: " + label + "\nstart=2048, size=20480, type=" +
                                     (label == "gpt" ? "0FC63DAF-8483-4772-8E79-3D69D8477DE4" : "83") +
                                     "\nstart=22528, size=40960, type=" +
                                     (label == "gpt" ? "E6D6D379-F507-44C2-A23C-238F2A3DF928" : "8e") + "\n");
                EXPECT_EQ(r.status, 0) << r.err;
                loop = std::make_unique<LoopDevice>(image.path());
        }

        void fill_patterns()
        {
                write_pattern(loop->dev(), 64 * 1024, 512 * 1024, 4); // before partition 1
                write_pattern(loop->part(1), 0, MiB, 1);
                write_pattern(loop->part(2), 0, MiB, 2);
                write_pattern(loop->part(2), p2_sectors * 512 - MiB, MiB, 3); // old end of p2
        }

        void expect_patterns_intact()
        {
                EXPECT_TRUE(pattern_intact(loop->dev(), 64 * 1024, 512 * 1024, 4));
                EXPECT_TRUE(pattern_intact(loop->part(1), 0, MiB, 1));
                EXPECT_TRUE(pattern_intact(loop->part(2), 0, MiB, 2));
                EXPECT_TRUE(pattern_intact(loop->part(2), p2_sectors * 512 - MiB, MiB, 3));
        }

        void grow_underneath()
        {
                image.resize(96 * MiB);
                loop->refresh_capacity();
        }
};

std::string grow_captured(const std::string &dev, unsigned n, bool dry_run, partition::Growth *out)
{
        ::testing::internal::CaptureStdout();
        auto g = partition::grow_partition(dev, n, dry_run);
        std::string text = ::testing::internal::GetCapturedStdout();
        EXPECT_TRUE(g.ok()) << g.error().message;
        if (g.ok() && out)
                *out = *g;
        return text;
}

void grow_and_check(const std::string &label, uint64_t expected_last)
{
        Disk d(label);
        ASSERT_TRUE(d.loop->ok());
        ASSERT_EQ(d.loop->sysfs_sectors(2), p2_sectors);
        d.fill_patterns();
        d.grow_underneath();

        // Held open O_EXCL, as a mounted filesystem or an active PV holds it.
        int busy = ::open(d.loop->part(2).c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
        ASSERT_GE(busy, 0);

        partition::Growth g;
        std::string out = grow_captured(d.loop->dev(), 2, false, &g);
        uint64_t expected_size = expected_last - p2_start + 1;
        EXPECT_EQ(out, "CHANGED: partition=2 start=22528 old: size=40960 end=63488 new: size=" +
                               std::to_string(expected_size) + ",end=" + std::to_string(p2_start + expected_size) +
                               "\n");
        EXPECT_EQ(g.start, p2_start);
        EXPECT_EQ(g.new_size, expected_size);

        // The running kernel already knows the new size, with the partition still in use.
        EXPECT_EQ(d.loop->sysfs_sectors(2), expected_size);
        ::close(busy);

        auto t = sfdisk_dump(d.loop->dev());
        ASSERT_TRUE(t.ok);
        EXPECT_EQ(t.label, label);
        ASSERT_EQ(t.partitions.size(), 2u);
        EXPECT_EQ(t.partitions[0].start, 2048u);
        EXPECT_EQ(t.partitions[0].size, 20480u);
        EXPECT_EQ(t.partitions[1].start, p2_start);
        EXPECT_EQ(t.partitions[1].size, expected_size);
        EXPECT_EQ(t.partitions[1].type, label == "gpt" ? "E6D6D379-F507-44C2-A23C-238F2A3DF928" : "8e");
        auto verify = run({"sfdisk", "--verify", d.loop->dev()});
        EXPECT_EQ(verify.status, 0) << verify.out << verify.err;

        d.expect_patterns_intact();

        out = grow_captured(d.loop->dev(), 2, false, &g);
        EXPECT_EQ(out, "NOCHANGE: partition 2 is size " + std::to_string(expected_size) + ". it cannot be grown\n");
        EXPECT_FALSE(g.changed());
}

} // namespace

TEST(HostGrowpart, Mbr)
{
        grow_and_check("dos", 96 * MiB / 512 - 1);
}

TEST(HostGrowpart, GptMovesTheBackupHeaderToTheNewEnd)
{
        if (!have_tool("sgdisk"))
                GTEST_SKIP() << "sgdisk (gdisk) not installed";
        // First the state growpart meets: the backup header is no longer at the end.
        {
                Disk d("gpt");
                ASSERT_TRUE(d.loop->ok());
                d.grow_underneath();
                auto before = run({"sgdisk", "-v", d.loop->dev()});
                EXPECT_EQ(before.out.find("No problems found"), std::string::npos) << before.out;
        }
        uint64_t total = 96 * MiB / 512;
        grow_and_check("gpt", total - 34);

        Disk d("gpt");
        d.grow_underneath();
        partition::Growth g;
        grow_captured(d.loop->dev(), 2, false, &g);
        auto after = run({"sgdisk", "-v", d.loop->dev()});
        EXPECT_NE(after.out.find("No problems found"), std::string::npos) << after.out;
        auto t = sfdisk_dump(d.loop->dev());
        EXPECT_EQ(t.lastlba, total - 34);
}

TEST(HostGrowpart, DryRunChangesNothing)
{
        Disk d("gpt");
        ASSERT_TRUE(d.loop->ok());
        d.grow_underneath();
        auto head = read_bytes(d.loop->dev(), 0, MiB);
        auto tail = read_bytes(d.loop->dev(), 95 * MiB, MiB);

        partition::Growth g;
        std::string out = grow_captured(d.loop->dev(), 2, true, &g);
        uint64_t expected_size = (96 * MiB / 512 - 34) - p2_start + 1;
        EXPECT_EQ(out,
                  partition::format_change(partition::Growth{2, p2_start, p2_sectors, expected_size}, true) + "\n");
        EXPECT_EQ(g.new_size, expected_size);

        EXPECT_EQ(read_bytes(d.loop->dev(), 0, MiB), head);
        EXPECT_EQ(read_bytes(d.loop->dev(), 95 * MiB, MiB), tail);
        EXPECT_EQ(d.loop->sysfs_sectors(2), p2_sectors);
        EXPECT_EQ(sfdisk_dump(d.loop->dev()).partitions.at(1).size, p2_sectors);
}

// Partition 1 is followed directly by partition 2: nothing to grow, nothing written.
TEST(HostGrowpart, PartitionFollowedByAnotherIsNotGrown)
{
        Disk d("dos");
        ASSERT_TRUE(d.loop->ok());
        d.grow_underneath();
        auto head = read_bytes(d.loop->dev(), 0, MiB);
        partition::Growth g;
        std::string out = grow_captured(d.loop->dev(), 1, false, &g);
        EXPECT_EQ(out, "NOCHANGE: partition 1 is size 20480. it cannot be grown\n");
        EXPECT_EQ(read_bytes(d.loop->dev(), 0, MiB), head);
}

TEST(HostGrowpart, RefusesAPartitionAsTheDisk)
{
        Disk d("dos");
        ASSERT_TRUE(d.loop->ok());
        auto g = partition::grow_partition(d.loop->part(2), 1, false);
        ASSERT_FALSE(g.ok());
        EXPECT_EQ(g.error().message, "'" + d.loop->part(2) + "' is a partition, not a whole disk");
}
