// SPDX-License-Identifier: Apache-2.0
#pragma once

// Waiting for a device node after partitioning, without sleep loops.
//
// The original ran `udevadm settle` and then polled every 5 s for the node (#126, #124:
// pvcreate failed when it ran before udev had finished with the new partition). Here the
// wait is event driven: inotify on the node's directory (devtmpfs creates the node, udev the
// symlinks) and, when udevd is running, on /run/udev/data, where udev records a device once
// it has processed it ("b<major>:<minor>"). So the wait ends as soon as both are true, and
// it also works where no udevd runs (containers, early boot tests): then the node is enough.

#include "core/result.hpp"

#include <chrono>
#include <string_view>

namespace css::udev {

// udevd is running when its control socket exists.
bool udev_running();

// What is awaited: the node and, if udevd runs, udev's record of it; or the node alone, for a
// caller that keeps udev away from the device on purpose (it holds the disk's flock, so udev
// puts the device's events back in its queue until the lock is gone). The kernel creates a
// partition's node in devtmpfs before BLKRRPART or BLKPG returns.
enum class WaitFor { node_and_udev, node };

// Waits until `devnode` (e.g. /dev/vdb1, or a /dev/disk/by-* symlink) is a block device and,
// with node_and_udev and udevd running, udev's database has an entry for it. timeout 0
// checks once. Fails with ETIMEDOUT: "Timed out after <N> ms waiting for '<devnode>'" (plus
// what was missing).
Result<void> wait_for_device(std::string_view devnode, std::chrono::milliseconds timeout,
                             WaitFor what = WaitFor::node_and_udev);

} // namespace css::udev
