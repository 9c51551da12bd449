// SPDX-License-Identifier: Apache-2.0
#pragma once

// Why a step failed, handed from the failing helper to `container-storage-setup check --step`
// (docker-storage-setup.service), which quotes it in `systemctl status`. The journal carries
// the same line, but journald reads a finished service's output asynchronously and, on a
// loaded host at boot, had not stored it 10 s later (seen in the VM). So the helper also
// writes its last error line to /run/container-storage-setup/failed/<INVOCATION_ID> before it
// exits, and systemd only marks the unit failed after that; `check` reads the file first.

#include <optional>
#include <string>
#include <string_view>

namespace css::steps {

// Writes `reason` for this process's unit ($INVOCATION_ID, which systemd sets for every
// service); nothing outside a unit, or for an empty reason. A file that cannot be written only
// costs `check` its shortcut: logged at debug level.
void record_failure_reason(std::string_view reason);

// The reason a unit's invocation recorded, nullopt when there is none.
std::optional<std::string> recorded_failure_reason(std::string_view invocation_id);

} // namespace css::steps
