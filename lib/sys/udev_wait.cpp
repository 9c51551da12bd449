// SPDX-License-Identifier: Apache-2.0
#include "sys/udev_wait.hpp"

#include "core/fd.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <poll.h>
#include <string>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

namespace css::udev {

namespace {

std::string parent_dir(const std::string &path)
{
        size_t slash = path.rfind('/');
        return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

// Watches the nearest existing ancestor of `path`: /dev/disk/by-id may not exist yet when
// we start, and its creation is then the event that wakes us. Adding a watch again for the
// same directory is harmless (inotify returns the same descriptor).
void watch_nearest(int ifd, std::string dir)
{
        constexpr uint32_t mask = IN_CREATE | IN_MOVED_TO | IN_ATTRIB | IN_CLOSE_WRITE | IN_ONLYDIR;
        while (::inotify_add_watch(ifd, dir.c_str(), mask) < 0) {
                if (dir == "/" || (errno != ENOENT && errno != ENOTDIR))
                        return;
                dir = parent_dir(dir);
        }
}

enum class State { missing, not_block, ready };

State check(const std::string &node)
{
        struct stat st;
        if (::stat(node.c_str(), &st) < 0)
                return State::missing;
        return S_ISBLK(st.st_mode) ? State::ready : State::not_block;
}

} // namespace

Result<void> wait_for_device(std::string_view devnode, std::chrono::milliseconds timeout)
{
        using clock = std::chrono::steady_clock;
        const auto deadline = clock::now() + timeout;
        const std::string node = paths::host_path(devnode);

        int raw = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (raw < 0)
                return make_errno_error(errno, "Failed to set up inotify");
        Fd ifd(raw);

        for (;;) {
                // Watch first, then look: an event between the two still wakes the poll.
                watch_nearest(ifd.fd, parent_dir(node));
                State state = check(node);
                if (state == State::ready)
                        return {};

                // Rounded up: truncating gave up to 1 ms before the deadline (seen in the tests).
                auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
                if (left.count() <= 0) {
                        std::string why = state == State::missing ? "it does not exist" : "it is not a block device";
                        return Error{"Timed out after " + std::to_string(timeout.count()) + " ms waiting for '" +
                                             std::string(devnode) + "': " + why,
                                     ETIMEDOUT};
                }
                struct pollfd pfd = {ifd.fd, POLLIN, 0};
                int n = ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left.count(), INT32_MAX)));
                if (n < 0 && errno != EINTR)
                        return make_errno_error(errno, "Failed to wait for '" + std::string(devnode) + "'");
                // Drain; which event it was does not matter, the state is checked again.
                char buf[4096];
                while (::read(ifd.fd, buf, sizeof buf) > 0) {
                }
                log::debug("Waiting for '" + std::string(devnode) + "': woke up");
        }
}

} // namespace css::udev
