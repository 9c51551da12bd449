// SPDX-License-Identifier: Apache-2.0
//
// A new DEVS disk on a loop device: DOS below 2 TiB, GPT for a sparse 3 TiB one; one Linux
// LVM partition from sector 2048; the kernel sees it at once and its node shows up, which
// wait_for_device notices without polling.

#include "host_util.hpp"
#include "sys/blkid_probe.hpp"
#include "sys/partition.hpp"
#include "sys/udev_wait.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <thread>

using namespace css;
using namespace css::host_test;

namespace {

constexpr uint64_t MiB = 1024 * 1024;
constexpr uint64_t TiB = MiB * MiB;

} // namespace

TEST(HostNewDisk, SmallDiskGetsDosAndTheKernelSeesThePartition)
{
        ImageFile image(64 * MiB);
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        write_pattern(loop.dev(), 0, 4 * MiB, 7);   // old junk in the head
        write_pattern(loop.dev(), 8 * MiB, MiB, 8); // data beyond it

        // Someone waits for the partition before it exists, as css-prepare-disk will.
        Result<void> waited = Error{"not run"};
        std::thread waiter([&] { waited = udev::wait_for_device(loop.part(1), std::chrono::seconds(20)); });
        auto p = partition::create_lvm_partition(loop.dev(), false);
        waiter.join();
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_TRUE(waited.ok()) << waited.error().message;
        struct stat st;
        ASSERT_EQ(::stat(loop.part(1).c_str(), &st), 0);
        EXPECT_TRUE(S_ISBLK(st.st_mode));

        auto t = sfdisk_dump(loop.dev());
        ASSERT_TRUE(t.ok);
        EXPECT_EQ(t.label, "dos");
        ASSERT_EQ(t.partitions.size(), 1u);
        EXPECT_EQ(t.partitions[0].start, 2048u);
        EXPECT_EQ(t.partitions[0].size, 64 * MiB / 512 - 2048);
        EXPECT_EQ(t.partitions[0].type, "8e");
        EXPECT_EQ(loop.sysfs_sectors(1), 64 * MiB / 512 - 2048);

        // #269: the head is zero apart from the MBR; data after 4 MiB untouched.
        auto head = read_bytes(loop.dev(), 512, 4 * MiB - 512);
        EXPECT_EQ(std::count(head.begin(), head.end(), 0), static_cast<long>(head.size()));
        EXPECT_TRUE(pattern_intact(loop.dev(), 8 * MiB, MiB, 8));
        EXPECT_TRUE(blkid::list_signatures(loop.part(1))->empty());
}

TEST(HostNewDisk, LargeDiskGetsGpt)
{
        ImageFile image(3 * TiB);
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        auto p = partition::create_lvm_partition(loop.dev(), false);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->label, partition::LabelType::gpt);
        auto w = udev::wait_for_device(loop.part(1), std::chrono::seconds(20));
        EXPECT_TRUE(w.ok()) << w.error().message;

        auto t = sfdisk_dump(loop.dev());
        ASSERT_TRUE(t.ok);
        EXPECT_EQ(t.label, "gpt");
        EXPECT_EQ(t.lastlba, 3 * TiB / 512 - 34);
        ASSERT_EQ(t.partitions.size(), 1u);
        EXPECT_EQ(t.partitions[0].start, 2048u);
        EXPECT_EQ(t.partitions[0].type, "E6D6D379-F507-44C2-A23C-238F2A3DF928");
        EXPECT_EQ(t.partitions[0].size, p->size);
        EXPECT_GT(t.partitions[0].start + t.partitions[0].size + 2048, t.lastlba); // to the end
        EXPECT_EQ(loop.sysfs_sectors(1), p->size);
        if (have_tool("sgdisk")) {
                auto v = run({"sgdisk", "-v", loop.dev()});
                EXPECT_NE(v.out.find("No problems found"), std::string::npos) << v.out;
        }
}

TEST(HostNewDisk, DiskWithASignatureOrInUseIsRefused)
{
        ImageFile image(64 * MiB);
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        auto r = run({"sfdisk", "--quiet", loop.dev()}, "label: gpt\nstart=2048, size=8192\n");
        ASSERT_EQ(r.status, 0) << r.err;
        auto p = partition::create_lvm_partition(loop.dev(), false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "Found gpt signature on device " + loop.dev() +
                                             " at offset 0x200. Wipe signatures using wipefs or use "
                                             "WIPE_SIGNATURES=true and retry.");
        EXPECT_EQ(sfdisk_dump(loop.dev()).label, "gpt");

        // Wiped as WIPE_SIGNATURES=true does, it is a new disk again; the stale GPT
        // partition goes from the kernel too.
        ASSERT_TRUE(blkid::wipe_signatures(loop.dev(), false).ok());
        ASSERT_TRUE(partition::create_lvm_partition(loop.dev(), false).ok());
        EXPECT_EQ(sfdisk_dump(loop.dev()).label, "dos");
        EXPECT_EQ(loop.sysfs_sectors(1), 64 * MiB / 512 - 2048);

        // A disk someone holds exclusively is not touched.
        ImageFile image2(64 * MiB);
        LoopDevice busy(image2.path());
        ASSERT_TRUE(busy.ok());
        int holder = ::open(busy.dev().c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
        ASSERT_GE(holder, 0);
        p = partition::create_lvm_partition(busy.dev(), false);
        ::close(holder);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().errno_value, EBUSY);
        EXPECT_TRUE(blkid::list_signatures(busy.dev())->empty());
}

TEST(HostNewDisk, DryRunWritesNothing)
{
        ImageFile image(64 * MiB);
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        write_pattern(loop.dev(), 0, 4 * MiB, 9);
        // The pattern must not look like a signature, or the dry run refuses (correctly).
        ASSERT_TRUE(blkid::list_signatures(loop.dev())->empty());
        ::testing::internal::CaptureStdout();
        auto p = partition::create_lvm_partition(loop.dev(), true);
        std::string out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(out,
                  "would zero the first 4194304 bytes of " + loop.dev() +
                          " and write a dos partition table with partition 1 (Linux LVM): start=2048 size=129024\n");
        EXPECT_TRUE(pattern_intact(loop.dev(), 0, 4 * MiB, 9));
        EXPECT_EQ(loop.sysfs_sectors(1), 0u);
}

TEST(HostUdevWait, ExistingLoopPartitionIsReadyAtOnce)
{
        ImageFile image(64 * MiB);
        auto r = run({"sfdisk", "--quiet", image.path()}, "label: dos\nstart=2048, size=8192\n");
        ASSERT_EQ(r.status, 0) << r.err;
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        auto w = udev::wait_for_device(loop.part(1), std::chrono::seconds(20));
        EXPECT_TRUE(w.ok()) << w.error().message;
        auto missing = udev::wait_for_device(loop.part(2), std::chrono::milliseconds(300));
        ASSERT_FALSE(missing.ok());
        EXPECT_EQ(missing.error().errno_value, ETIMEDOUT);
}
