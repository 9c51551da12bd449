// SPDX-License-Identifier: Apache-2.0
#pragma once

// Our extension CONTAINERS_STORAGE_CONF=true: the same storage choice for podman, CRI-O,
// buildah and skopeo, which read containers-storage.conf(5) instead of DOCKER_STORAGE_OPTIONS.
//
// containers-storage reads ONE file, the first that exists of /etc/containers/storage.conf and
// /usr/share/containers/storage.conf (nothing is merged; $CONTAINERS_STORAGE_CONF is not set at
// boot), else its built-in defaults. So /etc/containers/storage.conf is DERIVED from what would
// be read without it, and changes only what the setup decides:
//
//   source   /usr/share/containers/storage.conf when it exists (Fedora's long file: its
//            additionalimagestores, pull_options, overlay mountopt... are kept), else the
//            built-in defaults spelled out (driver "overlay", runroot /run/containers/storage,
//            graphroot /var/lib/containers/storage; Debian ships no file).
//   driver   "overlay" for overlay and overlay2 (containers-storage has one overlay driver, the
//            equivalent of docker's overlay2). devicemapper: nothing is written, an INFO line
//            says why: containers-storage.conf(5) has no key for an existing thin pool
//            ([storage.options.thinpool] directlvm_device is a raw disk the driver turns into its
//            own pool) and containers-storage 1.54 removed the driver.
//   graphroot  only when the container root LV is mounted at /var/lib/containers or below
//            (graphroot_on_lv): the store goes on the LV.
//
// Ours (first line is the marker) is derived again from the source at each run and replaced
// only when the content differs. A file without the marker is the admin's and never touched:
// an INFO line names its driver and graphroot, and a driver other than "overlay" with
// STORAGE_DRIVER overlay/overlay2 is an error (podman would not use the storage we set up).
// Bad input (a symlink, not a regular file, unreadable, not TOML) is an error and nothing is
// written.

#include "config/config.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace css {
class StepContext;
}

namespace css::steps {

inline constexpr std::string_view containers_storage_conf_path = "/etc/containers/storage.conf";
inline constexpr std::string_view containers_storage_conf_source = "/usr/share/containers/storage.conf";

// The first line of what we write: css-reset removes the file only when it starts with it, and
// only such a file is rewritten.
inline constexpr std::string_view containers_storage_conf_marker =
        "# Written by container-storage-setup (CONTAINERS_STORAGE_CONF=true).";

bool is_ours(std::string_view content);

// The graphroot for a container root LV mounted at `mount_path` ("" when none), given the
// source's graphroot; nullopt keeps the source's:
//   mount path not /var/lib/containers nor below   kept (the LV is another engine's)
//   source graphroot is the mount path or below   kept (already on the LV)
//   mount path /var/lib/containers                 /var/lib/containers/storage (the standard
//                                                  graphroot, which then is on the LV)
//   mount path below /var/lib/containers           the mount path itself
std::optional<std::string> graphroot_on_lv(std::string_view graphroot, std::string_view mount_path);

// The file podman would read if ours were not there.
struct ContainersStorageSource {
        std::string path; // "" for containers-storage's built-in defaults
        std::string text;
};

// Our file: the marker, a header naming the source and what changed, then the source with
// driver "overlay" and graphroot_on_lv applied. Error when the source is not valid TOML.
Result<std::string> containers_storage_conf(const ContainersStorageSource &source, std::string_view mount_path);

// Writes /etc/containers/storage.conf when enabled, for overlay/overlay2, when it is missing or
// ours and out of date.
Result<void> write_containers_storage_conf(StepContext &context);

} // namespace css::steps
