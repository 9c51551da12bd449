// SPDX-License-Identifier: Apache-2.0
//
// sysfs topology on this machine's real /sys, checked against what the kernel says through
// other channels (stat, block ioctls). Read-only.

#include "sys/block.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace css;

namespace {

std::vector<std::string> all_block_devices()
{
        std::vector<std::string> out;
        std::error_code ec;
        for (const auto &e : fs::directory_iterator("/sys/class/block", ec))
                out.push_back(e.path().filename());
        std::sort(out.begin(), out.end());
        return out;
}

} // namespace

TEST(BlockHost, EveryDeviceByNameAndByNumberIsTheSame)
{
        auto devices = all_block_devices();
        if (devices.empty())
                GTEST_SKIP() << "no block devices in /sys/class/block";
        for (const auto &n : devices) {
                auto by_name = block::from_name(n);
                ASSERT_TRUE(by_name.ok()) << n << ": " << by_name.error().message;
                EXPECT_EQ(by_name->name, n);
                auto by_num = block::from_devnum(by_name->devnum);
                ASSERT_TRUE(by_num.ok()) << n << ": " << by_num.error().message;
                EXPECT_EQ(by_num->sysfs_dir, by_name->sysfs_dir) << n;
        }
}

TEST(BlockHost, PartitionsAreChildrenOfTheirDisk)
{
        unsigned checked = 0;
        for (const auto &n : all_block_devices()) {
                auto d = block::from_name(n);
                ASSERT_TRUE(d.ok());
                if (!block::is_partition(*d))
                        continue;
                auto parent = block::parent_disk(*d);
                ASSERT_TRUE(parent.ok()) << n << ": " << parent.error().message;
                EXPECT_FALSE(block::is_partition(parent->disk)) << n;
                EXPECT_TRUE(*block::has_parent(*d)) << n;
                auto siblings = block::partitions(parent->disk);
                ASSERT_TRUE(siblings.ok());
                EXPECT_TRUE(std::any_of(siblings->begin(), siblings->end(), [&](const auto &s) {
                        return s.devnum == d->devnum;
                })) << n;
                checked++;
        }
        if (checked == 0)
                GTEST_SKIP() << "no partitions on this machine";
}

// sysfs sizes against the ioctls, for the device nodes we may open.
TEST(BlockHost, SizesMatchTheBlockIoctls)
{
        unsigned checked = 0;
        for (const auto &n : all_block_devices()) {
                auto d = block::from_name(n);
                ASSERT_TRUE(d.ok());
                int fd = ::open(d->devnode().c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
                if (fd < 0)
                        continue;
                struct stat st;
                uint64_t bytes = 0;
                int ssz = 0;
                bool ok = ::fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == d->devnum &&
                          ::ioctl(fd, BLKGETSIZE64, &bytes) == 0 && ::ioctl(fd, BLKSSZGET, &ssz) == 0;
                ::close(fd);
                if (!ok)
                        continue;
                EXPECT_EQ(*block::size_bytes(*d), bytes) << n;
                EXPECT_EQ(*block::logical_sector_size(*d), static_cast<unsigned>(ssz)) << n;
                checked++;
        }
        if (checked == 0)
                GTEST_SKIP() << "no block device node could be opened";
}

TEST(BlockHost, RootDeviceIsWhatHoldsSlash)
{
        struct stat st;
        ASSERT_EQ(::stat("/", &st), 0);
        auto root = block::root_device();
        if (major(st.st_dev) == 0) {
                // overlay/btrfs root: only the mount source can name a device, if any.
                if (root.ok())
                        SUCCEED() << "root on " << root->name;
                else
                        GTEST_SKIP() << "root is not on a block device here: " << root.error().message;
                return;
        }
        ASSERT_TRUE(root.ok()) << root.error().message;
        EXPECT_EQ(root->devnum, st.st_dev);
}

TEST(BlockHost, RealDeviceNodesResolve)
{
        for (const auto &n : all_block_devices()) {
                auto d = block::from_name(n);
                ASSERT_TRUE(d.ok());
                struct stat st;
                if (::stat(d->devnode().c_str(), &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != d->devnum)
                        continue;
                auto path = block::resolve_path(n); // the bare name, as compat mode allowed
                ASSERT_TRUE(path.ok()) << n << ": " << path.error().message;
                EXPECT_EQ(*path, d->devnode());
                auto again = block::from_path(*path);
                ASSERT_TRUE(again.ok());
                EXPECT_EQ(again->devnum, d->devnum);
                return;
        }
        GTEST_SKIP() << "no device node in /dev matches sysfs";
}
