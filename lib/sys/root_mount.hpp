// SPDX-License-Identifier: Apache-2.0
#pragma once

// The filesystem mounted on "/", as /proc/self/mountinfo shows it (read with libmount, as
// systemd's fstab-generator does). One reading for the generator and the steps, so that they
// agree about the root's device and thus about the root VG.

#include "core/result.hpp"

#include <string>
#include <sys/types.h>

namespace css {

struct RootMount {
        dev_t devnum = 0;   // of the block device holding "/"
        std::string source; // the mount source as mountinfo gives it, e.g. /dev/mapper/atomicos-root
};

// The last "/" entry (a later mount covers an earlier one). btrfs, overlay and the like report
// an anonymous device (major 0): then the source, when it is a /dev path, tells the device.
// Errors: no mountinfo, no "/" entry, or a root that is not on a block device (tmpfs, a
// network filesystem). Reads through CSS_ROOT.
Result<RootMount> root_mount();

} // namespace css
