// SPDX-License-Identifier: Apache-2.0
#include "engine/storage_options.hpp"

#include <gtest/gtest.h>

using namespace css;

namespace {

StorageOptionsInput devicemapper_input()
{
        StorageOptionsInput in;
        in.driver = StorageDriver::devicemapper;
        in.thinpool_device = "/dev/mapper/docker--vg-docker--pool";
        in.deferred_removal = true;
        in.deferred_deletion = true;
        return in;
}

} // namespace

// The line real hosts carried (as published in many how-tos), trailing space included.
TEST(StorageOptionsFile, DevicemapperMatchesTheOriginalByteForByte)
{
        EXPECT_EQ(storage_options_file(devicemapper_input()),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs "
                  "--storage-opt dm.thinpooldev=/dev/mapper/docker--vg-docker--pool "
                  "--storage-opt dm.use_deferred_removal=true --storage-opt dm.use_deferred_deletion=true \"\n");
}

TEST(StorageOptionsFile, DevicemapperWithoutDeferredOptionsCollapsesBlanks)
{
        StorageOptionsInput in = devicemapper_input();
        in.deferred_removal = false;
        in.deferred_deletion = false;
        EXPECT_EQ(storage_options_file(in),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs "
                  "--storage-opt dm.thinpooldev=/dev/mapper/docker--vg-docker--pool \"\n");
}

TEST(StorageOptionsFile, DevicemapperExtraWithDmFsDropsTheDefaultAndIsCollapsed)
{
        StorageOptionsInput in = devicemapper_input();
        in.extra_storage_options = "--storage-opt   dm.fs=ext4\t --storage-opt dm.basesize=20G";
        EXPECT_EQ(storage_options_file(in),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper "
                  "--storage-opt dm.thinpooldev=/dev/mapper/docker--vg-docker--pool "
                  "--storage-opt dm.use_deferred_removal=true --storage-opt dm.use_deferred_deletion=true "
                  "--storage-opt dm.fs=ext4 --storage-opt dm.basesize=20G\"\n");
}

TEST(StorageOptionsFile, Overlay2HasTheTrailingSpace)
{
        StorageOptionsInput in;
        in.driver = StorageDriver::overlay2;
        EXPECT_EQ(storage_options_file(in), "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
}

TEST(StorageOptionsFile, OverlayKeepsExtraAsWritten)
{
        StorageOptionsInput in;
        in.driver = StorageDriver::overlay;
        in.extra_storage_options = "--storage-opt  overlay.size=1G";
        EXPECT_EQ(storage_options_file(in),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay --storage-opt  overlay.size=1G\"\n");
}

TEST(StorageOptionsFile, NamedModeVariableAndNoDriver)
{
        StorageOptionsInput in;
        in.driver = StorageDriver::overlay2;
        in.variable_name = "STORAGE_OPTIONS";
        EXPECT_EQ(storage_options_file(in), "STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
        in.driver = StorageDriver::none;
        EXPECT_EQ(storage_options_file(in), "");
}

TEST(CurrentStorageOptions, ReadsTheLineAndStripsQuotes)
{
        EXPECT_EQ(current_storage_options("# comment\nDOCKER_STORAGE_OPTIONS=  \"--storage-driver overlay2 \"\n"),
                  "--storage-driver overlay2 ");
        EXPECT_EQ(current_storage_options("DOCKER_STORAGE_OPTIONS=\n"), "");
        EXPECT_EQ(current_storage_options("OTHER=1\n"), std::nullopt);
        EXPECT_EQ(current_storage_options(""), std::nullopt);
        EXPECT_EQ(current_storage_options("STORAGE_OPTIONS=\"-s overlay\"", "STORAGE_OPTIONS"), "-s overlay");
}

TEST(ExistingStorageDriver, LongShortAndImplied)
{
        EXPECT_EQ(*existing_storage_driver("--storage-driver overlay2 "), "overlay2");
        EXPECT_EQ(*existing_storage_driver("-s devicemapper --storage-opt x"), "devicemapper");
        EXPECT_EQ(*existing_storage_driver("--storage-opt dm.thinpooldev=/dev/mapper/vg-pool"), "devicemapper");
        Result<std::string> r = existing_storage_driver("--storage-opt foo");
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "Failed to determine existing storage driver.");
}

TEST(ConfiguredThinpool, FindsTheDevice)
{
        EXPECT_EQ(configured_thinpool("--storage-driver devicemapper --storage-opt dm.thinpooldev=/dev/mapper/a-b "),
                  "/dev/mapper/a-b");
        EXPECT_EQ(configured_thinpool("--storage-driver overlay2"), std::nullopt);
}

TEST(OldMode, DetectsDataAndMetadataDevices)
{
        EXPECT_TRUE(uses_old_data_meta_mode("--storage-opt dm.datadev=/dev/vg/data"));
        EXPECT_TRUE(uses_old_data_meta_mode("--storage-opt dm.metadatadev=/dev/vg/meta"));
        EXPECT_FALSE(uses_old_data_meta_mode("--storage-opt dm.thinpooldev=/dev/mapper/vg-pool"));
}

TEST(ThinpoolManagedByUs, SuffixWithDoubledDashes)
{
        EXPECT_TRUE(thinpool_managed_by_us("/dev/mapper/docker--vg-docker--pool", "docker-pool"));
        EXPECT_TRUE(thinpool_managed_by_us("/dev/mapper/atomicos-docker--pool", "docker-pool"));
        EXPECT_FALSE(thinpool_managed_by_us("/dev/mapper/atomicos-docker-pool", "docker-pool"));
        EXPECT_FALSE(thinpool_managed_by_us("/dev/vg/docker--pool", "docker-pool"));
}
