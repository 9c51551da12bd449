// SPDX-License-Identifier: Apache-2.0
#pragma once

// Kernel feature probes the original ran as shell pipelines (`unshare -m mount -t overlay ...`,
// and css-child-read-write over two FIFOs for deferred deletion). We run them in-process: a
// forked child in its own mount namespace, no exec, so nothing is left mounted on the host and
// no process is spawned from disk.

#include "core/result.hpp"

#include <string>

namespace css {

// Can the kernel mount overlay with two lower directories (what overlay2 needs)? The scratch
// directories are made under `scratch_dir` (the original used /run/container-storage-setup) and
// removed again.
Result<void> probe_overlay_mount(const std::string &scratch_dir);

// Can a directory that is a mount point in another mount namespace be removed from this one?
// That is what docker's dm.use_deferred_deletion relies on (kernel 3.15 and later). A child in a
// new mount namespace bind-mounts a temporary directory onto itself; the parent then tries rmdir.
bool deferred_deletion_supported(const std::string &scratch_dir);

} // namespace css
