// SPDX-License-Identifier: Apache-2.0
// Issue 18, stable names: which disk each DEVS entry named when it was prepared, and the
// refusal of a disk with data that the entry names now instead (steps/devs_identity.hpp).

#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "fake_root.hpp"
#include "steps/devs_identity.hpp"

#include <gtest/gtest.h>

using namespace css;
using namespace css::steps;

namespace {

class DevsIdentity : public ::testing::Test {
protected:
        void SetUp() override { root_ = test::make_fake_root("css-devs-identity"); }
        void TearDown() override { test::remove_fake_root(root_); }

        std::string record_text() const
        {
                return read_small_file(paths::host_path(devs_identity_record), 4096).value_or("<none>");
        }

        std::string root_;
};

} // namespace

TEST_F(DevsIdentity, RecordsOneLinePerEntryAndReplacesIt)
{
        EXPECT_EQ(recorded_identity("/dev/nvme1n1"), std::nullopt);
        ASSERT_TRUE(record_identity("/dev/nvme1n1", "wwid:eui.1").ok());
        ASSERT_TRUE(record_identity("/dev/disk/by-id/virtio-b", "serial:b").ok());
        // An empty identity (the disk reports none) records nothing.
        ASSERT_TRUE(record_identity("/dev/sdc", "").ok());
        EXPECT_EQ(record_text(), "/dev/nvme1n1\twwid:eui.1\n/dev/disk/by-id/virtio-b\tserial:b\n");
        ASSERT_TRUE(record_identity("/dev/nvme1n1", "wwid:eui.2").ok());
        EXPECT_EQ(record_text(), "/dev/disk/by-id/virtio-b\tserial:b\n/dev/nvme1n1\twwid:eui.2\n");
        EXPECT_EQ(recorded_identity("/dev/nvme1n1"), "wwid:eui.2");
        // A prefix of another entry is another entry.
        EXPECT_EQ(recorded_identity("/dev/nvme1"), std::nullopt);
        EXPECT_EQ(recorded_identity("/dev/sdc"), std::nullopt);
}

TEST_F(DevsIdentity, TabsAndNewlinesInAnIdentityCannotBreakTheRecord)
{
        ASSERT_TRUE(record_identity("/dev/sdb", "serial:a\tb\nc").ok());
        EXPECT_EQ(recorded_identity("/dev/sdb"), "serial:a b c");
}

TEST(DevsIdentityRefusal, OnlyAChangedKnownIdentity)
{
        EXPECT_EQ(changed_identity_refusal("/dev/nvme1n1", "/dev/nvme1n1", "", "wwid:eui.2"), "");
        EXPECT_EQ(changed_identity_refusal("/dev/nvme1n1", "/dev/nvme1n1", "wwid:eui.1", ""), "");
        EXPECT_EQ(changed_identity_refusal("/dev/nvme1n1", "/dev/nvme1n1", "wwid:eui.1", "wwid:eui.1"), "");
        EXPECT_EQ(changed_identity_refusal("/dev/vdb", "/dev/vdb", "serial:css-extra1", "serial:css-extra2"),
                  "DEVS entry /dev/vdb now names /dev/vdb, serial:css-extra2, not the disk it named when it was "
                  "prepared (serial:css-extra1), and this disk carries data: not touching it, whatever "
                  "WIPE_SIGNATURES says. Kernel names can change order between boots: name the disks in DEVS by "
                  "/dev/disk/by-id/.");
}
