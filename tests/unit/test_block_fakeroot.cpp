// SPDX-License-Identifier: Apache-2.0
//
// sysfs topology and device waiting against a fake machine under CSS_ROOT: NVMe, eMMC,
// virtio, SCSI, a partitioned loop device, LVM over a partition, thin pools, multipath,
// dm-crypt and md. The fake /sys has the kernel's shape (devices/ directories, dev/block and
// class/block symlinks, partition directories inside their disk's directory), so the code
// under test walks it exactly as it walks the real one.
//
// CSS_ROOT is read once per process, so this is its own test binary with its own main():
// the tree is built and CSS_ROOT set before any library code runs.

#include "config/config.hpp"
#include "core/paths.hpp"
#include "steps/prepare_disk.hpp"
#include "steps/step_context.hpp"
#include "sys/block.hpp"
#include "sys/disk_identity.hpp"
#include "sys/process.hpp"
#include "sys/root_lv.hpp"
#include "sys/udev_wait.hpp"
#include "fake_root.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace css;

namespace {

std::string fake_root;

void write_file(const fs::path &p, const std::string &content)
{
        fs::create_directories(p.parent_path());
        std::ofstream(p) << content << "\n";
}

// Builds /sys the way the kernel lays it out.
struct FakeSysfs {
        fs::path root;

        fs::path sys() const { return root / "sys"; }

        // `devpath` is the directory under /sys/devices ("virtual/block/dm-0").
        fs::path add_device(const std::string &devpath, unsigned maj, unsigned min, uint64_t sectors)
        {
                fs::path dir = sys() / "devices" / devpath;
                std::string name = dir.filename();
                write_file(dir / "dev", std::to_string(maj) + ":" + std::to_string(min));
                write_file(dir / "size", std::to_string(sectors));
                fs::create_directories(dir / "holders");
                fs::create_directories(dir / "slaves");
                link(sys() / "dev/block" / (std::to_string(maj) + ":" + std::to_string(min)), dir);
                link(sys() / "class/block" / name, dir);
                return dir;
        }

        fs::path add_disk(const std::string &devpath, unsigned maj, unsigned min, uint64_t sectors,
                          unsigned logical_block_size = 512)
        {
                fs::path dir = add_device(devpath, maj, min, sectors);
                write_file(dir / "queue/logical_block_size", std::to_string(logical_block_size));
                return dir;
        }

        fs::path add_partition(const fs::path &disk, const std::string &name, unsigned maj, unsigned min,
                               unsigned number, uint64_t sectors)
        {
                std::string devpath = fs::relative(disk, sys() / "devices").string() + "/" + name;
                fs::path dir = add_device(devpath, maj, min, sectors);
                write_file(dir / "partition", std::to_string(number));
                return dir;
        }

        fs::path add_dm(const std::string &name, unsigned min, const std::string &uuid,
                        const std::vector<fs::path> &below, const std::string &map_name = "")
        {
                fs::path dir = add_disk("virtual/block/" + name, 253, min, 2048);
                write_file(dir / "dm/uuid", uuid);
                write_file(dir / "dm/name", map_name.empty() ? "map-" + name : map_name);
                for (const auto &b : below) {
                        link(dir / "slaves" / b.filename(), b);
                        link(b / "holders" / dir.filename(), dir);
                }
                return dir;
        }

        // Relative symlinks, as sysfs has them, so they resolve inside the fake root.
        static void link(const fs::path &at, const fs::path &target)
        {
                fs::create_directories(at.parent_path());
                fs::create_symlink(fs::relative(target, at.parent_path()), at);
        }
};

struct Machine {
        fs::path nvme0n1, nvme0n1p1, nvme0n1p2, mmcblk0, mmcblk0p2, vda, vda2, sdb, sdb1, sdc, sdd, loop0, loop0p1, md0;
        fs::path root_lv, mpath, lv_on_mpath, tmeta, tdata, tpool, thin_lv, crypt, lv_on_crypt;
};

Machine machine;

void build_machine(const fs::path &root)
{
        FakeSysfs s{root};
        Machine &m = machine;
        m.nvme0n1 = s.add_disk("pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1", 259, 0, 4194304);
        m.nvme0n1p1 = s.add_partition(m.nvme0n1, "nvme0n1p1", 259, 1, 1, 2048);
        m.nvme0n1p2 = s.add_partition(m.nvme0n1, "nvme0n1p2", 259, 2, 2, 4190208);
        m.mmcblk0 = s.add_disk("platform/soc/mmc0/mmc0:0001/block/mmcblk0", 179, 0, 1000000);
        m.mmcblk0p2 = s.add_partition(m.mmcblk0, "mmcblk0p2", 179, 2, 2, 900000);
        m.vda = s.add_disk("pci0000:00/0000:00:05.0/virtio1/block/vda", 252, 0, 85983232);
        m.vda2 = s.add_partition(m.vda, "vda2", 252, 2, 2, 83269632);
        m.sdb = s.add_disk("pci0000:00/0000:00:06.0/host0/target0:0:0/0:0:0:0/block/sdb", 8, 16, 8388608, 4096);
        m.sdb1 = s.add_partition(m.sdb, "sdb1", 8, 17, 1, 8386560);
        m.sdc = s.add_disk("pci0000:00/0000:00:07.0/host1/target1:0:0/1:0:0:0/block/sdc", 8, 32, 2097152);
        m.sdd = s.add_disk("pci0000:00/0000:00:08.0/host2/target2:0:0/2:0:0:0/block/sdd", 8, 48, 2097152);
        m.loop0 = s.add_disk("virtual/block/loop0", 7, 0, 131072);
        m.loop0p1 = s.add_partition(m.loop0, "loop0p1", 259, 5, 1, 129024);
        m.md0 = s.add_disk("virtual/block/md0", 9, 0, 1000);
        // Identities as the kernel shows them (issue 18): an NVMe namespace's wwid, a SCSI disk's
        // space-padded serial, virtio-blk's serial, a loop device's backing file; sdd has none.
        write_file(m.nvme0n1 / "wwid", "eui.0025388b91b3f4c2");
        write_file(m.nvme0n1 / "device/serial", "S4EWNX0R123456");
        write_file(m.sdb / "device/serial", "  WD-WCC4N1234567  ");
        write_file(m.vda / "serial", "css-root");
        write_file(m.loop0 / "loop/backing_file", "/var/tmp/disk image.raw");
        FakeSysfs::link(m.md0 / "slaves/sdc", m.sdc);

        m.root_lv = s.add_dm("dm-0", 0, "LVM-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaRootLV", {m.vda2}, "atomic--os-root");
        m.mpath = s.add_dm("dm-1", 1, "mpath-3600508b400105e210000900000490000", {m.sdc, m.sdd});
        m.lv_on_mpath = s.add_dm("dm-2", 2, "LVM-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbMpathLV", {m.mpath});
        m.tmeta = s.add_dm("dm-4", 4, "LVM-ccccccccccccccccccccccccccccccccTmeta-tmeta", {m.nvme0n1p2});
        m.tdata = s.add_dm("dm-5", 5, "LVM-ccccccccccccccccccccccccccccccccTdata-tdata", {m.nvme0n1p2, m.sdb1});
        m.tpool = s.add_dm("dm-3", 3, "LVM-ccccccccccccccccccccccccccccccccPool-tpool", {m.tmeta, m.tdata});
        m.thin_lv = s.add_dm("dm-6", 6, "LVM-ccccccccccccccccccccccccccccccccThinLV", {m.tpool});
        m.crypt = s.add_dm("dm-7", 7, "CRYPT-LUKS2-0123456789abcdef0123456789abcdef-luks", {m.loop0p1});
        m.lv_on_crypt = s.add_dm("dm-8", 8, "LVM-ddddddddddddddddddddddddddddddddCryptLV", {m.crypt});

        // An early rootfs entry, then the real root mounted over it: the last one counts.
        write_file(root / "proc/self/mountinfo",
                   "1 1 0:2 / / rw - rootfs rootfs rw\n"
                   "22 1 253:0 / / rw,relatime shared:1 - xfs /dev/mapper/atomicos-root rw,attr2\n"
                   "23 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw\n"
                   "40 22 252:2 / /mnt/with\\040space rw - ext4 /dev/vda2 rw");
}

Result<block::BlockDevice> by_name(const char *name)
{
        return block::from_name(name);
}

std::vector<std::string> names(const std::vector<block::BlockDevice> &devices)
{
        std::vector<std::string> out;
        for (const auto &d : devices)
                out.push_back(d.name);
        return out;
}

} // namespace

// Every suite of this file runs on the machine build_machine() lays out.
class MachineRoot : public ::testing::Test {
public:
        static void SetUpTestSuite() { fake_root = css::test::make_fake_root("css-fake-sysfs", build_machine); }
        static void TearDownTestSuite() { css::test::remove_fake_root(fake_root); }
};

class BlockFakeSysfs : public MachineRoot {};

TEST_F(BlockFakeSysfs, DiskIdentityPrefersTheWwidThenTheSerial)
{
        EXPECT_EQ(block::disk_identity(*by_name("nvme0n1")), "wwid:eui.0025388b91b3f4c2");
        EXPECT_EQ(block::disk_identity(*by_name("sdb")), "serial:WD-WCC4N1234567");
        EXPECT_EQ(block::disk_identity(*by_name("vda")), "serial:css-root");
        EXPECT_EQ(block::disk_identity(*by_name("loop0")), "loop:/var/tmp/disk image.raw");
        EXPECT_EQ(block::disk_identity(*by_name("sdd")), "");
}

TEST_F(BlockFakeSysfs, FromDevnumAndNameAgree)
{
        auto a = block::from_devnum(makedev(259, 2));
        ASSERT_TRUE(a.ok()) << a.error().message;
        auto b = by_name("nvme0n1p2");
        ASSERT_TRUE(b.ok()) << b.error().message;
        EXPECT_EQ(a->name, "nvme0n1p2");
        EXPECT_EQ(a->sysfs_dir, b->sysfs_dir);
        EXPECT_EQ(a->devnum, b->devnum);
        EXPECT_EQ(a->devnum_string(), "259:2");
        EXPECT_EQ(a->devnode(), "/dev/nvme0n1p2");
        EXPECT_EQ(a->sysfs_dir, fs::canonical(machine.nvme0n1p2).string());
}

TEST_F(BlockFakeSysfs, UnknownDeviceIsAnError)
{
        EXPECT_FALSE(block::from_devnum(makedev(8, 99)).ok());
        EXPECT_FALSE(by_name("sdz").ok());
}

// #275 / openshift/os#133: the disk is the partition's parent directory, whatever the naming.
TEST_F(BlockFakeSysfs, ParentDiskOfEveryNamingScheme)
{
        struct Case {
                const char *part;
                const char *disk;
                unsigned number;
        } cases[] = {
                {"nvme0n1p2", "nvme0n1", 2}, {"nvme0n1p1", "nvme0n1", 1}, {"mmcblk0p2", "mmcblk0", 2},
                {"vda2", "vda", 2},          {"sdb1", "sdb", 1},          {"loop0p1", "loop0", 1},
        };
        for (const auto &c : cases) {
                auto part = by_name(c.part);
                ASSERT_TRUE(part.ok()) << c.part;
                EXPECT_TRUE(block::is_partition(*part)) << c.part;
                auto parent = block::parent_disk(*part);
                ASSERT_TRUE(parent.ok()) << c.part << ": " << parent.error().message;
                EXPECT_EQ(parent->disk.name, c.disk) << c.part;
                EXPECT_EQ(parent->number, c.number) << c.part;
                EXPECT_FALSE(block::is_partition(parent->disk)) << c.disk;
        }
}

TEST_F(BlockFakeSysfs, ParentDiskOfADiskIsAnError)
{
        auto disk = by_name("nvme0n1");
        ASSERT_TRUE(disk.ok());
        auto parent = block::parent_disk(*disk);
        ASSERT_FALSE(parent.ok());
        EXPECT_EQ(parent.error().message, "'/dev/nvme0n1' is not a partition");
}

TEST_F(BlockFakeSysfs, PartitionsOfADiskInNumberOrder)
{
        auto nvme = by_name("nvme0n1");
        ASSERT_TRUE(nvme.ok());
        auto parts = block::partitions(*nvme);
        ASSERT_TRUE(parts.ok()) << parts.error().message;
        EXPECT_EQ(names(*parts), (std::vector<std::string>{"nvme0n1p1", "nvme0n1p2"}));

        auto sdc = by_name("sdc");
        ASSERT_TRUE(sdc.ok());
        auto none = block::partitions(*sdc);
        ASSERT_TRUE(none.ok());
        EXPECT_TRUE(none->empty());
}

TEST_F(BlockFakeSysfs, SizesAndSectorSizes)
{
        auto vda = by_name("vda");
        ASSERT_TRUE(vda.ok());
        EXPECT_EQ(*block::size_bytes(*vda), 85983232ULL * 512);
        EXPECT_EQ(*block::logical_sector_size(*vda), 512u);
        // `size` is in 512-byte units even on a 4Kn disk; the sector size comes from the disk's
        // queue/, also for its partitions.
        auto sdb1 = by_name("sdb1");
        ASSERT_TRUE(sdb1.ok());
        EXPECT_EQ(*block::size_bytes(*sdb1), 8386560ULL * 512);
        EXPECT_EQ(*block::logical_sector_size(*sdb1), 4096u);
}

TEST_F(BlockFakeSysfs, HoldersAndSlaves)
{
        auto vda2 = by_name("vda2");
        ASSERT_TRUE(vda2.ok());
        EXPECT_EQ(names(*block::holders(*vda2)), std::vector<std::string>{"dm-0"});
        EXPECT_TRUE(block::slaves(*vda2)->empty());
        auto mpath = by_name("dm-1");
        ASSERT_TRUE(mpath.ok());
        EXPECT_EQ(names(*block::slaves(*mpath)), (std::vector<std::string>{"sdc", "sdd"}));
        EXPECT_EQ(names(*block::holders(*mpath)), std::vector<std::string>{"dm-2"});
}

// The original refused any DEVS entry with a parent in `lsblk -s`, except multipath (#270).
TEST_F(BlockFakeSysfs, WhatCountsAsHavingAParent)
{
        struct Case {
                const char *name;
                bool parent;
        } cases[] = {
                {"nvme0n1", false}, {"mmcblk0", false}, {"vda", false},      {"sdb", false},
                {"loop0", false},   {"dm-1", false},    {"nvme0n1p2", true}, {"loop0p1", true},
                {"dm-0", true},     {"dm-7", true},     {"md0", true},
        };
        for (const auto &c : cases) {
                auto d = by_name(c.name);
                ASSERT_TRUE(d.ok()) << c.name;
                auto p = block::has_parent(*d);
                ASSERT_TRUE(p.ok()) << c.name;
                EXPECT_EQ(*p, c.parent) << c.name;
        }
        EXPECT_TRUE(block::is_multipath(*by_name("dm-1")));
        EXPECT_FALSE(block::is_multipath(*by_name("dm-0")));
        EXPECT_FALSE(block::is_multipath(*by_name("sdc")));
        EXPECT_TRUE(block::is_device_mapper(*by_name("dm-7")));
        EXPECT_EQ(block::dm_uuid(*by_name("sdc")), "");
}

TEST_F(BlockFakeSysfs, RootDeviceIsTheLastRootMount)
{
        auto root = block::root_device();
        ASSERT_TRUE(root.ok()) << root.error().message;
        EXPECT_EQ(root->name, "dm-0");
}

TEST_F(BlockFakeSysfs, RootLvIsTheRootDevicesLv)
{
        std::optional<RootLv> lv = root_logical_volume();
        ASSERT_TRUE(lv);
        EXPECT_EQ(lv->devnum, "253:0");
        EXPECT_EQ(lv->vg, "atomic-os");
        EXPECT_EQ(lv->lv, "root");
}

// VG unset: the root LV's VG, read from its map's name as `lvs -o vg_name` would give it
// (upstream-reference §2.2), with no lvm run. A VG in the config wins.
TEST_F(BlockFakeSysfs, EffectiveVgIsTheRootLvsWithoutLvm)
{
        Config unset;
        StepContext context(unset, RunMode::apply);
        const unsigned before = process::lvm_exec_count();
        Result<std::string> vg = context.effective_vg();
        ASSERT_TRUE(vg.ok()) << vg.error().message;
        EXPECT_EQ(*vg, "atomic-os");
        EXPECT_EQ(process::lvm_exec_count(), before);
        EXPECT_EQ(block::dm_name(*by_name("dm-0")), "atomic--os-root");
        EXPECT_EQ(block::dm_name(*by_name("vda2")), "");

        Config set;
        set.vg = "docker-vg";
        EXPECT_EQ(*StepContext(set, RunMode::apply).effective_vg(), "docker-vg");
}

TEST_F(BlockFakeSysfs, RootPhysicalVolumesWithoutLvm)
{
        auto root = block::root_device();
        ASSERT_TRUE(root.ok());
        auto pvs = block::lvm_physical_volumes(*root);
        ASSERT_TRUE(pvs.ok()) << pvs.error().message;
        EXPECT_EQ(names(*pvs), std::vector<std::string>{"vda2"});
        auto pv = block::parent_disk((*pvs)[0]);
        ASSERT_TRUE(pv.ok());
        EXPECT_EQ(pv->disk.name, "vda");
        EXPECT_EQ(pv->number, 2u);
}

TEST_F(BlockFakeSysfs, PhysicalVolumesThroughThinPoolsAreDeduplicated)
{
        auto pvs = block::lvm_physical_volumes(*by_name("dm-6"));
        ASSERT_TRUE(pvs.ok()) << pvs.error().message;
        EXPECT_EQ(names(*pvs), (std::vector<std::string>{"nvme0n1p2", "sdb1"}));
}

// The walk stops at the first non-LVM device: a multipath map or a LUKS mapping is the PV,
// not the paths or the partition below it.
TEST_F(BlockFakeSysfs, PhysicalVolumesStopAtMultipathAndCrypt)
{
        EXPECT_EQ(names(*block::lvm_physical_volumes(*by_name("dm-2"))), std::vector<std::string>{"dm-1"});
        EXPECT_EQ(names(*block::lvm_physical_volumes(*by_name("dm-8"))), std::vector<std::string>{"dm-7"});
}

TEST_F(BlockFakeSysfs, NotAnLvIsNoPhysicalVolumes)
{
        for (const char *n : {"vda2", "dm-1", "dm-7", "md0"}) {
                auto pvs = block::lvm_physical_volumes(*by_name(n));
                ASSERT_TRUE(pvs.ok()) << n;
                EXPECT_TRUE(pvs->empty()) << n;
        }
}

// Device nodes: made with mknod (root only), since resolution stat()s them.
class BlockFakeDev : public MachineRoot {
protected:
        void SetUp() override
        {
                fs::create_directories(fake_root + "/dev/disk/by-id");
                if (!node("sdb", 8, 16) || !node("nvme0n1", 259, 0) || !node("nvme0n1p2", 259, 2) ||
                    !node("dm-1", 253, 1) || !node("loop0p1", 259, 5))
                        GTEST_SKIP() << "mknod needs root";
                std::error_code ec;
                fs::create_symlink("../../nvme0n1", fake_root + "/dev/disk/by-id/nvme-Fake_SSD_1234", ec);
                std::ofstream(fake_root + "/dev/notablock") << "x";
        }

        static bool node(const std::string &name, unsigned maj, unsigned min)
        {
                std::string p = fake_root + "/dev/" + name;
                return ::mknod(p.c_str(), S_IFBLK | 0600, makedev(maj, min)) == 0 || errno == EEXIST;
        }
};

TEST_F(BlockFakeDev, ResolvesBareNamesAndSymlinks)
{
        EXPECT_EQ(*block::resolve_path("sdb"), "/dev/sdb");
        EXPECT_EQ(*block::resolve_path("/dev/sdb"), "/dev/sdb");
        EXPECT_EQ(*block::resolve_path("/dev/disk/by-id/nvme-Fake_SSD_1234"), "/dev/nvme0n1");
        auto d = block::from_path("/dev/disk/by-id/nvme-Fake_SSD_1234");
        ASSERT_TRUE(d.ok()) << d.error().message;
        EXPECT_EQ(d->name, "nvme0n1");
}

TEST_F(BlockFakeDev, RefusesWhatIsNotABlockDevice)
{
        for (const char *spec : {"sdz", "/dev/notablock", "/dev/disk/by-id/missing"}) {
                auto r = block::resolve_path(spec);
                ASSERT_FALSE(r.ok()) << spec;
                EXPECT_EQ(r.error().message, std::string(spec) + " is not a valid block device.");
        }
}

TEST_F(BlockFakeDev, WholeDisksOnlyButMultipathIsADisk)
{
        EXPECT_EQ(block::resolve_whole_disk("sdb")->name, "sdb");
        EXPECT_EQ(block::resolve_whole_disk("/dev/disk/by-id/nvme-Fake_SSD_1234")->name, "nvme0n1");
        EXPECT_EQ(block::resolve_whole_disk("/dev/dm-1")->name, "dm-1");
        for (const char *spec : {"nvme0n1p2", "/dev/loop0p1"}) {
                auto r = block::resolve_whole_disk(spec);
                ASSERT_FALSE(r.ok()) << spec;
                EXPECT_EQ(r.error().message, "Partition specification unsupported at this time.");
        }
}

// Issue 15: css-prepare-disk acts only on a DEVS disk, whatever the spelling of either side.
TEST_F(BlockFakeDev, DevsMembershipIsByDeviceNumber)
{
        auto nvme = block::resolve_whole_disk("/dev/disk/by-id/nvme-Fake_SSD_1234");
        ASSERT_TRUE(nvme.ok()) << nvme.error().message;
        auto sdb = block::resolve_whole_disk("sdb");
        ASSERT_TRUE(sdb.ok()) << sdb.error().message;
        EXPECT_TRUE(steps::is_devs_disk({"/dev/nvme0n1"}, *nvme));
        EXPECT_TRUE(steps::is_devs_disk({"nvme0n1"}, *nvme));
        EXPECT_TRUE(steps::is_devs_disk({"/dev/sdb", "/dev/disk/by-id/nvme-Fake_SSD_1234"}, *nvme));
        EXPECT_TRUE(steps::is_devs_disk({"/dev/disk/by-id/nvme-Fake_SSD_1234"}, *nvme));
        EXPECT_TRUE(steps::is_devs_disk({"/dev/../dev/sdb"}, *sdb));
        // Another disk, a partition of this one, names that resolve to nothing, no DEVS at all.
        EXPECT_FALSE(steps::is_devs_disk({"/dev/sdb"}, *nvme));
        EXPECT_FALSE(steps::is_devs_disk({"/dev/nvme0n1p2"}, *nvme));
        EXPECT_FALSE(steps::is_devs_disk({"/dev/sdz", "/dev/disk/by-id/missing", "/dev/notablock"}, *nvme));
        EXPECT_FALSE(steps::is_devs_disk({}, *sdb));
}

// udev_wait against the fake /dev: the node appears while we wait. A "node" is made with mknod when we may, else it is
// a symlink to a real block device of this machine (stat() follows it), so these run unprivileged too.
class UdevWait : public MachineRoot {
protected:
        void SetUp() override
        {
                fs::create_directories(fake_root + "/dev/wait");
                if (real_block_device().empty())
                        GTEST_SKIP() << "no block device node on this machine to stand in";
        }
        void TearDown() override { fs::remove_all(fake_root + "/dev/wait"); }

        static std::string real_block_device()
        {
                std::error_code ec;
                for (const auto &e : fs::directory_iterator("/dev", ec)) {
                        struct stat st;
                        if (::stat(e.path().c_str(), &st) == 0 && S_ISBLK(st.st_mode))
                                return e.path();
                }
                return {};
        }

        // Creates /dev/wait/<name> as a block device.
        static void make_node(const std::string &name)
        {
                std::string p = fake_root + "/dev/wait/" + name;
                if (::mknod(p.c_str(), S_IFBLK | 0600, makedev(65, 1)) < 0)
                        fs::create_symlink(real_block_device(), p);
                struct stat st;
                EXPECT_EQ(::stat(p.c_str(), &st), 0);
        }
};

TEST_F(UdevWait, ReturnsAtOnceForAnExistingNode)
{
        make_node("sdx");
        auto start = std::chrono::steady_clock::now();
        auto r = udev::wait_for_device("/dev/wait/sdx", std::chrono::seconds(10));
        EXPECT_TRUE(r.ok()) << r.error().message;
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
        r = udev::wait_for_device("/dev/wait/sdx", std::chrono::milliseconds(0));
        EXPECT_TRUE(r.ok()) << r.error().message;
}

TEST_F(UdevWait, TimesOutForAMissingNode)
{
        auto start = std::chrono::steady_clock::now();
        auto r = udev::wait_for_device("/dev/wait/sdq1", std::chrono::milliseconds(200));
        auto took = std::chrono::steady_clock::now() - start;
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().errno_value, ETIMEDOUT);
        EXPECT_EQ(r.error().message, "Timed out after 200 ms waiting for '/dev/wait/sdq1': it does not exist");
        EXPECT_GE(took, std::chrono::milliseconds(200));
        EXPECT_LT(took, std::chrono::milliseconds(2000));
}

TEST_F(UdevWait, ARegularFileIsNotADevice)
{
        std::ofstream(fake_root + "/dev/wait/file") << "x";
        auto r = udev::wait_for_device("/dev/wait/file", std::chrono::milliseconds(50));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "Timed out after 50 ms waiting for '/dev/wait/file': it is not a block device");
}

TEST_F(UdevWait, WakesWhenTheNodeAppears)
{
        std::thread maker([] {
                std::this_thread::sleep_for(std::chrono::milliseconds(150));
                make_node("sdq1");
        });
        auto start = std::chrono::steady_clock::now();
        auto r = udev::wait_for_device("/dev/wait/sdq1", std::chrono::seconds(10));
        auto took = std::chrono::steady_clock::now() - start;
        maker.join();
        EXPECT_TRUE(r.ok()) << r.error().message;
        EXPECT_GE(took, std::chrono::milliseconds(100));
        EXPECT_LT(took, std::chrono::seconds(5)); // woken by the event, not the timeout
}

TEST_F(UdevWait, WakesWhenASymlinkDirectoryAppearsLater)
{
        make_node("sdb");
        std::thread maker([] {
                std::this_thread::sleep_for(std::chrono::milliseconds(150));
                fs::create_directories(fake_root + "/dev/wait/by-path");
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                fs::create_symlink("../sdb", fake_root + "/dev/wait/by-path/pci-0000:00:06.0-scsi-0:0:0:0");
        });
        auto start = std::chrono::steady_clock::now();
        auto r = udev::wait_for_device("/dev/wait/by-path/pci-0000:00:06.0-scsi-0:0:0:0", std::chrono::seconds(10));
        auto took = std::chrono::steady_clock::now() - start;
        maker.join();
        EXPECT_TRUE(r.ok()) << r.error().message;
        EXPECT_LT(took, std::chrono::seconds(5));
}

// btrfs (and overlay) give "/" an anonymous device number: the generator's root LV and the
// steps' root device both follow the mount source, so they agree about the root VG.
TEST_F(BlockFakeDev, AnonymousRootDeviceIsFoundThroughItsSource)
{
        ASSERT_TRUE(node("mapper-root", 253, 0));
        const fs::path mountinfo = fake_root + "/proc/self/mountinfo";
        std::ifstream in(mountinfo);
        const std::string saved{std::istreambuf_iterator<char>(in), {}};
        write_file(mountinfo, "22 1 0:35 /@ / rw,relatime shared:1 - btrfs /dev/mapper-root rw,space_cache=v2");
        auto device = block::root_device();
        std::optional<RootLv> lv = root_logical_volume();
        write_file(mountinfo, "22 1 0:35 / / rw - tmpfs none rw");
        auto not_a_device = block::root_device();
        std::optional<RootLv> no_lv = root_logical_volume();
        std::ofstream(mountinfo) << saved;

        ASSERT_TRUE(device.ok()) << device.error().message;
        EXPECT_EQ(device->name, "dm-0");
        ASSERT_TRUE(lv);
        EXPECT_EQ(lv->vg, "atomic-os");
        ASSERT_FALSE(not_a_device.ok());
        EXPECT_EQ(not_a_device.error().message, "The root filesystem is not on a block device (source 'none')");
        EXPECT_FALSE(no_lv);
}
