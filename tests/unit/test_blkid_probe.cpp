// SPDX-License-Identifier: Apache-2.0
//
// Signature probing and wiping on disk image files (no root needed). The signatures are
// written by hand (LVM2 label, md 1.2 superblock, MBR) or by the standard tools when they
// are installed (mkswap, mke2fs); offsets are checked against what `wipefs -p` prints.

#include "sys/blkid_probe.hpp"
#include "sys/process.hpp"
#include "test_partition_images.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace css;
using css::test::Image;

namespace {

// Runs a formatting tool on the image; skips the test when the tool is not installed.
bool run_tool(const std::vector<std::string> &argv)
{
        if (!process::find_program(argv[0]).ok())
                return false;
        process::Command c;
        c.argv = argv;
        c.stdout_mode = process::Stdout::discard;
        c.forward_stderr = false;
        auto r = process::run(c);
        EXPECT_TRUE(r.ok() && r->success()) << process::format_argv(argv);
        return true;
}

std::vector<std::string> types(const std::vector<blkid::Signature> &sigs)
{
        std::vector<std::string> out;
        for (const auto &s : sigs)
                out.push_back(s.type + "@" + blkid::format_offset(s.offset));
        return out;
}

} // namespace

TEST(BlkidProbe, FormatsOffsetsLikeWipefs)
{
        EXPECT_EQ(blkid::format_offset(0x438), "0x438");
        EXPECT_EQ(blkid::format_offset(0), "0x0");
        EXPECT_EQ(blkid::format_offset(0x1fe), "0x1fe");
        EXPECT_EQ(blkid::format_offset(3298534883328ULL), "0x30000000000");
}

TEST(BlkidProbe, RefusalIsTheOriginalSentence)
{
        blkid::Signature s;
        s.type = "ext4";
        s.offset = 0x438;
        EXPECT_EQ(blkid::refusal_message(s, "/dev/vdb"),
                  "Found ext4 signature on device /dev/vdb at offset 0x438. Wipe signatures using "
                  "wipefs or use WIPE_SIGNATURES=true and retry.");
}

TEST(BlkidProbe, AnEmptyImageHasNoSignature)
{
        Image img(16 << 20);
        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok()) << sigs.error().message;
        EXPECT_TRUE(sigs->empty());
        auto fs = blkid::superblock_type(img.path());
        ASSERT_TRUE(fs.ok());
        EXPECT_FALSE(fs->has_value());
}

TEST(BlkidProbe, MissingDeviceIsAnError)
{
        auto sigs = blkid::list_signatures("/nonexistent/disk");
        ASSERT_FALSE(sigs.ok());
        EXPECT_EQ(sigs.error().message, "Failed to open '/nonexistent/disk': No such file or directory");
}

TEST(BlkidProbe, FindsAnLvmLabel)
{
        Image img(16 << 20);
        img.write(512, css::test::lvm2_label_sector());
        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok());
        ASSERT_EQ(types(*sigs), std::vector<std::string>{"LVM2_member@0x218"});
        EXPECT_EQ((*sigs)[0].usage, "raid");
        EXPECT_EQ(blkid::refusal_message((*sigs)[0], "/dev/sdb"),
                  "Found LVM2_member signature on device /dev/sdb at offset 0x218. Wipe signatures "
                  "using wipefs or use WIPE_SIGNATURES=true and retry.");
}

TEST(BlkidProbe, FindsAnMdSuperblock)
{
        Image img(16 << 20);
        img.write(4096, css::test::md12_superblock());
        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok());
        EXPECT_EQ(types(*sigs), std::vector<std::string>{"linux_raid_member@0x1000"});
}

TEST(BlkidProbe, FindsADosPartitionTable)
{
        Image img(16 << 20);
        css::test::write_mbr_entry(img, 0, 0x83, 2048, 8192);
        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok());
        ASSERT_EQ(types(*sigs), std::vector<std::string>{"dos@0x1fe"});
        EXPECT_TRUE((*sigs)[0].partition_table);
        EXPECT_EQ((*sigs)[0].usage, "partition table");
}

TEST(BlkidProbe, FindsSwap)
{
        Image img(16 << 20);
        if (!run_tool({"mkswap", img.path()}))
                GTEST_SKIP() << "mkswap not installed";
        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok());
        // The magic sits in the last 10 bytes of the first page.
        uint64_t magic_at = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)) - 10;
        EXPECT_EQ(types(*sigs), std::vector<std::string>{"swap@" + blkid::format_offset(magic_at)});
        EXPECT_EQ(*blkid::superblock_type(img.path()), "swap");
}

TEST(BlkidProbe, FindsExt4AndItsType)
{
        Image img(32 << 20);
        if (!run_tool({"mke2fs", "-q", "-F", "-t", "ext4", img.path()}))
                GTEST_SKIP() << "mke2fs not installed";
        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok());
        EXPECT_EQ(types(*sigs), std::vector<std::string>{"ext4@0x438"});
        EXPECT_EQ((*sigs)[0].usage, "filesystem");
        EXPECT_FALSE((*sigs)[0].uuid.empty());
        auto fs = blkid::superblock_type(img.path());
        ASSERT_TRUE(fs.ok());
        EXPECT_EQ(*fs, "ext4");
}

// Every signature is found, not just the first: an old md member that later got an LVM
// label, on a disk with a partition table.
TEST(BlkidProbe, ListsEverySignature)
{
        Image img(16 << 20);
        img.write(512, css::test::lvm2_label_sector());
        img.write(4096, css::test::md12_superblock());
        css::test::write_mbr_entry(img, 0, 0x8e, 2048, 8192);
        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok());
        EXPECT_EQ(types(*sigs),
                  (std::vector<std::string>{"linux_raid_member@0x1000", "LVM2_member@0x218", "dos@0x1fe"}));
        // libblkid gives RAID precedence over what lies on the member.
        EXPECT_EQ(*blkid::superblock_type(img.path()), "linux_raid_member");
}

TEST(BlkidProbe, WipeErasesOnlyTheMagicOfEverySignature)
{
        Image img(16 << 20);
        img.fill(0, 1 << 20, 0x5a);
        img.fill(446, 64, 0); // empty partition slots, so the MBR is a valid one
        img.write(512, css::test::lvm2_label_sector());
        img.write(4096, css::test::md12_superblock());
        css::test::write_mbr_entry(img, 0, 0x8e, 2048, 8192);
        auto before = img.read(0, 1 << 20);
        ASSERT_EQ(blkid::list_signatures(img.path())->size(), 3u);

        auto wiped = blkid::wipe_signatures(img.path(), false);
        ASSERT_TRUE(wiped.ok()) << wiped.error().message;
        EXPECT_EQ(wiped->size(), 3u);
        auto after_list = blkid::list_signatures(img.path());
        ASSERT_TRUE(after_list.ok());
        EXPECT_TRUE(after_list->empty()) << ::testing::PrintToString(types(*after_list));

        // wipefs semantics: the magic strings go, the rest stays (4 + 8 + 2 bytes here).
        auto after = img.read(0, 1 << 20);
        size_t changed = 0;
        for (size_t i = 0; i < before.size(); i++)
                changed += before[i] != after[i];
        EXPECT_GT(changed, 0u);
        EXPECT_LE(changed, 4u + 8u + 2u);
}

TEST(BlkidProbe, DryRunWipePrintsAndChangesNothing)
{
        Image img(16 << 20);
        img.write(512, css::test::lvm2_label_sector());
        css::test::write_mbr_entry(img, 0, 0x8e, 2048, 8192);
        auto before = img.read(0, 1 << 20);

        ::testing::internal::CaptureStdout();
        auto wiped = blkid::wipe_signatures(img.path(), true);
        std::string out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(wiped.ok()) << wiped.error().message;
        EXPECT_EQ(out, "would wipe LVM2_member signature on " + img.path() +
                               " at offset 0x218\n"
                               "would wipe dos signature on " +
                               img.path() + " at offset 0x1fe\n");
        EXPECT_EQ(img.read(0, 1 << 20), before);
        EXPECT_EQ(blkid::list_signatures(img.path())->size(), 2u);
}

TEST(BlkidProbe, WipingAnEmptyImageIsANoOp)
{
        Image img(4 << 20);
        auto wiped = blkid::wipe_signatures(img.path(), false);
        ASSERT_TRUE(wiped.ok());
        EXPECT_TRUE(wiped->empty());
}
