// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a unit's own processes logged in one run, read from the journal (sd-journal) by the
// run's invocation ID (_SYSTEMD_INVOCATION_ID, which journald attaches to a service's stdout and
// stderr): the helpers end a failure with a one-line reason, at error priority.

#include <optional>
#include <string>

namespace css::cli {

// The last error-priority message of the run, else its last message; nullopt when the journal
// holds none (no journal, or none written yet after a short wait for journald to catch up).
std::optional<std::string> last_logged_reason(const std::string &invocation_id);

} // namespace css::cli
