// SPDX-License-Identifier: Apache-2.0
#include "core/small_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace css {

std::optional<std::string> read_small_file(const std::string &path, size_t limit)
{
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return std::nullopt;
        std::string data;
        char buf[8192];
        // One byte past the limit tells a file that is too long from one that just fits.
        while (data.size() <= limit) {
                ssize_t n = ::read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                data.append(buf, static_cast<size_t>(n));
        }
        ::close(fd);
        if (data.size() > limit) {
                errno = EFBIG;
                return std::nullopt;
        }
        return data;
}

} // namespace css
