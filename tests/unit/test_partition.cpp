// SPDX-License-Identifier: Apache-2.0
//
// Partitioning and growing on disk image files (no root needed; the kernel side is in
// tests/host). Results are checked by reading the on-disk MBR/GPT structures byte by byte,
// not through libfdisk, which is what the code under test uses.

#include "sys/blkid_probe.hpp"
#include "sys/partition.hpp"
#include "test_partition_images.hpp"

#include <chrono>
#include <fcntl.h>
#include <future>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

using namespace css;
using css::test::Image;
using css::test::le32;
using css::test::le64;

namespace {

constexpr uint64_t MiB = 1024 * 1024;
constexpr uint64_t TiB = MiB * MiB;

struct MbrEntry {
        uint8_t type;
        uint32_t start, sectors;
};

MbrEntry mbr_entry(const Image &img, unsigned slot)
{
        auto b = img.read(446 + 16 * slot, 16);
        return {b[4], le32(b, 8), le32(b, 12)};
}

struct GptHeader {
        std::string signature;
        uint64_t my_lba, alternate_lba, first_usable, last_usable, entries_lba;
        uint32_t entries, entry_size;
};

GptHeader gpt_header(const Image &img, uint64_t lba)
{
        auto b = img.read(lba * 512, 92);
        return {std::string(b.begin(), b.begin() + 8),
                le64(b, 24),
                le64(b, 32),
                le64(b, 40),
                le64(b, 48),
                le64(b, 72),
                le32(b, 80),
                le32(b, 84)};
}

struct GptEntry {
        std::vector<uint8_t> type_guid;
        uint64_t first, last;
};

GptEntry gpt_entry(const Image &img, const GptHeader &h, unsigned index)
{
        auto b = img.read(h.entries_lba * 512 + index * h.entry_size, 128);
        return {std::vector<uint8_t>(b.begin(), b.begin() + 16), le64(b, 32), le64(b, 40)};
}

// E6D6D379-F507-44C2-A23C-238F2A3DF928 as stored: the first three fields little-endian.
const std::vector<uint8_t> lvm_guid_bytes = {0x79, 0xd3, 0xd6, 0xe6, 0x07, 0xf5, 0xc2, 0x44,
                                             0xa2, 0x3c, 0x23, 0x8f, 0x2a, 0x3d, 0xf9, 0x28};

} // namespace

TEST(Partition, LabelTypeSwitchesAboveTwoTebibytes)
{
        EXPECT_EQ(partition::label_type_for_size(64 * MiB), partition::LabelType::dos);
        EXPECT_EQ(partition::label_type_for_size(2199023255040ULL), partition::LabelType::dos);
        EXPECT_EQ(partition::label_type_for_size(2199023255041ULL), partition::LabelType::gpt);
        EXPECT_EQ(partition::label_type_for_size(3 * TiB), partition::LabelType::gpt);
        EXPECT_EQ(partition::label_name(partition::LabelType::gpt), "gpt");
        EXPECT_EQ(partition::label_name(partition::LabelType::dos), "dos");
}

TEST(Partition, GrowpartLines)
{
        partition::Growth g{2, 616448, 83269632, 85366784};
        EXPECT_EQ(partition::format_change(g, false),
                  "CHANGED: partition=2 start=616448 old: size=83269632 end=83886080 new: size=85366784,end=85983232");
        EXPECT_EQ(partition::format_change(g, true),
                  "CHANGE: partition=2 start=616448 old: size=83269632 end=83886080 new: size=85366784,end=85983232");
        EXPECT_EQ(partition::format_nochange(g), "NOCHANGE: partition 2 is size 83269632. it cannot be grown");
}

TEST(Partition, NewSmallDiskGetsDosWithOneLvmPartition)
{
        Image img(64 * MiB);
        img.fill(0, 4 * MiB, 0x5a);    // old data without any signature
        img.fill(5 * MiB, 4096, 0xa5); // data past the zeroed head

        auto p = partition::create_lvm_partition(img.path(), false);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->label, partition::LabelType::dos);
        EXPECT_EQ(p->number, 1u);
        EXPECT_EQ(p->start, 2048u);
        EXPECT_EQ(p->size, 64 * MiB / 512 - 2048);

        auto e = mbr_entry(img, 0);
        EXPECT_EQ(e.type, 0x8e);
        EXPECT_EQ(e.start, 2048u);
        EXPECT_EQ(e.sectors, 64 * MiB / 512 - 2048);
        for (unsigned slot = 1; slot < 4; slot++)
                EXPECT_EQ(mbr_entry(img, slot).type, 0) << slot;
        auto sig = img.read(510, 2);
        EXPECT_EQ(sig, (std::vector<uint8_t>{0x55, 0xaa}));

        // #269: the first 4 MiB are zero apart from the MBR itself.
        auto head = img.read(512, 4 * MiB - 512);
        EXPECT_EQ(std::count(head.begin(), head.end(), 0), static_cast<long>(head.size()));
        EXPECT_EQ(img.read(5 * MiB, 4096), std::vector<uint8_t>(4096, 0xa5));

        auto sigs = blkid::list_signatures(img.path());
        ASSERT_TRUE(sigs.ok());
        ASSERT_EQ(sigs->size(), 1u);
        EXPECT_EQ((*sigs)[0].type, "dos");
}

TEST(Partition, NewLargeDiskGetsGpt)
{
        Image img(3 * TiB); // sparse
        auto p = partition::create_lvm_partition(img.path(), false);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->label, partition::LabelType::gpt);
        uint64_t total = 3 * TiB / 512;

        EXPECT_EQ(mbr_entry(img, 0).type, 0xee); // protective MBR
        auto h = gpt_header(img, 1);
        EXPECT_EQ(h.signature, "EFI PART");
        EXPECT_EQ(h.alternate_lba, total - 1);
        EXPECT_EQ(h.last_usable, total - 34);
        auto e = gpt_entry(img, h, 0);
        EXPECT_EQ(e.type_guid, lvm_guid_bytes);
        EXPECT_EQ(e.first, 2048u);
        // To the end, with libfdisk's (and so sfdisk's) 1 MiB alignment of the end.
        EXPECT_LE(e.last, h.last_usable);
        EXPECT_GT(e.last + 2048, h.last_usable);
        EXPECT_EQ((e.last + 1) % 2048, 0u);
        EXPECT_EQ(p->start, 2048u);
        EXPECT_EQ(p->size, e.last - 2048 + 1);

        auto backup = gpt_header(img, total - 1);
        EXPECT_EQ(backup.signature, "EFI PART");
        EXPECT_EQ(backup.my_lba, total - 1);
        EXPECT_EQ(backup.alternate_lba, 1u);
}

TEST(Partition, NewDiskWithASignatureIsRefusedUntouched)
{
        Image img(64 * MiB);
        img.write(512, css::test::lvm2_label_sector());
        auto before = img.read(0, 4 * MiB);
        auto p = partition::create_lvm_partition(img.path(), false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "Found LVM2_member signature on device " + img.path() +
                                             " at offset 0x218. Wipe signatures using wipefs or use "
                                             "WIPE_SIGNATURES=true and retry.");
        EXPECT_EQ(img.read(0, 4 * MiB), before);
}

TEST(Partition, NewDiskDryRunPrintsAndWritesNothing)
{
        Image img(64 * MiB);
        img.fill(0, 4 * MiB, 0x5a);
        ::testing::internal::CaptureStdout();
        auto p = partition::create_lvm_partition(img.path(), true);
        std::string out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(out, "would zero the first 4194304 bytes of " + img.path() +
                               " and write a dos partition table with partition 1 (Linux LVM): start=2048 "
                               "size=129024\n");
        EXPECT_EQ(img.read(0, 4 * MiB), std::vector<uint8_t>(4 * MiB, 0x5a));
}

// Issue 15: a dry run takes no exclusive lock on the disk. Someone holds it here (as a real
// run, or udev, would): the dry runs still answer at once.
TEST(Partition, DryRunsTakeNoLock)
{
        Image img(64 * MiB);
        ASSERT_TRUE(partition::create_lvm_partition(img.path(), false).ok());
        img.resize(128 * MiB);
        int held = ::open(img.path().c_str(), O_RDONLY | O_CLOEXEC);
        ASSERT_GE(held, 0);
        ASSERT_EQ(::flock(held, LOCK_EX | LOCK_NB), 0);
        auto dry_runs = std::async(std::launch::async, [&] {
                ::testing::internal::CaptureStdout();
                bool ok = partition::create_lvm_partition(img.path(), true).ok() == false &&
                          partition::grow_partition(img.path(), 1, true).ok();
                ::testing::internal::GetCapturedStdout();
                return ok;
        });
        bool answered = dry_runs.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
        ::close(held); // lets a dry run that waited for the lock finish
        EXPECT_TRUE(answered) << "a dry run waited for the disk's lock";
        // The partitioned image is refused (it has a signature); growing it would work.
        EXPECT_TRUE(dry_runs.get());
}

TEST(Partition, GrowDosIntoTheNewSpaceThenNothingToGrow)
{
        Image img(32 * MiB);
        ASSERT_TRUE(partition::create_lvm_partition(img.path(), false).ok());
        img.resize(64 * MiB);

        ::testing::internal::CaptureStdout();
        auto g = partition::grow_partition(img.path(), 1, false);
        std::string out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(g.ok()) << g.error().message;
        EXPECT_TRUE(g->changed());
        EXPECT_EQ(g->start, 2048u);
        EXPECT_EQ(g->old_size, 32 * MiB / 512 - 2048);
        EXPECT_EQ(g->new_size, 64 * MiB / 512 - 2048);
        EXPECT_EQ(out, "CHANGED: partition=1 start=2048 old: size=63488 end=65536 new: size=129024,end=131072\n");
        auto e = mbr_entry(img, 0);
        EXPECT_EQ(e.start, 2048u);
        EXPECT_EQ(e.sectors, 129024u);
        EXPECT_EQ(e.type, 0x8e);

        ::testing::internal::CaptureStdout();
        g = partition::grow_partition(img.path(), 1, false);
        out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(g.ok()) << g.error().message;
        EXPECT_FALSE(g->changed());
        EXPECT_EQ(out, "NOCHANGE: partition 1 is size 129024. it cannot be grown\n");
}

// Only the free space right after the partition: never over the next one.
TEST(Partition, GrowStopsAtTheNextPartition)
{
        Image img(64 * MiB);
        css::test::write_mbr_entry(img, 0, 0x83, 2048, 8192);   // ends at 10239
        css::test::write_mbr_entry(img, 1, 0x8e, 40960, 20480); // ends at 61439, then free
        ::testing::internal::CaptureStdout();
        auto g1 = partition::grow_partition(img.path(), 1, false);
        auto g2 = partition::grow_partition(img.path(), 2, false);
        ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(g1.ok()) << g1.error().message;
        ASSERT_TRUE(g2.ok()) << g2.error().message;
        EXPECT_EQ(mbr_entry(img, 0).start, 2048u);
        EXPECT_EQ(mbr_entry(img, 0).sectors, 40960u - 2048u);
        EXPECT_EQ(mbr_entry(img, 1).start, 40960u);
        EXPECT_EQ(mbr_entry(img, 1).sectors, 64 * MiB / 512 - 40960);
        EXPECT_EQ(mbr_entry(img, 1).type, 0x8e);
}

TEST(Partition, GrowAdjacentPartitionIsNothingToGrow)
{
        Image img(64 * MiB);
        css::test::write_mbr_entry(img, 0, 0x83, 2048, 8192);
        css::test::write_mbr_entry(img, 1, 0x8e, 10240, 20480);
        auto before = img.read(0, 4096);
        ::testing::internal::CaptureStdout();
        auto g = partition::grow_partition(img.path(), 1, false);
        std::string out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(g.ok());
        EXPECT_FALSE(g->changed());
        EXPECT_EQ(out, "NOCHANGE: partition 1 is size 8192. it cannot be grown\n");
        EXPECT_EQ(img.read(0, 4096), before);
}

TEST(Partition, GrowGptMovesTheBackupHeaderAndDryRunWritesNothing)
{
        Image img(3 * TiB);
        auto created = partition::create_lvm_partition(img.path(), false);
        ASSERT_TRUE(created.ok());
        img.resize(3 * TiB + 64 * MiB);
        uint64_t total = (3 * TiB + 64 * MiB) / 512;
        uint64_t expect_size = (total - 34) - 2048 + 1;

        auto head_before = img.read(0, 64 * 1024);
        ::testing::internal::CaptureStdout();
        auto dry = partition::grow_partition(img.path(), 1, true);
        std::string out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(dry.ok()) << dry.error().message;
        EXPECT_EQ(dry->new_size, expect_size);
        EXPECT_EQ(out, partition::format_change(*dry, true) + "\n");
        EXPECT_EQ(img.read(0, 64 * 1024), head_before);
        EXPECT_EQ(gpt_header(img, total - 1).signature, std::string(8, '\0'));

        ::testing::internal::CaptureStdout();
        auto g = partition::grow_partition(img.path(), 1, false);
        out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(g.ok()) << g.error().message;
        EXPECT_EQ(g->start, 2048u);
        EXPECT_EQ(g->old_size, created->size);
        EXPECT_EQ(g->new_size, expect_size);
        EXPECT_EQ(out, partition::format_change(*g, false) + "\n");

        auto h = gpt_header(img, 1);
        EXPECT_EQ(h.alternate_lba, total - 1);
        EXPECT_EQ(h.last_usable, total - 34);
        auto e = gpt_entry(img, h, 0);
        EXPECT_EQ(e.first, 2048u);
        EXPECT_EQ(e.last, total - 34);
        EXPECT_EQ(e.type_guid, lvm_guid_bytes);
        auto backup = gpt_header(img, total - 1);
        EXPECT_EQ(backup.signature, "EFI PART");
        EXPECT_EQ(backup.my_lba, total - 1);
        EXPECT_EQ(backup.last_usable, total - 34);

        ::testing::internal::CaptureStdout();
        g = partition::grow_partition(img.path(), 1, false);
        out = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(g.ok());
        EXPECT_FALSE(g->changed());
        EXPECT_EQ(out, partition::format_nochange(*g) + "\n");
}

TEST(Partition, GrowErrors)
{
        Image blank(16 * MiB);
        auto r = partition::grow_partition(blank.path(), 1, false);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "'" + blank.path() + "' has no partition table");

        Image img(16 * MiB);
        css::test::write_mbr_entry(img, 0, 0x83, 2048, 8192);
        r = partition::grow_partition(img.path(), 2, false);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "'" + img.path() + "' has no partition 2");
        EXPECT_FALSE(partition::grow_partition(img.path(), 0, false).ok());
        EXPECT_FALSE(partition::grow_partition(img.path(), 5, false).ok());
        EXPECT_FALSE(partition::grow_partition("/nonexistent/disk", 1, false).ok());
}
