// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where docker's storage settings go (DOCKER_STORAGE_CONFIG, docker-storage-setup(5)):
//
//   sysconfig    /etc/sysconfig/docker-storage, byte for byte as the original. Only a
//                docker.service with EnvironmentFile=/etc/sysconfig/docker-storage and
//                $DOCKER_STORAGE_OPTIONS on its command line (EL7/Atomic) reads it.
//   daemon-json  /etc/docker/daemon.json (or the unit's --config-file), merged into the
//                admin's file (engine/daemon_json.hpp): what every current docker reads.
//   auto         sysconfig when docker.service reads that file, or when no docker.service is
//                installed (nothing to decide from: the original's output, for an engine
//                installed later); else daemon-json.
//
// The choice, the settings and the record of what we wrote into daemon.json are shared by
// css-check-engine (the pre-flight), css-write-storage-config, css-reset, the provisioned
// record and `container-storage-setup status`.

#include "config/config.hpp"
#include "core/result.hpp"
#include "engine/daemon_json.hpp"
#include "engine/docker_unit.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace css::steps {

enum class EngineOutput { sysconfig, daemon_json };

struct OutputChoice {
        EngineOutput output = EngineOutput::sysconfig;
        std::string reason; // one clause, for logs and `status`
};

OutputChoice choose_output(DockerStorageConfig setting, const engine::DockerUnit &unit);

// docker.service as systemd loads it on this host (under CSS_ROOT).
engine::DockerUnit host_docker_unit();

// The daemon.json dockerd reads: its --config-file, else /etc/docker/daemon.json.
std::string daemon_json_path(const engine::DockerUnit &unit);

// The directory docker's data must be in when the container root LV is docker's: its mount
// path, unless that is another engine's root (/var/lib/containers, /var/lib/containerd and
// below: the LV is then for podman/CRI-O or containerd, and docker keeps its own root).
std::optional<std::string> docker_data_root(const Config &config);

// What docker must be told, from the DOCKER_STORAGE_OPTIONS value we would write; nullopt
// before the pool exists (the pre-flight): then only the driver and EXTRA_STORAGE_OPTIONS are
// known. An EXTRA_STORAGE_OPTIONS word that is not a storage option cannot go into
// daemon.json and is an error.
Result<engine::StorageSettings> storage_settings(const Config &config, const std::optional<std::string> &options_value);

// What css-write-storage-config wrote into daemon.json, so css-reset removes only that.
inline constexpr std::string_view daemon_json_record = "/var/lib/container-storage-setup/daemon-json";
struct DaemonJsonRecord {
        std::string path;                               // daemon.json as shown (no CSS_ROOT)
        bool created = false;                           // the file did not exist before
        nlohmann::json keys = nlohmann::json::object(); // the keys and values we wrote
};
std::optional<DaemonJsonRecord> read_daemon_json_record();
Result<void> write_daemon_json_record(const DaemonJsonRecord &record);

// The storage keys daemon.json holds now ("null" for a missing one), as one line of JSON: what
// the provisioned record digests. nullopt when the file cannot be read as an object.
std::optional<std::string> daemon_json_storage_keys(const std::string &path);

} // namespace css::steps
