// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-check-engine: the pre-flight, the first step of the chain, so that a refusal stops
// every step before any disk is touched. It only reads (a dry run decides as a real one):
//
//   * STORAGE_DRIVER=devicemapper needs an engine that still has the driver: refused when the
//     installed docker is 25 or newer (`dockerd --version`), or, with no docker, when podman is
//     5 or newer (`podman --version`) and no CRI-O is installed. With no engine installed at all
//     the pool is set up, as the original did, for an engine installed later (an image build,
//     or docker installed by cloud-init after the first boot): there is nothing to ask.
//     A version that cannot be read refuses nothing (a warning says so).
//   * When the output is daemon.json (engine_output.hpp): the file must be readable JSON
//     holding an object and not a symbolic link, must not name another storage driver, and
//     docker.service's flags must not conflict with what will be written.

#include "config/config.hpp"
#include "core/result.hpp"
#include "engine/engine_version.hpp"
#include "steps/step_context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace css::steps {

struct InstalledEngine {
        std::string name;    // "docker", "podman", "crio"
        std::string program; // as shown, e.g. /usr/sbin/dockerd
        std::optional<engine::Version> version;
};

// The refusal for devicemapper with these engines, or nothing.
Result<void> check_devicemapper_engines(StorageDriver driver, const std::vector<InstalledEngine> &engines);

// The engines installed on this host (under CSS_ROOT), with the versions they report.
std::vector<InstalledEngine> installed_engines();

// The daemon.json part: when daemon.json is the output, that our keys fit in it; when docker's
// unit reads the sysconfig file, that daemon.json does not set what that file passes as flags.
Result<void> check_daemon_json(const Config &config);

int check_engine(StepContext &context);

} // namespace css::steps
