// SPDX-License-Identifier: Apache-2.0
#pragma once

// The record of a `container-storage-setup switch` that has begun changing the storage and not
// finished (cli/switch.cpp). It is written before the first change and removed after the last,
// so that a switch cut short (a power loss, a failed command) is continued by the next
// `switch`, from the phase recorded, with the plan made at its start: the configuration that
// was applied before (whose storage is removed), the engines that were running (started again
// at the end), the export directory (imported at the end), the data directory moved aside.
//
// Until the new storage is ready the engines must not start on a half-changed host: at boot,
// css-check-engine fails while the record says so, and `systemctl status` shows why.

#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css {

inline constexpr std::string_view pending_switch_record = "/var/lib/container-storage-setup/.switch";

// In the order a switch goes through them; each is recorded when the work before it is done.
enum class SwitchPhase {
        exporting,     // the engine's images and volumes being exported (nothing changed yet)
        stopping,      // engines being stopped, the data directory moved aside, the old storage removed
        removed,       // the old storage is gone; the new one being set up
        set_up,        // the new storage is set up; the data directory being copied onto it
        storage_ready, // the engines may start; they are being started and the export imported
};

struct PendingSwitch {
        SwitchPhase phase = SwitchPhase::exporting;
        std::string old_config;           // the applied configuration's record (steps/applied_config.hpp)
        std::string export_dir;           // "" without --export
        std::vector<std::string> engines; // units that were active, started again at the end
        std::string data_dir;             // "" when no data directory moves onto the new LV
        std::string data_dir_aside;       // where the data directory waits for its copy
};

std::string_view phase_name(SwitchPhase phase);

std::string render_pending_switch(const PendingSwitch &record);
Result<PendingSwitch> parse_pending_switch(std::string_view text);

// nullopt when no switch is pending.
Result<std::optional<PendingSwitch>> read_pending_switch();
Result<void> write_pending_switch(const PendingSwitch &record);
Result<void> remove_pending_switch();

// The configuration a switch started from while it is in its exporting phase (its record's
// old_config, "" when nothing was set up before); nullopt otherwise, or when the record cannot
// be read (then css-check-engine stops the engines).
std::optional<std::string> exporting_switch_config();

// Why the engines may not start now ("" when they may): a switch is pending between its
// stopping and storage_ready phases, or its record cannot be read.
std::string switch_blocks_engines();

} // namespace css
