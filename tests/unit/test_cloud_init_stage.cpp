// SPDX-License-Identifier: Apache-2.0
//
// Which unit runs cloud-init's network stage (generator/host_facts.hpp), on a fake root:
// cloud-init 22.4's units (Debian 12, under /lib), the real units of cloud-init 25.1 (Debian 13,
// from tests/generator/units/cloud-init-25.1, under /usr/lib), neither, and masks.
//
// CSS_ROOT is read once per process, so this is its own test binary with its own main(); each
// test starts from an empty root.

#include "core/paths.hpp"
#include "generator/host_facts.hpp"
#include "fake_root.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>
#include <string>

namespace fs = std::filesystem;
using css::generator::cloud_init_network_stage;

namespace {

std::string fake_root;

const fs::path new_set = fs::path(CSS_TEST_SOURCE_DIR) / "tests/generator/units/cloud-init-25.1";

fs::path host(const std::string &path)
{
        return css::paths::host_path(path);
}

void put(const fs::path &p, const std::string &content)
{
        fs::create_directories(p.parent_path());
        std::ofstream(p) << content;
}

// Debian 12's cloud-init 22.4: four stage units, cloud-init.service the network stage.
void install_old_set()
{
        for (const char *u :
             {"cloud-init-local.service", "cloud-init.service", "cloud-config.service", "cloud-final.service"})
                put(host("/lib/systemd/system/") += u, "[Unit]\nDescription=stand-in\n");
}

// Debian 13's cloud-init 25.1, as packaged.
void install_new_set()
{
        fs::create_directories(host("/usr/lib/systemd/system"));
        for (const fs::directory_entry &e : fs::directory_iterator(new_set))
                if (e.path().extension() == ".service" || e.path().extension() == ".target")
                        fs::copy_file(e.path(), host("/usr/lib/systemd/system") / e.path().filename());
}

// `systemctl mask`: a symlink to /dev/null.
void mask(const std::string &dir, const std::string &unit)
{
        fs::create_directories(host(dir));
        fs::create_symlink("/dev/null", host(dir + "/" + unit));
}

class CloudInitStage : public ::testing::Test {
public:
        static void SetUpTestSuite() { fake_root = css::test::make_fake_root("css-cloud-init-stage"); }
        static void TearDownTestSuite() { css::test::remove_fake_root(fake_root); }

protected:
        void SetUp() override
        {
                for (const fs::directory_entry &e : fs::directory_iterator(fake_root))
                        fs::remove_all(e.path());
        }
};

TEST_F(CloudInitStage, NoCloudInit)
{
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
        // Unrelated units change nothing.
        put(host("/lib/systemd/system/cloud-init-hotplugd.socket"), "[Unit]\n");
        put(host("/lib/systemd/system/ssh.service"), "[Unit]\n");
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

// cloud-init's own off switches: it will not run, so nothing waits for it.
TEST_F(CloudInitStage, DisabledCloudInitIsNoCloudInit)
{
        install_new_set();
        EXPECT_EQ(cloud_init_network_stage("quiet cloud-init=disabled"), std::nullopt);
        EXPECT_EQ(cloud_init_network_stage("cloud-init=enabled"), "cloud-init-network.service");
        EXPECT_EQ(cloud_init_network_stage("xcloud-init=disabled"), "cloud-init-network.service");
        put(host("/etc/cloud/cloud-init.disabled"), "");
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

TEST_F(CloudInitStage, OldSetIsCloudInitService)
{
        install_old_set();
        EXPECT_EQ(cloud_init_network_stage(""), "cloud-init.service");
}

TEST_F(CloudInitStage, NewSetIsCloudInitNetworkService)
{
        ASSERT_TRUE(fs::exists(new_set / "cloud-init-network.service"));
        install_new_set();
        ASSERT_FALSE(fs::exists(host("/usr/lib/systemd/system/cloud-init.service")));
        EXPECT_EQ(cloud_init_network_stage(""), "cloud-init-network.service");
}

TEST_F(CloudInitStage, NetworkServiceWinsOverALeftoverCloudInitService)
{
        install_new_set();
        put(host("/etc/systemd/system/cloud-init.service"), "[Unit]\nDescription=a local copy of 22.4's unit\n");
        EXPECT_EQ(cloud_init_network_stage(""), "cloud-init-network.service");
}

TEST_F(CloudInitStage, EveryDirectoryOfTheSearchPathCounts)
{
        for (const char *dir : {"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
                                "/usr/lib/systemd/system", "/lib/systemd/system"}) {
                SetUp();
                put(host(std::string(dir) + "/cloud-init-network.service"), "[Unit]\n");
                EXPECT_EQ(cloud_init_network_stage(""), "cloud-init-network.service") << dir;
        }
}

TEST_F(CloudInitStage, MainServiceAloneIsNotANetworkStage)
{
        fs::create_directories(host("/usr/lib/systemd/system"));
        fs::copy_file(new_set / "cloud-init-main.service", host("/usr/lib/systemd/system/cloud-init-main.service"));
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

TEST_F(CloudInitStage, MaskedOldNetworkStageIsNotInstalled)
{
        install_old_set();
        mask("/etc/systemd/system", "cloud-init.service");
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

TEST_F(CloudInitStage, MaskedNewNetworkStageIsNotInstalled)
{
        install_new_set();
        mask("/etc/systemd/system", "cloud-init-network.service");
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

TEST_F(CloudInitStage, MaskedMainServiceStopsEveryStage)
{
        install_new_set();
        mask("/etc/systemd/system", "cloud-init-main.service");
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

TEST_F(CloudInitStage, RuntimeMaskAndEmptyFileMask)
{
        install_new_set();
        mask("/run/systemd/system", "cloud-init-network.service"); // systemctl mask --runtime
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);

        SetUp();
        install_old_set();
        put(host("/etc/systemd/system/cloud-init.service"), ""); // systemd takes an empty file as masked
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

TEST_F(CloudInitStage, TheHighestPriorityDirectoryDecides)
{
        // A unit file in /etc overrides a runtime mask, and a mask in /etc hides /usr/lib's file.
        install_new_set();
        mask("/run/systemd/system", "cloud-init-network.service");
        put(host("/etc/systemd/system/cloud-init-network.service"), "[Unit]\nDescription=local copy\n");
        EXPECT_EQ(cloud_init_network_stage(""), "cloud-init-network.service");
}

TEST_F(CloudInitStage, DanglingSymlinkCannotBeLoaded)
{
        install_old_set();
        fs::create_directories(host("/etc/systemd/system"));
        fs::create_symlink("no-such-unit.service", host("/etc/systemd/system/cloud-init.service"));
        EXPECT_EQ(cloud_init_network_stage(""), std::nullopt);
}

TEST_F(CloudInitStage, SymlinkToAUnitFileIsInstalled)
{
        // `systemctl link`, or an admin's relative link: followed like systemd does.
        put(host("/opt/cloud-init/cloud-init.service"), "[Unit]\n");
        fs::create_directories(host("/etc/systemd/system"));
        fs::create_symlink("../../../opt/cloud-init/cloud-init.service",
                           host("/etc/systemd/system/cloud-init.service"));
        EXPECT_EQ(cloud_init_network_stage(""), "cloud-init.service");
}

} // namespace
