// SPDX-License-Identifier: Apache-2.0
#include "steps/engine_output.hpp"

#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "core/words.hpp"
#include "engine/storage_options.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"

#include <cerrno>

namespace css::steps {

namespace {

constexpr std::string_view other_engine_roots[] = {"/var/lib/containers", "/var/lib/containerd"};

bool at_or_below(std::string_view path, std::string_view dir)
{
        return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

std::vector<std::string> words_of(std::string_view text)
{
        std::vector<std::string> words;
        for (std::string_view w : split_blank_words(text))
                words.emplace_back(w);
        return words;
}

} // namespace

OutputChoice choose_output(DockerStorageConfig setting, const engine::DockerUnit &unit)
{
        switch (setting) {
        case DockerStorageConfig::sysconfig:
                return {EngineOutput::sysconfig, "DOCKER_STORAGE_CONFIG=sysconfig"};
        case DockerStorageConfig::daemon_json:
                return {EngineOutput::daemon_json, "DOCKER_STORAGE_CONFIG=daemon-json"};
        case DockerStorageConfig::automatic:
                break;
        }
        if (!unit.found)
                return {EngineOutput::sysconfig, "no docker.service is installed"};
        if (unit.reads_sysconfig)
                return {EngineOutput::sysconfig, unit.fragment + " reads " + std::string(paths::sysconfig_output)};
        return {EngineOutput::daemon_json, unit.fragment + " does not read " + std::string(paths::sysconfig_output)};
}

engine::DockerUnit host_docker_unit()
{
        return engine::load_docker_unit(paths::root());
}

std::string daemon_json_path(const engine::DockerUnit &unit)
{
        return unit.flags.config_file.value_or(std::string(engine::default_daemon_json));
}

std::optional<std::string> docker_data_root(const Config &config)
{
        std::optional<ContainerRootLv> lv = container_root_lv(config);
        if (!lv)
                return std::nullopt;
        for (std::string_view root : other_engine_roots)
                if (at_or_below(lv->mount_path, root))
                        return std::nullopt;
        return lv->mount_path;
}

Result<engine::StorageSettings> storage_settings(const Config &config, const std::optional<std::string> &options_value)
{
        const std::string driver = to_string(config.storage_driver);
        const std::string text =
                options_value.value_or("--storage-driver " + driver + " " + config.extra_storage_options);
        engine::DockerdFlags flags = engine::parse_dockerd_flags(words_of(text));
        if (!flags.other.empty())
                return Error{"Failed to write EXTRA_STORAGE_OPTIONS to " + std::string(engine::default_daemon_json) +
                                     ": '" + flags.other.front() +
                                     "' is not a --storage-opt option (use DOCKER_STORAGE_CONFIG=sysconfig).",
                             EINVAL};
        if (flags.missing_value)
                return Error{"Failed to write EXTRA_STORAGE_OPTIONS to " + std::string(engine::default_daemon_json) +
                                     ": " + *flags.missing_value + " has no value.",
                             EINVAL};
        if (flags.storage_driver != driver)
                return Error{"Failed to write EXTRA_STORAGE_OPTIONS to " + std::string(engine::default_daemon_json) +
                                     ": it names the storage driver " + flags.storage_driver.value_or("") +
                                     ", STORAGE_DRIVER is " + driver + ".",
                             EINVAL};
        if (flags.data_root || flags.config_file)
                return Error{"Failed to write EXTRA_STORAGE_OPTIONS to " + std::string(engine::default_daemon_json) +
                                     ": only --storage-opt options can go there.",
                             EINVAL};
        engine::StorageSettings s;
        s.driver = driver;
        if (options_value)
                s.opts = flags.storage_opts;
        s.data_root = docker_data_root(config);
        return s;
}

std::optional<DaemonJsonRecord> read_daemon_json_record()
{
        std::optional<std::string> text = read_small_file(paths::host_path(daemon_json_record), 1u << 20);
        if (!text)
                return std::nullopt;
        nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("path") || !j.at("path").is_string() ||
            !j.contains("keys") || !j.at("keys").is_object())
                return std::nullopt;
        DaemonJsonRecord r;
        r.path = j.at("path").get<std::string>();
        r.created = j.value("created", false);
        r.keys = j.at("keys");
        return r;
}

Result<void> write_daemon_json_record(const DaemonJsonRecord &record)
{
        nlohmann::json j = {{"path", record.path}, {"created", record.created}, {"keys", record.keys}};
        if (Result<void> r = make_directories(paths::host_path(paths::state_dir)); !r)
                return r;
        return write_file_atomic(paths::host_path(daemon_json_record), engine::render_daemon_json(j));
}

std::optional<std::string> daemon_json_storage_keys(const std::string &path)
{
        Result<engine::DaemonJson> file = engine::read_daemon_json(paths::host_path(path), path);
        if (!file)
                return std::nullopt;
        const nlohmann::json keys = {{"storage-driver", nullptr}, {"storage-opts", nullptr}, {"data-root", nullptr}};
        return engine::written_keys_now(file->object, keys).dump();
}

} // namespace css::steps
