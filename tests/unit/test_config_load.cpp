// SPDX-License-Identifier: Apache-2.0
// Layering (defaults file, compat preset, admin file), the shipped defaults file and the
// file-level failures.

#include "config/config_format.hpp"
#include "config/config_keys.hpp"
#include "config/config_load.hpp"
#include "config/shell_assignments.hpp"
#include "config_test_util.hpp"
#include "source_file_util.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>

namespace css {
namespace {

using test::read_source;
using test::TempDir;
using Strings = std::vector<std::string>;

LoadedConfig load(const std::string &defaults, const std::string &input, ConfigMode mode = ConfigMode::compat,
                  bool required = false)
{
        LoadOptions o;
        o.mode = mode;
        o.defaults_path = defaults;
        o.input_path = input;
        o.input_required = required;
        return load_config(o);
}

TEST(ConfigLoad, ShippedDefaultsFileEqualsBuiltInDefaults)
{
        const std::string text = read_source("data/container-storage-setup.conf");
        ShellParseResult parsed = parse_shell_assignments(text, "container-storage-setup.conf");
        EXPECT_TRUE(parsed.diagnostics.empty());
        std::vector<std::pair<std::string, std::string>> got, want;
        for (const ShellAssignment &a : parsed.assignments)
                got.emplace_back(a.key, a.value);
        for (const auto &[k, v] : builtin_defaults)
                want.emplace_back(k, v);
        EXPECT_EQ(got, want);

        TempDir dir;
        LoadedConfig from_file = load(dir.write("defaults", text), dir.path() + "/missing");
        LoadedConfig built_in = load(dir.path() + "/no-defaults", dir.path() + "/missing");
        EXPECT_TRUE(from_file.diagnostics.empty());
        EXPECT_TRUE(built_in.diagnostics.empty());
        EXPECT_EQ(from_file.config, built_in.config);
        EXPECT_EQ(built_in.config, Config{});
        EXPECT_FALSE(built_in.input_exists);
}

TEST(ConfigLoad, SysconfigStubSelectsOverlay2)
{
        TempDir dir;
        const std::string stub = read_source("data/docker-storage-setup");
        EXPECT_EQ(stub.rfind("# Edit this file to override any configuration options specified in\n"
                             "# /usr/share/container-storage-setup/container-storage-setup.\n"
                             "# For more details refer to \"man container-storage-setup\"\n",
                             0),
                  0u);
        LoadedConfig l = load(dir.path() + "/none", dir.write("stub", stub));
        ASSERT_TRUE(l.valid());
        EXPECT_TRUE(l.input_exists);
        EXPECT_EQ(l.config.storage_driver, StorageDriver::overlay2);
}

TEST(ConfigLoad, InputOverridesDefaultsAndLaterAssignmentWins)
{
        TempDir dir;
        std::string defaults = dir.write("d", "STORAGE_DRIVER=devicemapper\nDATA_SIZE=10G\nAUTO_EXTEND_POOL=yes\n"
                                              "POOL_AUTOEXTEND_THRESHOLD=60\nPOOL_AUTOEXTEND_PERCENT=20\n");
        std::string input = dir.write("i", "DATA_SIZE=20G\nDATA_SIZE=30G\n");
        LoadedConfig l = load(defaults, input);
        ASSERT_TRUE(l.valid()) << l.errors()[0];
        EXPECT_EQ(l.config.data_size->text, "30G");
}

TEST(ConfigLoad, InstalledDefaultsFileReplacesBuiltIns)
{
        // As in the original, a key the defaults file leaves out is unset, not built-in.
        TempDir dir;
        std::string defaults = dir.write("d", "STORAGE_DRIVER=devicemapper\n");
        LoadedConfig l = load(defaults, dir.path() + "/missing");
        EXPECT_EQ(test::errors(l), (Strings{"DATA_SIZE not specified."}));
        EXPECT_FALSE(l.config.auto_extend_pool);
        EXPECT_EQ(l.config.device_wait_timeout, 0u);
        // DOCKER_ROOT_VOLUME_SIZE was set by the original script itself, not the file.
        EXPECT_EQ(l.config.docker_root_volume_size.text, "40%FREE");
}

TEST(ConfigLoad, CompatPresetAndNamedMode)
{
        TempDir dir;
        std::string defaults = dir.write("d", "CONTAINER_THINPOOL=from-defaults\nSTORAGE_DRIVER=overlay2\n");
        // The preset comes after the defaults file and before the admin's file.
        EXPECT_EQ(load(defaults, dir.path() + "/missing").config.container_thinpool, "docker-pool");
        EXPECT_EQ(load(defaults, dir.write("i", "CONTAINER_THINPOOL=mine\n")).config.container_thinpool, "mine");
        EXPECT_EQ(load(defaults, dir.path() + "/missing", ConfigMode::named).config.container_thinpool,
                  "from-defaults");
}

TEST(ConfigLoad, MissingInput)
{
        TempDir dir;
        LoadedConfig l = load("", dir.path() + "/missing");
        EXPECT_TRUE(l.valid());
        EXPECT_FALSE(l.input_exists);
        l = load("", dir.path() + "/missing", ConfigMode::compat, true);
        EXPECT_EQ(l.errors(), Strings{"Failed to read '" + dir.path() + "/missing': No such file or directory"});
}

TEST(ConfigLoad, SymlinksAreFollowed)
{
        TempDir dir;
        std::string target = dir.write("real", "STORAGE_DRIVER=overlay\n");
        ASSERT_EQ(::symlink(target.c_str(), (dir.path() + "/link").c_str()), 0);
        LoadedConfig l = load("", dir.path() + "/link");
        EXPECT_TRUE(l.input_exists);
        EXPECT_EQ(l.config.storage_driver, StorageDriver::overlay);

        ASSERT_EQ(::symlink("nowhere", (dir.path() + "/dangling").c_str()), 0);
        l = load("", dir.path() + "/dangling", ConfigMode::compat, true);
        EXPECT_FALSE(l.input_exists);
        EXPECT_FALSE(l.valid());
}

TEST(ConfigLoad, NotARegularFile)
{
        TempDir dir;
        LoadedConfig l = load("", dir.path());
        EXPECT_EQ(l.errors(), Strings{"Failed to read '" + dir.path() + "': Is a directory"});
        std::string fifo = dir.path() + "/fifo";
        ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
        l = load("", fifo); // must not block
        EXPECT_EQ(l.errors(), Strings{"Failed to read '" + fifo + "': not a regular file"});
        l = load(dir.path(), dir.path() + "/missing");
        EXPECT_EQ(l.errors(), Strings{"Failed to read '" + dir.path() + "': Is a directory"});
}

TEST(ConfigLoad, SyntaxErrorsStopBeforeValueChecks)
{
        LoadedConfig l = test::load_text("DATA_SIZE=bad\nfoo\n");
        EXPECT_EQ(test::errors(l), Strings{"not an assignment (expected KEY=value)"});
}

TEST(ConfigLoad, DefaultPathsAreTheOriginals)
{
        LoadOptions o = default_load_options();
        EXPECT_EQ(o.mode, ConfigMode::compat);
        EXPECT_TRUE(o.defaults_path.ends_with("/usr/share/container-storage-setup/container-storage-setup"));
        EXPECT_TRUE(o.input_path.ends_with("/etc/sysconfig/docker-storage-setup"));
        EXPECT_FALSE(o.input_required);
}

} // namespace
} // namespace css
