// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the generator learns about this machine from files, without running anything: the VG of
// the root filesystem (from mountinfo and sysfs), the thin pool an earlier run handed to the
// engine (from the output file), and which unit runs cloud-init's network stage. All reads go
// through CSS_ROOT.

#include <optional>
#include <string>
#include <string_view>

namespace css::generator {

// The LVM volume group holding "/", or nullopt when "/" is not an LVM logical volume (or
// cannot be told). Reads the last "/" entry of /proc/self/mountinfo for its major:minor, then
// /sys/dev/block/MAJ:MIN/dm/uuid ("LVM-..." for logical volumes) and dm/name, which LVM sets to
// "<vg>-<lv>" with every '-' inside a name doubled. The helpers find the same VG with lvs at run
// time; the generator needs it earlier to name /dev/VG/LV in the .mount unit.
std::optional<std::string> root_volume_group();

// The dm.thinpooldev= device named in /etc/sysconfig/docker-storage (what an earlier run gave
// the engine), when the file exists and names one under /dev/.
std::optional<std::string> provisioned_thinpool();

// Whether /etc/sysconfig/docker-storage exists.
bool storage_output_exists();

// The unit that runs cloud-init's network stage, where write_files writes
// /etc/sysconfig/docker-storage-setup at first boot: cloud-init-network.service (cloud-init 24.3
// and later) or cloud-init.service (before 24.3), whichever has a unit file in systemd's system
// unit search path. nullopt when neither has one, when that file is masked (empty, or a symlink to
// /dev/null), or when cloud-init-main.service, the one process that runs every stage from 24.3
// on, is masked: then cloud-init writes nothing this boot. Also nullopt when cloud-init is
// disabled (cloud_init_disabled()): it will not run at all.
std::optional<std::string> cloud_init_network_stage(std::string_view kernel_cmdline);

// cloud-init's own switches: `cloud-init=disabled` on the kernel command line, or
// /etc/cloud/cloud-init.disabled.
bool cloud_init_disabled(std::string_view kernel_cmdline);

} // namespace css::generator
