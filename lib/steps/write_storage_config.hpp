// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-write-storage-config: /etc/sysconfig/docker-storage, byte for byte as the original wrote
// it (lib/engine/storage_options), and with CONTAINERS_STORAGE_CONF=true also
// /etc/containers/storage.conf (containers_storage_conf.hpp).
//
//   * An existing file is never rewritten (§2.9): the same driver is nothing to do; another
//     driver is the original's INFO line and exit 0 (#267); old-mode dm.datadev is its fatal
//     message; options that name no driver are "Failed to determine existing storage driver."
//   * Empty STORAGE_DRIVER: "STORAGE_DRIVER not set, no storage will be configured..." and, as
//     the compat mode did, no file.
//   * devicemapper: dm.thinpooldev=/dev/mapper/<the pool's kernel dm name> (libdevmapper by the
//     LV's major:minor; computed from VG/LV when the pool is not active). The deferred options
//     need a docker engine: the original ran `docker version` (a slow exec, and docker may not
//     even be startable yet at boot); every docker a supported distribution packages is >= 1.9,
//     so an installed docker/dockerd binary means both are supported by the engine, and deferred
//     deletion also needs the kernel probe (lib/engine/kernel_probes). No docker: neither
//     option, as the original.
//   * overlay/overlay2: the kernel must mount overlay with two lower dirs, and the filesystem
//     that will hold the engine's data must not be XFS with ftype=0. Checked BEFORE writing
//     (the original wrote first) and on the real target: CONTAINER_ROOT_LV_MOUNT_PATH when set,
//     else /var/lib/docker (#280: the original looked at /var).
//   * A pool that existed before this boot with no output file: "<outfile> file is missing.
//     Recreating it." (css-thinpool leaves a note in /run when it creates the pool).

#include "config/config.hpp"
#include "core/result.hpp"
#include "engine/storage_options.hpp"
#include "steps/output_file.hpp"
#include "steps/step_context.hpp"
#include "sys/xfs.hpp"

#include <string>
#include <string_view>

namespace css::steps {

struct ExistingFileDecision {
        enum class Action { write, keep, fail } action = Action::write;
        std::string message; // keep: INFO line ("" for a silent keep); fail: the error
};
ExistingFileDecision decide_existing_file(const Config &config, const OutputFile &file);

// The overlay checks on their facts. `ftype` is for `target_dir`.
Result<void> check_overlay_target(StorageDriver driver, const Result<void> &overlay_mount, xfs::Ftype ftype,
                                  std::string_view target_dir);

// The directory whose filesystem overlay will use: the mount path of the container root LV,
// else /var/lib/docker.
std::string overlay_target_dir(const Config &config);

StorageOptionsInput storage_options_input(const Config &config, std::string thinpool_device, bool docker_installed,
                                          bool deferred_deletion_supported);

// /usr/bin/dockerd, /usr/sbin/dockerd or /usr/bin/docker exists (under CSS_ROOT).
bool docker_installed();

int write_storage_config(StepContext &context);

} // namespace css::steps
