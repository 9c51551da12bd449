// SPDX-License-Identifier: Apache-2.0
#pragma once

// Logging with syslog levels written as "<N>" prefixes (sd-daemon(3)).
//
// Helpers run as systemd services: stderr is connected to the journal, which parses the
// prefix into the priority. The generator runs before journald, so it writes to /dev/kmsg as
// systemd.generator(7) asks, falling back to stderr. When stderr is a terminal (a person ran
// a command by hand) the prefix is replaced with the original tool's "INFO: "/"ERROR: " words.

#include <string>
#include <string_view>

namespace css::log {

enum class Level { err = 3, warning = 4, notice = 5, info = 6, debug = 7 };

enum class Target {
        automatic, // stderr; human-readable words if stderr is a tty
        kmsg,      // /dev/kmsg, stderr when it cannot be opened
};

// Sets the program name and target; reads CSS_LOG_LEVEL (err, warning, notice, info, debug).
void setup(std::string_view program_name, Target target = Target::automatic);

void set_max_level(Level level);
Level max_level();

void write(Level level, std::string_view message);

// The last message this process logged at priority err, "" when none: the reason a helper
// failed (steps/failure_reason.hpp hands it to `check --step`).
const std::string &last_error();

inline void error(std::string_view m)
{
        write(Level::err, m);
}
inline void warning(std::string_view m)
{
        write(Level::warning, m);
}
inline void notice(std::string_view m)
{
        write(Level::notice, m);
}
inline void info(std::string_view m)
{
        write(Level::info, m);
}
inline void debug(std::string_view m)
{
        write(Level::debug, m);
}

} // namespace css::log
