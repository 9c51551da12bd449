// SPDX-License-Identifier: Apache-2.0
// The decisions of the LVM steps (lib/steps): css-extend-root, css-thinpool, css-create-lv and
// css-reset, on LVM snapshots (lvm2's own JSON from tests/unit/data/lvm, or built here) without
// running lvm. The VM scenarios run the same code against a real lvm.

#include "lvm/report.hpp"
#include "lvm_test_util.hpp"
#include "steps/autoextend_profile.hpp"
#include "steps/create_lv.hpp"
#include "steps/extend_root.hpp"
#include "steps/reset.hpp"
#include "steps/thinpool.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace css;
using namespace css::steps;
using lvm::Argv;
using namespace css::test;

namespace {

lvm::Snapshot fixture(const std::string &name)
{
        std::ifstream in(std::string(CSS_TEST_SOURCE_DIR) + "/tests/unit/data/lvm/" + name);
        std::stringstream buffer;
        buffer << in.rdbuf();
        Result<lvm::Snapshot> s = lvm::parse_report(buffer.str());
        EXPECT_TRUE(s.ok()) << name;
        return s.ok() ? *s : lvm::Snapshot{};
}

lvm::Lv lv_of(std::string vg, std::string name, uint64_t size, std::string attr = "-wi-ao----")
{
        lvm::Lv lv;
        lv.vg = std::move(vg);
        lv.name = std::move(name);
        lv.uuid = "uuid-" + lv.name;
        lv.size = size;
        lv.attr = std::move(attr);
        lv.active = lv.attr.size() > 4 && lv.attr[4] == 'a';
        lv.path = "/dev/" + lv.vg + "/" + lv.name;
        return lv;
}

Config overlay2_lab()
{
        Config c;
        c.storage_driver = StorageDriver::overlay2;
        c.container_root_lv_name = "docker-root-lv";
        c.container_root_lv_mount_path = "/var/lib/docker";
        return c;
}

} // namespace

// --- css-extend-root -------------------------------------------------------------------------

TEST(ExtendRoot, AbsoluteSizeRunsUntilReachedThenSkips)
{
        lvm::Vg vg = vg_of("atomicos", 11 * GiB, 7 * GiB);
        lvm::Lv root = lv_of("atomicos", "root", 3584 * MiB);
        Result<ExtendRootPlan> p = plan_extend_root(size_of("8G"), root, vg, std::nullopt);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_TRUE(p->extend);
        EXPECT_EQ(p->argv, (Argv{"lvextend", "-r", "-L", "8G", "/dev/atomicos/root"}));
        EXPECT_FALSE(p->record); // absolute: no state needed

        root.size = 8 * GiB;
        p = plan_extend_root(size_of("8G"), root, vg, std::nullopt);
        ASSERT_TRUE(p.ok());
        EXPECT_FALSE(p->extend);
        EXPECT_NE(p->reason.find("already has"), std::string::npos) << p->reason;
        // Larger than asked: lvextend would refuse to "grow" it; nothing to do either.
        root.size = 9 * GiB;
        EXPECT_FALSE(plan_extend_root(size_of("8G"), root, vg, std::nullopt)->extend);
}

TEST(ExtendRoot, AbsoluteSizeIsRoundedUpToExtentsAsLvmDoes)
{
        lvm::Vg vg = vg_of("atomicos", 11 * GiB, 7 * GiB);
        // 8190 MiB rounds up to 8192 MiB with 4 MiB extents: an 8192 MiB root is done.
        lvm::Lv root = lv_of("atomicos", "root", 8192 * MiB);
        EXPECT_FALSE(plan_extend_root(size_of("8190"), root, vg, std::nullopt)->extend); // bare number = MiB
        root.size = 8188 * MiB;
        EXPECT_TRUE(plan_extend_root(size_of("8190M"), root, vg, std::nullopt)->extend);
}

TEST(ExtendRoot, PercentOfVgIsATarget)
{
        lvm::Vg vg = vg_of("atomicos", 10 * GiB, 6 * GiB); // 2560 extents
        lvm::Lv root = lv_of("atomicos", "root", 4 * GiB);
        Result<ExtendRootPlan> p = plan_extend_root(size_of("50%VG"), root, vg, std::nullopt);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->argv, (Argv{"lvextend", "-r", "-l", "50%VG", "/dev/atomicos/root"}));
        root.size = 5 * GiB;
        EXPECT_FALSE(plan_extend_root(size_of("50%VG"), root, vg, std::nullopt)->extend);
}

TEST(ExtendRoot, UnsignedPercentFreeIsTheNewSizeAsLvextendReadsIt)
{
        // lvm2 2.03.16 in the VM: `lvextend -l 10%FREE` with 923 free extents asks for 93
        // extents in total and fails on a 100-extent LV. So N%FREE is a target here too.
        lvm::Vg vg = vg_of("pv-vg", 4 * GiB, 923 * 4 * MiB);
        lvm::Lv lv = lv_of("pv-vg", "root", 400 * MiB); // 100 extents
        EXPECT_FALSE(plan_extend_root(size_of("10%FREE"), lv, vg, std::nullopt)->extend);
        Result<ExtendRootPlan> p = plan_extend_root(size_of("80%FREE"), lv, vg, std::nullopt);
        ASSERT_TRUE(p.ok());
        EXPECT_TRUE(p->extend);
        EXPECT_EQ(p->argv, (Argv{"lvextend", "-r", "-l", "80%FREE", "/dev/pv-vg/root"}));
        EXPECT_FALSE(p->record);
}

TEST(ExtendRoot, RelativeSizeIsAppliedOncePerRootLv)
{
        lvm::Vg vg = vg_of("atomicos", 11 * GiB, 7 * GiB);
        lvm::Lv root = lv_of("atomicos", "root", 3584 * MiB);

        Result<ExtendRootPlan> first = plan_extend_root(size_of("+5G"), root, vg, std::nullopt);
        ASSERT_TRUE(first.ok());
        EXPECT_TRUE(first->extend);
        EXPECT_EQ(first->argv, (Argv{"lvextend", "-r", "-L", "+5G", "/dev/atomicos/root"}));
        ASSERT_TRUE(first->record);
        EXPECT_EQ(first->record->lv_uuid, "uuid-root");
        EXPECT_EQ(first->record->root_size, "+5G");

        // Next boot: the record says it was done, and the LV has the size reached then.
        ExtendRootRecord done{"uuid-root", "+5G", 8704 * MiB};
        root.size = 8704 * MiB;
        Result<ExtendRootPlan> second = plan_extend_root(size_of("+5G"), root, vg, done);
        ASSERT_TRUE(second.ok());
        EXPECT_FALSE(second->extend);
        EXPECT_NE(second->reason.find("already applied"), std::string::npos) << second->reason;

        // A new ROOT_SIZE, or a new root LV, applies once again.
        EXPECT_TRUE(plan_extend_root(size_of("+6G"), root, vg, done)->extend);
        lvm::Lv other = root;
        other.uuid = "uuid-reinstalled";
        EXPECT_TRUE(plan_extend_root(size_of("+5G"), other, vg, done)->extend);
}

TEST(ExtendRoot, RecordedButSmallerGrowsToTheRecordedSizeNotAgainByRootSize)
{
        lvm::Vg vg = vg_of("atomicos", 11 * GiB, 7 * GiB);
        lvm::Lv root = lv_of("atomicos", "root", 3584 * MiB);
        ExtendRootRecord done{"uuid-root", "+5G", 8704 * MiB};
        Result<ExtendRootPlan> p = plan_extend_root(size_of("+5G"), root, vg, done);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->argv, (Argv{"lvextend", "-r", "-L", std::to_string(8704 * MiB) + "b", "/dev/atomicos/root"}));
        EXPECT_FALSE(p->record);
}

// The record decides a size: one that ROOT_SIZE could not have given is not believed.
TEST(ExtendRoot, ARecordThatDoesNotFollowFromRootSizeIsIgnored)
{
        lvm::Vg vg = vg_of("atomicos", 11 * GiB, 7 * GiB);
        lvm::Lv root = lv_of("atomicos", "root", 3584 * MiB);
        const Argv grow_by_root_size{"lvextend", "-r", "-L", "+5G", "/dev/atomicos/root"};
        // More than one +5G above the LV now, past the VG, or not whole extents.
        for (uint64_t target : {3584 * MiB + 5 * GiB + 4 * MiB, 11 * GiB + 4 * MiB, 8704 * MiB + 512}) {
                Result<ExtendRootPlan> p =
                        plan_extend_root(size_of("+5G"), root, vg, ExtendRootRecord{"uuid-root", "+5G", target});
                ASSERT_TRUE(p.ok());
                EXPECT_EQ(p->argv, grow_by_root_size) << target;
                EXPECT_TRUE(p->record) << target;
        }
        // Exactly one growth above: believed.
        Result<ExtendRootPlan> p =
                plan_extend_root(size_of("+5G"), root, vg, ExtendRootRecord{"uuid-root", "+5G", 3584 * MiB + 5 * GiB});
        EXPECT_EQ(p->argv,
                  (Argv{"lvextend", "-r", "-L", std::to_string(3584 * MiB + 5 * GiB) + "b", "/dev/atomicos/root"}));
}

TEST(ExtendRoot, RelativeWithNoFreeSpaceIsNothingToDo)
{
        lvm::Vg vg = vg_of("atomicos", 11 * GiB, 0);
        lvm::Lv root = lv_of("atomicos", "root", 11 * GiB);
        Result<ExtendRootPlan> p = plan_extend_root(size_of("+100%FREE"), root, vg, std::nullopt);
        ASSERT_TRUE(p.ok());
        EXPECT_FALSE(p->extend);
        EXPECT_NE(p->reason.find("no free space"), std::string::npos) << p->reason;
}

TEST(ExtendRoot, RecordRoundTrips)
{
        ExtendRootRecord r{"u8jzPd-e0Ig-xLd6-Gncf-BAep-fJBd-0Kh8oO", "+80%FREE", 9126805504};
        std::string text = format_extend_root_record(r);
        EXPECT_EQ(text, "u8jzPd-e0Ig-xLd6-Gncf-BAep-fJBd-0Kh8oO 9126805504 +80%FREE\n");
        EXPECT_EQ(parse_extend_root_record(text), r);
        EXPECT_FALSE(parse_extend_root_record(""));
        EXPECT_FALSE(parse_extend_root_record("uuid notanumber +5G"));
}

// --- css-thinpool ----------------------------------------------------------------------------

TEST(ThinPool, CreatesWithTheOriginalsArgvAndTheProfileAttached)
{
        lvm::Snapshot s = fixture("fullreport-new-vg.json"); // data-vg: 60 MiB, all free
        Config c;
        c.min_data_size = std::nullopt; // 40% of 60 MiB is below the 2G default
        Result<ThinPoolPlan> p = plan_thinpool(c, std::nullopt, s, "data-vg", false);
        ASSERT_TRUE(p.ok()) << p.error().message;
        ASSERT_EQ(p->action, ThinPoolPlan::Action::create);
        ASSERT_TRUE(p->create);
        // vg_size 62914560 B = 122880 sectors; /1000 + 1 = 123.
        EXPECT_EQ(lvm::lvcreate_thin_pool(*p->create),
                  (Argv{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n", "-c", "512K", "--poolmetadatasize",
                        "123s", "-l", "40%FREE", "--metadataprofile", "data-vg--docker-pool-extend", "-n",
                        "docker-pool", "data-vg"}));
        EXPECT_EQ(p->info, "");
}

// Issue 18: a pool striped across the DEVS PVs, named on lvcreate's command line.
namespace {

lvm::Snapshot three_devs_disks(uint64_t free_b, uint64_t free_c, uint64_t free_d)
{
        lvm::Snapshot s;
        s.vgs.push_back(vg_of("docker-vg", 30 * GiB, free_b + free_c + free_d));
        for (auto [name, free] : {std::pair{"/dev/vdb1", free_b}, {"/dev/vdc1", free_c}, {"/dev/vdd1", free_d}}) {
                lvm::Pv pv;
                pv.name = name;
                pv.vg = "docker-vg";
                pv.size = 10 * GiB;
                pv.free = free;
                s.pvs.push_back(pv);
        }
        return s;
}

Config striped(std::string stripes)
{
        Config c;
        c.devs = {"/dev/vdb", "/dev/vdc", "/dev/vdd"};
        c.vg = "docker-vg";
        c.stripes = std::move(stripes);
        return c;
}

const std::vector<std::string> devs_pvs_of_three = {"/dev/vdb1", "/dev/vdc1", "/dev/vdd1"};

} // namespace

TEST(ThinPool, StripedAcrossTheDevsPvs)
{
        lvm::Snapshot s = three_devs_disks(10 * GiB, 10 * GiB, 10 * GiB);
        Config c = striped("auto");
        c.stripe_size = "64K";
        Result<ThinPoolPlan> p = plan_thinpool(c, std::nullopt, s, "docker-vg", false, devs_pvs_of_three);
        ASSERT_TRUE(p.ok()) << p.error().message;
        ASSERT_TRUE(p->create);
        Argv argv = lvm::lvcreate_thin_pool(*p->create);
        EXPECT_EQ(Argv(argv.end() - 10, argv.end()), (Argv{"--stripes", "3", "--stripesize", "64K", "-n", "docker-pool",
                                                           "docker-vg", "/dev/vdb1", "/dev/vdc1", "/dev/vdd1"}))
                << "the stripes, then the name, the VG and the PVs";

        // STRIPES=2 over three PVs: LVM picks two of the three named.
        p = plan_thinpool(striped("2"), std::nullopt, s, "docker-vg", false, devs_pvs_of_three);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->create->striping.stripes, 2u);
        EXPECT_EQ(p->create->striping.pvs.size(), 3u);

        // Not striped: the original's lvcreate, no PVs named.
        p = plan_thinpool(striped(""), std::nullopt, s, "docker-vg", false, devs_pvs_of_three);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->create->striping.stripes, 0u);
        EXPECT_EQ(lvm::lvcreate_thin_pool(*p->create).back(), "docker-vg");
}

TEST(ThinPool, StripesMustFitMinDataSizeAndDataSize)
{
        // 3 stripes hold 3 x the smallest free space: 3 x 0.5 GiB < MIN_DATA_SIZE=2G.
        lvm::Snapshot s = three_devs_disks(10 * GiB, 10 * GiB, GiB / 2);
        Result<ThinPoolPlan> p = plan_thinpool(striped("auto"), std::nullopt, s, "docker-vg", false, devs_pvs_of_three);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message,
                  "There is not enough free space on the DEVS disks to create data volume of size MIN_DATA_SIZE=2G "
                  "striped across 3 of them: MIN_DATA_SIZE=2G is 2.00 GiB, more than 3 stripes on the DEVS disks "
                  "hold (1.50 GiB: 3 times the free space of the smallest of them).");
        // Two stripes take the two largest: 2 x 10 GiB.
        EXPECT_TRUE(plan_thinpool(striped("2"), std::nullopt, s, "docker-vg", false, devs_pvs_of_three).ok());

        // DATA_SIZE=90%FREE of 20.5 GiB is more than 3 x 0.5 GiB... and MIN_DATA_SIZE off.
        Config c = striped("auto");
        c.min_data_size = std::nullopt;
        c.data_size = Size{Size::Kind::percent_free, 0, 90, "90%FREE"};
        p = plan_thinpool(c, std::nullopt, s, "docker-vg", false, devs_pvs_of_three);
        ASSERT_FALSE(p.ok());
        EXPECT_TRUE(p.error().message.starts_with("DATA_SIZE=90%FREE is 18.45 GiB, more than 3 stripes"))
                << p.error().message;
}

TEST(ThinPool, StripesCountOnlyDevsPvsOfTheVg)
{
        lvm::Snapshot s = three_devs_disks(10 * GiB, 10 * GiB, 10 * GiB);
        s.pvs[2].vg = "other-vg";
        Result<ThinPoolPlan> p = plan_thinpool(striped("auto"), std::nullopt, s, "docker-vg", false, devs_pvs_of_three);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message,
                  "STRIPES=auto needs 3 physical volumes on the DEVS disks in volume group docker-vg; there are 2.");
}

TEST(CreateLv, StripedContainerLv)
{
        lvm::Snapshot s = three_devs_disks(10 * GiB, 10 * GiB, 10 * GiB);
        Config c = overlay2_lab();
        c.devs = {"/dev/vdb", "/dev/vdc", "/dev/vdd"};
        c.stripes = "3";
        Result<std::optional<CreateLvPlan>> p = plan_create_lv(c, s, "docker-vg", devs_pvs_of_three);
        ASSERT_TRUE(p.ok()) << p.error().message;
        ASSERT_TRUE(*p);
        EXPECT_EQ((*p)->argv, (Argv{"lvcreate", "-y", "--wipesignatures", "y", "-l", "40%FREE", "--stripes", "3", "-n",
                                    "docker-root-lv", "docker-vg", "/dev/vdb1", "/dev/vdc1", "/dev/vdd1"}));
        c.container_root_lv_size = Size{Size::Kind::absolute, 40 * GiB, 0, "40G"};
        p = plan_create_lv(c, s, "docker-vg", devs_pvs_of_three);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message,
                  "The size of docker-vg/docker-root-lv, 40G, is 40.00 GiB, more than 3 stripes on "
                  "the DEVS disks hold (30.00 GiB: 3 times the free space of the smallest of them).");
}

TEST(ThinPool, NoProfileWhenAutoExtendIsOff)
{
        lvm::Snapshot s = fixture("fullreport-new-vg.json");
        Config c;
        c.min_data_size = std::nullopt;
        c.auto_extend_pool = false;
        Result<ThinPoolPlan> p = plan_thinpool(c, std::nullopt, s, "data-vg", false);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->create->profile, "");
}

TEST(ThinPool, MinDataSizeRaisesOrRefuses)
{
        lvm::Snapshot s;
        s.vgs.push_back(vg_of("docker-vg", 10 * GiB, 10 * GiB));
        Config c;
        c.data_size = Size{Size::Kind::percent_free, 0, 10, "10%FREE"}; // 1 GiB < 2G
        Result<ThinPoolPlan> p = plan_thinpool(c, std::nullopt, s, "docker-vg", false);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->create->data_size.text, "2G");
        EXPECT_EQ(p->info, "DATA_SIZE=10%FREE is smaller than MIN_DATA_SIZE=2G. Will create data volume of size "
                           "specified by MIN_DATA_SIZE.");

        s.vgs[0] = vg_of("docker-vg", 10 * GiB, 1 * GiB);
        p = plan_thinpool(c, std::nullopt, s, "docker-vg", false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "There is not enough free space in volume group docker-vg to create data "
                                     "volume of size MIN_DATA_SIZE=2G.");
}

TEST(ThinPool, ExistingPoolOnlyAppliesTheAutoExtendSetting)
{
        lvm::Snapshot s = fixture("fullreport-thinpool-active.json");
        Result<ThinPoolPlan> p = plan_thinpool(Config{}, std::nullopt, s, "docker-vg", false);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->action, ThinPoolPlan::Action::apply_autoextend);
        EXPECT_EQ(p->pool_vg, "docker-vg");
        EXPECT_EQ(p->pool_lv, "docker-pool");
        EXPECT_FALSE(p->create);
        // Even with docker metadata present: the pool is there, nothing is created.
        EXPECT_EQ(plan_thinpool(Config{}, std::nullopt, s, "docker-vg", true)->action,
                  ThinPoolPlan::Action::apply_autoextend);
}

TEST(ThinPool, AnInactivePoolIsActivated)
{
        // systemd cannot wait for a thin pool's device (LVM marks it private to udev), so the
        // step activates it itself when LVM has not yet; an active pool is left as it is.
        lvm::Snapshot active = fixture("fullreport-thinpool-active.json");
        lvm::Snapshot inactive = fixture("fullreport-thinpool-inactive.json");
        const std::string ours = "--storage-opt dm.thinpooldev=/dev/mapper/docker--vg-docker--pool";
        EXPECT_FALSE(plan_thinpool(Config{}, std::nullopt, active, "docker-vg", false)->activate);
        EXPECT_FALSE(plan_thinpool(Config{}, ours, active, "", false)->activate);
        EXPECT_TRUE(plan_thinpool(Config{}, std::nullopt, inactive, "docker-vg", false)->activate);
        EXPECT_TRUE(plan_thinpool(Config{}, ours, inactive, "", false)->activate);
}

TEST(ThinPool, ConfiguredPoolMustBeOursAndIsTakenFromTheFile)
{
        lvm::Snapshot s = fixture("fullreport-thinpool-active.json");
        const std::string ours = "--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt "
                                 "dm.thinpooldev=/dev/mapper/docker--vg-docker--pool ";
        // The VG comes from the pool's dm name, not from the config (which may have changed).
        Result<ThinPoolPlan> p = plan_thinpool(Config{}, ours, s, "", false);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->action, ThinPoolPlan::Action::apply_autoextend);
        EXPECT_EQ(p->pool_vg, "docker-vg");

        p = plan_thinpool(Config{}, "--storage-opt dm.thinpooldev=/dev/mapper/vg-other", s, "docker-vg", false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "Thin pool /dev/mapper/vg-other does not seem to be managed by "
                                     "container-storage-setup. Exiting.");

        p = plan_thinpool(Config{}, "--storage-opt dm.thinpooldev=/dev/mapper/gone--vg-docker--pool", s, "", false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message,
                  "Already configured thin pool /dev/mapper/gone--vg-docker--pool is not available. If thin pool "
                  "exists and is taking longer to activate, set DEVICE_WAIT_TIMEOUT to a higher value and retry. If "
                  "thin pool does not exist any more, remove /etc/sysconfig/docker-storage and retry");
}

// Issue 18, ephemeral disks: the output file names our pool, and its disk came back blank, so
// css-vg made a new, empty docker-vg this boot.
TEST(ThinPool, LostPoolIsBuiltAgainOnlyWithEphemeralStorage)
{
        lvm::Snapshot s;
        s.vgs.push_back(vg_of("docker-vg", 10 * GiB, 10 * GiB));
        const std::string ours = "--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt "
                                 "dm.thinpooldev=/dev/mapper/docker--vg-docker--pool ";
        Config c;
        Result<ThinPoolPlan> p = plan_thinpool(c, ours, s, "docker-vg", true);
        ASSERT_FALSE(p.ok());
        EXPECT_TRUE(p.error().message.starts_with("Already configured thin pool /dev/mapper/docker--vg-docker--pool is "
                                                  "not available."));

        c.ephemeral_storage = true;
        p = plan_thinpool(c, ours, s, "docker-vg", true);
        ASSERT_TRUE(p.ok()) << p.error().message;
        EXPECT_EQ(p->action, ThinPoolPlan::Action::create);
        EXPECT_EQ(p->lost_pool, "/dev/mapper/docker--vg-docker--pool");
        EXPECT_TRUE(p->move_docker_state) << "docker's metadata names the lost pool's devices";
        EXPECT_EQ(p->create->vg, "docker-vg");
        EXPECT_EQ(p->create->pool, "docker-pool");
        EXPECT_FALSE(plan_thinpool(c, ours, s, "docker-vg", false)->move_docker_state);

        // Not for a pool of another name (the config changed), nor for an LV of that name that is
        // there but no thin pool.
        c.container_thinpool = "other-pool";
        EXPECT_FALSE(plan_thinpool(c, ours, s, "docker-vg", true).ok());
        c.container_thinpool = "docker-pool";
        s.lvs.push_back(lv_of("docker-vg", "docker-pool", GiB));
        EXPECT_FALSE(plan_thinpool(c, ours, s, "docker-vg", true).ok());
}

TEST(ThinPool, RefusalsWithTheOriginalsMessages)
{
        lvm::Snapshot s = fixture("fullreport-new-vg.json");
        Config c;
        c.min_data_size = std::nullopt;

        Result<ThinPoolPlan> p = plan_thinpool(c, std::nullopt, s, "", false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "No valid volume group found. Exiting.");
        p = plan_thinpool(c, std::nullopt, s, "missing-vg", false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "No valid volume group found. Exiting.");

        p = plan_thinpool(c, "--storage-driver devicemapper --storage-opt dm.datadev=/dev/a", s, "data-vg", false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message,
                  "Old mode of passing data and metadata logical volumes to docker is not supported. Exiting.");

        // #116: docker used devicemapper (loopback) before; a new pool would not match its metadata.
        p = plan_thinpool(c, std::nullopt, s, "data-vg", true);
        ASSERT_TRUE(p.ok());
        EXPECT_EQ(p->action, ThinPoolPlan::Action::refuse_docker_metadata);
        EXPECT_EQ(p->info, "Docker state can be reset by stopping docker and by removing /var/lib/docker directory. "
                           "This will destroy existing docker images and containers and all the docker metadata.");

        // An LV of the pool's name that is not a pool.
        lvm::Snapshot t = fixture("fullreport-thinpool-active.json");
        c.container_thinpool = "root";
        p = plan_thinpool(c, std::nullopt, t, "docker-vg", false);
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "Logical volume docker-vg/root exists but is not a thin pool.");
}

TEST(AutoExtendProfile, LvmConfSettingProfileDir)
{
        EXPECT_FALSE(lvm_conf_sets_profile_dir(""));
        EXPECT_FALSE(lvm_conf_sets_profile_dir("config {\n\t# profile_dir = \"/etc/lvm/profile\"\n}\n"));
        EXPECT_FALSE(lvm_conf_sets_profile_dir("\tprofile_dirs_are_not_a_key = 1\n"));
        EXPECT_TRUE(lvm_conf_sets_profile_dir("config {\n\tprofile_dir = \"/srv/lvm-profiles\"\n}\n"));
        EXPECT_TRUE(lvm_conf_sets_profile_dir("config/profile_dir=1\nprofile_dir=\"/x\""));
}

// --- css-create-lv ---------------------------------------------------------------------------

TEST(CreateLv, TheLabsDockerRootLv)
{
        lvm::Snapshot s;
        s.vgs.push_back(vg_of("atomicos", 11 * GiB, 7 * GiB));
        s.lvs.push_back(lv_of("atomicos", "root", 3584 * MiB));
        Result<std::optional<CreateLvPlan>> p = plan_create_lv(overlay2_lab(), s, "atomicos");
        ASSERT_TRUE(p.ok()) << p.error().message;
        ASSERT_TRUE(*p);
        EXPECT_EQ((*p)->action, CreateLvPlan::Action::create);
        EXPECT_EQ((*p)->argv, (Argv{"lvcreate", "-y", "--wipesignatures", "y", "-l", "40%FREE", "-n", "docker-root-lv",
                                    "atomicos"}));

        Config c = overlay2_lab();
        c.container_root_lv_size = Size{Size::Kind::absolute, 10 * GiB, 0, "10G"};
        EXPECT_EQ((*plan_create_lv(c, s, "atomicos"))->argv,
                  (Argv{"lvcreate", "-y", "--wipesignatures", "y", "-L", "10G", "-n", "docker-root-lv", "atomicos"}));
}

TEST(CreateLv, ExistingLvIsLeftAloneOrActivated)
{
        lvm::Snapshot s;
        s.vgs.push_back(vg_of("atomicos", 11 * GiB, 4 * GiB));
        s.lvs.push_back(lv_of("atomicos", "docker-root-lv", 3 * GiB));
        Result<std::optional<CreateLvPlan>> p = plan_create_lv(overlay2_lab(), s, "atomicos");
        ASSERT_TRUE(p.ok());
        EXPECT_FALSE(*p);

        // LVM did not activate it (an autoactivation cut short in the initrd): activate it.
        s.lvs[0].active = false;
        p = plan_create_lv(overlay2_lab(), s, "atomicos");
        ASSERT_TRUE(p.ok());
        ASSERT_TRUE(*p);
        EXPECT_EQ((*p)->action, CreateLvPlan::Action::activate);
        EXPECT_EQ((*p)->argv, (Argv{"lvchange", "-ay", "atomicos/docker-root-lv"}));

        s.lvs[0].attr = "twi-a-tz--";
        p = plan_create_lv(overlay2_lab(), s, "atomicos");
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message,
                  "Logical volume atomicos/docker-root-lv exists but is not a plain logical volume.");
}

TEST(CreateLv, DockerRootVolumeAndNothingConfigured)
{
        lvm::Snapshot s;
        s.vgs.push_back(vg_of("atomicos", 11 * GiB, 7 * GiB));
        Config c;
        c.storage_driver = StorageDriver::overlay2;
        EXPECT_FALSE(*plan_create_lv(c, s, "atomicos")); // no extra LV asked for

        c.docker_root_volume = true;
        c.docker_root_volume_size = Size{Size::Kind::percent_vg, 0, 20, "20%VG"};
        EXPECT_EQ((*plan_create_lv(c, s, "atomicos"))->argv,
                  (Argv{"lvcreate", "-y", "--wipesignatures", "y", "-l", "20%VG", "-n", "docker-root-lv", "atomicos"}));

        c.storage_driver = StorageDriver::none; // no storage: no extra LV, as the original
        EXPECT_FALSE(*plan_create_lv(c, s, "atomicos"));

        Result<std::optional<CreateLvPlan>> p = plan_create_lv(overlay2_lab(), s, "");
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message, "No valid volume group found. Exiting.");
}

// --- css-reset -------------------------------------------------------------------------------

TEST(Reset, RemovesTheConfiguredPoolAndTheContainerRootLv)
{
        lvm::Snapshot s = fixture("fullreport-thinpool-active.json");
        Config c;
        c.container_root_lv_name = "container-root-lv";
        c.container_root_lv_mount_path = "/var/lib/containers";
        Result<ResetPlan> p = plan_reset(
                c, "--storage-driver devicemapper --storage-opt dm.thinpooldev=/dev/mapper/docker--vg-docker--pool ", s,
                "docker-vg");
        ASSERT_TRUE(p.ok()) << p.error().message;
        ASSERT_TRUE(p->container_root_lv);
        EXPECT_EQ(p->container_root_lv->lv, "container-root-lv");
        EXPECT_EQ(p->container_root_lv->mount_path, "/var/lib/containers");
        EXPECT_EQ(p->container_root_lv->major, 253u);
        EXPECT_EQ(p->container_root_lv->minor, 4u);
        ASSERT_TRUE(p->thin_pool);
        EXPECT_EQ(p->thin_pool->vg, "docker-vg");
        EXPECT_EQ(p->thin_pool->lv, "docker-pool");
        ASSERT_TRUE(p->profile_of);
        EXPECT_EQ(p->profile_of->first, "docker-vg");
}

TEST(Reset, PoolAfterADriverChangeAndWhatIsGone)
{
        lvm::Snapshot s = fixture("fullreport-thinpool-active.json");
        // Since 0.11 a reset after switching the config to overlay2 still removes the old pool.
        Result<ResetPlan> p = plan_reset(
                overlay2_lab(), "--storage-opt dm.thinpooldev=/dev/mapper/docker--vg-docker--pool", s, "docker-vg");
        ASSERT_TRUE(p.ok());
        EXPECT_TRUE(p->thin_pool);
        EXPECT_FALSE(p->container_root_lv); // docker-root-lv does not exist in this VG

        // No output file, devicemapper: VG/CONTAINER_THINPOOL.
        p = plan_reset(Config{}, std::nullopt, s, "docker-vg");
        ASSERT_TRUE(p.ok());
        EXPECT_TRUE(p->thin_pool);

        // Nothing left: nothing to remove, only the profile file is looked for.
        lvm::Snapshot empty = fixture("fullreport-new-vg.json");
        p = plan_reset(Config{}, std::nullopt, empty, "data-vg");
        ASSERT_TRUE(p.ok());
        EXPECT_FALSE(p->thin_pool);
        EXPECT_FALSE(p->container_root_lv);
        EXPECT_TRUE(p->profile_of);

        p = plan_reset(Config{}, "--storage-opt dm.thinpooldev=/dev/mapper/foreign", s, "docker-vg");
        ASSERT_FALSE(p.ok());
        EXPECT_EQ(p.error().message,
                  "Thin pool /dev/mapper/foreign does not seem to be managed by container-storage-setup. Exiting.");
}

// A switch removes what the old configuration created, except what the new one names as it is.
TEST(Reset, KeepsWhatTheNextConfigurationNames)
{
        lvm::Snapshot s = fixture("fullreport-thinpool-active.json");
        Config old;
        old.container_root_lv_name = "container-root-lv";
        old.container_root_lv_mount_path = "/var/lib/containers";
        Result<ResetPlan> p = plan_reset(old, std::nullopt, s, "docker-vg");
        ASSERT_TRUE(p.ok());
        ASSERT_TRUE(p->container_root_lv && p->thin_pool);

        // The same LV at the same place, and the same pool: both stay.
        Result<ResetPlan> same = plan_reset(old, std::nullopt, s, "docker-vg");
        ResetPlan plan = *p;
        keep_volumes(plan, *same);
        EXPECT_FALSE(plan.container_root_lv);
        EXPECT_FALSE(plan.thin_pool);
        EXPECT_FALSE(plan.profile_of);

        // Mounted elsewhere, and overlay2 (no pool): both go.
        Config next = old;
        next.container_root_lv_mount_path = "/var/lib/docker";
        next.storage_driver = StorageDriver::overlay2;
        Result<ResetPlan> other = plan_reset(next, std::nullopt, s, "docker-vg");
        plan = *p;
        keep_volumes(plan, *other);
        EXPECT_TRUE(plan.container_root_lv);
        EXPECT_TRUE(plan.thin_pool);
        EXPECT_TRUE(plan.profile_of);
}
