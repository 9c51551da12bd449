// SPDX-License-Identifier: Apache-2.0
#pragma once

// The container engines' systemd units, as the distributions ship them.

#include <array>
#include <string_view>

namespace css::engine {

// The engines that must not start on unprepared storage (the generator's drop-ins). A drop-in
// for an engine that is not installed is never loaded, so listing all of them costs nothing.
// podman-restart.service starts podman's restart=always containers at boot, without
// podman.service.
inline constexpr std::array<std::string_view, 5> engine_units = {
        "docker.service", "containerd.service", "podman.service", "podman-restart.service", "crio.service"};

// The sockets that start an engine when a client connects: stopped with the engines, so that
// no client starts one on storage being changed.
inline constexpr std::array<std::string_view, 2> engine_sockets = {"docker.socket", "podman.socket"};

} // namespace css::engine
