// SPDX-License-Identifier: Apache-2.0
#pragma once

// flock(2)-based locks, released when the FileLock is destroyed (the fd is closed).
//
// lock_file(): the CLI's global lock (paths::lock_file). Like the original, it tries once
// per interval, logging "Waiting to acquire lock <path>" at info level after a failed try (at
// most once a second),
// and gives up with "Timed out while waiting to acquire lock <path>".
//
// lock_block_device(): an exclusive lock on a whole-disk node while we repartition or wipe
// it. udev takes a shared flock (LOCK_SH|LOCK_NB) before probing and skips the device while
// someone holds it exclusively, so it will not race us with half-written partition tables.

#include "core/result.hpp"

#include <chrono>
#include <string>

namespace css {

class FileLock {
public:
        FileLock() = default;
        explicit FileLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
        FileLock(FileLock &&other) noexcept;
        FileLock &operator=(FileLock &&other) noexcept;
        FileLock(const FileLock &) = delete;
        FileLock &operator=(const FileLock &) = delete;
        ~FileLock();

        bool held() const { return fd_ >= 0; }
        int fd() const { return fd_; }
        const std::string &path() const { return path_; }
        void release();

private:
        int fd_ = -1;
        std::string path_;
};

struct LockWait {
        std::chrono::milliseconds timeout{std::chrono::seconds(60)}; // 0: try once
        std::chrono::milliseconds interval{std::chrono::seconds(1)};
};

// Creates the parent directories (0755, the last one 0700) and the file (0600) when missing.
// Refuses a directory or file that is not this user's, a directory others may write to, and a
// symbolic link at either place.
Result<FileLock> lock_file(const std::string &path, const LockWait &wait = {});

// The global lock, /run/container-storage-setup/lock under CSS_ROOT (not /var/lock, which is
// world-writable /run/lock, where anyone could make the directory first): taken by every CLI
// command that changes or reads saved state and by every boot-time helper, so a by-hand run
// and a boot step never interleave. The original tried once a second for 60 s, logging
// "Waiting to acquire lock ..." (§2.10); so do we. CSS_LOCK_TIMEOUT=<seconds> overrides the
// timeout. Boot helpers wait longer (boot_lock_timeout): every css-prepare-disk@ instance
// queues on this lock, and 60 s is not enough for a few dozen disks on slow hardware.
inline constexpr std::chrono::seconds cli_lock_timeout{60};
inline constexpr std::chrono::seconds boot_lock_timeout{600};
Result<FileLock> take_global_lock(std::chrono::seconds timeout = cli_lock_timeout);

// `device` must be a block device node; pass the whole disk, not a partition. udev holds its
// shared lock only while it probes, so tries are frequent: a long interval would cost
// css-prepare-disk most of it at every new partition table (docs/measurements.md).
inline constexpr LockWait device_lock_wait{std::chrono::seconds(60), std::chrono::milliseconds(50)};
Result<FileLock> lock_block_device(const std::string &device, const LockWait &wait = device_lock_wait);

} // namespace css
