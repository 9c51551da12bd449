// SPDX-License-Identifier: Apache-2.0
// flock(2) locks contended by a second open file description and by a second process.

#include "sys/lock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace css;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

class Lock : public ::testing::Test {
protected:
        void SetUp() override
        {
                std::string t = ::testing::TempDir() + "css-lock-XXXXXX";
                ASSERT_NE(::mkdtemp(t.data()), nullptr);
                dir = t;
        }
        void TearDown() override { fs::remove_all(dir); }
        std::string dir;
};

// Another process holds an exclusive flock on `path` until release() closes our end of a pipe.
struct Holder {
        pid_t pid = -1;
        int release_w = -1;

        explicit Holder(const std::string &path)
        {
                int ready[2], release[2];
                EXPECT_EQ(::pipe(ready), 0);
                EXPECT_EQ(::pipe(release), 0);
                pid = ::fork();
                if (pid == 0) {
                        // Only EOF on `release` (our end closed) lets this child go.
                        ::close(release[1]);
                        ::close(ready[0]);
                        int fd = ::open(path.c_str(), O_RDONLY | O_CREAT, 0600);
                        if (fd < 0 || ::flock(fd, LOCK_EX) < 0)
                                ::_exit(1);
                        char c = 1;
                        (void)!::write(ready[1], &c, 1);
                        (void)!::read(release[0], &c, 1);
                        ::_exit(0);
                }
                ::close(ready[1]);
                ::close(release[0]);
                char c;
                EXPECT_EQ(::read(ready[0], &c, 1), 1);
                ::close(ready[0]);
                release_w = release[1];
        }
        ~Holder() { release(); }
        void release()
        {
                if (pid < 0)
                        return;
                ::close(release_w);
                int status;
                ::waitpid(pid, &status, 0);
                pid = -1;
        }
};

} // namespace

TEST_F(Lock, CreatesParentsAndLocks)
{
        std::string p = dir + "/run/container-storage-setup/lock";
        Result<FileLock> l = lock_file(p);
        ASSERT_TRUE(l) << l.error().message;
        EXPECT_TRUE(l->held());
        EXPECT_TRUE(fs::exists(p));
        // The fd must not leak into programs we run.
        EXPECT_TRUE(::fcntl(l->fd(), F_GETFD) & FD_CLOEXEC);
}

// Whoever can write the lock's directory could hold the lock or plant a link: refused, and
// nothing is created through a link.
TEST_F(Lock, RefusesDirectoriesAndFilesThatAreNotPrivate)
{
        fs::create_directories(dir + "/elsewhere");
        fs::create_directory_symlink(dir + "/elsewhere", dir + "/linked");
        Result<FileLock> l = lock_file(dir + "/linked/lock");
        ASSERT_FALSE(l);
        EXPECT_EQ(l.error().message,
                  "Refusing the lock directory '" + dir + "/linked': a symbolic link or not a directory");
        EXPECT_FALSE(fs::exists(dir + "/elsewhere/lock"));

        fs::create_directories(dir + "/open");
        fs::permissions(dir + "/open", fs::perms(0777));
        l = lock_file(dir + "/open/lock");
        ASSERT_FALSE(l);
        EXPECT_EQ(l.error().message, "Refusing the lock directory '" + dir + "/open': writable by other users");
        EXPECT_FALSE(fs::exists(dir + "/open/lock"));

        fs::create_directories(dir + "/private");
        fs::permissions(dir + "/private", fs::perms(0700));
        fs::create_symlink(dir + "/planted", dir + "/private/lock");
        l = lock_file(dir + "/private/lock");
        ASSERT_FALSE(l);
        EXPECT_FALSE(fs::exists(dir + "/planted"));

        if (::geteuid() == 0) {
                fs::create_directories(dir + "/theirs");
                ASSERT_EQ(::chown((dir + "/theirs").c_str(), 65534, 65534), 0);
                l = lock_file(dir + "/theirs/lock");
                ASSERT_FALSE(l);
                EXPECT_EQ(l.error().message,
                          "Refusing the lock directory '" + dir + "/theirs': owned by uid 65534, not 0");
        }
}

TEST_F(Lock, SecondOpenFileDescriptionIsExcludedUntilRelease)
{
        std::string p = dir + "/lock";
        Result<FileLock> first = lock_file(p);
        ASSERT_TRUE(first);
        Result<FileLock> second = lock_file(p, {0ms, 10ms});
        ASSERT_FALSE(second);
        EXPECT_EQ(second.error().message, "Timed out while waiting to acquire lock " + p);
        EXPECT_EQ(second.error().errno_value, ETIMEDOUT);
        first->release();
        Result<FileLock> third = lock_file(p, {0ms, 10ms});
        EXPECT_TRUE(third);
}

TEST_F(Lock, RaiiReleasesOnDestruction)
{
        std::string p = dir + "/lock";
        {
                Result<FileLock> l = lock_file(p);
                ASSERT_TRUE(l);
        }
        EXPECT_TRUE(lock_file(p, {0ms, 10ms}));
}

TEST_F(Lock, WaitsWithLoggingAndTimesOutAgainstAnotherProcess)
{
        std::string p = dir + "/lock";
        Holder holder(p);
        ::testing::internal::CaptureStderr();
        auto start = std::chrono::steady_clock::now();
        Result<FileLock> l = lock_file(p, {300ms, 100ms});
        auto took = std::chrono::steady_clock::now() - start;
        std::string logged = ::testing::internal::GetCapturedStderr();
        ASSERT_FALSE(l);
        EXPECT_EQ(l.error().message, "Timed out while waiting to acquire lock " + p);
        // Tries at 0, 100, 200 and 300 ms, the error no earlier than the timeout, and one
        // "Waiting" line: they are logged at most once a second (with the original's 1 s
        // interval that is one a try).
        EXPECT_GE(took, 300ms);
        EXPECT_LT(took, 3s);
        size_t waits = 0;
        for (size_t pos = 0; (pos = logged.find("Waiting to acquire lock " + p, pos)) != std::string::npos; pos++)
                waits++;
        EXPECT_EQ(waits, 1u) << logged;
}

TEST_F(Lock, WaitingLoopAcquiresWhenReleasedMidway)
{
        std::string p = dir + "/lock";
        Result<FileLock> held = lock_file(p);
        ASSERT_TRUE(held);
        // A child process waits for the lock while we still hold it, then we let go.
        pid_t pid = ::fork();
        if (pid == 0) {
                // Our copy of the parent's fd shares its lock; closing it must not unlock
                // (release() closes, it does not LOCK_UN), so the wait below is real.
                held->release();
                Result<FileLock> l = lock_file(p, {5s, 50ms});
                ::_exit(l ? 0 : 1);
        }
        ::usleep(300 * 1000);
        held->release();
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(Lock, BlockDeviceLockRefusesNonBlockDevices)
{
        std::string p = dir + "/regular";
        ASSERT_TRUE(lock_file(p)); // creates it
        Result<FileLock> l = lock_block_device(p);
        ASSERT_FALSE(l);
        EXPECT_EQ(l.error().errno_value, ENOTBLK);
        Result<FileLock> missing = lock_block_device(dir + "/nope");
        ASSERT_FALSE(missing);
        EXPECT_EQ(missing.error().errno_value, ENOENT);
}

TEST_F(Lock, BlockDeviceLockIsExclusive)
{
        // A loop device node, if this machine has one; the lock itself needs no attached file.
        std::string dev;
        for (int i = 0; i < 8 && dev.empty(); i++) {
                std::string candidate = "/dev/loop" + std::to_string(i);
                struct stat st {};
                if (::stat(candidate.c_str(), &st) == 0 && S_ISBLK(st.st_mode) &&
                    ::access(candidate.c_str(), R_OK) == 0)
                        dev = candidate;
        }
        if (dev.empty())
                GTEST_SKIP() << "no readable block device node";
        Result<FileLock> first = lock_block_device(dev, {0ms, 10ms});
        ASSERT_TRUE(first) << first.error().message;
        // What udev does before probing: a shared non-blocking flock, which must fail now.
        int udev_fd = ::open(dev.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        ASSERT_GE(udev_fd, 0);
        EXPECT_EQ(::flock(udev_fd, LOCK_SH | LOCK_NB), -1);
        EXPECT_EQ(errno, EWOULDBLOCK);
        Result<FileLock> second = lock_block_device(dev, {0ms, 10ms});
        EXPECT_FALSE(second);
        first->release();
        EXPECT_EQ(::flock(udev_fd, LOCK_SH | LOCK_NB), 0);
        ::close(udev_fd);
}
