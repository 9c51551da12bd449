// SPDX-License-Identifier: Apache-2.0
#include "steps/check_engine.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/engine_output.hpp"
#include "config/pending_switch.hpp"
#include "steps/step_util.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <unistd.h>

namespace css::steps {

namespace {

struct EngineProgram {
        std::string_view name;
        std::string_view path;
        std::optional<engine::Version> (*parse)(std::string_view);
};

constexpr EngineProgram engine_programs[] = {
        {"docker", "/usr/bin/dockerd", engine::parse_docker_version},
        {"docker", "/usr/sbin/dockerd", engine::parse_docker_version},
        {"podman", "/usr/bin/podman", engine::parse_podman_version},
        {"crio", "/usr/bin/crio", nullptr},
        {"crio", "/usr/local/bin/crio", nullptr},
};

// Asks the program; a read-only probe, so it also runs in a dry run.
std::optional<engine::Version> ask_version(const EngineProgram &p)
{
        process::Command command;
        command.argv = {paths::host_path(p.path), "--version"};
        command.forward_stderr = false;
        command.timeout = process::query_timeout;
        Result<process::Outcome> outcome = process::run(command);
        if (!outcome || !outcome->success()) {
                log::warning("Failed to run '" + std::string(p.path) +
                             " --version': " + (outcome ? outcome->describe() : outcome.error().message) + ".");
                return std::nullopt;
        }
        std::optional<engine::Version> v = p.parse(outcome->out);
        if (!v)
                log::warning("Failed to read the version of " + std::string(p.path) + " from '" + outcome->out + "'.");
        return v;
}

std::string no_devicemapper(const InstalledEngine &e, const engine::Version &removed_in)
{
        return "STORAGE_DRIVER=devicemapper: " + e.name + " " + engine::to_string(*e.version) + " (" + e.program +
               ") has no devicemapper storage driver (removed in " + e.name + " " + std::to_string(removed_in.major) +
               "." + std::to_string(removed_in.minor) + "); use STORAGE_DRIVER=overlay2";
}

} // namespace

Result<void> check_devicemapper_engines(StorageDriver driver, const std::vector<InstalledEngine> &engines)
{
        if (driver != StorageDriver::devicemapper)
                return {};
        const InstalledEngine *podman = nullptr;
        bool docker = false, crio = false;
        for (const InstalledEngine &e : engines) {
                if (e.name == "docker") {
                        docker = true;
                        // DOCKER_STORAGE_OPTIONS is docker's: a docker without the driver cannot use the pool.
                        if (e.version && *e.version >= engine::docker_without_devicemapper)
                                return Error{no_devicemapper(e, engine::docker_without_devicemapper), EINVAL};
                } else if (e.name == "podman") {
                        podman = &e;
                } else if (e.name == "crio") {
                        crio = true;
                }
        }
        if (!docker && !crio && podman && podman->version && *podman->version >= engine::podman_without_devicemapper)
                return Error{no_devicemapper(*podman, engine::podman_without_devicemapper), EINVAL};
        if (engines.empty())
                log::info("STORAGE_DRIVER=devicemapper: no container engine is installed yet; setting up the "
                          "thin pool for one installed later.");
        return {};
}

std::vector<InstalledEngine> installed_engines()
{
        std::vector<InstalledEngine> engines;
        for (const EngineProgram &p : engine_programs) {
                if (::access(paths::host_path(p.path).c_str(), X_OK) != 0)
                        continue;
                bool seen = false;
                for (const InstalledEngine &e : engines)
                        seen = seen || e.name == p.name;
                if (seen)
                        continue;
                InstalledEngine e{std::string(p.name), std::string(p.path), std::nullopt};
                // podman's version decides only where there is no docker (check_devicemapper_engines).
                const bool docker_found = !engines.empty() && engines.front().name == "docker";
                if (p.parse && !(p.name == "podman" && docker_found))
                        e.version = ask_version(p);
                engines.push_back(std::move(e));
        }
        return engines;
}

namespace {

// The sysconfig file reaches dockerd as flags (--storage-driver, --storage-opt): dockerd refuses to
// start when daemon.json sets the same setting ("the following directives are specified both as a
// flag and in the configuration file"). A daemon.json that cannot be read is dockerd's to report.
Result<void> check_no_flag_conflict(const engine::DockerUnit &unit)
{
        if (!unit.reads_sysconfig)
                return {};
        const std::string path = daemon_json_path(unit);
        Result<engine::DaemonJson> file = engine::read_daemon_json(paths::host_path(path), path);
        if (!file || !file->exists)
                return {};
        for (std::string_view key : {"storage-driver", "storage-opts"})
                if (file->object.contains(key))
                        return Error{"Failed to use '" + path + "': it sets \"" + std::string(key) + "\", which " +
                                             unit.fragment + " also passes to dockerd as a flag from " +
                                             std::string(paths::sysconfig_output) +
                                             ", and dockerd does not start then; remove the key from " + path +
                                             ", or set DOCKER_STORAGE_CONFIG=daemon-json",
                                     EEXIST};
        return {};
}

} // namespace

Result<void> check_daemon_json(const Config &config)
{
        const engine::DockerUnit unit = host_docker_unit();
        const OutputChoice choice = choose_output(config.docker_storage_config, unit);
        if (choice.output != EngineOutput::daemon_json) {
                log::info("docker's storage settings go to " + std::string(paths::sysconfig_output) + " (" +
                          choice.reason + ").");
                return check_no_flag_conflict(unit);
        }
        const std::string path = daemon_json_path(unit);
        log::info("docker's storage settings go to " + path + " (" + choice.reason + ").");
        Result<engine::StorageSettings> wanted = storage_settings(config, std::nullopt);
        if (!wanted)
                return wanted.error();
        Result<engine::DaemonJson> file = engine::read_daemon_json(paths::host_path(path), path);
        if (!file)
                return file.error();
        Result<nlohmann::json> keys = engine::plan_daemon_json(*file, *wanted, unit.flags, path);
        if (!keys)
                return keys.error();
        return {};
}

int check_engine(StepContext &context)
{
        const Config &config = context.config();
        if (!context.switching())
                if (std::string blocked = switch_blocks_engines(); !blocked.empty())
                        return fail(Error{blocked, EBUSY});
        if (config.storage_driver == StorageDriver::none)
                return exit_ok;
        // Only devicemapper depends on the engines' versions; asking a Go program costs seconds
        // on a slow machine, at every boot.
        if (config.storage_driver == StorageDriver::devicemapper)
                if (Result<void> r = check_devicemapper_engines(config.storage_driver, installed_engines()); !r)
                        return fail(r.error());
        if (Result<void> r = check_daemon_json(config); !r)
                return fail(r.error());
        return exit_ok;
}

} // namespace css::steps
