// SPDX-License-Identifier: Apache-2.0
#pragma once

// The installed container engines and their versions, for the one question a version answers:
// does this engine still have the devicemapper storage driver? docker removed it in 25.0
// (deprecated since 18.09); containers/storage removed it in 1.54, the library of podman 5.
//
// The versions come from the engines themselves (`dockerd --version`, `podman --version`),
// run by css-check-engine through the process runner; the generator runs nothing.

#include <optional>
#include <string>
#include <string_view>

namespace css::engine {

struct Version {
        unsigned major = 0;
        unsigned minor = 0;
        unsigned patch = 0;
        bool operator==(const Version &) const = default;
        auto operator<=>(const Version &) const = default;
};

// "Docker version 26.1.5+dfsg1, build a72d7cd" -> 26.1.5; nullopt for anything else.
std::optional<Version> parse_docker_version(std::string_view text);

// "podman version 5.4.2" -> 5.4.2; nullopt for anything else.
std::optional<Version> parse_podman_version(std::string_view text);

std::string to_string(const Version &version);

// The first version without the devicemapper driver.
inline constexpr Version docker_without_devicemapper{25, 0, 0};
inline constexpr Version podman_without_devicemapper{5, 0, 0};

} // namespace css::engine
