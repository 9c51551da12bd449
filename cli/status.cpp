// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup status [--json]`: what the boot did and what is there now. The step
// units' states from systemd (sd-bus), the VG, the thin pool's data and metadata use (from the
// kernel's thin-pool status through libdevmapper), the container root LV's mount and the engine
// output file. Each part is reported on its own: no system bus (a container, a chroot) or no
// LVM says so and the rest is still shown.

#include "arguments.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "steps/mount.hpp"
#include "session.hpp"
#include "setup_steps.hpp"
#include "unit_status.hpp"

#include "core/paths.hpp"
#include "steps/engine_output.hpp"
#include "steps/output_file.hpp"
#include "steps/step_util.hpp"
#include "sys/dm.hpp"
#include "sys/dm_name.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace css::cli {

namespace {

constexpr OptionSpec status_options[] = {{"json", 0, false}};

constexpr CommandSyntax status_syntax{
        "status",
        "status [--json]",
        "Show the state of each setup step's unit (through systemd's D-Bus API), the volume group,\n"
        "the thin pool's data and metadata use, the container root LV's mount and the engine's\n"
        "storage options file.\n\n"
        "Options:\n"
        "  -h --help    Show this help\n"
        "     --json    One JSON object\n\n"
        "Exit status: 0 no step unit failed, 1 a step unit failed or the configuration is\n"
        "invalid, 2 usage error.\n",
        status_options,
        0,
        0,
};

struct PoolReport {
        std::string vg, lv, dm_name;
        bool exists = false;
        bool active = false;
        std::optional<dm::ThinPoolStatus> usage;
        std::string error; // why the usage is unknown
};

struct MountReport {
        std::string device, path;
        bool mounted = false;
};

struct Report {
        Result<std::vector<UnitState>> units = std::vector<UnitState>{};
        std::string vg;        // "" none
        std::string lvm_error; // LVM could not be asked
        std::optional<lvm::Vg> vg_info;
        std::optional<PoolReport> pool;
        std::optional<MountReport> mount;
        steps::OutputFile output;
        std::string output_error;
        // Where docker's storage settings go (steps/engine_output.hpp).
        steps::OutputChoice engine_output;
        std::string daemon_json;                     // its path, for daemon-json
        std::optional<std::string> daemon_json_keys; // its storage keys now, as JSON
};

// Units in the order the steps run, the umbrella unit last.
void order_units(std::vector<UnitState> &units, const Config &config)
{
        std::vector<std::string> order;
        for (const SetupStep &s : setup_steps(config))
                order.push_back(s.unit);
        auto rank = [&](const UnitState &u) {
                if (u.name.starts_with("css-prepare-disk@"))
                        return size_t{0};
                auto it = std::find(order.begin(), order.end(), u.name);
                return it == order.end() ? order.size() + (u.name == "docker-storage-setup.service")
                                         : static_cast<size_t>(it - order.begin());
        };
        std::stable_sort(units.begin(), units.end(),
                         [&](const UnitState &a, const UnitState &b) { return rank(a) < rank(b); });
}

Report gather(const Config &config)
{
        Report r;
        std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(config);
        std::vector<std::string> step_units;
        for (const SetupStep &s : setup_steps(config))
                step_units.push_back(s.unit);
        r.units = query_units(status_unit_patterns(step_units));
        if (r.units)
                order_units(*r.units, config);

        StepContext context(config, RunMode::apply);
        Result<std::string> vg = context.effective_vg();
        Result<const lvm::Snapshot *> snapshot = vg ? context.lvm() : Result<const lvm::Snapshot *>(vg.error());
        if (!snapshot) {
                r.lvm_error = snapshot.error().message;
        } else {
                r.vg = *vg;
                if (const lvm::Vg *v = (*snapshot)->find_vg(r.vg))
                        r.vg_info = *v;
                if (config.storage_driver == StorageDriver::devicemapper && !r.vg.empty()) {
                        PoolReport p{r.vg, config.container_thinpool, dm::lvm_dm_name(r.vg, config.container_thinpool)};
                        if (const lvm::Lv *pool = (*snapshot)->find_thin_pool(r.vg, config.container_thinpool)) {
                                p.exists = true;
                                p.active = pool->active;
                                // The pool's own device is "<vg>-<pool>-tpool" while a thin
                                // LV uses it; an unused pool's top device is the pool itself.
                                Result<dm::ThinPoolStatus> s =
                                        dm::thin_pool_status(dm::lvm_dm_name(r.vg, config.container_thinpool, "tpool"));
                                if (!s)
                                        s = dm::thin_pool_status(p.dm_name);
                                if (s)
                                        p.usage = *s;
                                else
                                        p.error = s.error().message;
                        }
                        r.pool = p;
                }
        }
        if (lv && !r.vg.empty()) {
                MountReport m{"/dev/" + r.vg + "/" + lv->name, lv->mount_path};
                m.mounted = steps::mounted_from(m.path, m.device);
                r.mount = m;
        }
        if (Result<steps::OutputFile> out = steps::read_output_file())
                r.output = *out;
        else
                r.output_error = out.error().message;
        const engine::DockerUnit unit = steps::host_docker_unit();
        r.engine_output = steps::choose_output(config.docker_storage_config, unit);
        if (r.engine_output.output == steps::EngineOutput::daemon_json) {
                r.daemon_json = steps::daemon_json_path(unit);
                r.daemon_json_keys = steps::daemon_json_storage_keys(r.daemon_json);
        }
        return r;
}

bool any_failed(const Report &r)
{
        if (!r.units)
                return false;
        return std::any_of(r.units->begin(), r.units->end(),
                           [](const UnitState &u) { return u.active_state == "failed"; });
}

std::string percent(double value)
{
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f%%", value);
        return buf;
}

std::string text_report(const Config &config, const Report &r)
{
        std::string out = "Units:\n";
        if (!r.units) {
                out += "  (" + r.units.error().message + ")\n";
        } else if (r.units->empty()) {
                out += "  (none loaded: the generator wrote no units, or systemd has not been reloaded)\n";
        } else {
                char line[256];
                for (const UnitState &u : *r.units) {
                        std::string status = u.exec_main_status ? " status=" + std::to_string(*u.exec_main_status) : "";
                        std::snprintf(line, sizeof line, "  %-44s %s (%s) result=%s%s\n", u.name.c_str(),
                                      u.active_state.c_str(), u.sub_state.c_str(),
                                      u.result.empty() ? "-" : u.result.c_str(), status.c_str());
                        out += line;
                }
        }
        out += "Storage driver: " +
               std::string(config.storage_driver == StorageDriver::none ? "(none)" : to_string(config.storage_driver)) +
               "\n";
        if (!r.lvm_error.empty()) {
                out += "Volume group: (unknown: " + r.lvm_error + ")\n";
        } else if (r.vg.empty()) {
                out += "Volume group: (none: VG is not set and the root filesystem is not on LVM)\n";
        } else if (!r.vg_info) {
                out += "Volume group: " + r.vg + " (does not exist)\n";
        } else {
                out += "Volume group: " + r.vg + ", " + std::to_string(r.vg_info->size) + " bytes, " +
                       std::to_string(r.vg_info->free) + " free, " + std::to_string(r.vg_info->pv_count) + " PVs\n";
        }
        if (r.pool) {
                out += "Thin pool: " + r.pool->vg + "/" + r.pool->lv;
                if (!r.pool->exists)
                        out += " (does not exist)\n";
                else if (r.pool->usage && r.pool->usage->failed)
                        out += " (failed)\n";
                else if (r.pool->usage)
                        out += ", data " + percent(r.pool->usage->data_percent()) + ", metadata " +
                               percent(r.pool->usage->metadata_percent()) + " used\n";
                else
                        out += std::string(r.pool->active ? " (active" : " (inactive") +
                               ", usage unknown: " + r.pool->error + ")\n";
        }
        if (r.mount)
                out += "Mount: " + r.mount->device + " on " + r.mount->path +
                       (r.mount->mounted ? " (mounted)\n" : " (not mounted)\n");
        out += std::string("Output: ") + std::string(paths::sysconfig_output);
        if (!r.output_error.empty())
                out += " (" + r.output_error + ")\n";
        else if (!r.output.exists)
                out += " (missing)\n";
        else
                out += "\n  " + r.output.content + (r.output.content.ends_with('\n') ? "" : "\n");
        if (r.engine_output.output == steps::EngineOutput::daemon_json)
                out += "Engine config: " + r.daemon_json + " (" + r.engine_output.reason + ")\n  " +
                       r.daemon_json_keys.value_or("(cannot be read)") + "\n";
        else
                out += "Engine config: " + std::string(paths::sysconfig_output) + " (" + r.engine_output.reason + ")\n";
        return out;
}

// Two decimals, as the text report prints them.
double two_decimals(double value)
{
        return std::round(value * 100) / 100;
}

std::string json_report(const Config &config, const Report &r)
{
        JsonDocument doc = JsonDocument::object();
        if (r.units) {
                JsonDocument &units = doc["units"] = JsonDocument::array();
                for (const UnitState &u : *r.units) {
                        JsonDocument unit = {{"name", u.name},
                                             {"load_state", u.load_state},
                                             {"active_state", u.active_state},
                                             {"sub_state", u.sub_state},
                                             {"result", u.result},
                                             {"exec_main_status", nullptr}};
                        if (u.exec_main_status)
                                unit["exec_main_status"] = *u.exec_main_status;
                        units.push_back(std::move(unit));
                }
        } else {
                doc["units"] = nullptr;
                doc["units_error"] = r.units.error().message;
        }
        doc["storage_driver"] = config.storage_driver == StorageDriver::none ? "" : to_string(config.storage_driver);
        if (!r.lvm_error.empty() || r.vg.empty()) {
                doc["volume_group"] = nullptr;
                if (!r.lvm_error.empty())
                        doc["lvm_error"] = r.lvm_error;
        } else {
                JsonDocument &vg = doc["volume_group"] = {{"name", r.vg}, {"exists", r.vg_info.has_value()}};
                if (r.vg_info) {
                        vg["size_bytes"] = r.vg_info->size;
                        vg["free_bytes"] = r.vg_info->free;
                        vg["pv_count"] = r.vg_info->pv_count;
                }
        }
        if (!r.pool) {
                doc["thin_pool"] = nullptr;
        } else {
                JsonDocument &pool = doc["thin_pool"] = {{"vg", r.pool->vg},
                                                         {"lv", r.pool->lv},
                                                         {"dm_name", r.pool->dm_name},
                                                         {"exists", r.pool->exists},
                                                         {"active", r.pool->active}};
                if (r.pool->usage && !r.pool->usage->failed) {
                        pool["data_percent"] = two_decimals(r.pool->usage->data_percent());
                        pool["metadata_percent"] = two_decimals(r.pool->usage->metadata_percent());
                } else if (r.pool->usage) {
                        pool["failed"] = true;
                } else if (!r.pool->error.empty()) {
                        pool["usage_error"] = r.pool->error;
                }
        }
        if (!r.mount)
                doc["mount"] = nullptr;
        else
                doc["mount"] = {{"device", r.mount->device}, {"path", r.mount->path}, {"mounted", r.mount->mounted}};
        JsonDocument &output = doc["output"] = {{"path", paths::sysconfig_output}, {"exists", r.output.exists}};
        if (r.output.options)
                output["options"] = *r.output.options;
        if (!r.output_error.empty())
                output["error"] = r.output_error;
        const bool daemon_json = r.engine_output.output == steps::EngineOutput::daemon_json;
        JsonDocument &engine =
                doc["engine_config"] = {{"output", daemon_json ? "daemon-json" : "sysconfig"},
                                        {"path", daemon_json ? r.daemon_json : std::string(paths::sysconfig_output)},
                                        {"reason", r.engine_output.reason}};
        if (r.daemon_json_keys)
                engine["storage_keys"] = *r.daemon_json_keys;
        return json_text(doc);
}

} // namespace

int run_status(std::span<char *const> args)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(status_syntax, args, &exit);
        if (!parsed)
                return exit;
        std::optional<Config> config = load_reported(default_load_options());
        if (!config)
                return exit_failure;
        Report r = gather(*config);
        std::string text = parsed->has("json") ? json_report(*config, r) : text_report(*config, r);
        if (!write_stdout(text))
                return exit_failure;
        return any_failed(r) ? exit_failure : exit_ok;
}

} // namespace css::cli
