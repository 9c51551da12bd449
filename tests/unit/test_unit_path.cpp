// SPDX-License-Identifier: Apache-2.0
// The one check the validator and the generator share (issue 15, item 2): which configured
// paths can be written into a unit file and named as a unit.

#include "systemd/unit_path.hpp"

#include <gtest/gtest.h>

#include <string>

namespace css {
namespace {

std::string name_or_reason(const Result<std::string> &r)
{
        return r ? *r : "error: " + r.error().message;
}

TEST(UnitPath, DevicePath)
{
        EXPECT_EQ(unit_path::device_path("sdb"), "/dev/sdb");
        EXPECT_EQ(unit_path::device_path("/dev/disk/by-id/x"), "/dev/disk/by-id/x");
}

TEST(UnitPath, Check)
{
        EXPECT_EQ(unit_path::check("/srv/my containers/ü"), "");
        EXPECT_EQ(unit_path::check("/var/lib/docker\\x"), ""); // a backslash inside is a plain byte
        EXPECT_EQ(unit_path::check("/var/..x"), "");
        EXPECT_EQ(unit_path::check("/"), "");
        EXPECT_EQ(unit_path::check("var/lib"), "the path must be absolute");
        EXPECT_EQ(unit_path::check(""), "the path must be absolute");
        EXPECT_EQ(unit_path::check("/a\nb"), "control characters are not allowed");
        EXPECT_EQ(unit_path::check("/a\x7f"), "control characters are not allowed");
        EXPECT_EQ(unit_path::check("/a\tb"), "control characters are not allowed");
        for (const char *p : {"/a/../b", "/..", "/a/.", "/./a", "//a", "/a//b", "/a/"})
                EXPECT_EQ(unit_path::check(p),
                          "the path must be normalized (no '.' or '..' component, no '//', no trailing '/')")
                        << p;
        EXPECT_EQ(unit_path::check("/var/lib/docker "),
                  "a trailing blank is not allowed (systemd strips it from a unit's setting)");
        EXPECT_EQ(unit_path::check("/var/lib/docker\\"),
                  "a trailing backslash is not allowed (systemd reads it as a line continuation)");
}

TEST(UnitPath, MountUnit)
{
        EXPECT_EQ(name_or_reason(unit_path::mount_unit("/var/lib/docker")), "var-lib-docker.mount");
        EXPECT_EQ(name_or_reason(unit_path::mount_unit("/srv/a b")), "srv-a\\x20b.mount");
        const std::string longest = "/" + std::string(249, 'a');
        EXPECT_EQ(name_or_reason(unit_path::mount_unit(longest)), std::string(249, 'a') + ".mount");
        EXPECT_EQ(name_or_reason(unit_path::mount_unit(longest + "a")),
                  "error: the unit name made from it would be 256 bytes long, and systemd's limit is 255");
        EXPECT_EQ(name_or_reason(unit_path::mount_unit("/a" + std::string(5000, 'b'))),
                  "error: the path is too long for a unit name");
        EXPECT_FALSE(unit_path::mount_unit("/var/lib/docker ").ok());
}

TEST(UnitPath, PrepareDiskUnit)
{
        EXPECT_EQ(name_or_reason(unit_path::prepare_disk_unit("vdb")), "css-prepare-disk@dev-vdb.service");
        EXPECT_EQ(name_or_reason(unit_path::prepare_disk_unit("/dev/vdb")), "css-prepare-disk@dev-vdb.service");
        EXPECT_EQ(name_or_reason(unit_path::prepare_disk_unit("/dev/disk/by-id/virtio-data")),
                  "css-prepare-disk@dev-disk-by\\x2did-virtio\\x2ddata.service");
        EXPECT_FALSE(unit_path::prepare_disk_unit("/dev/../dev/vdb").ok());
        EXPECT_FALSE(unit_path::prepare_disk_unit(std::string(250, 'a')).ok());
        // "css-prepare-disk@dev-" + N + ".service" = 29 + N bytes.
        EXPECT_TRUE(unit_path::prepare_disk_unit(std::string(255 - 29, 'a')).ok());
        EXPECT_FALSE(unit_path::prepare_disk_unit(std::string(256 - 29, 'a')).ok());
}

} // namespace
} // namespace css
