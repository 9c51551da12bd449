// SPDX-License-Identifier: Apache-2.0
//
// docker's side of the storage settings: the engines' versions, dockerd's flags, docker.service
// as systemd loads it (fragment and drop-ins under a fake root), daemon.json's refusals and
// merge, and the choice between /etc/sysconfig/docker-storage and daemon.json.

#include "engine/daemon_json.hpp"
#include "engine/docker_unit.hpp"
#include "engine/dockerd_flags.hpp"
#include "engine/engine_version.hpp"
#include "steps/check_engine.hpp"
#include "steps/engine_output.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace css;
using namespace css::engine;
using nlohmann::json;

namespace {

const std::string data_dir = std::string(CSS_TEST_SOURCE_DIR) + "/tests/unit/data/docker-units/";

std::string slurp(const std::string &path)
{
        std::ifstream in(path);
        return std::string(std::istreambuf_iterator<char>(in), {});
}

class FakeRoot : public ::testing::Test {
protected:
        void SetUp() override
        {
                char tmpl[] = "/tmp/css-docker-unit-XXXXXX";
                ASSERT_NE(::mkdtemp(tmpl), nullptr);
                root_ = tmpl;
        }
        void TearDown() override { fs::remove_all(root_); }
        void put(const std::string &path, const std::string &text)
        {
                fs::create_directories(fs::path(root_ + path).parent_path());
                std::ofstream(root_ + path) << text;
        }
        std::string root_;
};

const std::string el7_unit = "[Unit]\nDescription=Docker\n\n[Service]\nType=notify\n"
                             "EnvironmentFile=-/etc/sysconfig/docker\n"
                             "EnvironmentFile=-/etc/sysconfig/docker-storage\n"
                             "ExecStart=/usr/bin/dockerd-current \\\n"
                             "          $OPTIONS \\\n"
                             "          $DOCKER_STORAGE_OPTIONS \\\n"
                             "          $ADD_REGISTRY\n";

const std::string moby_unit = "[Service]\nType=notify\n"
                              "ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n";

} // namespace

// --- versions --------------------------------------------------------------------------------

TEST(EngineVersion, DockerVersionStrings)
{
        EXPECT_EQ(parse_docker_version("Docker version 20.10.24+dfsg1, build 297e128\n"), (Version{20, 10, 24}));
        EXPECT_EQ(parse_docker_version("Docker version 26.1.5+dfsg1, build a72d7cd\n"), (Version{26, 1, 5}));
        EXPECT_EQ(parse_docker_version("Docker version 29.0.1, build eedd969"), (Version{29, 0, 1}));
        EXPECT_EQ(parse_docker_version("Docker version 1.13.1, build 7d71120/1.13.1"), (Version{1, 13, 1}));
        EXPECT_EQ(parse_docker_version("Docker version 25.0.0-rc.1, build x"), (Version{25, 0, 0}));
}

TEST(EngineVersion, PodmanVersionStrings)
{
        EXPECT_EQ(parse_podman_version("podman version 4.3.1\n"), (Version{4, 3, 1}));
        EXPECT_EQ(parse_podman_version("podman version 5.4.2\n"), (Version{5, 4, 2}));
}

TEST(EngineVersion, GarbageIsNoVersion)
{
        for (const char *text : {"", "Docker version", "Docker version x.y", "docker version 26.1.5",
                                 "podman version 5", "Docker version 26.1.5abc", "podman version .4.2",
                                 "Docker version 99999999999999999999.1.1", "Emulate Docker CLI using podman."}) {
                EXPECT_EQ(parse_docker_version(text), std::nullopt) << text;
                EXPECT_EQ(parse_podman_version(text), std::nullopt) << text;
        }
        EXPECT_EQ(parse_docker_version("podman version 5.4.2"), std::nullopt);
}

TEST(EngineVersion, Ordering)
{
        EXPECT_LT((Version{24, 0, 9}), docker_without_devicemapper);
        EXPECT_GE((Version{25, 0, 0}), docker_without_devicemapper);
        EXPECT_LT((Version{4, 9, 5}), podman_without_devicemapper);
        EXPECT_EQ(to_string(Version{26, 1, 5}), "26.1.5");
}

// --- devicemapper support ----------------------------------------------------------------------

TEST(CheckDevicemapper, Docker26IsRefusedWithItsVersion)
{
        Result<void> r = steps::check_devicemapper_engines(StorageDriver::devicemapper,
                                                           {{"docker", "/usr/sbin/dockerd", Version{26, 1, 5}}});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "STORAGE_DRIVER=devicemapper: docker 26.1.5 (/usr/sbin/dockerd) has no "
                                     "devicemapper storage driver (removed in docker 25.0); use "
                                     "STORAGE_DRIVER=overlay2");
}

TEST(CheckDevicemapper, Docker20IsAccepted)
{
        EXPECT_TRUE(steps::check_devicemapper_engines(StorageDriver::devicemapper,
                                                      {{"docker", "/usr/sbin/dockerd", Version{20, 10, 24}},
                                                       {"podman", "/usr/bin/podman", Version{4, 3, 1}}}));
}

TEST(CheckDevicemapper, Docker26RefusedEvenBesideAnOldPodman)
{
        EXPECT_FALSE(steps::check_devicemapper_engines(
                StorageDriver::devicemapper,
                {{"docker", "/usr/sbin/dockerd", Version{25, 0, 0}}, {"podman", "/usr/bin/podman", Version{4, 3, 1}}}));
}

TEST(CheckDevicemapper, Podman5AloneIsRefused)
{
        Result<void> r = steps::check_devicemapper_engines(StorageDriver::devicemapper,
                                                           {{"podman", "/usr/bin/podman", Version{5, 4, 2}}});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "STORAGE_DRIVER=devicemapper: podman 5.4.2 (/usr/bin/podman) has no "
                                     "devicemapper storage driver (removed in podman 5.0); use "
                                     "STORAGE_DRIVER=overlay2");
        EXPECT_TRUE(steps::check_devicemapper_engines(StorageDriver::devicemapper,
                                                      {{"podman", "/usr/bin/podman", Version{4, 3, 1}}}));
        // CRI-O's containers-storage version is not asked: it may still have the driver.
        EXPECT_TRUE(steps::check_devicemapper_engines(
                StorageDriver::devicemapper,
                {{"podman", "/usr/bin/podman", Version{5, 4, 2}}, {"crio", "/usr/bin/crio", std::nullopt}}));
}

TEST(CheckDevicemapper, NoEngineOrUnknownVersionOrOtherDriverIsAccepted)
{
        EXPECT_TRUE(steps::check_devicemapper_engines(StorageDriver::devicemapper, {}));
        EXPECT_TRUE(steps::check_devicemapper_engines(StorageDriver::devicemapper,
                                                      {{"docker", "/usr/bin/dockerd", std::nullopt}}));
        EXPECT_TRUE(steps::check_devicemapper_engines(StorageDriver::overlay2,
                                                      {{"docker", "/usr/sbin/dockerd", Version{26, 1, 5}}}));
}

// --- dockerd flags -----------------------------------------------------------------------------

TEST(DockerdFlags, BothSpellingsAndShortForms)
{
        DockerdFlags f = parse_dockerd_flags({"-H", "fd://", "--storage-driver", "overlay2", "--storage-opt",
                                              "overlay2.size=1G", "--storage-opt=dm.fs=xfs", "-g", "/srv/docker",
                                              "--config-file=/etc/docker/other.json"});
        EXPECT_EQ(f.storage_driver, "overlay2");
        EXPECT_EQ(f.storage_opts, (std::vector<std::string>{"overlay2.size=1G", "dm.fs=xfs"}));
        EXPECT_EQ(f.data_root, "/srv/docker");
        EXPECT_EQ(f.config_file, "/etc/docker/other.json");
        EXPECT_EQ(f.other, (std::vector<std::string>{"-H", "fd://"}));

        EXPECT_EQ(parse_dockerd_flags({"-s", "devicemapper"}).storage_driver, "devicemapper");
        EXPECT_EQ(parse_dockerd_flags({"-soverlay2"}).storage_driver, "overlay2");
        EXPECT_EQ(parse_dockerd_flags({"--graph=/g"}).data_root, "/g");
        EXPECT_EQ(parse_dockerd_flags({"--data-root", "/d"}).data_root, "/d");
        EXPECT_EQ(parse_dockerd_flags({"--storage-driver"}).missing_value, "--storage-driver");
        EXPECT_EQ(parse_dockerd_flags({"--storage-drivers=x"}).storage_driver, std::nullopt);
}

// --- docker.service ----------------------------------------------------------------------------

TEST(DockerUnitText, El7UnitReadsTheSysconfigFile)
{
        engine::ServiceSettings settings;
        apply_unit_file(settings, el7_unit);
        EXPECT_EQ(settings.environment_files,
                  (std::vector<std::string>{"-/etc/sysconfig/docker", "-/etc/sysconfig/docker-storage"}));
        ASSERT_EQ(settings.exec_start.size(), 1u);
        EXPECT_TRUE(reads_sysconfig_storage(settings));
}

TEST(DockerUnitText, VariableMustBeWholeName)
{
        EXPECT_TRUE(uses_variable("dockerd $DOCKER_STORAGE_OPTIONS", "DOCKER_STORAGE_OPTIONS"));
        EXPECT_TRUE(uses_variable("dockerd ${DOCKER_STORAGE_OPTIONS} x", "DOCKER_STORAGE_OPTIONS"));
        EXPECT_FALSE(uses_variable("dockerd $DOCKER_STORAGE_OPTIONS_X", "DOCKER_STORAGE_OPTIONS"));
        EXPECT_FALSE(uses_variable("dockerd $DOCKER_OPTS", "DOCKER_STORAGE_OPTIONS"));
}

TEST(DockerUnitText, FileWithoutVariableOrVariableWithoutFileIsNotRead)
{
        engine::ServiceSettings a;
        apply_unit_file(a, "[Service]\nEnvironmentFile=/etc/sysconfig/docker-storage\nExecStart=/usr/bin/dockerd\n");
        EXPECT_FALSE(reads_sysconfig_storage(a));
        engine::ServiceSettings b;
        apply_unit_file(b, "[Service]\nExecStart=/usr/bin/dockerd $DOCKER_STORAGE_OPTIONS\n");
        EXPECT_FALSE(reads_sysconfig_storage(b));
        // Outside [Service] it means nothing.
        engine::ServiceSettings c;
        apply_unit_file(c, "[Unit]\nEnvironmentFile=/etc/sysconfig/docker-storage\n"
                           "ExecStart=/usr/bin/dockerd $DOCKER_STORAGE_OPTIONS\n");
        EXPECT_FALSE(reads_sysconfig_storage(c));
}

TEST(DockerUnitText, EmptyAssignmentResets)
{
        engine::ServiceSettings s;
        apply_unit_file(s, el7_unit);
        apply_unit_file(s, "[Service]\nEnvironmentFile=\nExecStart=\nExecStart=/usr/bin/dockerd -H fd://\n");
        EXPECT_TRUE(s.environment_files.empty());
        EXPECT_EQ(s.exec_start, (std::vector<std::string>{"/usr/bin/dockerd -H fd://"}));
        EXPECT_FALSE(reads_sysconfig_storage(s));
}

TEST(DockerUnitText, ExpandsVariablesAsSystemd)
{
        std::map<std::string, std::string> env = {{"OPTS", "-s overlay2  --data-root /srv/d"}, {"X", "a b"}};
        EXPECT_EQ(expand_command_line("-/usr/bin/dockerd $OPTS ${X} \"--label=q r\" $NONE", env),
                  (std::vector<std::string>{"/usr/bin/dockerd", "-s", "overlay2", "--data-root", "/srv/d", "a b",
                                            "--label=q r"}));
}

TEST_F(FakeRoot, NoUnitIsNotFound)
{
        DockerUnit u = load_docker_unit(root_);
        EXPECT_FALSE(u.found);
        EXPECT_EQ(steps::choose_output(DockerStorageConfig::automatic, u).output, steps::EngineOutput::sysconfig);
}

TEST_F(FakeRoot, Debian13UnitDoesNotReadTheSysconfigFile)
{
        put("/usr/lib/systemd/system/docker.service", slurp(data_dir + "debian13-docker.io-26.1.5.service"));
        put("/etc/default/docker",
            "# DOCKER_OPTS=\"--dns 8.8.8.8\"\nDOCKER_OPTS=\"-s overlay2 --data-root=/srv/docker\"\n");
        DockerUnit u = load_docker_unit(root_);
        ASSERT_TRUE(u.found);
        EXPECT_EQ(u.fragment, "/usr/lib/systemd/system/docker.service");
        EXPECT_FALSE(u.reads_sysconfig);
        EXPECT_EQ(u.flags.storage_driver, "overlay2");
        EXPECT_EQ(u.flags.data_root, "/srv/docker");
        steps::OutputChoice c = steps::choose_output(DockerStorageConfig::automatic, u);
        EXPECT_EQ(c.output, steps::EngineOutput::daemon_json);
        EXPECT_EQ(c.reason, "/usr/lib/systemd/system/docker.service does not read /etc/sysconfig/docker-storage");
        EXPECT_EQ(steps::choose_output(DockerStorageConfig::sysconfig, u).output, steps::EngineOutput::sysconfig);
}

TEST_F(FakeRoot, TheVmDropInGivesAtomicSemantics)
{
        put("/lib/systemd/system/docker.service", slurp(data_dir + "debian13-docker.io-26.1.5.service"));
        put("/etc/systemd/system/docker.service.d/docker-storage.conf", slurp(data_dir + "vm-atomic-dropin.conf"));
        put("/etc/sysconfig/docker-storage", "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
        DockerUnit u = load_docker_unit(root_);
        EXPECT_EQ(u.fragment, "/lib/systemd/system/docker.service");
        EXPECT_EQ(u.dropins, (std::vector<std::string>{"/etc/systemd/system/docker.service.d/docker-storage.conf"}));
        EXPECT_TRUE(u.reads_sysconfig);
        EXPECT_EQ(u.flags.storage_driver, "overlay2");
        EXPECT_EQ(steps::choose_output(DockerStorageConfig::automatic, u).output, steps::EngineOutput::sysconfig);
        EXPECT_EQ(steps::choose_output(DockerStorageConfig::daemon_json, u).output, steps::EngineOutput::daemon_json);
}

TEST_F(FakeRoot, FirstFragmentWinsAndDropInNamesHideLaterOnes)
{
        put("/etc/systemd/system/docker.service", moby_unit);
        put("/usr/lib/systemd/system/docker.service", el7_unit);
        EXPECT_FALSE(load_docker_unit(root_).reads_sysconfig);

        // The same drop-in name in /etc hides the one in /usr/lib; names apply in sorted order.
        put("/usr/lib/systemd/system/docker.service.d/10-storage.conf",
            "[Service]\nEnvironmentFile=-/etc/sysconfig/docker-storage\nExecStart=\n"
            "ExecStart=/usr/bin/dockerd $DOCKER_STORAGE_OPTIONS\n");
        EXPECT_TRUE(load_docker_unit(root_).reads_sysconfig);
        put("/etc/systemd/system/docker.service.d/10-storage.conf", "[Service]\nEnvironmentFile=\n");
        EXPECT_FALSE(load_docker_unit(root_).reads_sysconfig);
        put("/run/systemd/system/docker.service.d/20-back.conf",
            "[Service]\nEnvironmentFile=/etc/sysconfig/docker-storage\n");
        DockerUnit u = load_docker_unit(root_);
        EXPECT_EQ(u.dropins, (std::vector<std::string>{"/etc/systemd/system/docker.service.d/10-storage.conf",
                                                       "/run/systemd/system/docker.service.d/20-back.conf"}));
        EXPECT_FALSE(u.reads_sysconfig); // ExecStart= is still the fragment's
        // Our generator's drop-ins are not looked at.
        put("/run/systemd/generator/docker.service.d/10-x.conf",
            "[Service]\nExecStart=\nExecStart=/usr/bin/dockerd $DOCKER_STORAGE_OPTIONS\n");
        EXPECT_FALSE(load_docker_unit(root_).reads_sysconfig);
}

TEST_F(FakeRoot, MaskedUnitIsNotFound)
{
        put("/usr/lib/systemd/system/docker.service", el7_unit);
        fs::create_directories(root_ + "/etc/systemd/system");
        fs::create_symlink("/dev/null", root_ + "/etc/systemd/system/docker.service");
        EXPECT_FALSE(load_docker_unit(root_).found);
}

TEST_F(FakeRoot, ConfigFileFlagMovesDaemonJson)
{
        put("/usr/lib/systemd/system/docker.service",
            "[Service]\nEnvironment=\"CF=--config-file=/etc/docker/site.json\"\nExecStart=/usr/bin/dockerd $CF\n");
        EXPECT_EQ(steps::daemon_json_path(load_docker_unit(root_)), "/etc/docker/site.json");
        put("/usr/lib/systemd/system/docker.service", moby_unit);
        EXPECT_EQ(steps::daemon_json_path(load_docker_unit(root_)), "/etc/docker/daemon.json");
}

// --- daemon.json ---------------------------------------------------------------------------------

TEST_F(FakeRoot, DaemonJsonBadInputIsRefused)
{
        const std::string p = root_ + "/daemon.json";
        EXPECT_FALSE(read_daemon_json(p, "/etc/docker/daemon.json")->exists);

        std::ofstream(p) << "{\"log-driver\": \"journald\",}";
        Result<DaemonJson> r = read_daemon_json(p, "/etc/docker/daemon.json");
        ASSERT_FALSE(r);
        EXPECT_TRUE(r.error().message.starts_with("Failed to use '/etc/docker/daemon.json': it is not JSON"))
                << r.error().message;

        std::ofstream(p) << "[\"overlay2\"]";
        r = read_daemon_json(p, "/etc/docker/daemon.json");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "Failed to use '/etc/docker/daemon.json': it is not a JSON object; it is left "
                                     "as it is and no disk was touched.");

        fs::remove(p);
        std::ofstream(root_ + "/real.json") << "{}";
        fs::create_symlink("real.json", p);
        r = read_daemon_json(p, "/etc/docker/daemon.json");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "Failed to use '/etc/docker/daemon.json': it is a symbolic link; it is left "
                                     "as it is and no disk was touched.");

        fs::remove(p);
        fs::create_directory(p);
        EXPECT_FALSE(read_daemon_json(p, "/etc/docker/daemon.json"));
}

TEST_F(FakeRoot, DaemonJsonUnreadableIsRefused)
{
        if (::geteuid() == 0)
                GTEST_SKIP() << "root reads a mode 000 file";
        const std::string p = root_ + "/daemon.json";
        std::ofstream(p) << "{}";
        ::chmod(p.c_str(), 0);
        Result<DaemonJson> r = read_daemon_json(p, "/etc/docker/daemon.json");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "Failed to read '/etc/docker/daemon.json': Permission denied");
}

TEST_F(FakeRoot, DaemonJsonReadKeepsModeAndObject)
{
        const std::string p = root_ + "/daemon.json";
        std::ofstream(p) << "{\"log-driver\": \"journald\"}\n";
        ::chmod(p.c_str(), 0600);
        Result<DaemonJson> r = read_daemon_json(p, "x");
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->exists);
        EXPECT_EQ(r->mode, 0600u);
        EXPECT_EQ(r->object, json({{"log-driver", "journald"}}));
}

namespace {

DaemonJson file_of(json object)
{
        DaemonJson d;
        d.exists = true;
        d.object = std::move(object);
        return d;
}

StorageSettings dm_settings()
{
        return StorageSettings{"devicemapper",
                               std::vector<std::string>{"dm.fs=xfs", "dm.thinpooldev=/dev/mapper/vg-docker--pool",
                                                        "dm.use_deferred_removal=true"},
                               std::nullopt};
}

} // namespace

TEST(PlanDaemonJson, AddsOurKeysAndKeepsTheAdminsOnMerge)
{
        DaemonJson file = file_of({{"log-driver", "journald"}, {"live-restore", true}});
        Result<json> keys = plan_daemon_json(file, dm_settings(), {}, "/etc/docker/daemon.json");
        ASSERT_TRUE(keys);
        EXPECT_EQ(
                *keys,
                json({{"storage-driver", "devicemapper"},
                      {"storage-opts",
                       {"dm.fs=xfs", "dm.thinpooldev=/dev/mapper/vg-docker--pool", "dm.use_deferred_removal=true"}}}));
        json merged = file.object;
        merged.update(*keys);
        const std::string text = render_daemon_json(merged);
        EXPECT_TRUE(text.ends_with("}\n"));
        EXPECT_NE(text.find("\n    \"live-restore\": true"), std::string::npos);
        EXPECT_EQ(json::parse(text).at("log-driver"), "journald");
}

TEST(PlanDaemonJson, OtherDriverInFileIsTheOriginalsRefusal)
{
        Result<json> keys = plan_daemon_json(file_of({{"storage-driver", "overlay2"}}), dm_settings(), {},
                                             "/etc/docker/daemon.json");
        ASSERT_FALSE(keys);
        EXPECT_EQ(keys.error().message, "Storage is already configured with overlay2 driver. Can't configure it "
                                        "with devicemapper driver. To override, remove storage-driver from "
                                        "/etc/docker/daemon.json and retry.");
}

TEST(PlanDaemonJson, SameSettingsInFileNeedNoWrite)
{
        StorageSettings s = dm_settings();
        DaemonJson file = file_of({{"storage-driver", "devicemapper"}, {"storage-opts", *s.opts}});
        Result<json> keys = plan_daemon_json(file, s, {}, "p");
        ASSERT_TRUE(keys);
        EXPECT_TRUE(keys->empty());
        // Other storage options already there: refused, naming both.
        file.object["storage-opts"] = {"dm.basesize=20G"};
        EXPECT_FALSE(plan_daemon_json(file, s, {}, "p"));
        // Not known yet (the pre-flight): not compared.
        s.opts.reset();
        EXPECT_TRUE(plan_daemon_json(file, s, {}, "p"));
}

TEST(PlanDaemonJson, FlagsOfTheUnit)
{
        StorageSettings s{"overlay2", std::vector<std::string>{}, std::nullopt};
        DockerdFlags same;
        same.storage_driver = "overlay2";
        Result<json> keys = plan_daemon_json(file_of(json::object()), s, same, "p");
        ASSERT_TRUE(keys);
        EXPECT_TRUE(keys->empty()); // the flag says it already: the key would make dockerd refuse

        DockerdFlags other;
        other.storage_driver = "vfs";
        keys = plan_daemon_json(file_of(json::object()), s, other, "p");
        ASSERT_FALSE(keys);
        EXPECT_EQ(keys.error().message, "Failed to configure docker's storage-driver 'overlay2': docker.service "
                                        "passes --storage-driver vfs; remove it from the unit or change the "
                                        "configuration.");

        // Flag and file both: dockerd refuses to start so.
        EXPECT_FALSE(plan_daemon_json(file_of({{"storage-driver", "overlay2"}}), s, same, "p"));
}

TEST(PlanDaemonJson, DataRoot)
{
        StorageSettings s{"overlay2", std::vector<std::string>{}, std::string("/srv/docker")};
        Result<json> keys = plan_daemon_json(file_of(json::object()), s, {}, "p");
        ASSERT_TRUE(keys);
        EXPECT_EQ(*keys, json({{"storage-driver", "overlay2"}, {"data-root", "/srv/docker"}}));

        EXPECT_FALSE(plan_daemon_json(file_of({{"data-root", "/var/lib/docker2"}}), s, {}, "p"));
        DockerdFlags g;
        g.data_root = "/elsewhere";
        EXPECT_FALSE(plan_daemon_json(file_of(json::object()), s, g, "p"));

        // docker's default is not written, but nothing may point docker elsewhere.
        s.data_root = "/var/lib/docker";
        keys = plan_daemon_json(file_of(json::object()), s, {}, "p");
        ASSERT_TRUE(keys);
        EXPECT_EQ(*keys, json({{"storage-driver", "overlay2"}}));
        EXPECT_FALSE(plan_daemon_json(file_of({{"data-root", "/srv/x"}}), s, {}, "p"));
}

TEST(DaemonJsonReset, RemovesOnlyKeysStillHoldingOurValues)
{
        json written = {{"storage-driver", "overlay2"}, {"data-root", "/srv/docker"}};
        json now = {{"storage-driver", "overlay2"}, {"data-root", "/srv/admin"}, {"debug", true}};
        EXPECT_EQ(remove_written_keys(now, written), json({{"data-root", "/srv/admin"}, {"debug", true}}));
        EXPECT_EQ(written_keys_now(now, written), json({{"storage-driver", "overlay2"}, {"data-root", "/srv/admin"}}));
        EXPECT_TRUE(remove_written_keys(written, written).empty());
}

// --- the settings from the configuration --------------------------------------------------------

TEST(StorageSettings, FromOptionsAndExtraOptions)
{
        Config c;
        c.storage_driver = StorageDriver::overlay2;
        c.extra_storage_options = "--storage-opt overlay2.override_kernel_check=true";
        Result<StorageSettings> s = steps::storage_settings(c, std::nullopt);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->driver, "overlay2");
        EXPECT_FALSE(s->opts);
        s = steps::storage_settings(c, "--storage-driver overlay2 --storage-opt overlay2.override_kernel_check=true");
        ASSERT_TRUE(s);
        EXPECT_EQ(s->opts, (std::vector<std::string>{"overlay2.override_kernel_check=true"}));

        c.extra_storage_options = "--log-level debug";
        s = steps::storage_settings(c, std::nullopt);
        ASSERT_FALSE(s);
        EXPECT_EQ(s.error().message, "Failed to write EXTRA_STORAGE_OPTIONS to /etc/docker/daemon.json: "
                                     "'--log-level' is not a --storage-opt option (use "
                                     "DOCKER_STORAGE_CONFIG=sysconfig).");
        c.extra_storage_options = "-s vfs";
        EXPECT_FALSE(steps::storage_settings(c, std::nullopt));
}

TEST(StorageSettings, DataRootUnlessAnotherEnginesRoot)
{
        Config c;
        c.storage_driver = StorageDriver::overlay2;
        EXPECT_EQ(steps::docker_data_root(c), std::nullopt);
        c.container_root_lv_name = "container-root-lv";
        c.container_root_lv_mount_path = "/srv/docker";
        EXPECT_EQ(steps::docker_data_root(c), "/srv/docker");
        c.container_root_lv_mount_path = "/var/lib/docker";
        EXPECT_EQ(steps::docker_data_root(c), "/var/lib/docker");
        for (const char *other : {"/var/lib/containers", "/var/lib/containers/storage", "/var/lib/containerd"}) {
                c.container_root_lv_mount_path = other;
                EXPECT_EQ(steps::docker_data_root(c), std::nullopt) << other;
        }
        c.container_root_lv_mount_path = "/var/lib/containers2";
        EXPECT_EQ(steps::docker_data_root(c), "/var/lib/containers2");
}
