// SPDX-License-Identifier: Apache-2.0
//
// The decisions of the disk-side steps, without disks: which DEVS disks are new, ours and
// half-prepared, or refused (css-prepare-disk); which PVs go to vgcreate or vgextend (css-vg);
// when pvresize has something to do (css-pvresize). The loop-device tests in tests/host/
// check the same steps against the kernel.

#include "lvm/report.hpp"
#include "steps/growpart.hpp"
#include "steps/prepare_disk_layout.hpp"
#include "steps/pvresize.hpp"
#include "steps/vg.hpp"

#include <gtest/gtest.h>

using namespace css;
using disk_plan::Action;

namespace {

constexpr uint64_t MiB = 1024 * 1024;
constexpr uint64_t GiB = 1024 * MiB;
const std::string lvm_guid = "E6D6D379-F507-44C2-A23C-238F2A3DF928";

blkid::Signature sig(std::string type, uint64_t offset, bool table = false)
{
        blkid::Signature s;
        s.type = std::move(type);
        s.offset = offset;
        s.partition_table = table;
        s.usage = table ? "partition table" : "filesystem";
        return s;
}

// A 10 GiB disk as create_lvm_partition() leaves it: DOS, partition 1 from 2048 to the end.
disk_plan::DiskFacts ours_dos()
{
        disk_plan::DiskFacts f;
        f.disk = "/dev/vdb";
        f.disk_bytes = 10 * GiB;
        f.disk_signatures = {sig("dos", 0x1fe, true)};
        f.table.label = "dos";
        f.table.entries = {{1, 2048, 10 * GiB / 512 - 2048, "0x8e"}};
        f.first_partition = "/dev/vdb1";
        return f;
}

disk_plan::DiskFacts ours_gpt()
{
        disk_plan::DiskFacts f;
        f.disk = "/dev/nvme1n1";
        f.disk_bytes = 3 * 1024 * GiB;
        f.disk_signatures = {sig("gpt", 0x200, true), sig("gpt", f.disk_bytes - 512, true), sig("PMBR", 0x1fe, true)};
        f.table.label = "gpt";
        // The last usable LBA is 34 sectors before the end; libfdisk aligns the end down.
        f.table.entries = {{1, 2048, f.disk_bytes / 512 - 2048 - 2048, lvm_guid}};
        f.first_partition = "/dev/nvme1n1p1";
        return f;
}

disk_plan::DiskFacts blank()
{
        disk_plan::DiskFacts f;
        f.disk = "/dev/vdb";
        f.disk_bytes = 10 * GiB;
        return f;
}

} // namespace

TEST(StepsDiskDecide, BlankDiskIsPrepared)
{
        auto d = disk_plan::decide(blank(), "docker-vg", false);
        EXPECT_EQ(d.action, Action::prepare);
}

TEST(StepsDiskDecide, SignatureIsRefusedWithTheOriginalsMessage)
{
        auto f = blank();
        f.disk_signatures = {sig("ext4", 0x438)};
        auto d = disk_plan::decide(f, "docker-vg", false);
        EXPECT_EQ(d.action, Action::refuse);
        EXPECT_EQ(d.message, "Found ext4 signature on device /dev/vdb at offset 0x438. Wipe signatures using "
                             "wipefs or use WIPE_SIGNATURES=true and retry.");
        EXPECT_EQ(disk_plan::decide(f, "docker-vg", true).action, Action::prepare);
}

TEST(StepsDiskDecide, ForeignPartitionsAreRefusedUnlessWiping)
{
        auto f = ours_dos();
        f.table.entries[0].type = "0x83";
        f.first_partition_signatures = {sig("ext4", 0x438)};
        auto d = disk_plan::decide(f, "docker-vg", false);
        EXPECT_EQ(d.action, Action::refuse);
        EXPECT_EQ(d.message, "Device /dev/vdb is already partitioned and cannot be added to volume group docker-vg");
        EXPECT_EQ(disk_plan::decide(f, "docker-vg", true).action, Action::prepare);
}

TEST(StepsDiskDecide, PvOfTheVgIsSkipped)
{
        auto f = ours_dos();
        f.first_partition_signatures = {sig("LVM2_member", 0x218)};
        f.first_partition_vg = "docker-vg";
        auto d = disk_plan::decide(f, "docker-vg", false);
        EXPECT_EQ(d.action, Action::in_vg);
        EXPECT_EQ(d.message, "Device /dev/vdb is already partitioned and is part of volume group docker-vg");
        // Before WIPE_SIGNATURES is even looked at: a reboot never wipes a PV of the VG.
        EXPECT_EQ(disk_plan::decide(f, "docker-vg", true).action, Action::in_vg);
}

TEST(StepsDiskDecide, PvOfSomeoneElsesVgIsRefused)
{
        auto f = ours_dos();
        f.first_partition_signatures = {sig("LVM2_member", 0x218)};
        f.first_partition_vg = "data";
        auto d = disk_plan::decide(f, "docker-vg", false);
        EXPECT_EQ(d.action, Action::refuse);
        EXPECT_EQ(d.message, "Device /dev/vdb is already partitioned and cannot be added to volume group docker-vg");
}

TEST(StepsDiskDecide, OurEmptyPartitionIsFinished)
{
        // #63/#150: a power cut after the table was written and before pvcreate.
        auto d = disk_plan::decide(ours_dos(), "docker-vg", false);
        EXPECT_EQ(d.action, Action::finish_pvcreate);
        EXPECT_NE(d.message.find("/dev/vdb1"), std::string::npos);
        EXPECT_EQ(disk_plan::decide(ours_gpt(), "docker-vg", false).action, Action::finish_pvcreate);
}

TEST(StepsDiskDecide, OurOrphanPvIsLeftForCssVg)
{
        // A power cut after pvcreate and before vgcreate/vgextend.
        auto f = ours_gpt();
        f.first_partition_signatures = {sig("LVM2_member", 0x218)};
        f.first_partition_vg = "";
        EXPECT_EQ(disk_plan::decide(f, "docker-vg", false).action, Action::prepared);
}

// Issue 15: a PV label lvm does not report (an lvm devices file that leaves the disk out, the
// default on RHEL 9; a filter; a foreign system ID) may be anyone's PV, ours of an earlier boot
// included. Refused, WIPE_SIGNATURES=true or not, and the message names the device.
TEST(StepsDiskDecide, PvLabelLvmDoesNotReportIsNeverWiped)
{
        const std::string why = "has an LVM physical volume label that lvm does not report (an lvm devices file, "
                                "a filter or a foreign system ID hides it); not wiping it, even with "
                                "WIPE_SIGNATURES=true";
        // Our own layout: partition 1 carries the label, lvm lists no PV there.
        auto ours = ours_dos();
        ours.first_partition_signatures = {sig("LVM2_member", 0x218)};
        ours.unreported_pv_labels = {"/dev/vdb1"};
        for (bool wipe : {true, false}) {
                auto d = disk_plan::decide(ours, "docker-vg", wipe);
                EXPECT_EQ(d.action, Action::refuse) << "WIPE_SIGNATURES=" << wipe;
                EXPECT_NE(d.message.find("Partition /dev/vdb1 of device /dev/vdb " + why), std::string::npos)
                        << d.message;
        }
        // A PV on the whole disk.
        auto whole = blank();
        whole.disk_signatures = {sig("LVM2_member", 0x218)};
        whole.unreported_pv_labels = {"/dev/vdb"};
        auto d = disk_plan::decide(whole, "docker-vg", true);
        EXPECT_EQ(d.action, Action::refuse);
        EXPECT_NE(d.message.find("Device /dev/vdb " + why), std::string::npos) << d.message;
        // A second partition of someone's disk.
        auto two = ours_dos();
        two.table.entries.push_back({2, 10 * GiB / 512 - 4096, 2048, "0x8e"});
        two.table.entries[0].size -= 4096;
        two.unreported_pv_labels = {"/dev/vdb2"};
        d = disk_plan::decide(two, "docker-vg", true);
        EXPECT_EQ(d.action, Action::refuse);
        EXPECT_NE(d.message.find("Partition /dev/vdb2 of device /dev/vdb has an LVM"), std::string::npos) << d.message;
}

// The same labels, reported by lvm: WIPE_SIGNATURES=true keeps the original's meaning.
TEST(StepsDiskDecide, PvLabelLvmReportsIsWipedOnRequest)
{
        auto whole = blank();
        whole.disk_signatures = {sig("LVM2_member", 0x218)};
        EXPECT_EQ(disk_plan::decide(whole, "docker-vg", true).action, Action::prepare);
        auto d = disk_plan::decide(whole, "docker-vg", false);
        EXPECT_EQ(d.action, Action::refuse);
        EXPECT_EQ(d.message, "Found LVM2_member signature on device /dev/vdb at offset 0x218. Wipe signatures using "
                             "wipefs or use WIPE_SIGNATURES=true and retry.");
        auto other = ours_dos();
        other.table.entries[0].type = "0x83";
        other.first_partition_signatures = {sig("LVM2_member", 0x218)};
        other.first_partition_vg = "";
        EXPECT_EQ(disk_plan::decide(other, "docker-vg", true).action, Action::prepare);
}

TEST(StepsDiskDecide, FourKSectorDiskStartsAt2048LogicalSectors)
{
        auto f = ours_dos();
        f.sector_size = 4096;
        EXPECT_FALSE(disk_plan::is_our_layout(f));
        f.table.entries[0].start = 2048 * 8;
        f.table.entries[0].size = f.disk_bytes / 512 - 2048 * 8;
        EXPECT_TRUE(disk_plan::is_our_layout(f));
}

// Every way a disk can differ from what we write makes it "not ours", so it is refused.
TEST(StepsDiskDecide, AnythingElseIsNotOurs)
{
        auto expect_refused = [](const disk_plan::DiskFacts &f, const char *why) {
                EXPECT_FALSE(disk_plan::is_our_layout(f)) << why;
                EXPECT_EQ(disk_plan::decide(f, "docker-vg", false).action, Action::refuse) << why;
        };
        // Our layout, but the partition holds something that is not ours to finish.
        auto expect_content_refused = [](const disk_plan::DiskFacts &f, const char *why) {
                EXPECT_TRUE(disk_plan::is_our_layout(f)) << why;
                EXPECT_EQ(disk_plan::decide(f, "docker-vg", false).action, Action::refuse) << why;
        };
        ASSERT_TRUE(disk_plan::is_our_layout(ours_dos()));
        ASSERT_TRUE(disk_plan::is_our_layout(ours_gpt()));

        auto f = ours_dos();
        f.table.entries[0].type = "0x83";
        expect_refused(f, "Linux type, not LVM");
        f = ours_gpt();
        f.table.entries[0].type = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
        expect_refused(f, "GPT Linux filesystem type");
        f = ours_dos();
        f.table.entries[0].start = 4096;
        f.table.entries[0].size -= 2048;
        expect_refused(f, "starts elsewhere");
        f = ours_dos();
        f.table.entries[0].size -= 100 * MiB / 512;
        expect_refused(f, "does not reach the end");
        f = ours_dos();
        f.table.entries[0].size += 2048;
        expect_refused(f, "beyond the end");
        f = ours_dos();
        f.table.entries.push_back({2, 10 * GiB / 512 - 4096, 2048, "0x83"});
        f.table.entries[0].size -= 4096;
        expect_refused(f, "two partitions");
        f = ours_dos();
        f.table.entries[0].number = 2;
        expect_refused(f, "partition 2 only");
        f = ours_dos();
        f.disk_signatures.push_back(sig("linux_raid_member", 10 * GiB - 64 * 1024));
        expect_refused(f, "md superblock at the end of the disk");
        f = ours_gpt();
        f.table.label = "dos";
        f.table.entries[0].type = "0x8e";
        expect_refused(f, "gpt signatures under a dos table");
        f = ours_dos();
        f.first_partition.clear();
        expect_refused(f, "the kernel does not show the partition");
        f = ours_dos();
        f.first_partition_signatures = {sig("xfs", 0)};
        expect_content_refused(f, "a filesystem in our partition");
        f = ours_dos();
        f.first_partition_signatures = {sig("LVM2_member", 0x218)};
        expect_content_refused(f, "an LVM label lvm does not know");
        f = ours_dos();
        f.first_partition_signatures = {sig("LVM2_member", 0x218), sig("xfs", 0)};
        f.first_partition_vg = "";
        expect_content_refused(f, "an orphan PV label over a filesystem");
}

TEST(StepsDiskDecide, PartitionNodeNames)
{
        EXPECT_EQ(disk_plan::partition_node("/dev/vdb", 1), "/dev/vdb1");
        EXPECT_EQ(disk_plan::partition_node("/dev/sdb", 2), "/dev/sdb2");
        EXPECT_EQ(disk_plan::partition_node("/dev/nvme0n1", 1), "/dev/nvme0n1p1");
        EXPECT_EQ(disk_plan::partition_node("/dev/mmcblk0", 1), "/dev/mmcblk0p1");
        EXPECT_EQ(disk_plan::partition_node("/dev/loop7", 1), "/dev/loop7p1");
}

TEST(StepsVgPlan, NewVgGetsEveryPreparedDisk)
{
        std::vector<vg_plan::Member> m = {{"/dev/vdb", "/dev/vdb1", ""}, {"/dev/vdc", "/dev/vdc1", ""}};
        auto p = vg_plan::plan("docker-vg", false, m);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->kind, vg_plan::Plan::Kind::create);
        EXPECT_EQ(vg_plan::argv("docker-vg", *p),
                  (std::vector<std::string>{"vgcreate", "docker-vg", "/dev/vdb1", "/dev/vdc1"}));
}

TEST(StepsVgPlan, ExistingVgIsExtendedWithTheNewOnesOnly)
{
        std::vector<vg_plan::Member> m = {{"/dev/vdb", "/dev/vdb1", "docker-vg"}, {"/dev/vdc", "/dev/vdc1", ""}};
        auto p = vg_plan::plan("docker-vg", true, m);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->kind, vg_plan::Plan::Kind::extend);
        EXPECT_EQ(vg_plan::argv("docker-vg", *p), (std::vector<std::string>{"vgextend", "docker-vg", "/dev/vdc1"}));
}

TEST(StepsVgPlan, NothingToDoRunsNothing)
{
        std::vector<vg_plan::Member> m = {{"/dev/vdb", "/dev/vdb1", "docker-vg"}};
        auto p = vg_plan::plan("docker-vg", true, m);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->kind, vg_plan::Plan::Kind::nothing);
        EXPECT_TRUE(vg_plan::argv("docker-vg", *p).empty());
        auto none = vg_plan::plan("docker-vg", false, {});
        ASSERT_TRUE(none.ok());
        EXPECT_EQ(none->kind, vg_plan::Plan::Kind::nothing);
}

TEST(StepsVgPlan, TwoSpellingsOfOneDiskGiveOnePv)
{
        std::vector<vg_plan::Member> m = {{"/dev/vdb", "/dev/vdb1", ""}, {"/dev/vdb", "/dev/vdb1", ""}};
        auto p = vg_plan::plan("docker-vg", false, m);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->pvs, (std::vector<std::string>{"/dev/vdb1"}));
}

TEST(StepsVgPlan, RefusesWhatPrepareDiskDidNotPrepare)
{
        auto other = vg_plan::plan("docker-vg", true, {{"/dev/vdb", "/dev/vdb1", "data"}});
        ASSERT_FALSE(other.ok());
        EXPECT_EQ(other.error().message,
                  "Device /dev/vdb is already partitioned and cannot be added to volume group docker-vg");
        auto bare = vg_plan::plan("docker-vg", false, {{"/dev/vdb", "", std::nullopt}});
        ASSERT_FALSE(bare.ok());
        EXPECT_NE(bare.error().message.find("/dev/vdb has no partition"), std::string::npos);
        auto not_pv = vg_plan::plan("docker-vg", false, {{"/dev/vdb", "/dev/vdb1", std::nullopt}});
        ASSERT_FALSE(not_pv.ok());
        EXPECT_NE(not_pv.error().message.find("/dev/vdb1 of device /dev/vdb is not a physical volume"),
                  std::string::npos);
}

TEST(StepsPvResize, AtomicLayoutBeforeAndAfterGrowpart)
{
        // vda2 of the lab: 5 GiB partition, pe_start 1 MiB, 4 MiB extents: 1279 extents.
        lvm::Pv pv;
        pv.name = "/dev/vda2";
        pv.pe_start = MiB;
        pv.size = 1279 * 4 * MiB;
        EXPECT_FALSE(pv_resize::needs_resize(5 * GiB, pv, 4 * MiB));
        // The 3 MiB left over make a whole extent with one more MiB.
        EXPECT_TRUE(pv_resize::needs_resize(5 * GiB + MiB, pv, 4 * MiB));
        EXPECT_TRUE(pv_resize::needs_resize(11 * GiB, pv, 4 * MiB));
        // Grown by less than an extent: pvresize would change nothing.
        lvm::Pv exact;
        exact.pe_start = MiB;
        exact.size = 1280 * 4 * MiB;
        EXPECT_FALSE(pv_resize::needs_resize(5 * GiB + MiB, exact, 4 * MiB));
        EXPECT_FALSE(pv_resize::needs_resize(5 * GiB + 4 * MiB, exact, 4 * MiB));
        EXPECT_TRUE(pv_resize::needs_resize(5 * GiB + 5 * MiB, exact, 4 * MiB));
        // Without pe_start the rule errs towards running pvresize, never towards skipping it.
        exact.pe_start.reset();
        EXPECT_TRUE(pv_resize::needs_resize(5 * GiB + 4 * MiB, exact, 4 * MiB));
        // An orphan PV has no extents: bytes are compared.
        lvm::Pv orphan;
        orphan.pe_start = MiB;
        orphan.size = GiB - MiB;
        EXPECT_FALSE(pv_resize::needs_resize(GiB, orphan, 0));
        EXPECT_TRUE(pv_resize::needs_resize(2 * GiB, orphan, 0));
}

TEST(StepsPvResize, ReportCarriesPeStart)
{
        auto s = lvm::parse_report(R"({"report":[{"pv":[{"pv_name":"/dev/vda2","vg_name":"atomicos",
                "pv_uuid":"u","pv_size":"5364514816","pv_free":"0","dev_size":"5368709120","pv_major":"252",
                "pv_minor":"2","pe_start":"1048576"}]}]})");
        ASSERT_TRUE(s.ok()) << s.error().message;
        ASSERT_EQ(s->pvs.size(), 1u);
        EXPECT_EQ(s->pvs[0].pe_start, MiB);
        EXPECT_FALSE(pv_resize::needs_resize(s->pvs[0].dev_size, s->pvs[0], 4 * MiB));
}

TEST(StepsGrowRoot, RootFromTheKernelCommandLine)
{
        using root_growth::root_from_cmdline;
        EXPECT_EQ(root_from_cmdline("console=ttyS0 root=/dev/mapper/atomicos-root rw"), "/dev/mapper/atomicos-root");
        EXPECT_EQ(root_from_cmdline("root=/dev/vda1 root=UUID=1234-abcd"), "/dev/disk/by-uuid/1234-abcd");
        EXPECT_EQ(root_from_cmdline("root=LABEL=\"my root\""), "/dev/disk/by-label/my root");
        EXPECT_EQ(root_from_cmdline("root=PARTUUID=0a1b-02"), "/dev/disk/by-partuuid/0a1b-02");
        EXPECT_EQ(root_from_cmdline("root=PARTLABEL=root"), "/dev/disk/by-partlabel/root");
        EXPECT_EQ(root_from_cmdline("quiet rootflags=x"), std::nullopt);
        EXPECT_EQ(root_from_cmdline("root=tmpfs"), std::nullopt);
}
