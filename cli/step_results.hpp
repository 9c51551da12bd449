// SPDX-License-Identifier: Apache-2.0
#pragma once

// The verdict of docker-storage-setup.service on the steps of the boot. It is ordered after every
// step and only wants them, so it runs when one failed, and fails itself with the failing step
// and that step's one-line reason in its own status (issue 15). The engines require it, so they
// still do not start.

#include "unit_status.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace css::cli {

// The lines to report for the required steps `units` (in the order they run): each failed one
// with its reason (`reason_of`: what it logged last, or nullopt), then the ones that did not run.
// Empty when every step is active or was skipped by its Condition.
std::vector<std::string> step_problems(const std::vector<UnitState> &units,
                                       const std::function<std::optional<std::string>(const UnitState &)> &reason_of);

// Asks systemd about `units` and the journal about the failed ones; logs each problem as an
// error. False when a step did not succeed or systemd could not be asked.
bool check_steps(const std::vector<std::string> &units);

} // namespace css::cli
