// SPDX-License-Identifier: Apache-2.0
// The decisions of the engine-side steps (lib/steps): css-mkfs and css-write-storage-config
// (existing file rules, overlay checks, the file's bytes); the containers-storage.conf extension
// is in test_containers_storage_conf.cpp. test_steps_engine_fakeroot.cpp runs the steps
// themselves on a fake root.

#include "engine/storage_options.hpp"
#include "steps/mkfs.hpp"
#include "steps/write_storage_config.hpp"

#include <cerrno>
#include <gtest/gtest.h>

using namespace css;
using namespace css::steps;

namespace {

Config with_driver(StorageDriver d)
{
        Config c;
        c.storage_driver = d;
        return c;
}

OutputFile existing(std::string content)
{
        OutputFile f;
        f.exists = true;
        f.content = content;
        f.options = current_storage_options(content);
        return f;
}

blkid::Signature signature(std::string type, uint64_t offset)
{
        blkid::Signature s;
        s.type = std::move(type);
        s.offset = offset;
        return s;
}

} // namespace

// --- css-mkfs --------------------------------------------------------------------------------

TEST(Mkfs, OnlyABlankDeviceGetsAFilesystem)
{
        EXPECT_EQ(decide_mkfs("/dev/atomicos/docker-root-lv", {}).action, MkfsDecision::Action::make_filesystem);
        EXPECT_EQ(mkfs_xfs_argv("/dev/atomicos/docker-root-lv"),
                  (std::vector<std::string>{"mkfs.xfs", "-n", "ftype=1", "/dev/atomicos/docker-root-lv"}));

        MkfsDecision keep = decide_mkfs("/dev/vg/lv", {signature("xfs", 0)});
        EXPECT_EQ(keep.action, MkfsDecision::Action::keep);
        EXPECT_EQ(keep.message, "/dev/vg/lv already has an XFS filesystem, nothing to do.");

        MkfsDecision ext4 = decide_mkfs("/dev/vg/lv", {signature("ext4", 0x438)});
        EXPECT_EQ(ext4.action, MkfsDecision::Action::refuse);
        EXPECT_EQ(ext4.message, "Refusing to make a filesystem on /dev/vg/lv: found ext4 signature at offset 0x438. "
                                "Remove the data yourself if it is not needed, or remove the logical volume.");

        // XFS plus anything else is not "our XFS": refuse too.
        MkfsDecision two = decide_mkfs("/dev/vg/lv", {signature("xfs", 0), signature("gpt", 0x200)});
        EXPECT_EQ(two.action, MkfsDecision::Action::refuse);
        EXPECT_NE(two.message.find("(and 1 more)"), std::string::npos) << two.message;
        EXPECT_EQ(decide_mkfs("/dev/vg/lv", {signature("LVM2_member", 0x218)}).action, MkfsDecision::Action::refuse);
}

// --- css-write-storage-config: an existing file ----------------------------------------------

TEST(WriteStorageConfig, NoFileMeansWrite)
{
        EXPECT_EQ(decide_existing_file(with_driver(StorageDriver::overlay2), OutputFile{}).action,
                  ExistingFileDecision::Action::write);
}

TEST(WriteStorageConfig, SameDriverIsNothingToDo)
{
        ExistingFileDecision d =
                decide_existing_file(with_driver(StorageDriver::overlay2),
                                     existing("DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n"));
        EXPECT_EQ(d.action, ExistingFileDecision::Action::keep);
        EXPECT_EQ(d.message, "");
        d = decide_existing_file(with_driver(StorageDriver::devicemapper),
                                 existing("DOCKER_STORAGE_OPTIONS=\"-s devicemapper --storage-opt "
                                          "dm.thinpooldev=/dev/mapper/atomicos-docker--pool\"\n"));
        EXPECT_EQ(d.action, ExistingFileDecision::Action::keep);
        EXPECT_EQ(d.message, "");
}

TEST(WriteStorageConfig, DriverChangeIsAnInfoNotAFailure)
{
        // #267: an upgrade shipped overlay2 as the default on a devicemapper host.
        ExistingFileDecision d = decide_existing_file(
                with_driver(StorageDriver::overlay2),
                existing("DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs "
                         "--storage-opt dm.thinpooldev=/dev/mapper/atomicos-docker--pool \"\n"));
        EXPECT_EQ(d.action, ExistingFileDecision::Action::keep);
        EXPECT_EQ(d.message, "Storage is already configured with devicemapper driver. Can't configure it with overlay2 "
                             "driver. To override, remove /etc/sysconfig/docker-storage and retry.");

        // devicemapper found from dm.thinpooldev alone.
        d = decide_existing_file(with_driver(StorageDriver::overlay),
                                 existing("DOCKER_STORAGE_OPTIONS=\"--storage-opt dm.thinpooldev=/dev/mapper/x-y\"\n"));
        EXPECT_EQ(d.message.substr(0, 56), "Storage is already configured with devicemapper driver. ");
}

TEST(WriteStorageConfig, OldModeAndUnknownDriverFail)
{
        ExistingFileDecision d = decide_existing_file(
                with_driver(StorageDriver::devicemapper),
                existing("DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.datadev=/dev/vg/data "
                         "--storage-opt dm.metadatadev=/dev/vg/meta\"\n"));
        EXPECT_EQ(d.action, ExistingFileDecision::Action::fail);
        EXPECT_EQ(d.message,
                  "Old mode of passing data and metadata logical volumes to docker is not supported. Exiting.");

        d = decide_existing_file(with_driver(StorageDriver::overlay2), existing("# emptied by hand\n"));
        EXPECT_EQ(d.action, ExistingFileDecision::Action::fail);
        EXPECT_EQ(d.message, "Failed to determine existing storage driver.");
}

// --- css-write-storage-config: overlay checks and the bytes ----------------------------------

TEST(WriteStorageConfig, OverlayChecksWithTheOriginalsMessages)
{
        Result<void> ok;
        EXPECT_TRUE(check_overlay_target(StorageDriver::overlay2, ok, xfs::Ftype::enabled, "/var/lib/docker").ok());
        EXPECT_TRUE(check_overlay_target(StorageDriver::overlay2, ok, xfs::Ftype::not_xfs, "/var/lib").ok());

        Result<void> r = check_overlay_target(StorageDriver::overlay2, ok, xfs::Ftype::disabled, "/var/lib/docker");
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "XFS filesystem at /var/lib/docker has ftype=0, cannot use overlay backend; "
                                     "consider different driver or separate volume or OS reprovision");

        Result<void> no_overlay = Error{"Failed to mount overlay with two lower directories: No such device", ENODEV};
        r = check_overlay_target(StorageDriver::overlay, no_overlay, xfs::Ftype::enabled, "/var/lib/docker");
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message,
                  "Can not setup storage driver overlay as system does not support it. Specify a different driver.");
}

TEST(WriteStorageConfig, TheTargetIsTheRealDirectory)
{
        // #280: the original looked at /var even when /var/lib/docker was its own filesystem.
        Config c = with_driver(StorageDriver::overlay2);
        EXPECT_EQ(overlay_target_dir(c), "/var/lib/docker");
        c.container_root_lv_name = "containers-lv";
        c.container_root_lv_mount_path = "/var/lib/containers";
        EXPECT_EQ(overlay_target_dir(c), "/var/lib/containers");
        c.container_root_lv_name.clear();
        c.container_root_lv_mount_path.clear();
        c.docker_root_volume = true;
        EXPECT_EQ(overlay_target_dir(c), "/var/lib/docker");
}

TEST(WriteStorageConfig, TheLabsFilesByteForByte)
{
        Config dm = with_driver(StorageDriver::devicemapper);
        EXPECT_EQ(storage_options_file(storage_options_input(dm, "/dev/mapper/docker--vg-docker--pool", true, true)),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt "
                  "dm.thinpooldev=/dev/mapper/docker--vg-docker--pool --storage-opt dm.use_deferred_removal=true "
                  "--storage-opt dm.use_deferred_deletion=true \"\n");
        // Docker installed but the kernel cannot defer deletion: removal only.
        EXPECT_EQ(storage_options_file(storage_options_input(dm, "/dev/mapper/atomicos-docker--pool", true, false)),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt "
                  "dm.thinpooldev=/dev/mapper/atomicos-docker--pool --storage-opt dm.use_deferred_removal=true \"\n");
        // No docker binary: neither deferred option, as the original.
        EXPECT_EQ(storage_options_file(storage_options_input(dm, "/dev/mapper/atomicos-docker--pool", false, true)),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt "
                  "dm.thinpooldev=/dev/mapper/atomicos-docker--pool \"\n");

        Config o2 = with_driver(StorageDriver::overlay2);
        // The pool device and deferred flags do not leak into an overlay line.
        EXPECT_EQ(storage_options_file(storage_options_input(o2, "/dev/mapper/x", true, true)),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
        o2.extra_storage_options = "--storage-opt overlay2.size=10G";
        EXPECT_EQ(storage_options_file(storage_options_input(o2, "", true, true)),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 --storage-opt overlay2.size=10G\"\n");
}
