// SPDX-License-Identifier: Apache-2.0
#pragma once

// Our extension CONTAINERS_STORAGE_CONF=true: the same storage choice for podman, CRI-O,
// buildah and skopeo, which read containers-storage.conf(5) (/etc/containers/storage.conf)
// instead of DOCKER_STORAGE_OPTIONS. Written only when that file does not exist (never
// rewritten: it is the admin's from then on), atomically.
//
//   overlay, overlay2  ->  [storage] driver = "overlay" (containers-storage has one overlay
//                          driver, the equivalent of docker's overlay2), with the default
//                          runroot and graphroot spelled out, since a storage.conf replaces
//                          the built-in file as a whole.
//   devicemapper       ->  nothing. containers-storage.conf(5) documents no key for an
//                          existing thin pool: [storage.options.thinpool] has only
//                          directlvm_device, a raw disk the driver partitions and turns into
//                          its own pool, which is not what we set up (and recent
//                          containers-storage has dropped the devicemapper driver). An INFO
//                          line says so.

#include "config/config.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace css::steps {

inline constexpr std::string_view containers_storage_conf_path = "/etc/containers/storage.conf";

// The first line of what we write: css-reset removes the file only when it starts with it.
inline constexpr std::string_view containers_storage_conf_marker =
        "# Written by container-storage-setup (CONTAINERS_STORAGE_CONF=true).";

// The file for this driver; nullopt when containers-storage cannot express it.
std::optional<std::string> containers_storage_conf(StorageDriver driver);

// Writes it when enabled, supported and missing.
Result<void> write_containers_storage_conf(const Config &config);

} // namespace css::steps
