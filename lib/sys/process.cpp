// SPDX-License-Identifier: Apache-2.0
#include "sys/process.hpp"

#include "core/test_point.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace css::process {

namespace {

std::map<std::string, unsigned> counts;

// Closes on scope exit; -1 means "nothing to close".
struct Fd {
        int fd = -1;
        Fd() = default;
        explicit Fd(int f) : fd(f) {}
        Fd(const Fd &) = delete;
        Fd &operator=(const Fd &) = delete;
        ~Fd() { reset(); }
        void reset()
        {
                if (fd >= 0)
                        ::close(fd);
                fd = -1;
        }
};

bool make_pipe(Fd &read_end, Fd &write_end)
{
        int p[2];
        if (::pipe2(p, O_CLOEXEC) < 0)
                return false;
        read_end.fd = p[0];
        write_end.fd = p[1];
        return true;
}

std::string_view basename_of(std::string_view path)
{
        size_t slash = path.rfind('/');
        return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view variable_name(std::string_view entry)
{
        return entry.substr(0, entry.find('='));
}

// The environment for the child: the fixed one, with extra_env entries added or replacing its
// own. Never anything of ours (process.hpp says why).
std::vector<std::string> build_env(const std::vector<std::string> &extra)
{
        std::vector<std::string> env = {"PATH=" + std::string(safe_path), "LC_ALL=C"};
        std::erase_if(env, [&](const std::string &entry) {
                return std::any_of(extra.begin(), extra.end(),
                                   [&](const std::string &x) { return variable_name(x) == variable_name(entry); });
        });
        env.insert(env.end(), extra.begin(), extra.end());
        return env;
}

std::vector<char *> c_array(std::vector<std::string> &strings)
{
        std::vector<char *> v;
        v.reserve(strings.size() + 1);
        for (std::string &s : strings)
                v.push_back(s.data());
        v.push_back(nullptr);
        return v;
}

// Only async-signal-safe calls from here on: we may be a fork of a multi-threaded parent.
[[noreturn]] void child_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd, int stdout_fd,
                             int stderr_fd, int report_fd, pid_t parent)
{
        // Reset what the child would otherwise inherit: dispositions and the blocked mask.
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        (void)::sigaction(sig, &dfl, nullptr);
        sigset_t none;
        ::sigemptyset(&none);
        (void)::sigprocmask(SIG_SETMASK, &none, nullptr);

        // Do not outlive us: if the helper is killed, lvm should not go on alone.
        (void)::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
                ::_exit(127);

        auto fail = [report_fd](int err) {
                ssize_t r;
                do
                        r = ::write(report_fd, &err, sizeof err);
                while (r < 0 && errno == EINTR);
                ::_exit(127);
        };

        // dup2 clears FD_CLOEXEC on the target, which is what makes 0/1/2 survive execve.
        if (::dup2(stdin_fd, STDIN_FILENO) < 0)
                fail(errno);
        if (stdout_fd != STDOUT_FILENO && ::dup2(stdout_fd, STDOUT_FILENO) < 0)
                fail(errno);
        if (::dup2(stderr_fd, STDERR_FILENO) < 0)
                fail(errno);

        // Nothing else may leak into lvm (it warns "File descriptor N leaked" and a leaked
        // lock fd would hold our lock). Mark everything above 2 close-on-exec: the report
        // pipe must stay open until execve succeeds.
        if (::syscall(SYS_close_range, 3U, ~0U, 1U << 2 /* CLOSE_RANGE_CLOEXEC */) < 0) {
                struct rlimit rl {};
                int max_fd = 65536;
                if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
                        max_fd = static_cast<int>(std::min<rlim_t>(rl.rlim_cur, 1 << 20));
                for (int fd = 3; fd < max_fd; fd++)
                        (void)::fcntl(fd, F_SETFD, FD_CLOEXEC);
        }

        ::execve(path, argv, envp);
        fail(errno);
        ::_exit(127);
}

void write_exec_log(const std::vector<std::string> &argv)
{
        const char *file = std::getenv("CSS_EXEC_LOG");
        if (!file || !*file)
                return;
        int fd = ::open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0) {
                log::debug(make_errno_error(errno, std::string("Failed to open exec log '") + file + "'").message);
                return;
        }
        // One write() per line: O_APPEND keeps lines from concurrent helpers whole.
        std::string line = program_invocation_short_name;
        line += '\t';
        line += format_argv(argv);
        line += '\n';
        ssize_t r;
        do
                r = ::write(fd, line.data(), line.size());
        while (r < 0 && errno == EINTR);
        ::close(fd);
}

// Splits complete lines off `pending` and logs them.
void forward_lines(std::string &pending, log::Level level, std::string_view program, bool flush_all)
{
        size_t start = 0;
        for (;;) {
                size_t nl = pending.find('\n', start);
                if (nl == std::string::npos)
                        break;
                std::string_view line{pending.data() + start, nl - start};
                if (!line.empty())
                        log::write(level, std::string(program) + ": " + std::string(line));
                start = nl + 1;
        }
        pending.erase(0, start);
        if (flush_all && !pending.empty()) {
                log::write(level, std::string(program) + ": " + pending);
                pending.clear();
        }
}

int pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
        return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
        (void)pid;
        errno = ENOSYS;
        return -1;
#endif
}

std::chrono::milliseconds time_left(std::chrono::steady_clock::time_point deadline)
{
        // Rounded up: no busy poll(0) in the last fraction of a millisecond.
        auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        return std::max(left, std::chrono::milliseconds(0));
}

// Reaps the child if it ends within `limit`: true when it did, false when it is still running.
// The pidfd (-1 on a kernel without one) wakes us when it ends; without it we look every 10 ms.
Result<bool> wait_for_exit(pid_t pid, int pidfd, std::chrono::milliseconds limit, int &status)
{
        const auto deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
                pid_t r = ::waitpid(pid, &status, WNOHANG);
                if (r == pid)
                        return true;
                if (r < 0 && errno != EINTR)
                        return make_errno_error(errno, "Failed to wait for process " + std::to_string(pid));
                std::chrono::milliseconds left = time_left(deadline);
                if (left.count() == 0)
                        return false;
                pollfd p{pidfd, POLLIN, 0};
                if (pidfd < 0)
                        left = std::min(left, std::chrono::milliseconds(10));
                (void)::poll(&p, pidfd >= 0 ? 1 : 0, static_cast<int>(left.count()));
        }
}

// SIGTERM, then SIGKILL when it is still there kill_grace later. False when it outlived even
// that: stuck in the kernel (a device that does not answer), where no signal reaches it.
Result<bool> stop(pid_t pid, int pidfd, int &status)
{
        (void)::kill(pid, SIGTERM);
        Result<bool> ended = wait_for_exit(pid, pidfd, kill_grace, status);
        if (!ended || *ended)
                return ended;
        (void)::kill(pid, SIGKILL);
        return wait_for_exit(pid, pidfd, kill_grace, status);
}

// "10 min", "30 s", "200 ms": as a person would write the value.
std::string format_duration(std::chrono::milliseconds d)
{
        long long ms = d.count();
        if (ms != 0 && ms % 60000 == 0)
                return std::to_string(ms / 60000) + " min";
        if (ms != 0 && ms % 1000 == 0)
                return std::to_string(ms / 1000) + " s";
        return std::to_string(ms) + " ms";
}

// Why run() stopped the child, "" if it did not.
std::string why_stopped(const Outcome &o)
{
        if (o.timed_out)
                return "did not finish within " + format_duration(o.timeout);
        if (o.output_too_large)
                return "wrote more than " + std::to_string(output_limit >> 20) + " MiB of output";
        return "";
}

} // namespace

std::string Outcome::describe() const
{
        if (skipped)
                return "was not run (dry run)";
        if (std::string why = why_stopped(*this); !why.empty())
                return why + " and was stopped";
        if (term_signal != 0)
                return "was killed by signal " + std::to_string(term_signal) + " (" + ::strsignal(term_signal) + ")";
        return "exited with status " + std::to_string(exit_status);
}

Outcome pretend(const Command &command)
{
        std::string line = "would run: " + format_argv(command.argv) + "\n";
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fflush(stdout);
        Outcome o;
        o.exit_status = 0;
        o.skipped = true;
        return o;
}

std::string quote(std::string_view word)
{
        auto safe = [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::strchr("@%+=:,./-_", c) != nullptr;
        };
        if (!word.empty() && std::all_of(word.begin(), word.end(), safe))
                return std::string(word);
        std::string q = "'";
        for (char c : word) {
                if (c == '\'')
                        q += "'\\''";
                else
                        q += c;
        }
        q += '\'';
        return q;
}

std::string format_argv(const std::vector<std::string> &argv)
{
        std::string s;
        for (const std::string &a : argv) {
                if (!s.empty())
                        s += ' ';
                s += quote(a);
        }
        return s;
}

std::vector<std::string> test_knobs()
{
        // Every CSS_* variable our programs read (docs/design.md, "Test knobs").
        static constexpr const char *names[] = {
                "CSS_ROOT",       "CSS_PROC_CMDLINE", "CSS_IN_INITRD",    "CSS_IN_CONTAINER", "CSS_LOG_LEVEL",
                "CSS_LOG_TARGET", "CSS_EXEC_LOG",     "CSS_LOCK_TIMEOUT", "CSS_TEST_POINT",   "CSS_STATE_DIR",
        };
        std::vector<std::string> knobs;
        for (const char *name : names)
                if (const char *value = std::getenv(name))
                        knobs.push_back(std::string(name) + "=" + value);
        return knobs;
}

Result<std::string> find_program(std::string_view name)
{
        if (name.empty())
                return Error{"Failed to run a command: empty program name", EINVAL};
        if (name.find('/') != std::string_view::npos) {
                // Relative paths would depend on our working directory: refuse them.
                if (name.front() != '/')
                        return Error{"Failed to run '" + std::string(name) + "': not a bare name or an absolute path",
                                     EINVAL};
                return std::string(name);
        }
        std::string_view dirs = safe_path;
        while (!dirs.empty()) {
                size_t colon = dirs.find(':');
                std::string candidate{dirs.substr(0, colon)};
                candidate += '/';
                candidate += name;
                struct stat st {};
                if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
                    ::access(candidate.c_str(), X_OK) == 0)
                        return candidate;
                dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
        }
        return Error{"Failed to find '" + std::string(name) + "' in " + std::string(safe_path), ENOENT};
}

Result<Outcome> run(const Command &command)
{
        if (command.argv.empty())
                return Error{"Failed to run a command: empty argv", EINVAL};
        if (command.timeout.count() <= 0)
                return Error{"Failed to run '" + format_argv(command.argv) + "': no timeout given", EINVAL};

        Result<std::string> path = find_program(command.argv[0]);
        if (!path)
                return path.error();

        // Everything the child needs is built before fork: it may only make raw syscalls.
        std::vector<std::string> argv_copy = command.argv;
        std::vector<char *> argv_c = c_array(argv_copy);
        std::vector<std::string> env = build_env(command.extra_env);
        std::vector<char *> env_c = c_array(env);
        std::string program{basename_of(command.argv[0])};

        Fd devnull{::open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY)};
        if (devnull.fd < 0)
                return make_errno_error(errno, "Failed to open '/dev/null'");
        Fd out_r, out_w, err_r, err_w, report_r, report_w;
        if ((command.stdout_mode == Stdout::capture && !make_pipe(out_r, out_w)) || !make_pipe(err_r, err_w) ||
            !make_pipe(report_r, report_w))
                return make_errno_error(errno, "Failed to create a pipe for '" + program + "'");

        int child_stdout = command.stdout_mode == Stdout::capture        ? out_w.fd
                           : command.stdout_mode == Stdout::pass_through ? STDOUT_FILENO
                                                                         : devnull.fd;
        // Anything we buffered must not be printed twice (by the child's copy) or after its output.
        std::fflush(nullptr);

        pid_t parent = ::getpid();
        pid_t pid = ::fork();
        if (pid < 0)
                return make_errno_error(errno, "Failed to fork for '" + program + "'");
        if (pid == 0)
                child_exec(path->c_str(), argv_c.data(), env_c.data(), devnull.fd, child_stdout, err_w.fd, report_w.fd,
                           parent);

        out_w.reset();
        err_w.reset();
        report_w.reset();

        // The report pipe is closed by a successful execve, or carries the errno of the failure.
        int exec_errno = 0;
        ssize_t n;
        do
                n = ::read(report_r.fd, &exec_errno, sizeof exec_errno);
        while (n < 0 && errno == EINTR);
        if (n == sizeof exec_errno) {
                int status;
                while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
                }
                return make_errno_error(exec_errno, "Failed to execute '" + *path + "'");
        }

        counts[program]++;
        write_exec_log(command.argv);
        log::debug("Running: " + format_argv(command.argv));

        Fd pidfd{pidfd_open(pid)};
        const auto deadline = std::chrono::steady_clock::now() + command.timeout;
        Outcome outcome;
        outcome.timeout = command.timeout;
        std::string pending_err;
        int status = 0;

        // Appends what one pipe has; false once the stream would pass output_limit.
        auto drain = [&](const pollfd &p, Fd &fd, std::string &sink, bool is_err) {
                if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
                        return true;
                char buf[65536];
                ssize_t got = ::read(fd.fd, buf, sizeof buf);
                if (got < 0 && (errno == EINTR || errno == EAGAIN))
                        return true;
                if (got <= 0) {
                        fd.reset();
                        return true;
                }
                if (sink.size() + static_cast<size_t>(got) > output_limit)
                        return false;
                sink.append(buf, static_cast<size_t>(got));
                if (is_err && command.forward_stderr) {
                        pending_err.append(buf, static_cast<size_t>(got));
                        forward_lines(pending_err, command.stderr_level, program, false);
                }
                return true;
        };

        // Both pipes are read together until EOF (one read to EOF first would deadlock once the
        // other's buffer fills), all within the deadline.
        while (out_r.fd >= 0 || err_r.fd >= 0) {
                std::array<pollfd, 2> fds{};
                fds[0] = {out_r.fd, POLLIN, 0}; // poll() skips a negative fd
                fds[1] = {err_r.fd, POLLIN, 0};
                int r = ::poll(fds.data(), fds.size(), static_cast<int>(time_left(deadline).count()));
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0) {
                        int e = errno;
                        (void)stop(pid, pidfd.fd, status);
                        return make_errno_error(e, "Failed to wait for '" + program + "'");
                }
                if (r == 0) {
                        outcome.timed_out = true;
                        break;
                }
                if (!drain(fds[0], out_r, outcome.out, false) || !drain(fds[1], err_r, outcome.err, true)) {
                        outcome.output_too_large = true;
                        break;
                }
        }

        // Then the process itself: the deadline still holds for a child that closed its output
        // but keeps running.
        Result<bool> ended = false;
        if (!outcome.timed_out && !outcome.output_too_large) {
                ended = wait_for_exit(pid, pidfd.fd, time_left(deadline), status);
                outcome.timed_out = ended && !*ended;
        }
        if (outcome.timed_out || outcome.output_too_large) {
                // Closed first: a child blocked on a full pipe gets EPIPE instead of sleeping on.
                out_r.reset();
                err_r.reset();
                ended = stop(pid, pidfd.fd, status);
                if (ended && !*ended)
                        return Error{"Failed to stop '" + format_argv(command.argv) + "', which " +
                                             why_stopped(outcome) + ": still running " +
                                             format_duration(2 * kill_grace) + " after SIGTERM (stuck on a device?)",
                                     ETIMEDOUT};
        }
        if (command.forward_stderr)
                forward_lines(pending_err, command.stderr_level, program, true);
        if (!ended)
                return ended.error();

        if (WIFEXITED(status))
                outcome.exit_status = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
                outcome.term_signal = WTERMSIG(status);
        if (command.mutating) {
                static unsigned mutating_execs = 0;
                test_point("exec" + std::to_string(++mutating_execs));
        }
        return outcome;
}

Result<Outcome> run_checked(const Command &command)
{
        return checked(command, run(command));
}

Result<Outcome> checked(const Command &command, Result<Outcome> r)
{
        if (!r || r->success())
                return r;
        std::string message = "Failed to run '" + format_argv(command.argv) + "': " + r->describe();
        std::string_view err = r->err;
        while (!err.empty() && (err.back() == '\n' || err.back() == ' '))
                err.remove_suffix(1);
        if (!err.empty()) {
                size_t nl = err.rfind('\n');
                std::string_view last = nl == std::string_view::npos ? err : err.substr(nl + 1);
                while (!last.empty() && last.front() == ' ')
                        last.remove_prefix(1);
                message += ": ";
                message += last;
        }
        return Error{std::move(message), 0};
}

const std::map<std::string, unsigned> &exec_counts()
{
        return counts;
}

bool is_lvm_program(std::string_view name)
{
        static constexpr std::string_view tools[] = {
                "lvm",      "pvcreate", "pvremove", "pvresize", "pvs",      "pvscan",    "pvchange", "vgcreate",
                "vgextend", "vgreduce", "vgremove", "vgs",      "vgchange", "vgscan",    "lvcreate", "lvextend",
                "lvresize", "lvreduce", "lvremove", "lvchange", "lvs",      "lvconvert", "lvrename", "lvscan",
        };
        return std::find(std::begin(tools), std::end(tools), name) != std::end(tools);
}

unsigned lvm_exec_count()
{
        unsigned n = 0;
        for (const auto &[name, count] : counts)
                if (is_lvm_program(name))
                        n += count;
        return n;
}

} // namespace css::process
