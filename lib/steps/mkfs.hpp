// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-mkfs: XFS on the container root LV, the systemd-makefs way: lock the device, probe it
// with libblkid, and run `mkfs.xfs -n ftype=1 /dev/VG/LV` only when NO signature at all is
// found. An XFS already there is kept (nothing to do); anything else is refused and left
// untouched. `-n ftype=1` because overlay2 needs d_type (#194: the original relied on the
// xfsprogs default).

#include "core/result.hpp"
#include "steps/step_context.hpp"
#include "sys/blkid_probe.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css::steps {

struct MkfsDecision {
        enum class Action { make_filesystem, keep, refuse } action = Action::make_filesystem;
        std::string message; // keep: info line; refuse: the error
};

MkfsDecision decide_mkfs(std::string_view device, const std::vector<blkid::Signature> &signatures);

std::vector<std::string> mkfs_xfs_argv(std::string_view device);

int mkfs(StepContext &context);

} // namespace css::steps
