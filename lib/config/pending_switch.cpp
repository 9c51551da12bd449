// SPDX-License-Identifier: Apache-2.0
#include "config/pending_switch.hpp"

#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "sys/atomic_file.hpp"

#include <array>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace css {

namespace {

constexpr std::array<std::pair<SwitchPhase, std::string_view>, 5> phases = {{
        {SwitchPhase::exporting, "exporting"},
        {SwitchPhase::stopping, "stopping"},
        {SwitchPhase::removed, "removed"},
        {SwitchPhase::set_up, "set-up"},
        {SwitchPhase::storage_ready, "storage-ready"},
}};

// The old configuration is a few KiB of KEY=value lines.
constexpr size_t record_limit = 1u << 20;

} // namespace

std::string_view phase_name(SwitchPhase phase)
{
        for (const auto &[p, name] : phases)
                if (p == phase)
                        return name;
        return "?";
}

std::string render_pending_switch(const PendingSwitch &record)
{
        nlohmann::json j = {
                {"format", 1},
                {"phase", phase_name(record.phase)},
                {"old_config", record.old_config},
                {"export_dir", record.export_dir},
                {"engines", record.engines},
                {"data_dir", record.data_dir},
                {"data_dir_aside", record.data_dir_aside},
        };
        return j.dump(2) + "\n";
}

Result<PendingSwitch> parse_pending_switch(std::string_view text)
{
        const Error bad{"The record of the unfinished switch (" + std::string(pending_switch_record) +
                                ") is damaged; remove it only after checking the storage by hand.",
                        EINVAL};
        nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded() || !j.is_object() || j.value("format", 0) != 1)
                return bad;
        PendingSwitch r;
        try {
                const std::string phase = j.at("phase").get<std::string>();
                bool known = false;
                for (const auto &[p, name] : phases)
                        if (name == phase) {
                                r.phase = p;
                                known = true;
                        }
                if (!known)
                        return bad;
                r.old_config = j.at("old_config").get<std::string>();
                r.export_dir = j.at("export_dir").get<std::string>();
                r.engines = j.at("engines").get<std::vector<std::string>>();
                r.data_dir = j.at("data_dir").get<std::string>();
                r.data_dir_aside = j.at("data_dir_aside").get<std::string>();
        } catch (const nlohmann::json::exception &) {
                return bad;
        }
        return r;
}

Result<std::optional<PendingSwitch>> read_pending_switch()
{
        const std::string path = paths::host_path(pending_switch_record);
        if (::access(path.c_str(), F_OK) < 0 && errno == ENOENT)
                return std::optional<PendingSwitch>();
        std::optional<std::string> text = read_small_file(path, record_limit);
        if (!text)
                return Error{"Failed to read " + std::string(pending_switch_record), EIO};
        Result<PendingSwitch> record = parse_pending_switch(*text);
        if (!record)
                return record.error();
        return std::optional<PendingSwitch>(std::move(*record));
}

Result<void> write_pending_switch(const PendingSwitch &record)
{
        if (Result<void> r = make_directories(paths::host_path(paths::state_dir)); !r)
                return r;
        AtomicWriteOptions options;
        options.mode = 0600;
        return write_file_atomic(paths::host_path(pending_switch_record), render_pending_switch(record), options);
}

Result<void> remove_pending_switch()
{
        const std::string path = paths::host_path(pending_switch_record);
        if (::unlink(path.c_str()) < 0 && errno != ENOENT)
                return make_errno_error(errno, "Failed to remove " + std::string(pending_switch_record));
        return sync_directory(paths::host_path(paths::state_dir));
}

std::optional<std::string> exporting_switch_config()
{
        Result<std::optional<PendingSwitch>> record = read_pending_switch();
        if (!record || !*record || (*record)->phase != SwitchPhase::exporting)
                return std::nullopt;
        return (*record)->old_config;
}

std::string switch_blocks_engines()
{
        Result<std::optional<PendingSwitch>> record = read_pending_switch();
        if (!record)
                return record.error().message;
        if (!*record || (*record)->phase == SwitchPhase::exporting || (*record)->phase >= SwitchPhase::storage_ready)
                return "";
        return "A storage switch is not finished (phase " + std::string(phase_name((*record)->phase)) +
               "): the engines stay stopped until it is. Run 'container-storage-setup switch' to finish it.";
}

} // namespace css
