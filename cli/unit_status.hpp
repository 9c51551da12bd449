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

// The patterns the status command asks for: every step service, the umbrella unit and, when
// given, the container root LV's mount unit.
std::vector<std::string> status_unit_patterns(const std::string &mount_unit);

// An error (no system bus: a container, a chroot, this build host) says why.
Result<std::vector<UnitState>> query_units(const std::vector<std::string> &patterns);

} // namespace css::cli
