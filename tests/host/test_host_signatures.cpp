// SPDX-License-Identifier: Apache-2.0
//
// Signature probing and wiping on loop devices, made by the real tools (mkfs.ext4,
// mkfs.xfs, pvcreate, mkswap, sfdisk) and, for md, by hand (this kernel has no md driver,
// so mdadm --create cannot run; the 1.2 superblock is written byte for byte, checksum
// included). Every list is compared with what `wipefs -p` reports on the same device.

#include "../unit/test_partition_images.hpp"
#include "host_util.hpp"
#include "sys/blkid_probe.hpp"

#include <algorithm>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace css;
using namespace css::host_test;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

// "type@offset" pairs as wipefs -p prints them ("0x438,uuid,label,ext4").
std::set<std::string> wipefs_view(const std::string &dev)
{
        auto r = run({"wipefs", "-p", dev});
        EXPECT_EQ(r.status, 0) << r.err;
        std::set<std::string> out;
        std::istringstream in(r.out);
        for (std::string line; std::getline(in, line);) {
                if (line.empty() || line[0] == '#')
                        continue;
                std::string offset = line.substr(0, line.find(','));
                std::string type = line.substr(line.rfind(',') + 1);
                out.insert(type + "@" + offset);
        }
        return out;
}

std::set<std::string> our_view(const std::string &dev)
{
        auto sigs = blkid::list_signatures(dev);
        EXPECT_TRUE(sigs.ok()) << sigs.error().message;
        std::set<std::string> out;
        if (sigs.ok())
                for (const auto &s : *sigs)
                        out.insert(s.type + "@" + blkid::format_offset(s.offset));
        return out;
}

void write_raw(const std::string &dev, uint64_t offset, const std::vector<uint8_t> &data)
{
        int fd = ::open(dev.c_str(), O_WRONLY | O_CLOEXEC);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::pwrite(fd, data.data(), data.size(), static_cast<off_t>(offset)),
                  static_cast<ssize_t>(data.size()));
        ::fsync(fd);
        ::close(fd);
}

struct Case {
        const char *name;
        uint64_t size;
        std::string expected; // "type@offset" that must be among the signatures
};

// Makes the signature on `dev`; false when the tool is missing.
bool make_signature(const std::string &name, const std::string &dev)
{
        std::vector<std::string> argv;
        if (name == "ext4")
                argv = {"mkfs.ext4", "-q", "-F", dev};
        else if (name == "xfs")
                argv = {"mkfs.xfs", "-q", "-f", dev};
        else if (name == "LVM2_member")
                argv = {"pvcreate", "-qq", "-y", dev};
        else if (name == "swap")
                argv = {"mkswap", dev};
        else if (name == "gpt" || name == "dos") {
                auto r = run({"sfdisk", "--quiet", "--no-reread", dev}, "label: " + name + "\nstart=2048, size=8192\n");
                EXPECT_EQ(r.status, 0) << r.err;
                return true;
        } else if (name == "linux_raid_member") {
                write_raw(dev, 4096, css::test::md12_superblock());
                return true;
        }
        if (!have_tool(argv[0]))
                return false;
        auto r = run(argv);
        EXPECT_EQ(r.status, 0) << argv[0] << ": " << r.err;
        return true;
}

class HostSignatures : public ::testing::TestWithParam<Case> {};

} // namespace

TEST_P(HostSignatures, FoundLikeWipefsRefusedThenWiped)
{
        const Case &c = GetParam();
        ImageFile image(c.size);
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        if (!make_signature(c.name, loop.dev()))
                GTEST_SKIP() << "no tool for " << c.name;

        auto ours = our_view(loop.dev());
        EXPECT_EQ(ours, wipefs_view(loop.dev()));
        EXPECT_TRUE(ours.count(c.expected)) << c.expected << " not in " << ::testing::PrintToString(ours);

        auto sigs = blkid::list_signatures(loop.dev());
        ASSERT_TRUE(sigs.ok());
        auto it = std::find_if(sigs->begin(), sigs->end(), [&](const auto &s) {
                return s.type + "@" + blkid::format_offset(s.offset) == c.expected;
        });
        ASSERT_NE(it, sigs->end());
        std::string offset = c.expected.substr(c.expected.find('@') + 1);
        EXPECT_EQ(blkid::refusal_message(*it, loop.dev()),
                  "Found " + std::string(c.name) + " signature on device " + loop.dev() + " at offset " + offset +
                          ". Wipe signatures using wipefs or use WIPE_SIGNATURES=true and retry.");

        // Dry run: printed, not touched.
        ::testing::internal::CaptureStdout();
        auto dry = blkid::wipe_signatures(loop.dev(), true);
        std::string out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(dry.ok()) << dry.error().message;
        EXPECT_NE(
                out.find("would wipe " + std::string(c.name) + " signature on " + loop.dev() + " at offset " + offset),
                std::string::npos)
                << out;
        EXPECT_EQ(our_view(loop.dev()), ours);

        auto wiped = blkid::wipe_signatures(loop.dev(), false);
        ASSERT_TRUE(wiped.ok()) << wiped.error().message;
        EXPECT_GE(wiped->size(), ours.size());
        EXPECT_TRUE(our_view(loop.dev()).empty());
        EXPECT_TRUE(wipefs_view(loop.dev()).empty());
        auto blkid_cli = run({"blkid", "-p", loop.dev()});
        EXPECT_NE(blkid_cli.status, 0) << blkid_cli.out; // 2: nothing found
}

INSTANTIATE_TEST_SUITE_P(Kinds, HostSignatures,
                         ::testing::Values(Case{"ext4", 64 * MiB, "ext4@0x438"}, Case{"xfs", 512 * MiB, "xfs@0x0"},
                                           Case{"LVM2_member", 64 * MiB, "LVM2_member@0x218"},
                                           Case{"swap", 64 * MiB, "swap@0xff6"}, Case{"gpt", 64 * MiB, "gpt@0x200"},
                                           Case{"dos", 64 * MiB, "dos@0x1fe"},
                                           Case{"linux_raid_member", 64 * MiB, "linux_raid_member@0x1000"}),
                         [](const ::testing::TestParamInfo<Case> &param_info) {
                                 std::string n = param_info.param.name;
                                 std::replace(n.begin(), n.end(), '-', '_');
                                 return n;
                         });

// A wiped partition table on a whole disk: the kernel drops its partitions too.
TEST(HostSignaturesKernel, WipingATableRemovesTheKernelPartitions)
{
        ImageFile image(64 * MiB);
        auto r = run({"sfdisk", "--quiet", image.path()}, "label: dos\nstart=2048, size=8192\n");
        ASSERT_EQ(r.status, 0) << r.err;
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        ASSERT_EQ(loop.sysfs_sectors(1), 8192u);
        auto wiped = blkid::wipe_signatures(loop.dev(), false);
        ASSERT_TRUE(wiped.ok()) << wiped.error().message;
        EXPECT_EQ(loop.sysfs_sectors(1), 0u);
}

// O_EXCL: a device someone holds exclusively (mounted, an active PV) is not wiped.
TEST(HostSignaturesKernel, ABusyDeviceIsNotWiped)
{
        ImageFile image(64 * MiB);
        LoopDevice loop(image.path());
        ASSERT_TRUE(loop.ok());
        if (!make_signature("ext4", loop.dev()))
                GTEST_SKIP() << "mkfs.ext4 not installed";
        int holder = ::open(loop.dev().c_str(), O_RDONLY | O_EXCL | O_CLOEXEC);
        ASSERT_GE(holder, 0);
        auto wiped = blkid::wipe_signatures(loop.dev(), false);
        ::close(holder);
        ASSERT_FALSE(wiped.ok());
        EXPECT_EQ(wiped.error().errno_value, EBUSY);
        EXPECT_EQ(our_view(loop.dev()), std::set<std::string>{"ext4@0x438"});
}
