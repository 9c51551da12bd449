// SPDX-License-Identifier: Apache-2.0
// The step table (steps/step_table.hpp): one row per step, each with a helper where it needs one,
// and applies() deciding what the generator emits.
#include "source_file_util.hpp"
#include "steps/step_table.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace css::steps {
namespace {

std::vector<std::string> names()
{
        std::vector<std::string> out;
        for (const Step &s : step_table())
                out.emplace_back(s.name);
        return out;
}

TEST(StepTable, TheOriginalsOrder)
{
        EXPECT_EQ(names(), (std::vector<std::string>{"check-engine", "prepare-disk", "vg", "growpart", "pvresize",
                                                     "extend-root", "thinpool", "create-lv", "mkfs", "mount", "growfs",
                                                     "write-storage-config"}));
}

TEST(StepTable, EveryStepWithAHelperIsBuilt)
{
        // helpers/meson.build builds css-<name> for the names it lists: exactly the rows that are
        // not the mount (a .mount unit, no helper).
        const std::string meson = test::read_source("helpers/meson.build");
        std::set<std::string> built;
        const std::regex entry("\n  '([a-z-]+)',");
        for (auto it = std::sregex_iterator(meson.begin(), meson.end(), entry); it != std::sregex_iterator(); ++it)
                built.insert((*it)[1]);
        std::set<std::string> rows;
        for (const Step &s : step_table())
                if (s.kind != StepKind::mount)
                        rows.emplace(s.name);
        EXPECT_EQ(built, rows);
}

TEST(StepTable, FindsRowsByName)
{
        ASSERT_NE(find_step("thinpool"), nullptr);
        EXPECT_EQ(helper_name(*find_step("thinpool")), "css-thinpool");
        EXPECT_EQ(find_step("css-thinpool"), nullptr);
        EXPECT_EQ(find_step(""), nullptr);
}

bool applies(std::string_view name, const Config &c, const StepFacts &f)
{
        return find_step(name)->applies(c, f);
}

TEST(StepTable, RootStepsNeedTheRootOnLvm)
{
        Config c;
        c.growpart = true;
        c.root_size = Size{Size::Kind::absolute, uint64_t{8} << 30, 0, "8G"};
        StepFacts plain;
        StepFacts lvm;
        lvm.root_vg = "atomicos";
        for (std::string_view step : {"growpart", "pvresize", "extend-root"}) {
                EXPECT_FALSE(applies(step, c, plain)) << step;
                EXPECT_TRUE(applies(step, c, lvm)) << step;
        }
        c.growpart = false;
        c.root_size.reset();
        for (std::string_view step : {"growpart", "pvresize", "extend-root"})
                EXPECT_FALSE(applies(step, c, lvm)) << step;
}

TEST(StepTable, DisksNeedAVolumeGroup)
{
        Config c;
        c.devs = {"/dev/vdb"};
        StepFacts plain;
        EXPECT_FALSE(applies("prepare-disk", c, plain));
        EXPECT_FALSE(applies("vg", c, plain));
        c.vg = "docker-vg";
        EXPECT_TRUE(applies("prepare-disk", c, plain));
        EXPECT_TRUE(applies("vg", c, plain));
        EXPECT_EQ(working_vg(c, plain), "docker-vg");
}

TEST(StepTable, AnEarlierPoolIsStillBroughtUp)
{
        Config c;
        c.storage_driver = StorageDriver::overlay2;
        StepFacts f;
        EXPECT_FALSE(applies("thinpool", c, f));
        f.provisioned_thinpool = "/dev/mapper/docker--vg-docker--pool";
        EXPECT_TRUE(applies("thinpool", c, f));
        EXPECT_TRUE(find_step("thinpool")->every_boot);
}

TEST(StepTable, TheContainerRootLvsSteps)
{
        Config c;
        c.storage_driver = StorageDriver::overlay2;
        c.container_root_lv_name = "docker-root-lv";
        c.container_root_lv_mount_path = "/var/lib/docker";
        StepFacts plain;
        EXPECT_TRUE(applies("create-lv", c, plain));
        EXPECT_FALSE(applies("mkfs", c, plain)) << "no VG: no /dev/VG/LV to make a filesystem on";
        EXPECT_FALSE(applies("mount", c, plain));
        StepFacts lvm;
        lvm.root_vg = "atomicos";
        EXPECT_TRUE(applies("mkfs", c, lvm));
        EXPECT_TRUE(applies("mount", c, lvm));
        EXPECT_EQ(find_step("mount")->description(c, lvm.root_vg),
                  "Mount docker-root-lv on /var/lib/docker directory.");
        EXPECT_EQ(find_step("create-lv")->description(c, std::nullopt),
                  "Container storage: create or activate logical volume docker-root-lv (no volume group found)");
}

TEST(StepTable, NothingButTheRootStepsWithoutADriver)
{
        Config c;
        c.storage_driver = StorageDriver::none;
        c.container_root_lv_name = "docker-root-lv";
        StepFacts lvm;
        lvm.root_vg = "atomicos";
        for (std::string_view step :
             {"check-engine", "thinpool", "create-lv", "mkfs", "mount", "growfs", "write-storage-config"})
                EXPECT_FALSE(applies(step, c, lvm)) << step;
}

} // namespace
} // namespace css::steps
