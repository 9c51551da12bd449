// SPDX-License-Identifier: Apache-2.0
#pragma once

// Closes a file descriptor when it goes out of scope, so no early return leaks one.

#include <unistd.h>

namespace css {

struct Fd {
        int fd = -1;
        explicit Fd(int f) : fd(f) {}
        Fd(const Fd &) = delete;
        Fd &operator=(const Fd &) = delete;
        ~Fd()
        {
                if (fd >= 0)
                        ::close(fd);
        }
};

} // namespace css
