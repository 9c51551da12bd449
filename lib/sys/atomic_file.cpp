// SPDX-License-Identifier: Apache-2.0
#include "sys/atomic_file.hpp"

#include "core/log.hpp"
#include "core/test_point.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace css {

namespace {

bool write_all(int fd, std::string_view data)
{
        while (!data.empty()) {
                ssize_t n = ::write(fd, data.data(), data.size());
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return false;
                data.remove_prefix(static_cast<size_t>(n));
        }
        return true;
}

// Moves `tmp` to `target` without replacing an existing target.
int rename_noreplace(int dirfd, const char *tmp, const char *target)
{
        if (::renameat2(dirfd, tmp, dirfd, target, RENAME_NOREPLACE) == 0)
                return 0;
        if (errno != EINVAL && errno != ENOSYS)
                return -1;
        // The filesystem has no RENAME_NOREPLACE: link() fails atomically with EEXIST too.
        if (::linkat(dirfd, tmp, dirfd, target, 0) < 0)
                return -1;
        (void)::unlinkat(dirfd, tmp, 0);
        return 0;
}

// Removes the temp files of earlier writes of `base` that never got renamed: a power cut between
// the fsync and the rename leaves one for good (found by the power-cut tests). Our writers of a
// file are serialised (the global lock), so a temp file of this name is never a live one.
void remove_stale_temp_files(int dirfd, const std::string &base)
{
        int fd = ::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
        DIR *d = ::fdopendir(fd);
        if (!d) {
                ::close(fd);
                return;
        }
        const std::string prefix = "." + base + ".";
        auto is_suffix_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
        while (const dirent *e = ::readdir(d)) {
                std::string_view name = e->d_name;
                if (name.size() != prefix.size() + 6 || !name.starts_with(prefix) ||
                    !std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(), is_suffix_char))
                        continue;
                struct stat st {};
                if (::fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
                    ::unlinkat(dirfd, e->d_name, 0) == 0)
                        log::info("Removed " + std::string(name) + ", left by an interrupted write of " + base + ".");
        }
        ::closedir(d);
}

} // namespace

Result<void> write_file_atomic(const std::string &path, std::string_view content, const AtomicWriteOptions &options)
{
        size_t slash = path.rfind('/');
        std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
        std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
        if (base.empty())
                return Error{"Failed to write '" + path + "': not a file name", EINVAL};

        int dirfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return make_errno_error(errno, "Failed to open directory '" + dir + "'");

        remove_stale_temp_files(dirfd, base);

        // A hidden name in the same directory; mkostemp gives O_EXCL creation (mode 0600 until
        // the fchmod below, so nobody reads a file whose mode is not final yet).
        std::string tmp_path = dir + "/." + base + ".XXXXXX";
        int fd = ::mkostemp(tmp_path.data(), O_CLOEXEC);
        if (fd < 0) {
                int e = errno;
                ::close(dirfd);
                return make_errno_error(e, "Failed to create a temporary file in '" + dir + "'");
        }
        std::string tmp_name = tmp_path.substr(tmp_path.rfind('/') + 1);

        auto fail = [&](int e, const std::string &what) -> Result<void> {
                ::close(fd);
                (void)::unlinkat(dirfd, tmp_name.c_str(), 0);
                ::close(dirfd);
                return make_errno_error(e, what);
        };

        if (::fchmod(fd, options.mode) < 0)
                return fail(errno, "Failed to set the mode of '" + tmp_path + "'");
        if (!write_all(fd, content))
                return fail(errno, "Failed to write '" + tmp_path + "'");
        if (::fsync(fd) < 0)
                return fail(errno, "Failed to sync '" + tmp_path + "'");
        test_point("before-rename");

        int r = options.no_replace ? rename_noreplace(dirfd, tmp_name.c_str(), base.c_str())
                                   : ::renameat(dirfd, tmp_name.c_str(), dirfd, base.c_str());
        if (r < 0)
                return fail(errno, "Failed to write '" + path + "'");
        ::close(fd);

        int e = ::fsync(dirfd) < 0 ? errno : 0;
        ::close(dirfd);
        if (e)
                return make_errno_error(e, "Failed to sync directory '" + dir + "'");
        return {};
}

Result<void> make_directories(const std::string &dir)
{
        for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
                std::string prefix = dir.substr(0, slash);
                if (::mkdir(prefix.c_str(), 0755) < 0 && errno != EEXIST)
                        return make_errno_error(errno, "Failed to create directory '" + prefix + "'");
                if (slash == std::string::npos)
                        return {};
        }
}

Result<void> sync_directory(const std::string &dir)
{
        int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return make_errno_error(errno, "Failed to open directory '" + dir + "'");
        int e = ::fsync(fd) < 0 ? errno : 0;
        ::close(fd);
        if (e)
                return make_errno_error(e, "Failed to sync directory '" + dir + "'");
        return {};
}

} // namespace css
