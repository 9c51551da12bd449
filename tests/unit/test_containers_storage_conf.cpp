// SPDX-License-Identifier: Apache-2.0
// CONTAINERS_STORAGE_CONF: /etc/containers/storage.conf derived from the file podman would read
// without it (lib/steps/containers_storage_conf, lib/engine/containers_storage_toml).
// test_steps_engine_fakeroot.cpp writes it for real on a fake root.

#include "engine/containers_storage_toml.hpp"
#include "source_file_util.hpp"
#include "steps/containers_storage_conf.hpp"

#include <gtest/gtest.h>

using namespace css;
using namespace css::steps;

namespace {

const std::string fedora_path = "/usr/share/containers/storage.conf";

ContainersStorageSource fedora()
{
        return {fedora_path, test::read_source("tests/unit/data/containers/fedora-41-storage.conf")};
}

const std::string header_tail = "# container-storage-setup replaces this file when it derives another one; delete the\n"
                                "# first line to make the file yours (it is then never changed). See "
                                "containers-storage.conf(5).\n";

// Fedora's settings as toml++ writes them back: sorted keys, no comments, double quotes.
std::string fedora_body(const std::string &graphroot)
{
        return "[storage]\n"
               "driver = \"overlay\"\n"
               "graphroot = \"" +
               graphroot +
               "\"\n"
               "runroot = \"/run/containers/storage\"\n"
               "\n"
               "[storage.options]\n"
               "additionalimagestores = []\n"
               "pull_options = { enable_partial_images = \"true\", ostree_repos = \"\", use_hard_links = "
               "\"false\" }\n"
               "\n"
               "[storage.options.overlay]\n"
               "mountopt = \"nodev,metacopy=on\"\n"
               "\n"
               "[storage.options.thinpool]\n";
}

} // namespace

TEST(ContainersStorageConf, GraphrootOnTheLv)
{
        const std::string standard = "/var/lib/containers/storage";
        // No LV, or an LV of another engine: the source's graphroot stays.
        EXPECT_EQ(graphroot_on_lv(standard, ""), std::nullopt);
        EXPECT_EQ(graphroot_on_lv(standard, "/var/lib/docker"), std::nullopt);
        EXPECT_EQ(graphroot_on_lv(standard, "/var/lib/containers-other"), std::nullopt);
        EXPECT_EQ(graphroot_on_lv(standard, "/var/lib"), std::nullopt); // not below: not ours to move
        // The graphroot is already on the LV.
        EXPECT_EQ(graphroot_on_lv(standard, "/var/lib/containers"), std::nullopt);
        EXPECT_EQ(graphroot_on_lv(standard, "/var/lib/containers/storage"), std::nullopt);
        EXPECT_EQ(graphroot_on_lv("/var/lib/containers/storage/", "/var/lib/containers/storage"), std::nullopt);
        EXPECT_EQ(graphroot_on_lv("/var/lib/containers/./storage", "/var/lib/containers"), std::nullopt);
        // The graphroot is elsewhere: moved onto the LV.
        EXPECT_EQ(graphroot_on_lv("/srv/containers", "/var/lib/containers"), standard);
        EXPECT_EQ(graphroot_on_lv(standard, "/var/lib/containers/lv"), "/var/lib/containers/lv");
        EXPECT_EQ(graphroot_on_lv("/var/lib/containers/storage2", "/var/lib/containers/storage"), standard);
        EXPECT_EQ(graphroot_on_lv("relative/path", "/var/lib/containers/lv"), "/var/lib/containers/lv");
}

TEST(ContainersStorageConf, FromFedorasFileKeepsEverySetting)
{
        Result<std::string> conf = containers_storage_conf(fedora(), "");
        ASSERT_TRUE(conf) << conf.error().message;
        EXPECT_EQ(*conf, std::string(containers_storage_conf_marker) +
                                 "\n"
                                 "# Derived from /usr/share/containers/storage.conf (its comments are not kept).\n"
                                 "# Changed: nothing.\n" +
                                 header_tail + fedora_body("/var/lib/containers/storage"));
        EXPECT_TRUE(is_ours(*conf));
}

TEST(ContainersStorageConf, FromFedorasFileWithTheLvBelowVarLibContainers)
{
        Result<std::string> conf = containers_storage_conf(fedora(), "/var/lib/containers/lv");
        ASSERT_TRUE(conf) << conf.error().message;
        EXPECT_EQ(*conf, std::string(containers_storage_conf_marker) +
                                 "\n"
                                 "# Derived from /usr/share/containers/storage.conf (its comments are not kept).\n"
                                 "# Changed: graphroot (was \"/var/lib/containers/storage\").\n" +
                                 header_tail + fedora_body("/var/lib/containers/lv"));
        // What we wrote is valid TOML that names what we decided.
        Result<ContainersStorageSettings> back = parse_containers_storage(*conf, "ours");
        ASSERT_TRUE(back) << back.error().message;
        EXPECT_EQ(back->driver, "overlay");
        EXPECT_EQ(back->graphroot, "/var/lib/containers/lv");
        EXPECT_EQ(back->runroot, "/run/containers/storage");
}

TEST(ContainersStorageConf, FromNoFileSpellsOutTheBuiltInDefaults)
{
        const std::string expected = std::string(containers_storage_conf_marker) +
                                     "\n"
                                     "# Derived from containers-storage's built-in defaults (there is no "
                                     "/usr/share/containers/storage.conf).\n"
                                     "# Changed: nothing.\n" +
                                     header_tail +
                                     "[storage]\n"
                                     "driver = \"overlay\"\n"
                                     "graphroot = \"/var/lib/containers/storage\"\n"
                                     "runroot = \"/run/containers/storage\"\n";
        // Debian 13's lab: the LV on /var/lib/containers holds the standard graphroot.
        for (const char *mount_path : {"", "/var/lib/containers", "/var/lib/containers/storage", "/var/lib/docker"}) {
                Result<std::string> conf = containers_storage_conf({}, mount_path);
                ASSERT_TRUE(conf) << conf.error().message;
                EXPECT_EQ(*conf, expected) << mount_path;
        }
}

TEST(ContainersStorageConf, OnlyTheDriverAndGraphrootChange)
{
        ContainersStorageSource source{fedora_path, "# a comment\n"
                                                    "[storage]\n"
                                                    "driver = \"vfs\"\n"
                                                    "graphroot = \"/srv/store\"\n"
                                                    "[storage.options]\n"
                                                    "mount_program = \"/usr/bin/fuse-overlayfs\"\n"};
        Result<std::string> conf = containers_storage_conf(source, "/var/lib/containers");
        ASSERT_TRUE(conf) << conf.error().message;
        EXPECT_NE(conf->find("# Changed: driver (was \"vfs\"), graphroot (was \"/srv/store\").\n"), std::string::npos)
                << *conf;
        EXPECT_NE(conf->find("[storage]\n"
                             "driver = \"overlay\"\n"
                             "graphroot = \"/var/lib/containers/storage\"\n"
                             "\n"
                             "[storage.options]\n"
                             "mount_program = \"/usr/bin/fuse-overlayfs\"\n"),
                  std::string::npos)
                << *conf;
        EXPECT_EQ(conf->find("runroot"), std::string::npos); // the source set none: still none
        EXPECT_EQ(conf->find("# a comment"), std::string::npos);

        // No [storage] at all, no driver: added.
        conf = containers_storage_conf({fedora_path, "[storage.options.overlay]\nmountopt = \"nodev\"\n"}, "");
        ASSERT_TRUE(conf) << conf.error().message;
        EXPECT_NE(conf->find("# Changed: driver (was unset).\n"), std::string::npos) << *conf;
        EXPECT_NE(conf->find("[storage]\ndriver = \"overlay\"\n\n[storage.options.overlay]\nmountopt = "
                             "\"nodev\"\n"),
                  std::string::npos)
                << *conf;
}

TEST(ContainersStorageConf, AControlCharacterCannotEndTheHeaderComment)
{
        Result<std::string> conf =
                containers_storage_conf({fedora_path, "[storage]\ngraphroot = \"/x\\n[y]\"\n"}, "/var/lib/containers");
        ASSERT_TRUE(conf) << conf.error().message;
        EXPECT_NE(conf->find("# Changed: driver (was unset), graphroot (was \"/x?[y]\").\n"), std::string::npos)
                << *conf;
        EXPECT_TRUE(parse_containers_storage(*conf, "ours"));
}

TEST(ContainersStorageConf, BadSourcesAreErrors)
{
        Result<std::string> conf = containers_storage_conf({fedora_path, "[storage]\ndriver = \"overlay\n"}, "");
        ASSERT_FALSE(conf);
        EXPECT_EQ(
                conf.error().message.rfind("Failed to read '/usr/share/containers/storage.conf': not valid TOML: ", 0),
                0u)
                << conf.error().message;
        EXPECT_NE(conf.error().message.find("(line 2, column"), std::string::npos) << conf.error().message;

        conf = containers_storage_conf({fedora_path, "storage = \"overlay\"\n"}, "");
        ASSERT_FALSE(conf);
        EXPECT_EQ(conf.error().message,
                  "Failed to read '/usr/share/containers/storage.conf': [storage] is not a table");

        conf = containers_storage_conf({fedora_path, "[storage]\ngraphroot = 1\n"}, "");
        ASSERT_FALSE(conf);
        EXPECT_EQ(conf.error().message,
                  "Failed to read '/usr/share/containers/storage.conf': [storage] graphroot is not a string");
}

TEST(ContainersStorageConf, OursIsTheFileThatStartsWithTheMarker)
{
        const std::string marker(containers_storage_conf_marker);
        EXPECT_TRUE(is_ours(marker + "\n[storage]\n"));
        EXPECT_TRUE(is_ours(marker));
        EXPECT_FALSE(is_ours(marker + " (edited)\n"));
        EXPECT_FALSE(is_ours("# my own\n" + marker + "\n"));
        EXPECT_FALSE(is_ours(""));
}

TEST(ContainersStorageToml, ReadsTheStorageKeys)
{
        Result<ContainersStorageSettings> s = parse_containers_storage(fedora().text, fedora_path);
        ASSERT_TRUE(s) << s.error().message;
        EXPECT_EQ(s->driver, "overlay");
        EXPECT_EQ(s->runroot, "/run/containers/storage");
        EXPECT_EQ(s->graphroot, "/var/lib/containers/storage");

        s = parse_containers_storage("", "empty");
        ASSERT_TRUE(s);
        EXPECT_EQ(s->driver, "");
        EXPECT_EQ(s->graphroot, "");
}
