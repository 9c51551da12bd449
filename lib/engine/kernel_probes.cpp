// SPDX-License-Identifier: Apache-2.0
#include "engine/kernel_probes.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace css {

namespace {

// Runs `child` in a forked process that first moves into a private mount namespace, and returns
// the errno it exited with (0 on success). Only async-signal-safe calls may run in `child`.
template <typename Fn> int in_private_mount_namespace(Fn child)
{
        pid_t pid = fork();
        if (pid < 0)
                return errno;
        if (pid == 0) {
                if (unshare(CLONE_NEWNS) < 0)
                        _exit(errno & 0xff);
                // Keep every mount we make in here from propagating back to the host.
                if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0)
                        _exit(errno & 0xff);
                _exit(child() & 0xff);
        }
        int status;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return errno;
        if (!WIFEXITED(status))
                return EINTR;
        return WEXITSTATUS(status);
}

int make_dir(const std::string &path)
{
        if (mkdir(path.c_str(), 0700) < 0 && errno != EEXIST)
                return errno;
        return 0;
}

} // namespace

Result<void> probe_overlay_mount(const std::string &scratch_dir)
{
        const std::string lower1 = scratch_dir + "/lower1", lower2 = scratch_dir + "/lower2",
                          upper = scratch_dir + "/upper", work = scratch_dir + "/work",
                          merged = scratch_dir + "/merged";
        for (const std::string *dir : {&scratch_dir, &lower1, &lower2, &upper, &work, &merged})
                if (int r = make_dir(*dir))
                        return make_errno_error(r, "Failed to create directory " + *dir);

        const std::string options = "lowerdir=" + lower1 + ":" + lower2 + ",upperdir=" + upper + ",workdir=" + work;
        int r = in_private_mount_namespace(
                [&] { return mount("overlay", merged.c_str(), "overlay", 0, options.c_str()) < 0 ? errno : 0; });

        // overlayfs leaves work/work behind; remove everything we made, deepest first.
        rmdir((work + "/work").c_str());
        for (const std::string *dir : {&merged, &work, &upper, &lower2, &lower1, &scratch_dir})
                rmdir(dir->c_str());

        if (r != 0)
                return make_errno_error(r, "Failed to mount overlay with two lower directories");
        return {};
}

bool deferred_deletion_supported(const std::string &scratch_dir)
{
        if (make_dir(scratch_dir) != 0)
                return false;
        char templ[] = "/deferred-deletion.XXXXXX";
        std::string dir = scratch_dir + templ;
        if (!mkdtemp(dir.data()))
                return false;

        // Two pipes: the child says "mounted", then waits until the parent has tried rmdir.
        int ready[2], done[2];
        if (pipe2(ready, O_CLOEXEC) < 0)
                return false;
        if (pipe2(done, O_CLOEXEC) < 0) {
                close(ready[0]);
                close(ready[1]);
                return false;
        }

        pid_t pid = fork();
        if (pid < 0) {
                for (int fd : {ready[0], ready[1], done[0], done[1]})
                        close(fd);
                rmdir(dir.c_str());
                return false;
        }
        if (pid == 0) {
                close(ready[0]);
                close(done[1]);
                if (unshare(CLONE_NEWNS) < 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0 ||
                    mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) < 0)
                        _exit(1);
                char c = 's';
                if (write(ready[1], &c, 1) != 1)
                        _exit(1);
                // Block until the parent closes its end (after its rmdir attempt).
                while (read(done[0], &c, 1) < 0 && errno == EINTR)
                        ;
                _exit(0);
        }
        close(ready[1]);
        close(done[0]);

        bool supported = false;
        pollfd pfd{ready[0], POLLIN, 0};
        char c;
        // The original waited 10 s for the child; a fork without exec answers in microseconds.
        if (poll(&pfd, 1, 10000) == 1 && read(ready[0], &c, 1) == 1)
                supported = rmdir(dir.c_str()) == 0;
        close(done[1]);
        close(ready[0]);
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        rmdir(dir.c_str());
        return supported;
}

} // namespace css
