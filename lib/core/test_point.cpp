// SPDX-License-Identifier: Apache-2.0
#include "core/test_point.hpp"

#if CSS_TEST_POINTS

#include "core/log.hpp"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace css {

namespace {

// The knob's value: the environment first (host tests), then the kernel command line.
std::string knob()
{
        if (const char *v = std::getenv("CSS_TEST_POINT"); v && *v)
                return v;
        int fd = ::open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return {};
        char buf[4096];
        ssize_t n = ::read(fd, buf, sizeof buf - 1);
        ::close(fd);
        if (n <= 0)
                return {};
        std::string_view cmdline(buf, static_cast<size_t>(n));
        constexpr std::string_view key = "css.test_point=";
        for (size_t pos = 0; (pos = cmdline.find(key, pos)) != std::string_view::npos; pos += key.size()) {
                if (pos > 0 && cmdline[pos - 1] != ' ')
                        continue;
                std::string_view rest = cmdline.substr(pos + key.size());
                return std::string(rest.substr(0, rest.find_first_of(" \n")));
        }
        return {};
}

} // namespace

void test_point(std::string_view point)
{
        static const std::string wanted = knob();
        if (wanted.empty())
                return;
        std::string name = std::string(program_invocation_short_name) + ":" + std::string(point);
        std::string_view target = wanted;
        unsigned sleep_s = 0;
        bool freeze = true;
        if (size_t at = target.find('@'); at != std::string_view::npos) {
                std::string_view seconds = target.substr(at + 1);
                target = target.substr(0, at);
                std::from_chars(seconds.data(), seconds.data() + seconds.size(), sleep_s);
                freeze = false;
        }
        if (target != name)
                return;

        std::string line = "CSS-TEST-POINT " + name + "\n";
        if (int fd = ::open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC); fd >= 0) {
                (void)!::write(fd, line.data(), line.size());
                ::close(fd);
        }
        log::notice("Test point " + name + " reached" + (freeze ? ", stopping here" : ""));
        if (freeze)
                for (;;)
                        ::pause();
        ::sleep(sleep_s);
}

} // namespace css

#endif
