// SPDX-License-Identifier: Apache-2.0
#include "core/standard_fds.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace css {

bool open_missing_standard_fds()
{
        for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
                if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
                        continue;
                // open() takes the lowest free number: this one, as the lower ones are open by now.
                // No O_CLOEXEC: like any standard descriptor it is meant to be inherited.
                int null = ::open("/dev/null", O_RDWR | O_NOCTTY);
                if (null < 0)
                        return false;
                if (null != fd) {
                        ::close(null);
                        return false;
                }
        }
        return true;
}

} // namespace css
