// SPDX-License-Identifier: Apache-2.0
//
// css-write-storage-config and the auto-extend profile file, run for real against a fake root
// (CSS_ROOT): the files they write, byte for byte, and the files they must leave alone. The
// overlay probe is the real one (a private mount namespace; skipped without the privilege).
// No LVM here: the devicemapper path needs lvm and device-mapper and is proven in the VM
// scenarios (tests/vm/scenarios/02-devs-devicemapper).
//
// CSS_ROOT is read once per process, so this is its own test binary with its own main().

#include "config/config.hpp"
#include "core/paths.hpp"
#include "engine/kernel_probes.hpp"
#include "lvm/profile.hpp"
#include "steps/autoextend_profile.hpp"
#include "steps/check_engine.hpp"
#include "steps/containers_storage_conf.hpp"
#include "steps/engine_output.hpp"
#include "steps/mkfs.hpp"
#include "steps/orphan_pv.hpp"
#include "steps/provisioned.hpp"
#include "steps/step_context.hpp"
#include "steps/write_storage_config.hpp"
#include "sys/process.hpp"
#include "fake_root.hpp"
#include "source_file_util.hpp"
#include "test_partition_images.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;
using namespace css;

namespace {

std::string fake_root;

std::string slurp(const fs::path &p)
{
        std::ifstream in(p);
        std::stringstream b;
        b << in.rdbuf();
        return b.str();
}

void put(const fs::path &p, const std::string &content)
{
        fs::create_directories(p.parent_path());
        std::ofstream(p) << content;
}

fs::path host(const std::string &path)
{
        return fake_root + path;
}

class Fakeroot : public ::testing::Test {
public:
        static void SetUpTestSuite() { fake_root = css::test::make_fake_root("css-steps-fakeroot"); }
        static void TearDownTestSuite() { css::test::remove_fake_root(fake_root); }

protected:
        void SetUp() override
        {
                for (const char *d : {"/etc", "/run", "/var", "/usr"})
                        fs::remove_all(host(d));
                fs::create_directories(host("/etc/sysconfig"));
                fs::create_directories(host("/run"));
                fs::create_directories(host("/var/lib"));
        }

        static int write_config(const Config &config, RunMode mode = RunMode::apply)
        {
                StepContext context(config, mode);
                return steps::write_storage_config(context);
        }

        static bool overlay_works() { return probe_overlay_mount(fake_root + "/run/probe").ok(); }
};

Config overlay2()
{
        Config c;
        c.storage_driver = StorageDriver::overlay2;
        return c;
}

} // namespace

TEST_F(Fakeroot, Overlay2WritesTheLabsFileOnceAndNeverAgain)
{
        if (!overlay_works())
                GTEST_SKIP() << "cannot mount overlay here (no privilege or no overlay module)";
        ASSERT_EQ(write_config(overlay2()), 0);
        const fs::path out = host("/etc/sysconfig/docker-storage");
        EXPECT_EQ(slurp(out), "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
        EXPECT_EQ(fs::status(out).permissions(), fs::perms(0644));
        // The probe cleaned up after itself.
        EXPECT_FALSE(fs::exists(host("/run/container-storage-setup/merged")));

        // Second boot: same driver, nothing written (same inode, same bytes).
        struct stat before, after;
        ASSERT_EQ(::stat(out.c_str(), &before), 0);
        ASSERT_EQ(write_config(overlay2()), 0);
        ASSERT_EQ(::stat(out.c_str(), &after), 0);
        EXPECT_EQ(before.st_ino, after.st_ino);
        EXPECT_EQ(slurp(out), "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
}

TEST_F(Fakeroot, ADriverChangeLeavesTheFileAndSucceeds)
{
        const std::string dm = "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt dm.fs=xfs "
                               "--storage-opt dm.thinpooldev=/dev/mapper/atomicos-docker--pool \"\n";
        put(host("/etc/sysconfig/docker-storage"), dm);
        EXPECT_EQ(write_config(overlay2()), 0);
        EXPECT_EQ(slurp(host("/etc/sysconfig/docker-storage")), dm);
}

TEST_F(Fakeroot, OldModeFailsAndLeavesTheFile)
{
        const std::string old = "DOCKER_STORAGE_OPTIONS=\"--storage-driver devicemapper --storage-opt "
                                "dm.datadev=/dev/vg/data --storage-opt dm.metadatadev=/dev/vg/meta\"\n";
        put(host("/etc/sysconfig/docker-storage"), old);
        Config c;
        EXPECT_EQ(write_config(c), 1);
        EXPECT_EQ(slurp(host("/etc/sysconfig/docker-storage")), old);
}

TEST_F(Fakeroot, ADanglingLinkAtTheOutputIsAnErrorAndStays)
{
        if (!overlay_works())
                GTEST_SKIP() << "cannot mount overlay here";
        const fs::path out = host("/etc/sysconfig/docker-storage");
        fs::create_symlink("/nonexistent/docker-storage", out);
        EXPECT_EQ(write_config(overlay2()), 1);
        EXPECT_TRUE(fs::is_symlink(fs::symlink_status(out)));
        EXPECT_EQ(fs::read_symlink(out), "/nonexistent/docker-storage");
}

TEST_F(Fakeroot, NoStorageDriverWritesNothing)
{
        Config c;
        c.storage_driver = StorageDriver::none;
        EXPECT_EQ(write_config(c), 0);
        EXPECT_FALSE(fs::exists(host("/etc/sysconfig/docker-storage")));
}

TEST_F(Fakeroot, DryRunWritesNothing)
{
        if (!overlay_works())
                GTEST_SKIP() << "cannot mount overlay here";
        testing::internal::CaptureStdout();
        int rc = write_config(overlay2(), RunMode::dry_run);
        std::string printed = testing::internal::GetCapturedStdout();
        EXPECT_EQ(rc, 0);
        EXPECT_FALSE(fs::exists(host("/etc/sysconfig/docker-storage")));
        EXPECT_NE(printed.find("DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \""), std::string::npos) << printed;
}

TEST_F(Fakeroot, ContainersStorageConfIsWrittenWithTheDockerStorageFile)
{
        if (!overlay_works())
                GTEST_SKIP() << "cannot mount overlay here";
        Config c = overlay2();
        c.containers_storage_conf = true;
        ASSERT_EQ(write_config(c), 0);
        EXPECT_NE(slurp(host("/etc/containers/storage.conf")).find("[storage]\ndriver = \"overlay\"\n"),
                  std::string::npos);
}

// write_containers_storage_conf itself: no overlay probe needed.
class ContainersStorageConfFile : public Fakeroot {
protected:
        const fs::path conf = host("/etc/containers/storage.conf");
        const fs::path source = host("/usr/share/containers/storage.conf");

        static Config config(StorageDriver driver = StorageDriver::overlay2, std::string mount_path = "")
        {
                Config c;
                c.storage_driver = driver;
                c.containers_storage_conf = true;
                if (!mount_path.empty()) {
                        c.container_root_lv_name = "container-root-lv";
                        c.container_root_lv_mount_path = std::move(mount_path);
                }
                return c;
        }
        static Result<void> write(const Config &c, RunMode mode = RunMode::apply)
        {
                StepContext context(c, mode);
                return steps::write_containers_storage_conf(context);
        }
        static ino_t inode(const fs::path &p)
        {
                struct stat st;
                return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
        }
        void expect_nothing_written() { EXPECT_FALSE(fs::exists(conf)); }
};

TEST_F(ContainersStorageConfFile, NoSourceGivesTheDefaultsOnceAndThenNothing)
{
        ASSERT_TRUE(write(config(StorageDriver::overlay2, "/var/lib/containers")).ok());
        const std::string first = slurp(conf);
        EXPECT_TRUE(first.starts_with(std::string(steps::containers_storage_conf_marker) + "\n")) << first;
        EXPECT_TRUE(first.ends_with("[storage]\n"
                                    "driver = \"overlay\"\n"
                                    "graphroot = \"/var/lib/containers/storage\"\n"
                                    "runroot = \"/run/containers/storage\"\n"))
                << first;
        EXPECT_EQ(fs::status(conf).permissions(), fs::perms(0644));

        const ino_t before = inode(conf);
        ASSERT_TRUE(write(config(StorageDriver::overlay2, "/var/lib/containers")).ok());
        EXPECT_EQ(inode(conf), before); // same content: not rewritten
        EXPECT_EQ(slurp(conf), first);
}

TEST_F(ContainersStorageConfFile, FedorasFileIsKeptAndOursFollowsTheSetup)
{
        put(source, test::read_source("tests/unit/data/containers/fedora-41-storage.conf"));
        ASSERT_TRUE(write(config()).ok());
        std::string ours = slurp(conf);
        EXPECT_NE(ours.find("# Derived from /usr/share/containers/storage.conf"), std::string::npos) << ours;
        EXPECT_NE(ours.find("mountopt = \"nodev,metacopy=on\"\n"), std::string::npos) << ours;
        EXPECT_NE(ours.find("pull_options = { enable_partial_images = \"true\""), std::string::npos) << ours;

        // Ours is derived again when the setup changes: the LV now holds the store.
        ASSERT_TRUE(write(config(StorageDriver::overlay, "/var/lib/containers/lv")).ok());
        ours = slurp(conf);
        EXPECT_NE(ours.find("graphroot = \"/var/lib/containers/lv\"\n"), std::string::npos) << ours;
        EXPECT_NE(ours.find("mountopt = \"nodev,metacopy=on\"\n"), std::string::npos) << ours;
}

TEST_F(ContainersStorageConfFile, OursFromAnEarlierVersionIsDerivedAgain)
{
        put(source, "[storage]\ndriver = \"overlay\"\n[storage.options.overlay]\nmountopt = \"nodev\"\n");
        put(conf, std::string(steps::containers_storage_conf_marker) +
                          "\n# It is not rewritten while it exists: edit it freely.\n"
                          "[storage]\ndriver = \"overlay\"\n");
        ASSERT_TRUE(write(config()).ok());
        EXPECT_NE(slurp(conf).find("mountopt = \"nodev\""), std::string::npos) << slurp(conf);
}

TEST_F(ContainersStorageConfFile, TheAdminsFileIsKept)
{
        const std::string admins = "# mine\n[storage]\ndriver = \"overlay\"\ngraphroot = \"/srv/c\"\n";
        put(conf, admins);
        ASSERT_TRUE(write(config(StorageDriver::overlay2, "/var/lib/containers")).ok()); // a warning only
        EXPECT_EQ(slurp(conf), admins);

        const std::string no_driver = "[storage.options.overlay]\nmountopt = \"nodev\"\n";
        put(conf, no_driver);
        ASSERT_TRUE(write(config()).ok());
        EXPECT_EQ(slurp(conf), no_driver);
}

TEST_F(ContainersStorageConfFile, TheAdminsOtherDriverFailsAndIsKept)
{
        const std::string vfs = "[storage]\ndriver = \"vfs\"\n";
        put(conf, vfs);
        Result<void> r = write(config());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "Failed to use '/etc/containers/storage.conf': it names driver \"vfs\", "
                                     "not the \"overlay\" that STORAGE_DRIVER=overlay2 sets up; "
                                     "set driver = \"overlay\" in it, or remove it to have it written");
        EXPECT_EQ(slurp(conf), vfs);
}

TEST_F(ContainersStorageConfFile, BadFilesAreReportedAndLeftAsTheyAre)
{
        // Not TOML: the admin's file, then the source.
        put(conf, "[storage\n");
        Result<void> r = write(config());
        ASSERT_FALSE(r.ok());
        EXPECT_NE(r.error().message.find("Failed to read '/etc/containers/storage.conf': not valid TOML"),
                  std::string::npos)
                << r.error().message;
        EXPECT_EQ(slurp(conf), "[storage\n");
        fs::remove(conf);
        put(source, "driver = = 1\n");
        r = write(config());
        ASSERT_FALSE(r.ok());
        EXPECT_NE(r.error().message.find("Failed to read '/usr/share/containers/storage.conf': not valid TOML"),
                  std::string::npos)
                << r.error().message;
        expect_nothing_written();
        EXPECT_EQ(slurp(source), "driver = = 1\n");
        fs::remove(source);

        // A symlink, even to a file of ours: not followed, not replaced.
        put(host("/etc/containers/real.conf"), std::string(steps::containers_storage_conf_marker) + "\n");
        fs::create_symlink("real.conf", conf);
        r = write(config());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "Failed to read '" + conf.string() + "': it is a symbolic link");
        EXPECT_TRUE(fs::is_symlink(conf));
        EXPECT_EQ(slurp(host("/etc/containers/real.conf")), std::string(steps::containers_storage_conf_marker) + "\n");
        fs::remove(conf);

        // Not a regular file.
        fs::create_directories(conf);
        r = write(config());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().message, "Failed to read '" + conf.string() + "': Is a directory");
        EXPECT_TRUE(fs::is_directory(conf));
}

TEST_F(ContainersStorageConfFile, NothingForDevicemapperOrWhenOff)
{
        ASSERT_TRUE(write(config(StorageDriver::devicemapper)).ok());
        expect_nothing_written();
        Config off = config();
        off.containers_storage_conf = false;
        ASSERT_TRUE(write(off).ok());
        expect_nothing_written();
}

TEST_F(ContainersStorageConfFile, DryRunWritesNothing)
{
        testing::internal::CaptureStdout();
        Result<void> r = write(config(), RunMode::dry_run);
        std::string printed = testing::internal::GetCapturedStdout();
        ASSERT_TRUE(r.ok());
        expect_nothing_written();
        EXPECT_NE(printed.find("driver = \"overlay\""), std::string::npos) << printed;
}

TEST_F(Fakeroot, AutoExtendProfileFileIsWrittenWhenDifferentAndRemoved)
{
        Result<std::string> dir = steps::lvm_profile_dir();
        ASSERT_TRUE(dir.ok());
        EXPECT_EQ(*dir, "/etc/lvm/profile"); // no lvm.conf setting: no lvmconfig exec
        fs::create_directories(host("/etc/lvm/profile"));
        const fs::path file = host("/etc/lvm/profile/docker-vg--docker-pool-extend.profile");
        const Config config;
        StepContext context(config, RunMode::apply);

        ASSERT_TRUE(steps::write_autoextend_profile(context, *dir, "docker-vg", "docker-pool", 60, 20).ok());
        EXPECT_EQ(slurp(file),
                  "activation {\n\tthin_pool_autoextend_threshold=60\n\tthin_pool_autoextend_percent=20\n\n}\n");
        struct stat before, after;
        ASSERT_EQ(::stat(file.c_str(), &before), 0);
        ASSERT_TRUE(steps::write_autoextend_profile(context, *dir, "docker-vg", "docker-pool", 60, 20).ok());
        ASSERT_EQ(::stat(file.c_str(), &after), 0);
        EXPECT_EQ(before.st_ino, after.st_ino); // unchanged: not rewritten

        ASSERT_TRUE(steps::write_autoextend_profile(context, *dir, "docker-vg", "docker-pool", 80, 30).ok());
        EXPECT_NE(slurp(file).find("thin_pool_autoextend_threshold=80"), std::string::npos);

        ASSERT_TRUE(steps::remove_autoextend_profile(context, *dir, "docker-vg", "docker-pool").ok());
        EXPECT_FALSE(fs::exists(file));
        EXPECT_TRUE(steps::remove_autoextend_profile(context, *dir, "docker-vg", "docker-pool").ok()); // gone: fine
}

// css-mkfs for real on a loop device: /dev/<VG>/<LV> under CSS_ROOT is a symlink to it.
// Needs root and loop devices (skipped otherwise).
class MkfsOnLoop : public Fakeroot {
protected:
        void SetUp() override
        {
                Fakeroot::SetUp();
                image_ = fake_root + "/lv.img";
                fs::remove(image_);
                std::ofstream(image_).close();
                fs::resize_file(image_, 512ull << 20);
                process::Command c;
                c.argv = {"losetup", "-f", "--show", image_};
                Result<process::Outcome> o = process::run(c);
                if (!o || !o->success())
                        GTEST_SKIP() << "no loop device here";
                loop_ = o->out.substr(0, o->out.find('\n'));
                fs::create_directories(host("/dev/test-vg"));
                fs::create_symlink(loop_, host("/dev/test-vg/docker-root-lv"));
        }
        void TearDown() override
        {
                if (!loop_.empty()) {
                        process::Command c;
                        c.argv = {"losetup", "-d", loop_};
                        (void)process::run(c);
                }
                fs::remove_all(host("/dev"));
                fs::remove(image_);
        }
        static Config config()
        {
                Config c;
                c.storage_driver = StorageDriver::overlay2;
                c.vg = "test-vg";
                c.container_root_lv_name = "docker-root-lv";
                c.container_root_lv_mount_path = "/var/lib/docker";
                return c;
        }
        static int run_mkfs(RunMode mode = RunMode::apply)
        {
                Config c = config();
                StepContext context(c, mode);
                return steps::mkfs(context);
        }
        std::string tool(std::vector<std::string> argv)
        {
                process::Command c;
                c.argv = std::move(argv);
                Result<process::Outcome> o = process::run(c);
                return o && o->success() ? o->out : "";
        }
        std::string image_, loop_;
};

TEST_F(MkfsOnLoop, BlankGetsXfsWithFtypeOnceThenIsKept)
{
        ASSERT_EQ(run_mkfs(), 0);
        EXPECT_EQ(tool({"blkid", "-p", "-o", "value", "-s", "TYPE", loop_}), "xfs\n");
        EXPECT_NE(tool({"xfs_db", "-r", "-c", "version", loop_}).find("FTYPE"), std::string::npos);
        const std::string uuid = tool({"blkid", "-p", "-o", "value", "-s", "UUID", loop_});
        ASSERT_FALSE(uuid.empty());
        // Second run: the XFS is kept, not made again.
        ASSERT_EQ(run_mkfs(), 0);
        EXPECT_EQ(tool({"blkid", "-p", "-o", "value", "-s", "UUID", loop_}), uuid);
}

TEST_F(MkfsOnLoop, AnyOtherSignatureIsRefusedAndKept)
{
        (void)tool({"mkfs.ext4", "-q", "-F", "-L", "keep-me", loop_});
        ASSERT_EQ(tool({"blkid", "-p", "-o", "value", "-s", "TYPE", loop_}), "ext4\n");
        EXPECT_EQ(run_mkfs(), 1);
        EXPECT_EQ(tool({"blkid", "-p", "-o", "value", "-s", "LABEL", loop_}), "keep-me\n");
}

TEST_F(MkfsOnLoop, DryRunOnlyPrints)
{
        testing::internal::CaptureStdout();
        int rc = run_mkfs(RunMode::dry_run);
        std::string printed = testing::internal::GetCapturedStdout();
        EXPECT_EQ(rc, 0);
        EXPECT_NE(printed.find("would run: mkfs.xfs -n ftype=1 "), std::string::npos) << printed;
        EXPECT_EQ(tool({"blkid", "-p", "-o", "value", "-s", "TYPE", loop_}), "");
}

// css-prepare-disk's hand-off to css-vg: a record holds only while the partition carries the
// same PV label; another UUID, another signature or no record at all means "ask LVM".
TEST_F(Fakeroot, OrphanPvRecordFollowsThePvLabel)
{
        // libblkid's LVM2 prober wants a device of some size: 16 MiB, as in test_blkid_probe.
        auto label = [](char uuid_fill, bool md_too) {
                std::string bytes(16 << 20, '\0');
                std::vector<uint8_t> sector = css::test::lvm2_label_sector(uuid_fill);
                bytes.replace(512, sector.size(), std::string(sector.begin(), sector.end()));
                if (md_too) {
                        std::vector<uint8_t> md = css::test::md12_superblock();
                        bytes.replace(4096, md.size(), std::string(md.begin(), md.end()));
                }
                put(host("/dev/vdb1"), bytes);
        };
        fs::create_directories(host("/dev/disk/by-id"));
        fs::create_symlink("../../vdb1", host("/dev/disk/by-id/virtio-data-part1"));

        label('A', false);
        EXPECT_FALSE(steps::recorded_orphan_pv("/dev/vdb1"));
        steps::record_orphan_pv("/dev/vdb1");
        EXPECT_TRUE(steps::recorded_orphan_pv("/dev/vdb1"));
        EXPECT_TRUE(steps::recorded_orphan_pv("/dev/disk/by-id/virtio-data-part1"));
        EXPECT_EQ(slurp(host("/run/container-storage-setup/orphan-pv-vdb1")),
                  "AAAAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAAAA\n");

        label('B', false); // pvcreate again, by someone else: another UUID
        EXPECT_FALSE(steps::recorded_orphan_pv("/dev/vdb1"));
        label('A', true); // an md superblock too: not the PV that was recorded
        EXPECT_FALSE(steps::recorded_orphan_pv("/dev/vdb1"));
        label('A', false);
        EXPECT_TRUE(steps::recorded_orphan_pv("/dev/vdb1"));
        steps::forget_orphan_pv("/dev/disk/by-id/virtio-data-part1");
        EXPECT_FALSE(steps::recorded_orphan_pv("/dev/vdb1"));
        EXPECT_FALSE(fs::exists(host("/run/container-storage-setup/orphan-pv-vdb1")));

        put(host("/dev/vdc1"), std::string(16 << 20, '\0')); // no label: nothing recorded
        steps::record_orphan_pv("/dev/vdc1");
        EXPECT_FALSE(fs::exists(host("/run/container-storage-setup/orphan-pv-vdc1")));
        fs::remove_all(host("/dev"));
}

// --- docker's daemon.json and the pre-flight (issue 14) -----------------------------------------

namespace {

const std::string debian13_unit = "[Service]\nType=notify\nEnvironmentFile=-/etc/default/docker\n"
                                  "ExecStart=/usr/sbin/dockerd -H fd:// "
                                  "--containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n";

void fake_program(const std::string &path, const std::string &output)
{
        put(host(path), "#!/bin/sh\necho '" + output + "'\n");
        fs::permissions(host(path), fs::perms(0755));
}

int check(const Config &config, RunMode mode = RunMode::apply)
{
        StepContext context(config, mode);
        return steps::check_engine(context);
}

} // namespace

TEST_F(Fakeroot, CheckEngineAsksDockerForItsVersion)
{
        Config dm;
        fake_program("/usr/sbin/dockerd", "Docker version 26.1.5+dfsg1, build a72d7cd");
        EXPECT_EQ(check(dm), 1);
        EXPECT_EQ(check(overlay2()), 0);
        EXPECT_EQ(check(dm, RunMode::dry_run), 1); // only reads: a dry run decides the same
        fake_program("/usr/sbin/dockerd", "Docker version 20.10.24+dfsg1, build 297e128");
        EXPECT_EQ(check(dm), 0);
        fake_program("/usr/sbin/dockerd", "garbage");
        EXPECT_EQ(check(dm), 0);
        fs::remove(host("/usr/sbin/dockerd"));
        fake_program("/usr/bin/podman", "podman version 5.4.2");
        EXPECT_EQ(check(dm), 1);
        fake_program("/usr/bin/podman", "podman version 4.3.1");
        EXPECT_EQ(check(dm), 0);
}

TEST_F(Fakeroot, CheckEngineRunsNoEngineWhenTheDriverIsNotDevicemapper)
{
        // A dockerd that leaves a mark when run: only devicemapper depends on its version.
        put(host("/usr/sbin/dockerd"), "#!/bin/sh\ntouch '" + host("/run/dockerd-ran").string() +
                                               "'\necho 'Docker version 26.1.5+dfsg1, build a72d7cd'\n");
        fs::permissions(host("/usr/sbin/dockerd"), fs::perms(0755));
        EXPECT_EQ(check(overlay2()), 0);
        EXPECT_FALSE(fs::exists(host("/run/dockerd-ran")));
        EXPECT_EQ(check(Config{}), 1);
        EXPECT_TRUE(fs::exists(host("/run/dockerd-ran")));
}

// The record digests the whole configuration: an edit far into a long file is seen.
TEST_F(Fakeroot, ProvisionedRecordSeesAnEditPastTheFirstMebibyte)
{
        const std::string comments(3u << 20, '#');
        put(host("/etc/sysconfig/docker-storage-setup"), comments + "\nSTORAGE_DRIVER=overlay2\n");
        put(host("/etc/sysconfig/docker-storage"), "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
        std::optional<std::string> before = steps::provisioning_fingerprint(overlay2());
        ASSERT_TRUE(before);
        put(host("/etc/sysconfig/docker-storage-setup"), comments + "\nSTORAGE_DRIVER=overlay\n");
        std::optional<std::string> after = steps::provisioning_fingerprint(overlay2());
        ASSERT_TRUE(after);
        EXPECT_NE(*before, *after);
        // Past the size the settings reader accepts: no record can match.
        put(host("/etc/sysconfig/docker-storage-setup"), std::string(17u << 20, '#'));
        EXPECT_FALSE(steps::provisioning_fingerprint(overlay2()));
}

TEST_F(Fakeroot, CheckEngineRefusesABadDaemonJsonAndLeavesIt)
{
        put(host("/usr/lib/systemd/system/docker.service"), debian13_unit);
        const fs::path file = host("/etc/docker/daemon.json");
        EXPECT_EQ(check(overlay2()), 0); // no file yet: fine
        for (const std::string bad : {"{\"storage-driver\": \"devicemapper\"}\n", "not json\n", "[1]\n"}) {
                put(file, bad);
                EXPECT_EQ(check(overlay2()), 1) << bad;
                EXPECT_EQ(slurp(file), bad);
        }
        put(file, "{\"storage-driver\": \"overlay2\"}\n");
        EXPECT_EQ(check(overlay2()), 0);
        // The same key as a flag too (/etc/default/docker's DOCKER_OPTS): dockerd would refuse.
        put(host("/etc/default/docker"), "DOCKER_OPTS=\"-s overlay2\"\n");
        EXPECT_EQ(check(overlay2()), 1);
        fs::remove(file);
        EXPECT_EQ(check(overlay2()), 0);
        put(host("/etc/default/docker"), "DOCKER_OPTS=\"--storage-driver=vfs\"\n");
        EXPECT_EQ(check(overlay2()), 1);
        // Forced to sysconfig with a unit that does not read it: daemon.json is not looked at.
        Config c = overlay2();
        c.docker_storage_config = DockerStorageConfig::sysconfig;
        put(file, "not json\n");
        EXPECT_EQ(check(c), 0);
}

// EL7 semantics: the unit passes the sysconfig file's options as flags, so daemon.json must not
// set them too (dockerd refuses to start on a flag/file conflict).
TEST_F(Fakeroot, CheckEngineRefusesADaemonJsonThatRepeatsTheSysconfigFlags)
{
        put(host("/usr/lib/systemd/system/docker.service"),
            "[Service]\nEnvironmentFile=-/etc/sysconfig/docker-storage\n"
            "ExecStart=/usr/bin/dockerd $DOCKER_STORAGE_OPTIONS\n");
        const fs::path file = host("/etc/docker/daemon.json");
        EXPECT_EQ(check(overlay2()), 0); // no daemon.json
        put(file, "{\"log-level\": \"warn\"}\n");
        EXPECT_EQ(check(overlay2()), 0); // other keys are fine
        for (const std::string conflict : {"{\"storage-driver\": \"overlay2\"}\n", "{\"storage-opts\": []}\n"}) {
                put(file, conflict);
                EXPECT_EQ(check(overlay2()), 1) << conflict;
                EXPECT_EQ(slurp(file), conflict);
        }
        put(file, "not json\n"); // dockerd's to report
        EXPECT_EQ(check(overlay2()), 0);
        Config c = overlay2();
        c.docker_storage_config = DockerStorageConfig::daemon_json; // the admin's way out
        put(file, "{\"storage-driver\": \"overlay2\"}\n");
        EXPECT_EQ(check(c), 0);
}

TEST_F(Fakeroot, DaemonJsonIsMergedKeepingTheAdminsKeys)
{
        if (!overlay_works())
                GTEST_SKIP() << "cannot mount overlay here";
        put(host("/usr/lib/systemd/system/docker.service"), debian13_unit);
        const fs::path file = host("/etc/docker/daemon.json");
        put(file, "{\"log-driver\": \"journald\", \"dns\": [\"192.0.2.1\"]}\n");
        Config c = overlay2();
        c.extra_storage_options = "--storage-opt overlay2.override_kernel_check=true";
        ASSERT_EQ(write_config(c), 0);
        EXPECT_EQ(slurp(file), "{\n    \"dns\": [\n        \"192.0.2.1\"\n    ],\n    \"log-driver\": \"journald\",\n"
                               "    \"storage-driver\": \"overlay2\",\n    \"storage-opts\": [\n"
                               "        \"overlay2.override_kernel_check=true\"\n    ]\n}\n");
        EXPECT_FALSE(fs::exists(host("/etc/sysconfig/docker-storage")));
        std::optional<steps::DaemonJsonRecord> record = steps::read_daemon_json_record();
        ASSERT_TRUE(record);
        EXPECT_EQ(record->path, "/etc/docker/daemon.json");
        EXPECT_FALSE(record->created);
        EXPECT_EQ(record->keys.size(), 2u);

        // Again: nothing to write, same inode.
        struct stat before, after;
        ASSERT_EQ(::stat(file.c_str(), &before), 0);
        ASSERT_EQ(write_config(c), 0);
        ASSERT_EQ(::stat(file.c_str(), &after), 0);
        EXPECT_EQ(before.st_ino, after.st_ino);

        // The unit reading the sysconfig file (the VM's drop-in): the original's file.
        put(host("/etc/systemd/system/docker.service.d/docker-storage.conf"),
            "[Service]\nEnvironmentFile=-/etc/sysconfig/docker-storage\nExecStart=\n"
            "ExecStart=/usr/sbin/dockerd -H fd:// $DOCKER_STORAGE_OPTIONS\n");
        ASSERT_EQ(write_config(overlay2()), 0);
        EXPECT_EQ(slurp(host("/etc/sysconfig/docker-storage")),
                  "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
}

TEST_F(Fakeroot, DaemonJsonCreatedWithDataRoot)
{
        if (!overlay_works())
                GTEST_SKIP() << "cannot mount overlay here";
        put(host("/usr/lib/systemd/system/docker.service"), debian13_unit);
        Config c = overlay2();
        c.container_root_lv_name = "container-root-lv";
        c.container_root_lv_mount_path = "/srv/containers";
        ASSERT_EQ(write_config(c), 0);
        EXPECT_EQ(slurp(host("/etc/docker/daemon.json")),
                  "{\n    \"data-root\": \"/srv/containers\",\n    \"storage-driver\": \"overlay2\"\n}\n");
        EXPECT_TRUE(steps::read_daemon_json_record()->created);
}
