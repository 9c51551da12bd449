// SPDX-License-Identifier: Apache-2.0
#pragma once

// The state of our units from systemd over D-Bus (sd-bus): which units match the patterns
// (org.freedesktop.systemd1.Manager.ListUnitsByPatterns, loaded units only) or the units named
// (Manager.LoadUnit) and, for each, ActiveState, SubState, Result and, for services,
// ExecMainStatus; by name also whether a Condition skipped its start and its invocation ID.

#include "core/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace css::cli {

struct UnitState {
        std::string name;
        std::string load_state;
        std::string active_state;            // active, inactive, failed, activating, ...
        std::string sub_state;               // exited, dead, mounted, ...
        std::string result;                  // success, exit-code, ... ("" when not asked)
        std::optional<int> exec_main_status; // services only
        // query_units_by_name() only:
        bool skipped_by_condition = false; // its last start found a Condition false
        std::string invocation_id;         // of its last run, 32 hex digits ("" never ran)
};

// The patterns the status command asks for: the units of the steps (`step_units`, as
// setup_steps() names them; any css-prepare-disk@ instance), the cloud-init watch and the
// umbrella docker-storage-setup.service. Not "css-*": that would take in others' units.
std::vector<std::string> status_unit_patterns(const std::vector<std::string> &step_units);

// An error (no system bus: a container, a chroot, this build host) says why.
Result<std::vector<UnitState>> query_units(const std::vector<std::string> &patterns);

// The units named, in that order, loaded if systemd has not loaded them (then "not-found").
Result<std::vector<UnitState>> query_units_by_name(const std::vector<std::string> &names);

} // namespace css::cli
