// SPDX-License-Identifier: Apache-2.0
#include "systemd/environment.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "core/words.hpp"
#include "systemd/proc_cmdline.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <optional>
#include <string_view>
#include <unistd.h>

namespace css::environment {

namespace {

// Nothing read here is near that large.
std::optional<std::string> read_small_file(const std::string &path)
{
        return css::read_small_file(path, 1u << 20);
}

bool exists(std::string_view path)
{
        return ::access(paths::host_path(path).c_str(), F_OK) == 0;
}

std::optional<bool> override_from(const char *variable)
{
        const char *e = std::getenv(variable);
        if (!e)
                return std::nullopt;
        std::optional<bool> b = proc_cmdline::parse_boolean(e);
        if (!b)
                log::warning(std::string("Failed to parse ") + variable + "='" + e + "', ignoring.");
        return b;
}

} // namespace

bool in_initrd()
{
        if (std::optional<bool> o = override_from("CSS_IN_INITRD"))
                return *o;
        return exists(paths::initrd_release);
}

bool in_container()
{
        if (std::optional<bool> o = override_from("CSS_IN_CONTAINER"))
                return *o;

        if (exists("/proc/vz") && !exists("/proc/bc"))
                return true;

        // PID 1 copies its "container" variable here (systemd(1), "Environment").
        if (std::optional<std::string> c = read_small_file(paths::host_path("/run/systemd/container")))
                if (const std::string v = without_line_end(*c); !v.empty() && v != "none")
                        return true;

        if (std::optional<std::string> env = read_small_file(paths::host_path("/proc/1/environ"))) {
                std::string_view rest = *env;
                while (!rest.empty()) {
                        size_t end = rest.find('\0');
                        std::string_view var = rest.substr(0, end);
                        if (var.starts_with("container=") && var.size() > 10)
                                return true;
                        if (end == std::string_view::npos)
                                break;
                        rest.remove_prefix(end + 1);
                }
        }
        return false;
}

std::string kernel_cmdline()
{
        if (const char *e = std::getenv("CSS_PROC_CMDLINE"))
                return e;
        return read_small_file(paths::host_path(paths::proc_cmdline)).value_or("");
}

} // namespace css::environment
