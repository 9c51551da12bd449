// SPDX-License-Identifier: Apache-2.0
// What `container-storage-setup switch` keeps between its runs: the configuration applied last
// (read back exactly as it was) and the record of a switch not finished (read back, refused
// when damaged, and stopping the engines until its storage is ready).

#include "config_test_util.hpp"
#include "fake_root.hpp"

#include "config/config_format.hpp"
#include "config/pending_switch.hpp"
#include "steps/applied_config.hpp"
#include "steps/provisioned.hpp"
#include "steps/step_context.hpp"

#include <fstream>
#include <gtest/gtest.h>

namespace css::steps {
namespace {

TEST(AppliedConfig, ReadsBackTheEffectiveConfiguration)
{
        for (std::string_view input : {
                     "STORAGE_DRIVER=overlay2\nCONTAINER_ROOT_LV_NAME=docker-root-lv\n"
                     "CONTAINER_ROOT_LV_MOUNT_PATH=/var/lib/docker\nGROWPART=true\n",
                     "DEVS='/dev/vdb /dev/disk/by-id/virtio-x'\nVG=docker-vg\nSTORAGE_DRIVER=devicemapper\n"
                     "DATA_SIZE=60%FREE\nEXTRA_STORAGE_OPTIONS='--storage-opt dm.basesize=20G'\n",
                     "",
             }) {
                LoadedConfig loaded = test::load_text(input);
                ASSERT_TRUE(loaded.valid()) << input;
                const std::string text = format_config_shell(loaded.config);
                Result<Config> back = parse_applied_config(text);
                ASSERT_TRUE(back) << back.error().message;
                EXPECT_EQ(format_config_shell(*back), text);
        }
        Result<Config> bad = parse_applied_config("STORAGE_DRIVER=zfs\n");
        ASSERT_FALSE(bad);
        EXPECT_NE(bad.error().message.find("cannot be read back"), std::string::npos);
}

TEST(PendingSwitch, RoundTripAndDamage)
{
        PendingSwitch r;
        r.phase = SwitchPhase::set_up;
        r.old_config = "STORAGE_DRIVER=overlay2\n";
        r.export_dir = "/srv/export";
        r.engines = {"docker.socket", "docker.service"};
        r.data_dir = "/var/lib/docker";
        r.data_dir_aside = "/var/lib/docker.before-switch";
        Result<PendingSwitch> back = parse_pending_switch(render_pending_switch(r));
        ASSERT_TRUE(back) << back.error().message;
        EXPECT_EQ(back->phase, SwitchPhase::set_up);
        EXPECT_EQ(back->old_config, r.old_config);
        EXPECT_EQ(back->export_dir, r.export_dir);
        EXPECT_EQ(back->engines, r.engines);
        EXPECT_EQ(back->data_dir, r.data_dir);
        EXPECT_EQ(back->data_dir_aside, r.data_dir_aside);

        for (std::string_view damaged : {"", "{", "[]", "{\"format\": 2}", "{\"format\": 1, \"phase\": \"stopping\"}",
                                         "{\"format\":1,\"phase\":\"later\",\"old_config\":\"\",\"export_dir\":\"\","
                                         "\"engines\":[],\"data_dir\":\"\",\"data_dir_aside\":\"\"}"}) {
                Result<PendingSwitch> p = parse_pending_switch(damaged);
                ASSERT_FALSE(p) << damaged;
                EXPECT_NE(p.error().message.find("damaged"), std::string::npos);
        }
}

class SwitchRecordTest : public ::testing::Test {
protected:
        static void SetUpTestSuite() { root_ = test::make_fake_root("css-switch"); }
        static void TearDownTestSuite() { test::remove_fake_root(root_); }
        void TearDown() override { std::filesystem::remove_all(root_ + "/var"); }
        static inline std::string root_;
};

TEST_F(SwitchRecordTest, EnginesWaitUntilTheStorageIsReady)
{
        EXPECT_EQ(switch_blocks_engines(), "");
        ASSERT_TRUE(read_pending_switch());
        EXPECT_FALSE(*read_pending_switch());

        // Exporting changes nothing: the engines still run on the old storage.
        PendingSwitch r;
        ASSERT_TRUE(write_pending_switch(r));
        EXPECT_EQ(r.phase, SwitchPhase::exporting);
        EXPECT_EQ(switch_blocks_engines(), "");

        for (SwitchPhase phase : {SwitchPhase::stopping, SwitchPhase::removed, SwitchPhase::set_up}) {
                r.phase = phase;
                ASSERT_TRUE(write_pending_switch(r));
                const std::string why = switch_blocks_engines();
                EXPECT_NE(why.find("phase " + std::string(phase_name(phase))), std::string::npos) << why;
                EXPECT_NE(why.find("container-storage-setup switch"), std::string::npos) << why;
        }
        r.phase = SwitchPhase::storage_ready;
        ASSERT_TRUE(write_pending_switch(r));
        EXPECT_EQ(switch_blocks_engines(), "");
        ASSERT_TRUE(remove_pending_switch());
        EXPECT_FALSE(*read_pending_switch());

        // A record that cannot be read stops the engines too.
        std::ofstream(root_ + std::string(pending_switch_record)) << "{";
        EXPECT_NE(switch_blocks_engines().find("damaged"), std::string::npos);
}

// While a switch exports nothing has changed: the configuration it started from is in force.
TEST_F(SwitchRecordTest, WhileExportingTheOldConfigurationHolds)
{
        std::filesystem::create_directories(root_ + "/etc/sysconfig");
        std::ofstream(root_ + "/etc/sysconfig/docker-storage-setup")
                << "DEVS=/dev/vdb\nCONTAINER_ROOT_LV_NAME=lv\nCONTAINER_ROOT_LV_MOUNT_PATH=/var/lib/docker\n";
        auto loaded_devs = [](const LoadOptions &o) { return load_config(o).config.devs; };
        EXPECT_EQ(loaded_devs(default_load_options()), std::vector<std::string>{"/dev/vdb"});

        PendingSwitch r;
        r.old_config = format_config_shell(test::load_text("STORAGE_DRIVER=overlay2\n").config);
        ASSERT_TRUE(write_pending_switch(r));
        LoadedConfig now = load_config(default_load_options());
        ASSERT_TRUE(now.valid());
        EXPECT_TRUE(now.config.devs.empty());
        EXPECT_EQ(now.config.storage_driver, StorageDriver::overlay2);
        EXPECT_EQ(loaded_devs(file_load_options()), std::vector<std::string>{"/dev/vdb"}); // what switch reads

        r.old_config.clear(); // nothing was set up before: nothing to set up at boot
        ASSERT_TRUE(write_pending_switch(r));
        EXPECT_EQ(load_config(default_load_options()).config.storage_driver, StorageDriver::none);

        r.phase = SwitchPhase::stopping; // from here on the new configuration holds (and the engines wait)
        ASSERT_TRUE(write_pending_switch(r));
        EXPECT_EQ(loaded_devs(default_load_options()), std::vector<std::string>{"/dev/vdb"});
        std::filesystem::remove_all(root_ + "/etc");
}

TEST_F(SwitchRecordTest, AppliedConfigurationIsRecordedAndReadBack)
{
        Result<std::optional<Config>> none = read_applied_config();
        ASSERT_TRUE(none);
        EXPECT_FALSE(*none);

        LoadedConfig loaded = test::load_text("STORAGE_DRIVER=devicemapper\nVG=docker-vg\nDEVS=/dev/vdb\n");
        StepContext dry(loaded.config, RunMode::dry_run);
        ASSERT_TRUE(record_applied_config(dry));
        EXPECT_FALSE(*read_applied_config()); // a dry run records nothing

        StepContext context(loaded.config, RunMode::apply);
        ASSERT_TRUE(record_applied_config(context));
        Result<std::optional<Config>> back = read_applied_config();
        ASSERT_TRUE(back && *back);
        EXPECT_EQ(format_config_shell(**back), format_config_shell(loaded.config));

        std::ofstream(root_ + std::string(applied_config_record)) << "VG='unterminated\n";
        EXPECT_FALSE(read_applied_config());
}

} // namespace
} // namespace css::steps
