// SPDX-License-Identifier: Apache-2.0
#pragma once

// The mount of the container root LV when the steps run by hand (compat mode, `activate`).
// At boot the generator's <path>.mount unit does it (What=/dev/VG/LV Type=xfs Options=pquota);
// by hand we mount the same thing with mount(2), as the original mounted with `-o pquota`.
//
// No unit is written or enabled: the original wrote /etc/systemd/system/<path>.mount and
// enabled it. Ours lives in /run/systemd/generator and follows the configuration at every
// daemon-reload, so the lab's `rm /etc/systemd/system/docker-storage-setup.service.wants/
// var-lib-docker.mount` finds nothing to remove, and nothing needs removing.

#include "steps/step_context.hpp"

#include <string>
#include <string_view>

namespace css::steps {

// Whether `mount_path` (a host path) is the root of a filesystem on the block device `device`.
bool mounted_from(std::string_view mount_path, std::string_view device);

// Mounts /dev/VG/LV on its path (creating the directory) unless it is mounted there already;
// then restores the SELinux label of the directory tree when SELinux is on. 0 or 1. Nothing
// to do when no container root LV is configured.
int mount_container_root_lv(StepContext &context);

// The same for a given LV and path (named configurations).
int mount_lv(StepContext &context, std::string_view vg, std::string_view lv, std::string_view mount_path);

} // namespace css::steps
