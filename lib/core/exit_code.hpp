// SPDX-License-Identifier: Apache-2.0
#pragma once

// The exit codes of every program here (the helpers, the CLI, the generator), and the one way a
// step or a command gives up: log the reason as one line, return exit_failure.

#include "core/result.hpp"

#include <string_view>

namespace css {

enum ExitCode : int { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

// Logs the error's message as the one-line reason and returns exit_failure.
int fail(const Error &error);
int fail(std::string_view message);

} // namespace css
