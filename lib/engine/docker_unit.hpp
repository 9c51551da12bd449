// SPDX-License-Identifier: Apache-2.0
#pragma once

// What docker.service, as systemd would load it, does with its storage settings: whether it
// reads /etc/sysconfig/docker-storage (EL7/Atomic's unit did: EnvironmentFile= naming it and
// $DOCKER_STORAGE_OPTIONS on dockerd's command line; no current distribution's unit does), and
// which dockerd flags its ExecStart= passes once the variables of its environment files are
// expanded.
//
// The unit is found as systemd finds it (systemd.unit(5)): the first docker.service in the
// system unit search path, then docker.service.d/*.conf from every directory of that path,
// sorted by file name, a name in an earlier directory hiding the same name in a later one.
// /run/systemd/generator* are left out: only our own generator writes there for docker.

#include "engine/dockerd_flags.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::engine {

inline constexpr std::string_view docker_unit_name = "docker.service";

// In systemd's order of precedence.
inline constexpr std::string_view system_unit_dirs[] = {
        "/etc/systemd/system",     "/run/systemd/system", "/usr/local/lib/systemd/system",
        "/usr/lib/systemd/system", "/lib/systemd/system",
};

// The [Service] settings we need, after every file was applied (an empty assignment resets
// the list, as systemd does).
struct ServiceSettings {
        std::vector<std::string> environment_files; // as written, with a leading '-' when optional
        std::vector<std::string> environment;       // Environment= entries, "NAME=value"
        std::vector<std::string> exec_start;        // raw command lines, prefixes included
};

// Applies the [Service] section of one unit file or drop-in to `settings`.
void apply_unit_file(ServiceSettings &settings, std::string_view text);

// $DOCKER_STORAGE_OPTIONS or ${DOCKER_STORAGE_OPTIONS} appears in a command line.
bool uses_variable(std::string_view command_line, std::string_view name);

// An EnvironmentFile= entry names /etc/sysconfig/docker-storage and some ExecStart= uses
// DOCKER_STORAGE_OPTIONS.
bool reads_sysconfig_storage(const ServiceSettings &settings);

// The words of an ExecStart= command line as systemd splits them, with its prefixes
// ("-", "@", "+", "!", ":") removed and variables expanded: "$NAME" alone is split into words
// at blanks, "${NAME}" is substituted in place, unknown names expand to nothing.
std::vector<std::string> expand_command_line(std::string_view command_line,
                                             const std::map<std::string, std::string> &environment);

struct DockerUnit {
        bool found = false;               // a fragment exists (and is not masked)
        std::string fragment;             // its path, "" when not found
        std::vector<std::string> dropins; // applied in this order
        ServiceSettings settings;
        std::map<std::string, std::string> environment; // Environment= and the files that exist
        DockerdFlags flags;                             // from every ExecStart= line
        bool reads_sysconfig = false;
};

// Loads docker.service under `root` ("" = the real root; tests pass a directory).
DockerUnit load_docker_unit(const std::string &root);

} // namespace css::engine
