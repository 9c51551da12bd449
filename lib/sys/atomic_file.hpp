// SPDX-License-Identifier: Apache-2.0
#pragma once

// All-or-nothing file writes: readers see the old file or the new one, never a part, and a
// crash leaves no half-written target. The content goes to a temp file in the same directory
// (so the rename stays on one filesystem), is fchmod'ed, written, fsync'ed, renamed over the
// target, and the directory is fsync'ed so the rename itself is durable. Temp files of this
// target left by an earlier write that a power cut stopped before its rename are removed first.
//
// A dry run does not call it: StepContext::write_file prints what would be written.

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <sys/types.h>

namespace css {

struct AtomicWriteOptions {
        mode_t mode = 0644;
        // Fail with EEXIST if the target exists, decided atomically by the kernel
        // (renameat2 RENAME_NOREPLACE, or link() where the filesystem lacks it).
        bool no_replace = false;
};

Result<void> write_file_atomic(const std::string &path, std::string_view content,
                               const AtomicWriteOptions &options = {});

// `mkdir -p DIR` (each missing component with mode 0755): the parent directories of the files
// and locks this project writes.
Result<void> make_directories(const std::string &dir);

// fsync(2) of a directory, so that a rename or unlink in it survives a power cut.
Result<void> sync_directory(const std::string &dir);

} // namespace css
