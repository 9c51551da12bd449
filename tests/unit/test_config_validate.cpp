// SPDX-License-Identifier: Apache-2.0
// Every value check and every refused combination, with the original's words where it had them.

#include "config/config_load.hpp"
#include "config_test_util.hpp"

#include <gtest/gtest.h>

namespace css {
namespace {

using test::errors;
using test::load_text;
using test::warnings;
using Strings = std::vector<std::string>;

Strings errors_of(std::string_view text, ConfigMode mode = ConfigMode::compat)
{
        return errors(load_text(text, mode));
}

Strings warnings_of(std::string_view text, ConfigMode mode = ConfigMode::compat)
{
        LoadedConfig l = load_text(text, mode);
        EXPECT_TRUE(l.valid()) << text;
        return warnings(l);
}

Config config_of(std::string_view text, ConfigMode mode = ConfigMode::compat)
{
        LoadedConfig l = load_text(text, mode);
        EXPECT_TRUE(l.valid()) << text << (l.valid() ? "" : l.errors()[0]);
        return l.config;
}

TEST(ConfigValidate, DefaultsAreValid)
{
        LoadedConfig l = load_text("");
        EXPECT_TRUE(l.valid());
        EXPECT_TRUE(l.diagnostics.empty());
        EXPECT_EQ(l.config, Config{});
}

TEST(ConfigValidate, StorageDriver)
{
        EXPECT_EQ(config_of("STORAGE_DRIVER=overlay2").storage_driver, StorageDriver::overlay2);
        EXPECT_EQ(config_of("STORAGE_DRIVER=overlay").storage_driver, StorageDriver::overlay);
        EXPECT_EQ(config_of("STORAGE_DRIVER=").storage_driver, StorageDriver::none);
        EXPECT_EQ(errors_of("STORAGE_DRIVER=btrfs"), Strings{"Invalid storage driver: btrfs."});
        EXPECT_EQ(errors_of("STORAGE_DRIVER=Overlay2"), Strings{"Invalid storage driver: Overlay2."});
}

TEST(ConfigValidate, ExtraOptionsAndAlias)
{
        EXPECT_EQ(config_of("EXTRA_STORAGE_OPTIONS=\"  --storage-opt   dm.basesize=20G \n x \"").extra_storage_options,
                  "--storage-opt dm.basesize=20G x");
        LoadedConfig l = load_text("EXTRA_DOCKER_STORAGE_OPTIONS='--storage-opt dm.fs=ext4'");
        ASSERT_TRUE(l.valid());
        EXPECT_EQ(l.config.extra_storage_options, "--storage-opt dm.fs=ext4");
        EXPECT_EQ(warnings(l),
                  Strings{"EXTRA_DOCKER_STORAGE_OPTIONS is deprecated. Use EXTRA_STORAGE_OPTIONS instead."});
        EXPECT_EQ(errors_of("EXTRA_DOCKER_STORAGE_OPTIONS=a\nEXTRA_STORAGE_OPTIONS=b"),
                  Strings{"EXTRA_DOCKER_STORAGE_OPTIONS and EXTRA_STORAGE_OPTIONS are mutually exclusive "
                          "options."});
        // Empty counts as unset, as the original's [ -n ] test did.
        EXPECT_TRUE(warnings_of("EXTRA_DOCKER_STORAGE_OPTIONS=\nEXTRA_STORAGE_OPTIONS=b").empty());
}

// The value is written inside double quotes into a file shell scripts source.
TEST(ConfigValidate, ExtraOptionsRefuseShellCharacters)
{
        EXPECT_EQ(errors_of("EXTRA_STORAGE_OPTIONS='--storage-opt x=\"$(touch /tmp/p)\"'"),
                  Strings{"EXTRA_STORAGE_OPTIONS value --storage-opt x=\"$(touch /tmp/p)\" is invalid: it may not "
                          "contain '\"' (no \", $, ` or \\)."});
        for (const char *bad : {"a$b", "a`id`", "a\\\\b"})
                EXPECT_EQ(errors_of(std::string("EXTRA_STORAGE_OPTIONS='") + bad + "'").size(), 1u) << bad;
        EXPECT_EQ(errors_of("EXTRA_DOCKER_STORAGE_OPTIONS='a$b'").size(), 1u);
        EXPECT_TRUE(errors_of("EXTRA_STORAGE_OPTIONS=\"--storage-opt dm.basesize=20G --label=it's\"").empty());
}

TEST(ConfigValidate, Devs)
{
        EXPECT_EQ(config_of("DEVS=\"/dev/sdb\tsdc\n/dev/disk/by-id/x \"").devs,
                  (Strings{"/dev/sdb", "sdc", "/dev/disk/by-id/x"}));
        EXPECT_EQ(errors_of("DEVS='dev/sdb'"), Strings{"DEVS entry dev/sdb is invalid: use an absolute path "
                                                       "(/dev/...) or a bare name (sdb)."});
        EXPECT_EQ(errors_of("DEVS='/dev/sdb /dev/sdb'"), Strings{"DEVS lists /dev/sdb more than once."});
        EXPECT_EQ(errors_of("DEVS=/"), Strings{"DEVS entry / is invalid: '/' is not a device."});
        EXPECT_EQ(errors_of("DEVS=.."), Strings{"DEVS entry .. is invalid: not a device name."});
}

// Issue 18: STRIPES is refused when DEVS cannot satisfy it, before any step runs.
TEST(ConfigValidate, StripesAndStripeSize)
{
        Config c = config_of("DEVS='vdb vdc vdd'\nSTRIPES=auto\nSTRIPE_SIZE=128K");
        EXPECT_EQ(c.stripes, "auto");
        EXPECT_EQ(c.stripe_size, "128K");
        EXPECT_EQ(config_of("DEVS='vdb vdc vdd'\nSTRIPES=2").stripes, "2");
        EXPECT_EQ(config_of("").stripes, "");
        EXPECT_EQ(errors_of("DEVS='vdb vdc'\nSTRIPES=3"),
                  Strings{"STRIPES=3 needs at least 3 disks in DEVS; DEVS lists 2."});
        EXPECT_EQ(errors_of("STRIPES=auto"), Strings{"STRIPES=auto stripes across the DEVS disks, but DEVS is empty."});
        EXPECT_EQ(errors_of("DEVS=vdb\nSTRIPES=0"),
                  Strings{"STRIPES value 0 is invalid: expected auto or a count from 1 to 128."});
        EXPECT_EQ(errors_of("DEVS=vdb\nSTRIPES=two").size(), 1u);
        EXPECT_EQ(errors_of("DEVS='vdb vdc'\nSTRIPES=2\nSTRIPE_SIZE=48K"),
                  Strings{"STRIPE_SIZE value 48K is invalid: a stripe size is a power of two from 4K to 4M (a bare "
                          "number means K)."});
        EXPECT_EQ(errors_of("DEVS='vdb vdc'\nSTRIPES=2\nSTRIPE_SIZE=8M").size(), 1u);
        EXPECT_EQ(config_of("DEVS='vdb vdc'\nSTRIPES=2\nSTRIPE_SIZE=64").stripe_size, "64");
        EXPECT_EQ(warnings_of("DEVS=vdb\nSTRIPE_SIZE=64K"),
                  Strings{"STRIPE_SIZE is set but nothing is striped (STRIPES is not set), ignoring."});
        // Nothing to stripe: no pool and no container LV.
        EXPECT_EQ(warnings_of("STORAGE_DRIVER=overlay2\nSTRIPES=3"),
                  Strings{"STRIPES=3 needs at least 3 disks in DEVS; DEVS lists 0. It is not used with this "
                          "configuration, ignoring."});
        // The container LV of overlay2 is striped.
        EXPECT_EQ(errors_of("STORAGE_DRIVER=overlay2\nCONTAINER_ROOT_LV_NAME=lv\n"
                            "CONTAINER_ROOT_LV_MOUNT_PATH=/var/lib/docker\nSTRIPES=auto")
                          .size(),
                  1u);
}

// Issue 15, item 2: what `check` accepts, the generator can write. Each of these was accepted,
// and at boot the generator could write no step: the setup failed open.
TEST(ConfigValidate, DevsTheGeneratorCannotWriteAreRefused)
{
        const std::string normalized = "the path must be normalized (no '.' or '..' component, no '//', no "
                                       "trailing '/')";
        EXPECT_EQ(errors_of("DEVS=/dev/../dev/vdb"),
                  Strings{"DEVS entry /dev/../dev/vdb is invalid: " + normalized + "."});
        EXPECT_EQ(errors_of("DEVS=/dev/./vdb"), Strings{"DEVS entry /dev/./vdb is invalid: " + normalized + "."});
        EXPECT_EQ(errors_of("DEVS=/dev//vdb"), Strings{"DEVS entry /dev//vdb is invalid: " + normalized + "."});
        EXPECT_EQ(errors_of("DEVS=/dev/vdb/"), Strings{"DEVS entry /dev/vdb/ is invalid: " + normalized + "."});
        EXPECT_EQ(errors_of("DEVS='/dev/vdb\\'"),
                  Strings{"DEVS entry /dev/vdb\\ is invalid: a trailing backslash is not allowed (systemd reads it "
                          "as a line continuation)."});

        // css-prepare-disk@dev-disk-by\x2did-<x...>.service: 43 bytes around the x's, at most 255.
        const std::string fits = "/dev/disk/by-id/" + std::string(255 - 43, 'x');
        EXPECT_EQ(config_of("DEVS=" + fits).devs, Strings{fits});
        const std::string too_long = fits + "x";
        Strings e = errors_of("DEVS=" + too_long);
        ASSERT_EQ(e.size(), 1u);
        EXPECT_NE(e[0].find("is invalid: the unit name made from it would be 256 bytes long, and systemd's limit is "
                            "255."),
                  std::string::npos)
                << e[0];
        EXPECT_EQ(errors_of("DEVS=" + std::string(250, 'a')).size(), 1u); // a bare name: /dev/aaa...
}

TEST(ConfigValidate, VgAndPoolNames)
{
        EXPECT_EQ(config_of("VG=docker-vg").vg, "docker-vg");
        EXPECT_EQ(errors_of("VG=-vg"), Strings{"VG value -vg is invalid: the name must not start with '-'."});
        EXPECT_EQ(errors_of("VG='a b'"),
                  Strings{"VG value a b is invalid: only the characters a-z A-Z 0-9 + _ . - are allowed."});
        EXPECT_EQ(errors_of("CONTAINER_THINPOOL=pool_tmeta"),
                  Strings{"CONTAINER_THINPOOL value pool_tmeta is invalid: '_tmeta' is reserved by lvm for "
                          "internal "
                          "volumes."});
        EXPECT_EQ(errors_of("CONTAINER_THINPOOL=snapshot1"),
                  Strings{"CONTAINER_THINPOOL value snapshot1 is invalid: names starting with 'snapshot' are "
                          "reserved by lvm."});
        // Not used by overlay2: the original never looked at it, so only a warning.
        EXPECT_EQ(warnings_of("STORAGE_DRIVER=overlay2\nCONTAINER_THINPOOL=.."),
                  Strings{"CONTAINER_THINPOOL value .. is invalid: '.' and '..' are reserved. It is not used "
                          "with "
                          "this configuration, ignoring."});
}

TEST(ConfigValidate, Thinpool)
{
        EXPECT_EQ(config_of("").container_thinpool, "docker-pool");
        EXPECT_EQ(config_of("CONTAINER_THINPOOL=mypool").container_thinpool, "mypool");
        EXPECT_EQ(errors_of("CONTAINER_THINPOOL="),
                  Strings{"CONTAINER_THINPOOL must be defined for the devicemapper storage driver."});
        EXPECT_EQ(errors_of("", ConfigMode::named),
                  Strings{"CONTAINER_THINPOOL must be defined for the devicemapper storage driver."});
        EXPECT_TRUE(errors_of("STORAGE_DRIVER=overlay2", ConfigMode::named).empty());
}

TEST(ConfigValidate, DataSize)
{
        EXPECT_EQ(config_of("DATA_SIZE=20G").data_size, (Size{Size::Kind::absolute, uint64_t{20} << 30, 0, "20G"}));
        EXPECT_EQ(errors_of("DATA_SIZE="), Strings{"DATA_SIZE not specified."});
        EXPECT_EQ(errors_of("DATA_SIZE=abc%FREE"), Strings{"DATA_SIZE value abc%FREE is invalid."});
        EXPECT_EQ(errors_of("DATA_SIZE=40%PVS"), Strings{"DATA_SIZE value 40%PVS is invalid."});
        EXPECT_EQ(errors_of("DATA_SIZE=+5G"), Strings{"DATA_SIZE value +5G is invalid."});
        EXPECT_EQ(errors_of("DATA_SIZE=0"), Strings{"DATA_SIZE value 0 is invalid."});
        EXPECT_EQ(errors_of("DATA_SIZE=9E"), Strings{"DATA_SIZE=9E is too large to handle."});
        // overlay2 does not use it: the original never checked it then.
        EXPECT_TRUE(errors_of("STORAGE_DRIVER=overlay2\nDATA_SIZE=").empty());
        EXPECT_EQ(warnings_of("STORAGE_DRIVER=overlay2\nDATA_SIZE=x"),
                  Strings{"DATA_SIZE value x is invalid. It is not used with this configuration, ignoring."});
}

TEST(ConfigValidate, MinDataSize)
{
        EXPECT_FALSE(config_of("MIN_DATA_SIZE=").min_data_size.has_value());
        EXPECT_EQ(config_of("MIN_DATA_SIZE=0").min_data_size->bytes, 0u);
        EXPECT_EQ(errors_of("MIN_DATA_SIZE=2%FREE"), Strings{"MIN_DATA_SIZE value 2%FREE is invalid."});
        EXPECT_EQ(errors_of("MIN_DATA_SIZE=1.5G"), Strings{"MIN_DATA_SIZE value 1.5G is invalid."});
        EXPECT_EQ(errors_of("MIN_DATA_SIZE=8E"), Strings{"MIN_DATA_SIZE=8E is too large to handle."});
        EXPECT_EQ(errors_of("MIN_DATA_SIZE=100000000000000000000000G"),
                  Strings{"MIN_DATA_SIZE=100000000000000000000000G is too large to handle."});
}

TEST(ConfigValidate, PoolMetaAndChunkSize)
{
        EXPECT_EQ(config_of("POOL_META_SIZE=64M").pool_meta_size->bytes, uint64_t{64} << 20);
        EXPECT_FALSE(config_of("POOL_META_SIZE=").pool_meta_size.has_value());
        EXPECT_EQ(errors_of("POOL_META_SIZE=1%VG"),
                  Strings{"POOL_META_SIZE value 1%VG is invalid: expected a size such as 64M or 1G."});
        EXPECT_EQ(errors_of("POOL_META_SIZE=0"),
                  Strings{"POOL_META_SIZE value 0 is invalid: expected a size such as 64M or 1G."});
        EXPECT_EQ(config_of("CHUNK_SIZE=1M").chunk_size, "1M");
        EXPECT_FALSE(config_of("CHUNK_SIZE=").chunk_size.has_value());
        EXPECT_EQ(errors_of("CHUNK_SIZE=100K"), Strings{"CHUNK_SIZE value 100K is invalid: a thin pool chunk "
                                                        "size is a multiple of 64K from 64K "
                                                        "to 1G (a bare number means K)."});
}

TEST(ConfigValidate, RootSize)
{
        EXPECT_FALSE(config_of("").root_size.has_value());
        EXPECT_EQ(config_of("ROOT_SIZE=+5G").root_size->text, "+5G");
        EXPECT_EQ(config_of("ROOT_SIZE=80%FREE").root_size->text, "80%FREE");
        EXPECT_EQ(config_of("ROOT_SIZE=100%PVS").root_size->text, "100%PVS");
        // What lvextend cannot take is refused with the config, before any step runs.
        for (std::string bad : {"abc", "5X", "0%FREE", "101%VG", "10%ORIGIN", "-5G", "+", "8E"})
                EXPECT_EQ(errors_of("ROOT_SIZE=" + bad), Strings{"ROOT_SIZE value " + bad + " is invalid."}) << bad;
        EXPECT_EQ(errors_of("ROOT_SIZE=8Gig"), Strings{"ROOT_SIZE value 8Gig is invalid."});
        EXPECT_EQ(errors_of("ROOT_SIZE=50%ORIGIN"), Strings{"ROOT_SIZE value 50%ORIGIN is invalid."});
}

TEST(ConfigValidate, StrictSwitches)
{
        EXPECT_TRUE(config_of("GROWPART=true").growpart);
        EXPECT_FALSE(config_of("GROWPART=false").growpart);
        EXPECT_FALSE(config_of("GROWPART=").growpart);
        EXPECT_TRUE(warnings_of("GROWPART=no").empty());

        for (const char *near : {"yes", "1", "True", "TRUE", "on"}) {
                std::string text = std::string("GROWPART=") + near;
                EXPECT_FALSE(config_of(text).growpart) << near;
                EXPECT_EQ(warnings_of(text), Strings{"GROWPART=" + std::string(near) +
                                                     " is treated as false, as the original did: only 'true' turns "
                                                     "it on."});
        }
        EXPECT_EQ(warnings_of("GROWPART=maybe"), Strings{"GROWPART=maybe is not a recognised value and is "
                                                         "treated as false; use 'true' to turn it on."});

        // WIPE_SIGNATURES destroys data: only the exact word.
        EXPECT_TRUE(config_of("WIPE_SIGNATURES=true").wipe_signatures);
        for (const char *near : {"yes", "1", "True"}) {
                std::string text = std::string("WIPE_SIGNATURES=") + near;
                EXPECT_FALSE(config_of(text).wipe_signatures) << near;
                EXPECT_EQ(warnings_of(text).size(), 1u);
        }
}

TEST(ConfigValidate, AutoExtendNearMissTurnsOn)
{
        EXPECT_TRUE(config_of("").auto_extend_pool);
        EXPECT_FALSE(config_of("AUTO_EXTEND_POOL=no").auto_extend_pool);
        EXPECT_FALSE(config_of("AUTO_EXTEND_POOL=").auto_extend_pool);
        LoadedConfig l = load_text("AUTO_EXTEND_POOL=true");
        EXPECT_TRUE(l.config.auto_extend_pool);
        EXPECT_EQ(warnings(l), Strings{"AUTO_EXTEND_POOL=true is read as AUTO_EXTEND_POOL=yes; write exactly 'yes'."});
        EXPECT_FALSE(config_of("AUTO_EXTEND_POOL=bogus").auto_extend_pool);
}

TEST(ConfigValidate, AutoExtendNumbers)
{
        Config c = config_of("POOL_AUTOEXTEND_THRESHOLD=80\nPOOL_AUTOEXTEND_PERCENT=200");
        EXPECT_EQ(c.pool_autoextend_threshold, 80u);
        EXPECT_EQ(c.pool_autoextend_percent, 200u);
        EXPECT_EQ(errors_of("POOL_AUTOEXTEND_THRESHOLD="), Strings{"POOL_AUTOEXTEND_THRESHOLD not specified"});
        EXPECT_EQ(errors_of("POOL_AUTOEXTEND_PERCENT="), Strings{"POOL_AUTOEXTEND_PERCENT not specified"});
        EXPECT_EQ(errors_of("POOL_AUTOEXTEND_THRESHOLD=101"),
                  Strings{"POOL_AUTOEXTEND_THRESHOLD value 101 is invalid: expected a percentage from 1 to "
                          "100."});
        EXPECT_EQ(errors_of("POOL_AUTOEXTEND_PERCENT=0"),
                  Strings{"POOL_AUTOEXTEND_PERCENT value 0 is invalid: expected a percentage from 1 to 1000."});
        EXPECT_EQ(errors_of("POOL_AUTOEXTEND_PERCENT=-5").size(), 1u);
        EXPECT_EQ(errors_of("POOL_AUTOEXTEND_PERCENT=99999999999999999999").size(), 1u);
        // Only needed while auto-extension is on.
        EXPECT_TRUE(errors_of("AUTO_EXTEND_POOL=no\nPOOL_AUTOEXTEND_THRESHOLD=").empty());
}

TEST(ConfigValidate, DeviceWaitTimeout)
{
        EXPECT_EQ(config_of("DEVICE_WAIT_TIMEOUT=0").device_wait_timeout, 0u);
        EXPECT_EQ(config_of("DEVICE_WAIT_TIMEOUT=").device_wait_timeout, 0u);
        EXPECT_EQ(config_of("DEVICE_WAIT_TIMEOUT=86400").device_wait_timeout, 86400u);
        EXPECT_EQ(errors_of("DEVICE_WAIT_TIMEOUT=86401"),
                  Strings{"DEVICE_WAIT_TIMEOUT value 86401 is invalid: expected seconds from 0 to 86400."});
        EXPECT_EQ(errors_of("DEVICE_WAIT_TIMEOUT=1m").size(), 1u);
        EXPECT_EQ(errors_of("DEVICE_WAIT_TIMEOUT=+5").size(), 1u);
}

TEST(ConfigValidate, ContainerRootLv)
{
        Config c = config_of("CONTAINER_ROOT_LV_NAME=containers\nCONTAINER_ROOT_LV_MOUNT_PATH=//var/./lib//containers/"
                             "\nCONTAINER_ROOT_LV_SIZE=10G");
        EXPECT_EQ(c.container_root_lv_name, "containers");
        EXPECT_EQ(c.container_root_lv_mount_path, "/var/lib/containers");
        EXPECT_EQ(c.container_root_lv_size.bytes, uint64_t{10} << 30);

        EXPECT_EQ(errors_of("CONTAINER_ROOT_LV_NAME=x"),
                  Strings{"CONTAINER_ROOT_LV_MOUNT_PATH cannot be empty, when CONTAINER_ROOT_LV_NAME is set"});
        EXPECT_EQ(errors_of("CONTAINER_ROOT_LV_MOUNT_PATH=/x"),
                  Strings{"CONTAINER_ROOT_LV_NAME cannot be empty, when CONTAINER_ROOT_LV_MOUNT_PATH is set"});
        const std::string pair = "CONTAINER_ROOT_LV_NAME=lv\nCONTAINER_ROOT_LV_MOUNT_PATH=";
        EXPECT_EQ(errors_of(pair + "var/lib"),
                  Strings{"CONTAINER_ROOT_LV_MOUNT_PATH value var/lib is invalid: the path must be absolute."});
        EXPECT_EQ(errors_of(pair + "/var/../etc"),
                  Strings{"CONTAINER_ROOT_LV_MOUNT_PATH value /var/../etc is invalid: '..' components are not "
                          "allowed."});
        EXPECT_EQ(errors_of(pair + "/"),
                  Strings{"CONTAINER_ROOT_LV_MOUNT_PATH value / is invalid: '/' cannot be a mount point for a "
                          "container volume."});
        // Issue 15, item 2: accepted, then no mount unit could be written (the setup failed open).
        EXPECT_EQ(errors_of(pair + "'/var/lib/docker '"),
                  Strings{"CONTAINER_ROOT_LV_MOUNT_PATH value /var/lib/docker  is invalid: a trailing blank is not "
                          "allowed (systemd strips it from a unit's setting)."});
        EXPECT_EQ(errors_of(pair + "'/var/lib/docker\\'"),
                  Strings{"CONTAINER_ROOT_LV_MOUNT_PATH value /var/lib/docker\\ is invalid: a trailing backslash is "
                          "not allowed (systemd reads it as a line continuation)."});
        const std::string fits = "/" + std::string(255 - 6, 'm'); // <escaped>.mount
        EXPECT_EQ(config_of(pair + fits + "\nCONTAINER_ROOT_LV_SIZE=1G").container_root_lv_mount_path, fits);
        Strings e = errors_of(pair + fits + "m\nCONTAINER_ROOT_LV_SIZE=1G");
        ASSERT_EQ(e.size(), 1u);
        EXPECT_NE(e[0].find("the unit name made from it would be 256 bytes long"), std::string::npos) << e[0];
        // Escaping counts: a blank becomes \x20, four bytes (8 + 70 * 4 + 1 + 6).
        e = errors_of(pair + "'/var/lib/" + std::string(70, ' ') + "x'\nCONTAINER_ROOT_LV_SIZE=1G");
        ASSERT_EQ(e.size(), 1u);
        EXPECT_NE(e[0].find("would be 295 bytes long"), std::string::npos) << e[0];
        EXPECT_EQ(errors_of(pair + "/x\nCONTAINER_ROOT_LV_SIZE="),
                  Strings{"Specify a valid value for CONTAINER_ROOT_LV_SIZE."});
        EXPECT_EQ(errors_of(pair + "/x\nCONTAINER_ROOT_LV_SIZE=lots"),
                  Strings{"CONTAINER_ROOT_LV_SIZE value lots is invalid."});
        EXPECT_EQ(errors_of("CONTAINER_ROOT_LV_NAME=docker-pool\nCONTAINER_ROOT_LV_MOUNT_PATH=/x"),
                  Strings{"CONTAINER_ROOT_LV_NAME and CONTAINER_THINPOOL name the same logical volume "
                          "docker-pool."});
        // Without a NAME the size is not used.
        EXPECT_TRUE(errors_of("CONTAINER_ROOT_LV_SIZE=").empty());
}

TEST(ConfigValidate, DockerRootVolume)
{
        LoadedConfig l = load_text("DOCKER_ROOT_VOLUME=yes");
        EXPECT_TRUE(l.valid());
        EXPECT_TRUE(l.config.docker_root_volume);
        EXPECT_EQ(warnings(l), Strings{"DOCKER_ROOT_VOLUME is deprecated. Use CONTAINER_ROOT_LV_MOUNT_PATH instead."});
        EXPECT_EQ(errors_of("STORAGE_DRIVER=overlay2\nDOCKER_ROOT_VOLUME=yes", ConfigMode::named),
                  Strings{"DOCKER_ROOT_VOLUME is deprecated. Use CONTAINER_ROOT_LV_MOUNT_PATH instead."});
        EXPECT_EQ(errors_of("DOCKER_ROOT_VOLUME=yes\nCONTAINER_ROOT_LV_NAME=a\nCONTAINER_ROOT_LV_MOUNT_PATH=/a"),
                  Strings{"DOCKER_ROOT_VOLUME and CONTAINER_ROOT_LV_MOUNT_PATH are mutually exclusive "
                          "options."});
        EXPECT_EQ(errors_of("DOCKER_ROOT_VOLUME=yes\nDOCKER_ROOT_VOLUME_SIZE="),
                  Strings{"Specify a valid value for DOCKER_ROOT_VOLUME_SIZE."});
        EXPECT_EQ(errors_of("DOCKER_ROOT_VOLUME=yes\nDOCKER_ROOT_VOLUME_SIZE=1.5G"),
                  Strings{"DOCKER_ROOT_VOLUME_SIZE value 1.5G is invalid."});
        EXPECT_FALSE(config_of("DOCKER_ROOT_VOLUME=true").docker_root_volume);
}

TEST(ConfigValidate, ContainersStorageConf)
{
        EXPECT_TRUE(config_of("CONTAINERS_STORAGE_CONF=true").containers_storage_conf);
        EXPECT_FALSE(config_of("CONTAINERS_STORAGE_CONF=false").containers_storage_conf);
        EXPECT_EQ(errors_of("CONTAINERS_STORAGE_CONF=yes"),
                  Strings{"CONTAINERS_STORAGE_CONF value yes is invalid: expected true or false."});
}

TEST(ConfigValidate, DiagnosticsNameFileAndLine)
{
        LoadedConfig l = load_text("\n\nDATA_SIZE=bad\n");
        ASSERT_EQ(l.errors().size(), 1u);
        const Diagnostic &d = l.diagnostics[0];
        EXPECT_EQ(d.line, 3u);
        EXPECT_EQ(d.file.substr(d.file.size() - 6), "/input");
        EXPECT_EQ(d.to_string(), d.file + ":3: DATA_SIZE value bad is invalid.");
        EXPECT_EQ((Diagnostic{Diagnostic::Severity::error, "", 0, "m"}).to_string(), "m");
        EXPECT_EQ((Diagnostic{Diagnostic::Severity::error, "f", 0, "m"}).to_string(), "f: m");
}

TEST(ConfigValidate, UnknownKeysWarn)
{
        LoadedConfig l = load_text("A=1\nSTORAGE_DRIVER=overlay2\nSETUP_LVM_THIN_POOL=yes\n");
        EXPECT_TRUE(l.valid());
        EXPECT_EQ(warnings(l),
                  (Strings{"Unknown key A, ignoring.", "SETUP_LVM_THIN_POOL is no longer supported, ignoring."}));
        EXPECT_EQ(l.diagnostics[0].line, 1u);
        EXPECT_EQ(l.diagnostics[1].line, 3u);
}

} // namespace
} // namespace css
