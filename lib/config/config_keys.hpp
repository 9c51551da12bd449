// SPDX-License-Identifier: Apache-2.0
#pragma once

// The keys the configuration understands, in the fixed order `check` prints them, and the
// built-in defaults. The built-in defaults are what data/container-storage-setup.conf holds
// (a unit test parses that file and compares); they apply when the file is not installed,
// so everything also works from the build tree.

#include <array>
#include <string_view>
#include <utility>

namespace css {

inline constexpr std::array<std::string_view, 27> config_keys = {
        "STORAGE_DRIVER",
        "EXTRA_STORAGE_OPTIONS",
        "DEVS",
        "VG",
        "ROOT_SIZE",
        "DATA_SIZE",
        "MIN_DATA_SIZE",
        "POOL_META_SIZE",
        "CHUNK_SIZE",
        "STRIPES",
        "STRIPE_SIZE",
        "GROWPART",
        "AUTO_EXTEND_POOL",
        "POOL_AUTOEXTEND_THRESHOLD",
        "POOL_AUTOEXTEND_PERCENT",
        "DEVICE_WAIT_TIMEOUT",
        "WIPE_SIGNATURES",
        "EPHEMERAL_STORAGE",
        "GROW_DEVS",
        "CONTAINER_THINPOOL",
        "CONTAINER_ROOT_LV_NAME",
        "CONTAINER_ROOT_LV_MOUNT_PATH",
        "CONTAINER_ROOT_LV_SIZE",
        "DOCKER_ROOT_VOLUME",
        "DOCKER_ROOT_VOLUME_SIZE",
        "CONTAINERS_STORAGE_CONF",
        "DOCKER_STORAGE_CONFIG",
};

// Accepted but not printed: folded into EXTRA_STORAGE_OPTIONS.
inline constexpr std::string_view deprecated_extra_key = "EXTRA_DOCKER_STORAGE_OPTIONS";

using KeyValue = std::pair<std::string_view, std::string_view>;

// What data/container-storage-setup.conf assigns, in that file's order. DOCKER_STORAGE_CONFIG
// is not there: its default (auto) is the empty value's meaning, and a changed defaults file
// would make every provisioned host run its steps again.
inline constexpr std::array<KeyValue, 13> builtin_defaults = {{
        {"STORAGE_DRIVER", "devicemapper"},
        {"EXTRA_STORAGE_OPTIONS", ""},
        {"DATA_SIZE", "40%FREE"},
        {"MIN_DATA_SIZE", "2G"},
        {"CHUNK_SIZE", "512K"},
        {"GROWPART", "false"},
        {"AUTO_EXTEND_POOL", "yes"},
        {"POOL_AUTOEXTEND_THRESHOLD", "60"},
        {"POOL_AUTOEXTEND_PERCENT", "20"},
        {"DEVICE_WAIT_TIMEOUT", "60"},
        {"WIPE_SIGNATURES", "false"},
        {"CONTAINER_ROOT_LV_SIZE", "40%FREE"},
        {"CONTAINERS_STORAGE_CONF", "false"},
}};

// Set by the original script itself before it read any file, so they hold even with an old
// defaults file that does not mention them.
inline constexpr std::array<KeyValue, 1> script_defaults = {{
        {"DOCKER_ROOT_VOLUME_SIZE", "40%FREE"},
}};

// The compat-mode preset, applied after the defaults and before the admin's file.
inline constexpr KeyValue compat_preset = {"CONTAINER_THINPOOL", "docker-pool"};

bool is_known_key(std::string_view key);

} // namespace css
