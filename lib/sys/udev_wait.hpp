// SPDX-License-Identifier: Apache-2.0
#pragma once

// Waiting for a device node after partitioning, without sleep loops.
//
// The original ran `udevadm settle` and then polled every 5 s for the node (#126, #124:
// pvcreate failed when it ran before udev had finished with the new partition). Here the
// wait is for the node alone, event driven: inotify on the node's directory (devtmpfs creates
// the node, udev the symlinks). It does not wait for udev, on purpose: css-prepare-disk holds
// the disk's flock until pvcreate is done, so udev puts the partition's events back in its
// queue and probes it once, as a PV, afterwards; that, not a wait, keeps pvcreate from racing
// udev's probe. So nothing here reads udev's database, and it works where no udevd runs.

#include "core/result.hpp"

#include <chrono>
#include <string_view>

namespace css::udev {

// Waits until `devnode` (e.g. /dev/vdb1, or a /dev/disk/by-* symlink) is a block device.
// timeout 0 checks once. Fails with ETIMEDOUT: "Timed out after <N> ms waiting for
// '<devnode>': " and what was missing.
Result<void> wait_for_device(std::string_view devnode, std::chrono::milliseconds timeout);

} // namespace css::udev
