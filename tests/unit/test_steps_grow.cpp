// SPDX-License-Identifier: Apache-2.0
// GROW_DEVS=true (issue 18, part 3): the share of its VG's growth that the pool or the container
// LV takes (steps/grow_lv.hpp), the filesystem's growth after the mount (steps/growfs.hpp), and
// their LVM commands. The VM scenario 62-grown-disks runs them against a real lvm and XFS.

#include "lvm/commands.hpp"
#include "lvm_test_util.hpp"
#include "steps/grow_lv.hpp"
#include "steps/growfs.hpp"
#include "steps/planned_growth.hpp"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

using namespace css;
using namespace css::steps;
using namespace css::test;
using lvm::Argv;

namespace {

lvm::Lv pool_of(uint64_t size, std::vector<std::string> tags = {})
{
        lvm::Lv lv;
        lv.vg = "docker-vg";
        lv.name = "docker-pool";
        lv.size = size;
        lv.attr = "twi-aotz--";
        lv.tags = std::move(tags);
        return lv;
}

} // namespace

TEST(GrowLv, TheTagRoundTripsAndOtherTagsAreIgnored)
{
        EXPECT_EQ(growth_tag({10 * GiB, 4 * GiB}), "css_grow_vg10737418240_lv4294967296");
        lvm::Lv lv = pool_of(4 * GiB, {"admin_tag", "css_grow_vg10737418240_lv4294967296"});
        EXPECT_EQ(growth_mark(lv), (GrowthMark{10 * GiB, 4 * GiB}));
        for (const char *bad : {"css_grow_vg", "css_grow_vg12_lv", "css_grow_vgx_lv3", "css_grow_vg1_lv2x", "grow"})
                EXPECT_FALSE(growth_mark(pool_of(1, {bad})).has_value()) << bad;
}

TEST(GrowLv, WithoutATagTodaysSizesAreRecorded)
{
        LvGrowth g = plan_lv_growth(size_of("40%FREE"), pool_of(4 * GiB, {"admin_tag"}),
                                    vg_of("docker-vg", 10 * GiB, 6 * GiB), nullptr);
        EXPECT_FALSE(g.extend_to);
        EXPECT_EQ(g.old_tag, "");
        EXPECT_EQ(g.new_tag, growth_tag({10 * GiB, 4 * GiB}));
}

TEST(GrowLv, NothingWhenTheVgDidNotGrow)
{
        LvGrowth g = plan_lv_growth(size_of("40%FREE"), pool_of(4 * GiB, {growth_tag({10 * GiB, 4 * GiB})}),
                                    vg_of("docker-vg", 10 * GiB, 6 * GiB), nullptr);
        EXPECT_FALSE(g.extend_to);
        EXPECT_EQ(g.new_tag, "");
        EXPECT_EQ(g.old_tag, "");
}

TEST(GrowLv, APercentSizeTakesTheSameShareOfTheNewSpace)
{
        const std::string old_tag = growth_tag({10 * GiB, 4 * GiB});
        // The VG grew from 10 to 20 GiB: 40%FREE takes 4 GiB of the 10 GiB gained.
        LvGrowth g = plan_lv_growth(size_of("40%FREE"), pool_of(4 * GiB, {old_tag}),
                                    vg_of("docker-vg", 20 * GiB, 16 * GiB), nullptr);
        ASSERT_TRUE(g.extend_to);
        EXPECT_EQ(*g.extend_to, 8 * GiB);
        EXPECT_EQ(g.old_tag, old_tag);
        EXPECT_EQ(g.new_tag, growth_tag({20 * GiB, 8 * GiB}));
        EXPECT_EQ(g.message,
                  "Volume group docker-vg gained 10.00 GiB: extending docker-vg/docker-pool from 4.00 GiB to "
                  "8.00 GiB, its share (40%FREE).");
        // %VG likewise; the target is rounded down to whole extents.
        g = plan_lv_growth(size_of("30%VG"), pool_of(3 * GiB, {growth_tag({10 * GiB, 3 * GiB})}),
                           vg_of("docker-vg", 11 * GiB, 8 * GiB), nullptr);
        ASSERT_TRUE(g.extend_to);
        EXPECT_EQ(*g.extend_to, 3 * GiB + 304 * MiB); // 30% of 1 GiB is 307.2 MiB
}

TEST(GrowLv, APowerCutBeforeTheNewTagConvergesOnTheSameTarget)
{
        // lvextend ran, the lvchange did not: the old tag gives the same absolute target, reached.
        const std::string old_tag = growth_tag({10 * GiB, 4 * GiB});
        LvGrowth g = plan_lv_growth(size_of("40%FREE"), pool_of(8 * GiB, {old_tag}),
                                    vg_of("docker-vg", 20 * GiB, 12 * GiB), nullptr);
        EXPECT_FALSE(g.extend_to);
        EXPECT_EQ(g.old_tag, old_tag);
        EXPECT_EQ(g.new_tag, growth_tag({20 * GiB, 8 * GiB}));
}

TEST(GrowLv, AbsoluteSizesDoNotGrowAndAnAutoExtendedPoolIsLeftAlone)
{
        LvGrowth g = plan_lv_growth(size_of("5G"), pool_of(5 * GiB, {growth_tag({10 * GiB, 5 * GiB})}),
                                    vg_of("docker-vg", 20 * GiB, 15 * GiB), nullptr);
        EXPECT_FALSE(g.extend_to);
        EXPECT_EQ(g.new_tag, "");
        // dmeventd grew the pool from 4 to 9 GiB, beyond the 8 GiB share.
        g = plan_lv_growth(size_of("40%FREE"), pool_of(9 * GiB, {growth_tag({10 * GiB, 4 * GiB})}),
                           vg_of("docker-vg", 20 * GiB, 11 * GiB), nullptr);
        EXPECT_FALSE(g.extend_to);
        EXPECT_EQ(g.new_tag, growth_tag({20 * GiB, 9 * GiB}));
}

TEST(GrowLv, AStripedLvGrowsByWhatItsStripesHold)
{
        Stripes stripes;
        stripes.striping = {2, "", {"/dev/vdb1", "/dev/vdc1"}};
        stripes.capacity = 2 * GiB; // one disk grew less than the other
        LvGrowth g = plan_lv_growth(size_of("100%FREE"), pool_of(10 * GiB, {growth_tag({10 * GiB, 10 * GiB})}),
                                    vg_of("docker-vg", 20 * GiB, 10 * GiB), &stripes);
        ASSERT_TRUE(g.extend_to);
        EXPECT_EQ(*g.extend_to, 12 * GiB);
        EXPECT_EQ(g.new_tag, growth_tag({20 * GiB, 12 * GiB}));
}

TEST(GrowLv, TheCommandsAreAbsoluteAndOneCommitEach)
{
        EXPECT_EQ(lvm::lvextend_to("docker-vg", "docker-pool", 8 * GiB),
                  (Argv{"lvextend", "-L", "8589934592b", "docker-vg/docker-pool"}));
        EXPECT_EQ(lvm::lvextend_to("docker-vg", "docker-pool", 8 * GiB, {"/dev/vdb1", "/dev/vdc1"}),
                  (Argv{"lvextend", "-L", "8589934592b", "docker-vg/docker-pool", "/dev/vdb1", "/dev/vdc1"}));
        EXPECT_EQ(lvm::lvchange_retag("docker-vg", "docker-pool", "", "css_grow_vg1_lv2"),
                  (Argv{"lvchange", "--addtag", "css_grow_vg1_lv2", "docker-vg/docker-pool"}));
        EXPECT_EQ(lvm::lvchange_retag("docker-vg", "docker-pool", "css_grow_vg1_lv2", "css_grow_vg3_lv4"),
                  (Argv{"lvchange", "--deltag", "css_grow_vg1_lv2", "--addtag", "css_grow_vg3_lv4",
                        "docker-vg/docker-pool"}));
}

TEST(GrowFs, OnlyWhenTheLvHoldsMoreThanTheTailMkfsLeaves)
{
        EXPECT_TRUE(filesystem_needs_growing(4 * GiB, GiB / 4096, 4096));
        EXPECT_FALSE(filesystem_needs_growing(GiB, GiB / 4096, 4096));
        // The tail a striped LV's XFS leaves unused is not growth.
        EXPECT_FALSE(filesystem_needs_growing(GiB + 16 * MiB, GiB / 4096, 4096));
        EXPECT_FALSE(filesystem_needs_growing(GiB + 64 * MiB - 1, GiB / 4096, 4096));
        EXPECT_TRUE(filesystem_needs_growing(GiB + 64 * MiB, GiB / 4096, 4096));
        EXPECT_EQ(xfs_growfs_argv("/var/lib/docker"), (std::vector<std::string>{"xfs_growfs", "/var/lib/docker"}));
}

// `plan`: the growth a dry run printed is laid over its later LVM snapshots
// (steps/planned_growth.hpp), so css-thinpool and css-create-lv plan their share from the VG
// that will have grown. The host test StepsGrow.DryRunPlansThePvresizeAndTheVgAsTheyWillBe
// checks the PV's and VG's sizes against a real pvresize.
namespace {

lvm::Pv pv_of(std::string name, uint64_t size, uint64_t free)
{
        lvm::Pv pv;
        pv.name = std::move(name);
        pv.vg = "docker-vg";
        pv.size = size;
        pv.free = free;
        pv.dev_size = size + MiB;
        pv.pe_start = MiB;
        return pv;
}

lvm::Snapshot two_disk_vg()
{
        lvm::Snapshot s;
        s.vgs.push_back(vg_of("docker-vg", 20 * GiB - 8 * MiB, 12 * GiB - 8 * MiB));
        s.vgs.back().extent_count = s.vgs.back().size / (4 * MiB);
        s.vgs.back().free_count = s.vgs.back().free / (4 * MiB);
        s.pvs = {pv_of("/dev/vdb1", 10 * GiB - 4 * MiB, 6 * GiB - 4 * MiB),
                 pv_of("/dev/vdc1", 10 * GiB - 4 * MiB, 6 * GiB - 4 * MiB)};
        s.lvs = {pool_of(8 * GiB, {growth_tag({20 * GiB - 8 * MiB, 8 * GiB})})};
        return s;
}

} // namespace

TEST(PlannedGrowth, PvResizesGrowTheVgByWholeExtentsAndAnExtensionTakesFromTheStripes)
{
        lvm::Snapshot s = two_disk_vg();
        PlannedGrowth planned;
        // Each partition grows from 10 GiB to 20 GiB (less a 1 MiB gap, and 3 MiB that make
        // no whole extent past pe_start).
        planned.pv_resizes = {{"/dev/vdb1", 20 * GiB - 2 * MiB}, {"/dev/vdc1", 20 * GiB - 2 * MiB}};
        planned.apply(s);
        EXPECT_EQ(s.pvs[0].size, 20 * GiB - 4 * MiB);
        EXPECT_EQ(s.pvs[1].free, 16 * GiB - 4 * MiB);
        EXPECT_EQ(s.vgs[0].size, 40 * GiB - 8 * MiB);
        EXPECT_EQ(s.vgs[0].free, 32 * GiB - 8 * MiB);
        EXPECT_EQ(s.vgs[0].extent_count, (40 * GiB - 8 * MiB) / (4 * MiB));

        // What css-thinpool then plans from this snapshot: 40% of the 20 GiB gained.
        LvGrowth g = plan_lv_growth(size_of("40%FREE"), s.lvs[0], s.vgs[0], nullptr);
        ASSERT_TRUE(g.extend_to);
        EXPECT_EQ(*g.extend_to, 16 * GiB);

        planned.lv_extensions = {{"docker-vg", "docker-pool", *g.extend_to, {"/dev/vdb1", "/dev/vdc1"}}};
        s = two_disk_vg();
        planned.apply(s);
        EXPECT_EQ(s.lvs[0].size, 16 * GiB);
        EXPECT_EQ(s.vgs[0].free, 24 * GiB - 8 * MiB);
        EXPECT_EQ(s.pvs[0].free, 12 * GiB - 4 * MiB);
        EXPECT_EQ(s.pvs[1].free, 12 * GiB - 4 * MiB);
}

TEST(PlannedGrowth, ALinearExtensionTakesFromThePvsInTurnAndNothingShrinks)
{
        lvm::Snapshot s = two_disk_vg();
        PlannedGrowth planned;
        planned.lv_extensions = {{"docker-vg", "docker-pool", 16 * GiB, {}}};
        planned.pv_resizes = {{"/dev/vdb1", 4 * GiB}}; // smaller than the PV: no change
        planned.apply(s);
        EXPECT_EQ(s.pvs[0].size, 10 * GiB - 4 * MiB);
        EXPECT_EQ(s.pvs[0].free, 0u);
        EXPECT_EQ(s.pvs[1].free, 4 * GiB - 8 * MiB);
        EXPECT_EQ(s.vgs[0].free, 4 * GiB - 8 * MiB);

        planned = {};
        planned.lv_extensions = {{"docker-vg", "docker-pool", 4 * GiB, {}}}; // smaller: no change
        s = two_disk_vg();
        planned.apply(s);
        EXPECT_EQ(s.lvs[0].size, 8 * GiB);
        EXPECT_EQ(s.vgs[0].free, 12 * GiB - 8 * MiB);
}

TEST(PlannedGrowth, ADeviceSizeIsTheLargestPlanned)
{
        PlannedGrowth planned;
        EXPECT_FALSE(planned.device_bytes(makedev(252, 16)));
        planned.grow_device(makedev(252, 16), 20 * GiB);
        planned.grow_device(makedev(252, 16), 10 * GiB);
        EXPECT_EQ(planned.device_bytes(makedev(252, 16)), 20 * GiB);
        EXPECT_FALSE(planned.device_bytes(makedev(252, 17)));
}
