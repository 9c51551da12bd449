// SPDX-License-Identifier: Apache-2.0
#include "step_results.hpp"

#include "unit_journal.hpp"

#include "config/printable.hpp"
#include "core/log.hpp"
#include "steps/failure_reason.hpp"

namespace css::cli {

namespace {

// A reason read from the journal is echoed as one short line of its own.
constexpr size_t max_reason_bytes = 400;

std::string failure_line(const UnitState &u, const std::optional<std::string> &reason)
{
        if (reason)
                return u.name + " failed: " + printable_excerpt(*reason, max_reason_bytes);
        std::string line = u.name + " failed";
        if (!u.result.empty())
                line += " (" + u.result;
        if (u.exec_main_status && *u.exec_main_status != 0)
                line += ", status " + std::to_string(*u.exec_main_status);
        if (!u.result.empty())
                line += ")";
        return line + "; see: journalctl -b -u " + u.name;
}

} // namespace

std::vector<std::string> step_problems(const std::vector<UnitState> &units,
                                       const std::function<std::optional<std::string>(const UnitState &)> &reason_of)
{
        std::vector<std::string> lines;
        std::string not_run;
        bool failed = false;
        for (const UnitState &u : units) {
                if (u.active_state == "active" || (u.active_state == "inactive" && u.skipped_by_condition))
                        continue;
                if (u.active_state == "failed") {
                        lines.push_back(failure_line(u, reason_of(u)));
                        failed = true;
                        continue;
                }
                if (u.load_state != "loaded") {
                        lines.push_back(u.name + " is not loaded (" + u.load_state + ").");
                        continue;
                }
                not_run += (not_run.empty() ? "" : ", ") + u.name;
        }
        if (!not_run.empty())
                lines.push_back(!failed ? "Did not run (a unit they need failed or did not appear): " + not_run + "."
                                        : "Did not run, since a step before them failed: " + not_run + ".");
        return lines;
}

bool check_steps(const std::vector<std::string> &units)
{
        if (units.empty())
                return true;
        Result<std::vector<UnitState>> states = query_units_by_name(units);
        if (!states) {
                log::error("Failed to ask systemd for the result of the setup steps: " + states.error().message);
                return false;
        }
        // The helper's own record first: the journal may not have its output yet.
        std::vector<std::string> lines = step_problems(*states, [](const UnitState &u) {
                if (std::optional<std::string> reason = steps::recorded_failure_reason(u.invocation_id))
                        return reason;
                return last_logged_reason(u.invocation_id);
        });
        for (const std::string &line : lines)
                log::error(line);
        return lines.empty();
}

} // namespace css::cli
