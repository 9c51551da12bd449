// SPDX-License-Identifier: Apache-2.0
#include "sys/lock.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "sys/atomic_file.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace css {

FileLock::FileLock(FileLock &&other) noexcept : fd_(other.fd_), path_(std::move(other.path_))
{
        other.fd_ = -1;
}

FileLock &FileLock::operator=(FileLock &&other) noexcept
{
        if (this != &other) {
                release();
                fd_ = other.fd_;
                path_ = std::move(other.path_);
                other.fd_ = -1;
        }
        return *this;
}

FileLock::~FileLock()
{
        release();
}

void FileLock::release()
{
        if (fd_ >= 0)
                ::close(fd_);
        fd_ = -1;
}

namespace {

// The lock's directory, made (mode 0700) when missing and opened without following a link. It
// must be ours (root's, at boot) and writable by nobody else: whoever could create or replace
// entries in it could hold the lock forever, or make us create a file wherever a link points.
Result<int> open_private_directory(const std::string &dir)
{
        size_t slash = dir.rfind('/');
        if (slash != std::string::npos && slash > 0)
                if (Result<void> r = make_directories(dir.substr(0, slash)); !r)
                        return r.error();
        if (::mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST)
                return make_errno_error(errno, "Failed to create directory '" + dir + "'");
        int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                const int e = errno;
                if (e == ELOOP || e == ENOTDIR)
                        return Error{"Refusing the lock directory '" + dir + "': a symbolic link or not a directory",
                                     ENOTDIR};
                return make_errno_error(e, "Failed to open the lock directory '" + dir + "'");
        }
        struct stat st {};
        std::string why;
        if (::fstat(fd, &st) < 0)
                why = std::string(": ") + std::strerror(errno);
        else if (st.st_uid != ::geteuid())
                why = ": owned by uid " + std::to_string(st.st_uid) + ", not " + std::to_string(::geteuid());
        else if (st.st_mode & (S_IWGRP | S_IWOTH))
                why = ": writable by other users";
        if (!why.empty()) {
                ::close(fd);
                return Error{"Refusing the lock directory '" + dir + "'" + why, EPERM};
        }
        return fd;
}

// Non-blocking attempts, one per interval, so the wait is bounded and visible in the log.
Result<FileLock> acquire(int fd, const std::string &path, const LockWait &wait)
{
        const auto deadline = std::chrono::steady_clock::now() + wait.timeout;
        std::optional<std::chrono::steady_clock::time_point> logged;
        for (;;) {
                if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
                        return FileLock(fd, path);
                if (errno == EINTR)
                        continue;
                if (errno != EWOULDBLOCK) {
                        int e = errno;
                        ::close(fd);
                        return make_errno_error(e, "Failed to lock '" + path + "'");
                }
                // One try at the start and one per interval up to and including the deadline,
                // as the original did (N "Waiting" lines, then the error after N seconds).
                const auto now = std::chrono::steady_clock::now();
                if (now >= deadline)
                        break;
                if (!logged || now - *logged >= std::chrono::milliseconds(950)) {
                        log::info("Waiting to acquire lock " + path);
                        logged = now;
                }
                std::this_thread::sleep_for(
                        std::min<std::chrono::steady_clock::duration>(wait.interval, deadline - now));
        }
        ::close(fd);
        return Error{"Timed out while waiting to acquire lock " + path, ETIMEDOUT};
}

} // namespace

Result<FileLock> lock_file(const std::string &path, const LockWait &wait)
{
        const size_t slash = path.rfind('/');
        Result<int> dir = open_private_directory(slash == 0 ? "/" : path.substr(0, slash));
        if (!dir)
                return dir.error();
        int fd = ::openat(*dir, path.c_str() + slash + 1, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        const int e = errno;
        ::close(*dir);
        if (fd < 0)
                return make_errno_error(e, "Failed to open lock file '" + path + "'");
        struct stat st {};
        if (::fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
                ::close(fd);
                return Error{"Refusing the lock file '" + path + "': not a regular file of ours", EPERM};
        }
        return acquire(fd, path, wait);
}

Result<FileLock> lock_block_device(const std::string &device, const LockWait &wait)
{
        // O_NONBLOCK: do not wait for media on removable devices; we only need an fd to lock.
        int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return make_errno_error(errno, "Failed to open '" + device + "'");
        struct stat st {};
        if (::fstat(fd, &st) < 0) {
                int e = errno;
                ::close(fd);
                return make_errno_error(e, "Failed to stat '" + device + "'");
        }
        if (!S_ISBLK(st.st_mode)) {
                ::close(fd);
                return Error{"Failed to lock '" + device + "': not a block device", ENOTBLK};
        }
        return acquire(fd, device, wait);
}

Result<FileLock> take_global_lock(std::chrono::seconds timeout)
{
        LockWait wait;
        wait.timeout = timeout;
        if (const char *s = std::getenv("CSS_LOCK_TIMEOUT"); s && *s) {
                unsigned seconds = 0;
                std::string_view v(s);
                auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
                if (ec != std::errc() || end != v.data() + v.size())
                        return Error{"Invalid CSS_LOCK_TIMEOUT '" + std::string(v) + "': not a number of seconds",
                                     EINVAL};
                wait.timeout = std::chrono::seconds(seconds);
        }
        return lock_file(paths::host_path(paths::lock_file), wait);
}

} // namespace css
