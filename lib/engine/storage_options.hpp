// SPDX-License-Identifier: Apache-2.0
#pragma once

// The container engine's storage options: what goes into /etc/sysconfig/docker-storage, byte for
// byte as the original wrote it (upstream-reference §2.8), and how an existing file is read back
// (§2.1 step 4, §2.9).

#include "config/config.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace css {

struct StorageOptionsInput {
        StorageDriver driver = StorageDriver::none;
        std::string extra_storage_options;
        std::string thinpool_device;    // devicemapper: "/dev/mapper/<kernel dm name>"
        bool deferred_removal = false;  // the engine supports dm.use_deferred_removal
        bool deferred_deletion = false; // the engine and the kernel support dm.use_deferred_deletion
        std::string variable_name = "DOCKER_STORAGE_OPTIONS"; // "STORAGE_OPTIONS" in named mode
};

// The whole file, including its final newline. For StorageDriver::none the original only
// touched the file, so the content is empty.
//
// The original built the devicemapper line with an unquoted `echo $storage_options`, so every
// run of blanks collapses to one space; the overlay line was a quoted echo and keeps
// EXTRA_STORAGE_OPTIONS as written. Both end in one space before the closing quote when
// EXTRA_STORAGE_OPTIONS is empty. We reproduce both exactly.
std::string storage_options_file(const StorageOptionsInput &input);

// True when some whitespace-separated word of `extra` contains "dm.fs=" (then the default
// "--storage-opt dm.fs=xfs" is left out).
bool extra_options_have_dm_fs(std::string_view extra);

// The value of the first `<variable_name>=` line of an existing file, with leading blanks and
// surrounding double quotes removed, as the original's get_current_storage_options read it.
// nullopt when the file has no such line.
std::optional<std::string> current_storage_options(std::string_view file_content,
                                                   std::string_view variable_name = "DOCKER_STORAGE_OPTIONS");

// The driver named in existing options: `--storage-driver X`, else `-s X`, else devicemapper if
// dm.thinpooldev= appears. Error "Failed to determine existing storage driver." otherwise.
Result<std::string> existing_storage_driver(std::string_view options);

// The value of the first dm.thinpooldev=VALUE word, if any.
std::optional<std::string> configured_thinpool(std::string_view options);

// The original refused old-mode options (dm.datadev / dm.metadatadev).
bool uses_old_data_meta_mode(std::string_view options);

// Whether `thinpool_device` looks like a pool that container-storage-setup created for `pool_lv`:
// /dev/mapper/*<pool_lv with each '-' doubled> (upstream-reference §2.5).
bool thinpool_managed_by_us(std::string_view thinpool_device, std::string_view pool_lv);

} // namespace css
