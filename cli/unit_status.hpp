// SPDX-License-Identifier: Apache-2.0
#pragma once

// The state of our units from systemd over D-Bus (sd-bus): which units match the patterns
// (org.freedesktop.systemd1.Manager.ListUnitsByPatterns, loaded units only) and, for each,
// ActiveState, SubState, Result and, for services, ExecMainStatus.

#include "core/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace css::cli {

struct UnitState {
        std::string name;
        std::string load_state;
        std::string active_state;     // active, inactive, failed, activating, ...
        std::string sub_state;        // exited, dead, mounted, ...
        std::string result;           // success, exit-code, ... ("" when not asked)
        std::optional<int> exec_main_status;  // services only
};

// The patterns the status command asks for: the units of the steps (`step_units`, as
// setup_steps() names them; any css-prepare-disk@ instance), the cloud-init watch and the
// umbrella docker-storage-setup.service. Not "css-*": that would take in others' units.
std::vector<std::string> status_unit_patterns(const std::vector<std::string> &step_units);

// An error (no system bus: a container, a chroot, this build host) says why.
Result<std::vector<UnitState>> query_units(const std::vector<std::string> &patterns);

} // namespace css::cli
