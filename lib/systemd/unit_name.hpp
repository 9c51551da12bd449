// SPDX-License-Identifier: Apache-2.0
#pragma once

// Unit names from strings and paths, byte for byte what systemd 252 does (src/basic/unit-name.c)
// and therefore what `systemd-escape`, `systemd-escape --path` and `--template=` print. Mount
// units must be named after their Where= and device units after their node, so "close enough"
// escaping gives units that systemd silently ignores or never matches.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace css::unit_name {

// systemd's UNIT_NAME_MAX: the longest valid unit name, suffix included.
inline constexpr size_t max_length = 255;

// `systemd-escape STRING`: '/' becomes '-'; '-', '\' and every byte outside [A-Za-z0-9:_.]
// become "\xNN"; a leading '.' is escaped too so no unit name starts with a dot.
std::string escape(std::string_view s);

// systemd's path_simplify(): collapses "//" and "/./", drops a trailing "/" (keeps "/" itself).
std::string simplify_path(std::string_view path);

// True when a component of `path` is "." or "..": not normalized, whatever else it is.
bool has_dot_component(std::string_view path);

// `systemd-escape --path PATH`: simplify, then "/" gives "-", anything else loses its leading
// and trailing slashes and is escaped. "" counts as "/" (systemd's empty_or_root()). Errors on
// paths systemd refuses: longer than PATH_MAX, or "." / ".." components left after simplifying.
Result<std::string> path_escape(std::string_view path);

// PATH + "." + type, e.g. ("/var/lib/docker", "mount") -> "var-lib-docker.mount". Errors when the
// path cannot be escaped or the name would be longer than max_length.
Result<std::string> from_path(std::string_view path, std::string_view type);

// `systemd-escape --template=TEMPLATE`: "css-prepare-disk@.service" + instance ->
// "css-prepare-disk@<instance>.service". The instance is used as given (escape it first).
Result<std::string> instantiate(std::string_view template_name, std::string_view instance);

} // namespace css::unit_name
