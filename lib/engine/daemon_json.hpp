// SPDX-License-Identifier: Apache-2.0
#pragma once

// docker's own configuration file, /etc/docker/daemon.json (or what dockerd's --config-file
// names): where current docker engines take their storage settings from, since no current
// docker unit reads /etc/sysconfig/docker-storage. We add our keys to the admin's file and
// keep every other key and its value.
//
//   storage-driver   the driver
//   storage-opts     the --storage-opt values DOCKER_STORAGE_OPTIONS would carry
//   data-root        the container root LV's mount path, when docker must use it
//
// dockerd refuses to start when a key is set both in the file and as a flag, and we refuse to
// change a driver that is already configured (the original's rule), so every conflict is
// found before anything is written (plan_daemon_json()).

#include "core/result.hpp"
#include "engine/dockerd_flags.hpp"

#include <nlohmann/json.hpp>
#include <sys/types.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::engine {

inline constexpr std::string_view default_daemon_json = "/etc/docker/daemon.json";
inline constexpr std::string_view docker_default_data_root = "/var/lib/docker";

// What docker must be told.
struct StorageSettings {
        std::string driver;
        // nullopt: not known yet (before the thin pool exists); the options are then not compared.
        std::optional<std::vector<std::string>> opts;
        // The directory docker's data must be in: the container root LV's mount path when it is
        // docker's. Written as data-root unless it is docker's default.
        std::optional<std::string> data_root;
};

// The file as it is: missing, or a JSON object. A symbolic link, something else than a regular
// file, a file we cannot read, text that is not JSON or JSON that is not an object is an error
// naming `shown_path`: such a file is the admin's to fix and is left as it is.
struct DaemonJson {
        bool exists = false;
        mode_t mode = 0644; // kept when the file is rewritten
        nlohmann::json object = nlohmann::json::object();
};
Result<DaemonJson> read_daemon_json(const std::string &path, std::string_view shown_path);

// The keys to add to the file for `wanted`, given what the file holds and the flags docker's
// unit passes. A key the unit passes as a flag with our value is left out; a different value
// in a flag or in the file is an error (the driver's is the original's message); a key the
// file already holds with our value needs no write. An empty object: nothing to write.
Result<nlohmann::json> plan_daemon_json(const DaemonJson &file, const StorageSettings &wanted,
                                        const DockerdFlags &flags, std::string_view shown_path);

// The file's text: 4-space indentation, a final newline.
std::string render_daemon_json(const nlohmann::json &object);

// `object` without the keys of `written` that still hold the value we wrote.
nlohmann::json remove_written_keys(nlohmann::json object, const nlohmann::json &written);

// The values `object` holds for the keys of `written` (null for a missing key): what the
// provisioned record digests, so an edit of another key does not count as a change.
nlohmann::json written_keys_now(const nlohmann::json &object, const nlohmann::json &written);

} // namespace css::engine
