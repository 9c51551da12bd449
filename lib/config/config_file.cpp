// SPDX-License-Identifier: Apache-2.0
#include "config/config_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace css {

namespace {

// Far above any real configuration (the largest sane one is a few KiB), low enough that a
// mistaken path cannot make a boot-time helper read gigabytes.
constexpr off_t max_config_size = 16 << 20;

struct Fd {
        int fd = -1;
        ~Fd()
        {
                if (fd >= 0)
                        ::close(fd);
        }
};

} // namespace

Result<std::optional<std::string>> read_config_file(const std::string &path, Symlinks symlinks)
{
        // O_NONBLOCK so that opening a FIFO cannot hang; it is refused just below.
        const int nofollow = symlinks == Symlinks::refuse ? O_NOFOLLOW : 0;
        Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | nofollow)};
        if (f.fd < 0) {
                if (errno == ENOENT)
                        return std::optional<std::string>();
                if (errno == ELOOP && nofollow)
                        return Error{"Failed to read '" + path + "': it is a symbolic link", ELOOP};
                return make_errno_error(errno, "Failed to open '" + path + "'");
        }
        struct stat st;
        if (::fstat(f.fd, &st) < 0)
                return make_errno_error(errno, "Failed to stat '" + path + "'");
        if (S_ISDIR(st.st_mode))
                return make_errno_error(EISDIR, "Failed to read '" + path + "'");
        if (!S_ISREG(st.st_mode))
                return Error{"Failed to read '" + path + "': not a regular file", EINVAL};
        if (st.st_size > max_config_size)
                return Error{"Failed to read '" + path + "': larger than 16 MiB, not a configuration file", EFBIG};

        std::string text;
        char buffer[65536];
        for (;;) {
                ssize_t n = ::read(f.fd, buffer, sizeof buffer);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return make_errno_error(errno, "Failed to read '" + path + "'");
                if (n == 0)
                        break;
                text.append(buffer, static_cast<size_t>(n));
                if (text.size() > static_cast<size_t>(max_config_size))
                        return Error{"Failed to read '" + path + "': larger than 16 MiB, not a configuration file",
                                     EFBIG};
        }
        return std::optional<std::string>(std::move(text));
}

} // namespace css
