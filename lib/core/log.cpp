// SPDX-License-Identifier: Apache-2.0
#include "core/log.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace css::log {

namespace {

std::string program = "container-storage-setup";
Target target = Target::automatic;
Level level_max = Level::info;
int kmsg_fd = -1;
std::string last_err;

const char *human_word(Level level)
{
        switch (level) {
        case Level::err:
                return "ERROR: ";
        case Level::warning:
                return "WARNING: ";
        case Level::notice:
        case Level::info:
                return "INFO: ";
        case Level::debug:
                return "DEBUG: ";
        }
        return "";
}

bool parse_level(std::string_view s, Level &out)
{
        static constexpr std::pair<std::string_view, Level> names[] = {
                {"err", Level::err},       {"error", Level::err}, {"warning", Level::warning},
                {"notice", Level::notice}, {"info", Level::info}, {"debug", Level::debug},
        };
        for (const auto &[name, level] : names)
                if (s == name) {
                        out = level;
                        return true;
                }
        return false;
}

void write_all(int fd, const std::string &s)
{
        const char *p = s.data();
        size_t left = s.size();
        while (left > 0) {
                ssize_t n = ::write(fd, p, left);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return;
                p += n;
                left -= static_cast<size_t>(n);
        }
}

} // namespace

void setup(std::string_view program_name, Target t)
{
        program = program_name;
        target = t;
        if (const char *e = std::getenv("CSS_LOG_LEVEL"))
                parse_level(e, level_max);
        if (target == Target::kmsg && kmsg_fd < 0)
                kmsg_fd = ::open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

void set_max_level(Level level)
{
        level_max = level;
}
Level max_level()
{
        return level_max;
}

const std::string &last_error()
{
        return last_err;
}

void write(Level level, std::string_view message)
{
        if (level == Level::err)
                last_err = message;
        if (static_cast<int>(level) > static_cast<int>(level_max))
                return;

        std::string line;
        line.reserve(message.size() + program.size() + 16);
        if (target == Target::kmsg && kmsg_fd >= 0) {
                // The kernel log needs an identifier: "<3>name[pid]: text".
                line += '<';
                line += std::to_string(static_cast<int>(level));
                line += '>';
                line += program;
                line += '[';
                line += std::to_string(::getpid());
                line += "]: ";
                line += message;
                line += '\n';
                write_all(kmsg_fd, line);
                return;
        }
        if (::isatty(STDERR_FILENO)) {
                line += human_word(level);
        } else {
                line += '<';
                line += std::to_string(static_cast<int>(level));
                line += '>';
        }
        line += message;
        line += '\n';
        write_all(STDERR_FILENO, line);
}

} // namespace css::log
