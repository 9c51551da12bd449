// SPDX-License-Identifier: Apache-2.0
//
// The disk-side steps (css-prepare-disk, css-vg, css-growpart's and css-pvresize's work) on
// loop devices with the real kernel, libblkid, libfdisk and lvm. pvcreate, vgcreate,
// vgextend and pvresize only write LVM metadata, which needs no device-mapper, so the whole
// DEVS path runs on the host; only LV activation needs the VM. Each test uses its own VG
// name and removes what it created. Without lvm the LVM tests skip.

#include "config/config.hpp"
#include "host_util.hpp"
#include "steps/devs_identity.hpp"
#include "steps/growpart.hpp"
#include "steps/prepare_disk.hpp"
#include "steps/prepare_disk_layout.hpp"
#include "steps/pvresize.hpp"
#include "steps/step_context.hpp"
#include "steps/vg.hpp"
#include "sys/blkid_probe.hpp"
#include "sys/block.hpp"
#include "sys/partition.hpp"
#include "sys/process.hpp"

#include <chrono>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <memory>
#include <sys/file.h>
#include <unistd.h>

using namespace css;
using namespace css::host_test;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

bool have_lvm()
{
        return have_tool("lvm") && have_tool("pvcreate");
}

#define REQUIRE_LVM()                                                                                                  \
        do {                                                                                                           \
                if (!have_lvm())                                                                                       \
                        GTEST_SKIP() << "lvm is not installed";                                                        \
        } while (0)

std::string unique_vg()
{
        static unsigned n = 0;
        return "css-h1-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
}

// Removes the test's VG and the PVs it made, whatever the test did.
struct LvmCleanup {
        std::string vg;
        std::vector<std::string> pvs;
        ~LvmCleanup()
        {
                if (!vg.empty())
                        run({"vgremove", "-y", "-f", vg});
                for (const auto &pv : pvs)
                        run({"pvremove", "-y", "-ff", pv});
        }
};

// The VG of a PV as lvm reports it, "" for an orphan, "-" when it is no PV.
std::string vg_of(const std::string &pv)
{
        auto r = run({"pvs", "--noheadings", "-o", "vg_name", pv});
        if (r.status != 0)
                return "-";
        std::string s = r.out;
        s.erase(0, s.find_first_not_of(" \n"));
        s.erase(s.find_last_not_of(" \n") + 1);
        return s;
}

Config config_for(const std::string &vg, std::vector<std::string> devs)
{
        Config c;
        c.vg = vg;
        c.devs = std::move(devs);
        c.device_wait_timeout = 20;
        return c;
}

int prepare(const Config &c, const std::string &dev, RunMode mode = RunMode::apply)
{
        StepContext context(c, mode);
        return steps::prepare_disk(context, dev);
}

int make_vg(const Config &c)
{
        StepContext context(c, RunMode::apply);
        return steps::create_or_extend_vg(context);
}

// A loop disk. A partition table someone else made is written to the image before the loop
// device is set up (losetup -P scans it): sfdisk on the loop node does not get the kernel
// to re-read it in every environment.
struct Disk {
        ImageFile image;
        std::unique_ptr<LoopDevice> loop;
        explicit Disk(uint64_t bytes = 64 * MiB, const std::string &sfdisk_script = "") : image(bytes)
        {
                if (!sfdisk_script.empty()) {
                        EXPECT_EQ(run({"sfdisk", "--quiet", image.path()}, sfdisk_script).status, 0);
                }
                loop = std::make_unique<LoopDevice>(image.path());
        }
        const std::string &dev() const { return loop->dev(); }
};

// A 64 MiB loop disk as a root disk: partition 1, then partition 2 a PV of its own VG; grow()
// makes the disk 128 MiB underneath, as a resized cloud volume.
struct GrownPvDisk {
        ImageFile image{64 * MiB};
        bool ok = run({"sfdisk", "--quiet", image.path()},
                      "label: dos\nstart=2048, size=20480, type=83\nstart=22528, size=40960, type=8e\n")
                          .status == 0;
        LoopDevice loop{image.path()};
        LvmCleanup cleanup{unique_vg(), {loop.part(2)}};
        GrownPvDisk() { ok = ok && loop.ok() && run({"vgcreate", cleanup.vg, loop.part(2)}).status == 0; }
        void grow()
        {
                image.resize(128 * MiB);
                loop.refresh_capacity();
        }
};

std::vector<std::string> signature_types(const std::string &dev)
{
        std::vector<std::string> out;
        auto s = blkid::list_signatures(dev);
        if (s)
                for (const auto &sig : *s)
                        out.push_back(sig.type);
        return out;
}

} // namespace

TEST(StepsPrepareDisk, RefusesAPartitionAndWhatIsNoBlockDevice)
{
        Disk disk(64 * MiB, "label: dos\nstart=2048, type=83\n");
        ASSERT_TRUE(disk.loop->ok());
        Config c = config_for(unique_vg(), {});
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(prepare(c, disk.loop->part(1)), 1);
        EXPECT_EQ(prepare(c, "/dev/css-h1-no-such-disk"), 1);
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("Partition specification unsupported at this time."), std::string::npos) << err;
        EXPECT_NE(err.find("/dev/css-h1-no-such-disk is not a valid block device."), std::string::npos) << err;
}

TEST(StepsPrepareDisk, RefusesAFilesystemAndLeavesItAlone)
{
        if (!have_tool("mkfs.ext4"))
                GTEST_SKIP() << "mkfs.ext4 is not installed";
        Disk disk;
        ASSERT_EQ(run({"mkfs.ext4", "-q", "-F", disk.dev()}).status, 0);
        Config c = config_for(unique_vg(), {disk.dev()});
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(prepare(c, disk.dev()), 1);
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("Found ext4 signature on device " + disk.dev() +
                           " at offset 0x438. Wipe signatures using wipefs or use WIPE_SIGNATURES=true and retry."),
                  std::string::npos)
                << err;
        EXPECT_EQ(signature_types(disk.dev()), std::vector<std::string>{"ext4"});
}

TEST(StepsPrepareDisk, RefusesSomeoneElsesPartitionTable)
{
        Disk disk(64 * MiB, "label: gpt\nstart=2048, size=20480, type=linux\n");
        write_pattern(disk.loop->part(1), 0, MiB, 11);
        Config c = config_for("docker-vg", {disk.dev()});
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(prepare(c, disk.dev()), 1);
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("Device " + disk.dev() +
                           " is already partitioned and cannot be added to volume group docker-vg"),
                  std::string::npos)
                << err;
        auto t = sfdisk_dump(disk.dev());
        ASSERT_TRUE(t.ok);
        ASSERT_EQ(t.partitions.size(), 1u);
        EXPECT_EQ(t.partitions[0].size, 20480u);
        EXPECT_TRUE(pattern_intact(disk.loop->part(1), 0, MiB, 11));
}

TEST(StepsPrepareDisk, RefusesOurLayoutWithAFilesystemInside)
{
        // The shape we write, but someone made a filesystem in it: not "half-prepared".
        if (!have_tool("mkfs.ext4"))
                GTEST_SKIP() << "mkfs.ext4 is not installed";
        Disk disk;
        ASSERT_TRUE(partition::create_lvm_partition(disk.dev(), false).ok());
        ASSERT_EQ(run({"mkfs.ext4", "-q", "-F", disk.loop->part(1)}).status, 0);
        Config c = config_for("docker-vg", {disk.dev()});
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(prepare(c, disk.dev()), 1);
        ::testing::internal::GetCapturedStderr();
        EXPECT_EQ(signature_types(disk.loop->part(1)), std::vector<std::string>{"ext4"});
}

TEST(StepsPrepareDisk, NoVolumeGroupMeansNothingIsTouched)
{
        // VG unset and the host's root is not on LVM: DEVS are not used, as in the original.
        Disk disk;
        write_pattern(disk.dev(), 0, MiB, 5);
        Config c = config_for("", {disk.dev()});
        StepContext context(c, RunMode::apply);
        auto vg = context.effective_vg();
        ASSERT_TRUE(vg.ok()) << vg.error().message;
        if (!vg->empty())
                GTEST_SKIP() << "this host's root is on LVM (VG " << *vg << ")";
        EXPECT_EQ(steps::prepare_disk(context, disk.dev()), 0);
        EXPECT_TRUE(pattern_intact(disk.dev(), 0, MiB, 5));
}

TEST(StepsPrepareDisk, DryRunChangesNothing)
{
        Disk disk;
        write_pattern(disk.dev(), 0, MiB, 6);
        ASSERT_TRUE(blkid::list_signatures(disk.dev())->empty());
        Config c = config_for(unique_vg(), {disk.dev()});
        unsigned before = process::lvm_exec_count();
        ::testing::internal::CaptureStdout();
        int rc = prepare(c, disk.dev(), RunMode::dry_run);
        std::string out = ::testing::internal::GetCapturedStdout();
        EXPECT_EQ(rc, 0);
        EXPECT_NE(out.find("would run: pvcreate " + disk.loop->part(1)), std::string::npos) << out;
        EXPECT_NE(out.find("write a dos partition table"), std::string::npos) << out;
        EXPECT_TRUE(pattern_intact(disk.dev(), 0, MiB, 6));
        EXPECT_EQ(process::lvm_exec_count(), before);
}

// Issue 15: `systemctl start css-prepare-disk@<a disk not in DEVS>` by mistake changes nothing,
// even with WIPE_SIGNATURES=true.
TEST(StepsPrepareDisk, RefusesADiskThatIsNotInDevs)
{
        Disk listed, other;
        write_pattern(other.dev(), 0, MiB, 7);
        Config c = config_for(unique_vg(), {listed.dev()});
        c.wipe_signatures = true;
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(prepare(c, other.dev()), 1);
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("Device " + other.dev() + " is not one of DEVS (" + listed.dev() + "); not preparing it"),
                  std::string::npos)
                << err;
        EXPECT_TRUE(pattern_intact(other.dev(), 0, MiB, 7));
        EXPECT_TRUE(blkid::list_signatures(other.dev())->empty());
}

// Issue 15: a dry run takes no exclusive lock, so it neither waits for the holder of the
// disk's flock (udev, a real run) nor keeps them waiting.
TEST(StepsPrepareDisk, DryRunTakesNoDiskLock)
{
        Disk disk;
        Config c = config_for(unique_vg(), {disk.dev()});
        int held = ::open(disk.dev().c_str(), O_RDONLY | O_CLOEXEC);
        ASSERT_GE(held, 0);
        ASSERT_EQ(::flock(held, LOCK_EX | LOCK_NB), 0);
        ::testing::internal::CaptureStdout();
        auto start = std::chrono::steady_clock::now();
        int rc = prepare(c, disk.dev(), RunMode::dry_run);
        auto took = std::chrono::steady_clock::now() - start;
        ::testing::internal::GetCapturedStdout();
        ::close(held);
        EXPECT_EQ(rc, 0);
        EXPECT_LT(took, std::chrono::seconds(10));
}

TEST(StepsPrepareDisk, BlankDisksBecomeAVolumeGroupAndRebootsChangeNothing)
{
        REQUIRE_LVM();
        Disk a, b;
        LvmCleanup cleanup{unique_vg(), {a.loop->part(1), b.loop->part(1)}};
        write_pattern(a.dev(), 8 * MiB, MiB, 9);
        Config c = config_for(cleanup.vg, {a.dev()});

        // First boot: one disk. A blank disk costs no lvm query: only pvcreate runs.
        unsigned before = process::lvm_exec_count();
        ASSERT_EQ(prepare(c, a.dev()), 0);
        EXPECT_EQ(process::lvm_exec_count() - before, 1u);
        auto t = sfdisk_dump(a.dev());
        ASSERT_TRUE(t.ok);
        EXPECT_EQ(t.label, "dos");
        ASSERT_EQ(t.partitions.size(), 1u);
        EXPECT_EQ(t.partitions[0].start, 2048u);
        EXPECT_EQ(t.partitions[0].type, "8e");
        EXPECT_EQ(vg_of(a.loop->part(1)), "");
        ASSERT_EQ(make_vg(c), 0);
        EXPECT_EQ(vg_of(a.loop->part(1)), cleanup.vg);

        // Next boot: one lvm report each, no change.
        before = process::lvm_exec_count();
        EXPECT_EQ(prepare(c, a.dev()), 0);
        EXPECT_EQ(make_vg(c), 0);
        EXPECT_EQ(process::lvm_exec_count() - before, 2u);
        EXPECT_EQ(sfdisk_dump(a.dev()).partitions.size(), 1u);

        // A second disk in DEVS (the "add a disk" story of #150): vgextend with it only.
        c.devs.push_back(b.dev());
        ASSERT_EQ(prepare(c, a.dev()), 0);
        ASSERT_EQ(prepare(c, b.dev()), 0);
        ASSERT_EQ(make_vg(c), 0);
        EXPECT_EQ(vg_of(b.loop->part(1)), cleanup.vg);
        auto r = run({"vgs", "--noheadings", "-o", "pv_count", cleanup.vg});
        EXPECT_NE(r.out.find('2'), std::string::npos) << r.out << r.err;
}

TEST(StepsPrepareDisk, HalfPreparedDiskIsFinished)
{
        // #63/#150: the table was written, then the power went: the next boot must finish
        // the disk, not refuse it as "already partitioned".
        REQUIRE_LVM();
        Disk disk;
        LvmCleanup cleanup{unique_vg(), {disk.loop->part(1)}};
        auto p = partition::create_lvm_partition(disk.dev(), false);
        ASSERT_TRUE(p.ok()) << p.error().message;
        Config c = config_for(cleanup.vg, {disk.dev()});
        ASSERT_EQ(prepare(c, disk.dev()), 0);
        EXPECT_EQ(vg_of(disk.loop->part(1)), "");
        // And a PV that never made it into the VG is left for css-vg, which adds it.
        unsigned before = process::lvm_exec_count();
        ASSERT_EQ(prepare(c, disk.dev()), 0);
        EXPECT_EQ(process::lvm_exec_count() - before, 1u); // the report only
        ASSERT_EQ(make_vg(c), 0);
        EXPECT_EQ(vg_of(disk.loop->part(1)), cleanup.vg);
}

TEST(StepsPrepareDisk, HalfPreparedGptDiskIsFinished)
{
        // Above 2 TiB the table is GPT (#114): a protective MBR, the header and its backup at
        // the end are all the disk carries, and libblkid must still see "our" layout.
        REQUIRE_LVM();
        Disk disk(3 * 1024 * 1024 * MiB);
        LvmCleanup cleanup{unique_vg(), {disk.loop->part(1)}};
        auto p = partition::create_lvm_partition(disk.dev(), false);
        ASSERT_TRUE(p.ok()) << p.error().message;
        ASSERT_EQ(p->label, partition::LabelType::gpt);
        auto table = disk_plan::read_partition_table(disk.dev());
        ASSERT_TRUE(table.ok()) << table.error().message;
        EXPECT_EQ(table->label, "gpt");
        ASSERT_EQ(table->entries.size(), 1u);
        EXPECT_EQ(table->entries[0].type, "E6D6D379-F507-44C2-A23C-238F2A3DF928");
        Config c = config_for(cleanup.vg, {disk.dev()});
        ::testing::internal::CaptureStderr();
        ASSERT_EQ(prepare(c, disk.dev()), 0);
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("stopped before pvcreate; finishing it"), std::string::npos) << err;
        EXPECT_EQ(vg_of(disk.loop->part(1)), "");
}

TEST(StepsPrepareDisk, WipeSignaturesTakesAnUsedDisk)
{
        REQUIRE_LVM();
        if (!have_tool("mkfs.xfs"))
                GTEST_SKIP() << "mkfs.xfs is not installed";
        Disk disk(320 * MiB, "label: gpt\nstart=2048, type=linux\n");
        ASSERT_EQ(run({"mkfs.xfs", "-q", "-f", disk.loop->part(1)}).status, 0);
        LvmCleanup cleanup{unique_vg(), {disk.loop->part(1)}};
        Config c = config_for(cleanup.vg, {disk.dev()});
        ::testing::internal::CaptureStderr();
        ASSERT_EQ(prepare(c, disk.dev()), 1);
        ::testing::internal::GetCapturedStderr();
        c.wipe_signatures = true;
        ASSERT_EQ(prepare(c, disk.dev()), 0);
        auto t = sfdisk_dump(disk.dev());
        ASSERT_TRUE(t.ok);
        EXPECT_EQ(t.label, "dos");
        ASSERT_EQ(t.partitions.size(), 1u);
        EXPECT_EQ(signature_types(disk.loop->part(1)), std::vector<std::string>{"LVM2_member"});
        // Nothing of the GPT survived (the backup header at the end is gone too).
        for (const auto &type : signature_types(disk.dev()))
                EXPECT_EQ(type, "dos");
}

TEST(StepsPrepareDisk, AnotherDiskWithDataUnderTheSameNameIsRefused)
{
        // Issue 18 (upstream #278): the entry named one disk when it was prepared; at a later
        // "boot" the same name stands for another disk, which carries a filesystem. Even with
        // WIPE_SIGNATURES=true it is not touched; a blank disk under that name is taken.
        REQUIRE_LVM();
        if (!have_tool("mkfs.ext4"))
                GTEST_SKIP() << "mkfs.ext4 is not installed";
        Disk ours;
        const std::string dev = ours.dev();
        LvmCleanup cleanup{unique_vg(), {ours.loop->part(1)}};
        Config c = config_for(cleanup.vg, {dev});
        c.wipe_signatures = true;
        ASSERT_EQ(prepare(c, dev), 0);
        std::optional<std::string> recorded = steps::recorded_identity(dev);
        ASSERT_TRUE(recorded && recorded->starts_with("loop:")) << recorded.value_or("<none>");

        // The same loop device, now backed by someone's ext4 image.
        ImageFile theirs(64 * MiB);
        ASSERT_EQ(run({"mkfs.ext4", "-q", "-F", theirs.path()}).status, 0);
        ASSERT_EQ(run({"losetup", "-d", dev}).status, 0);
        ASSERT_EQ(run({"losetup", "-P", dev, theirs.path()}).status, 0) << "the loop device was taken meanwhile";
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(prepare(c, dev), 1);
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("DEVS entry " + dev + " now names " + dev + ", loop:"), std::string::npos) << err;
        EXPECT_EQ(err.find("Wipe Signatures is set to true"), std::string::npos) << err;
        EXPECT_EQ(signature_types(dev), std::vector<std::string>{"ext4"});

        // A blank disk under that name is taken, and recorded in its place.
        ImageFile blank(64 * MiB);
        ASSERT_EQ(run({"losetup", "-d", dev}).status, 0);
        ASSERT_EQ(run({"losetup", "-P", dev, blank.path()}).status, 0);
        cleanup.pvs.push_back(dev + "p1");
        EXPECT_EQ(prepare(c, dev), 0);
        EXPECT_NE(steps::recorded_identity(dev), recorded);
}

TEST(StepsPrepareDisk, PvOfAnotherVgIsRefused)
{
        REQUIRE_LVM();
        Disk disk;
        LvmCleanup other{unique_vg(), {disk.loop->part(1)}};
        ASSERT_TRUE(partition::create_lvm_partition(disk.dev(), false).ok());
        ASSERT_EQ(run({"vgcreate", other.vg, disk.loop->part(1)}).status, 0);
        Config c = config_for(unique_vg(), {disk.dev()});
        ::testing::internal::CaptureStderr();
        EXPECT_EQ(prepare(c, disk.dev()), 1);
        EXPECT_EQ(make_vg(c), 1);
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("is already partitioned and cannot be added to volume group " + c.vg), std::string::npos)
                << err;
        EXPECT_EQ(vg_of(disk.loop->part(1)), other.vg);
}

TEST(StepsGrow, PartitionThenPvGrowIntoANewTail)
{
        // What css-growpart and css-pvresize do to the root PV, on a loop disk that grew.
        REQUIRE_LVM();
        GrownPvDisk disk;
        ASSERT_TRUE(disk.ok);
        write_pattern(disk.loop.part(1), 0, MiB, 21);
        disk.grow();
        LoopDevice &loop = disk.loop;
        auto pv = block::from_path(loop.part(2));
        ASSERT_TRUE(pv.ok()) << pv.error().message;
        Config c = config_for(disk.cleanup.vg, {});
        c.growpart = true;
        StepContext context(c, RunMode::apply);

        ::testing::internal::CaptureStdout();
        EXPECT_EQ(steps::grow_pv_partitions(context, {*pv}), 0);
        EXPECT_EQ(steps::grow_pv_partitions(context, {*pv}), 0);
        std::string out = ::testing::internal::GetCapturedStdout();
        EXPECT_NE(out.find("CHANGED: partition=2 start=22528 old: size=40960 end=63488 new: size=239616,end=262144"),
                  std::string::npos)
                << out;
        EXPECT_NE(out.find("NOCHANGE: partition 2 is size 239616. it cannot be grown"), std::string::npos) << out;
        EXPECT_EQ(loop.sysfs_sectors(2), 239616u);
        EXPECT_TRUE(pattern_intact(loop.part(1), 0, MiB, 21));

        // The partition grew: grow_pv_partitions left css-pvresize its note, so pvresize runs
        // without a report, once; the note is then gone and the report finds nothing to do.
        unsigned before = process::lvm_exec_count();
        EXPECT_EQ(steps::resize_pvs(context, {*pv}), 0);
        EXPECT_EQ(process::lvm_exec_count() - before, 1u); // pvresize alone
        auto r = run({"pvs", "--noheadings", "--units", "m", "--nosuffix", "-o", "pv_size", loop.part(2)});
        EXPECT_EQ(std::stod(r.out), 116.0) << r.out; // 117 MiB - 1 MiB pe_start, 4 MiB extents
        before = process::lvm_exec_count();
        EXPECT_EQ(steps::resize_pvs(context, {*pv}), 0);
        EXPECT_EQ(process::lvm_exec_count() - before, 1u); // the report only: nothing to resize
}

TEST(StepsGrow, DryRunPlansThePvresizeAndTheVgAsTheyWillBe)
{
        // `plan` cannot grow the partition, yet shows the pvresize that follows and decides
        // the later steps from the VG that will have grown, the size the real run then gives.
        REQUIRE_LVM();
        GrownPvDisk disk;
        ASSERT_TRUE(disk.ok);
        disk.grow();
        LoopDevice &loop = disk.loop;
        auto pv = block::from_path(loop.part(2));
        ASSERT_TRUE(pv.ok()) << pv.error().message;
        Config c = config_for(disk.cleanup.vg, {});

        StepContext plan(c, RunMode::dry_run);
        ::testing::internal::CaptureStdout();
        EXPECT_EQ(steps::grow_pv_partitions(plan, {*pv}), 0);
        EXPECT_EQ(steps::resize_pvs(plan, {*pv}), 0);
        std::string out = ::testing::internal::GetCapturedStdout();
        EXPECT_NE(out.find("CHANGE: partition=2 start=22528 old: size=40960 end=63488 new: size=239616,end=262144"),
                  std::string::npos)
                << out;
        EXPECT_NE(out.find("pvresize " + loop.part(2)), std::string::npos) << out;
        EXPECT_EQ(loop.sysfs_sectors(2), 40960u); // nothing was done
        auto planned = plan.lvm();
        ASSERT_TRUE(planned.ok()) << planned.error().message;
        const lvm::Vg *planned_vg = (*planned)->find_vg(disk.cleanup.vg);
        ASSERT_NE(planned_vg, nullptr);
        EXPECT_EQ(planned_vg->size, 116 * MiB); // 117 MiB - 1 MiB pe_start, 4 MiB extents
        EXPECT_EQ(planned_vg->free, 116 * MiB);

        StepContext apply(c, RunMode::apply);
        ::testing::internal::CaptureStdout();
        EXPECT_EQ(steps::grow_pv_partitions(apply, {*pv}), 0);
        EXPECT_EQ(steps::resize_pvs(apply, {*pv}), 0);
        ::testing::internal::GetCapturedStdout();
        auto real = apply.lvm();
        ASSERT_TRUE(real.ok()) << real.error().message;
        const lvm::Vg *real_vg = (*real)->find_vg(disk.cleanup.vg);
        ASSERT_NE(real_vg, nullptr);
        EXPECT_EQ(real_vg->size, planned_vg->size);
        EXPECT_EQ(real_vg->extent_count, planned_vg->extent_count);
        EXPECT_EQ((*real)->find_pv(loop.part(2))->size, (*planned)->find_pv(loop.part(2))->size);
}

TEST(StepsGrow, WholeDiskPvHasNothingToGrow)
{
        Disk disk;
        auto d = block::from_path(disk.dev());
        ASSERT_TRUE(d.ok());
        StepContext context(Config{}, RunMode::apply);
        EXPECT_EQ(steps::grow_pv_partitions(context, {*d}), 0);
}

TEST(StepsGrow, InTheInitrdTheRootIsWhatRootEqualsNames)
{
        // The generator's initrd units run before sysroot.mount: "/" is the initramfs there.
        Disk disk(64 * MiB, "label: dos\nstart=2048, size=20480, type=8e\n");
        ::setenv("CSS_IN_INITRD", "1", 1);
        ::setenv("CSS_PROC_CMDLINE", ("console=ttyS0 root=" + disk.loop->part(1) + " rw").c_str(), 1);
        auto root = root_growth::root_device();
        ::setenv("CSS_PROC_CMDLINE", "console=ttyS0", 1);
        auto none = root_growth::root_device();
        ::unsetenv("CSS_IN_INITRD");
        ::unsetenv("CSS_PROC_CMDLINE");
        ASSERT_TRUE(root.ok()) << root.error().message;
        EXPECT_EQ(root->devnode(), disk.loop->part(1));
        EXPECT_FALSE(none.ok());
}
