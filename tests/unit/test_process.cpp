// SPDX-License-Identifier: Apache-2.0
// The process runner against real programs: exit codes, signals, literal arguments, big
// output, stderr, timeouts, output cap, environment, fd hygiene, dry run, accounting.

#include "core/standard_fds.hpp"
#include "sys/process.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace css;
using namespace std::chrono_literals;

namespace {

process::Command cmd(std::vector<std::string> argv)
{
        process::Command c;
        c.argv = std::move(argv);
        c.forward_stderr = false;
        return c;
}

// A directory for one test, removed with what the test left in it.
struct TempDir {
        std::string path;
        TempDir() : path(::testing::TempDir() + "css-process-XXXXXX") { EXPECT_NE(::mkdtemp(path.data()), nullptr); }
        ~TempDir() { std::filesystem::remove_all(path); }
};

// Restores (or removes) one variable of our environment even when an assertion fails.
struct EnvGuard {
        std::string name;
        std::optional<std::string> saved;
        EnvGuard(std::string n, const char *value) : name(std::move(n))
        {
                if (const char *old = std::getenv(name.c_str()))
                        saved = old;
                ::setenv(name.c_str(), value, 1);
        }
        ~EnvGuard()
        {
                if (saved)
                        ::setenv(name.c_str(), saved->c_str(), 1);
                else
                        ::unsetenv(name.c_str());
        }
};

} // namespace

TEST(Process, TrueSucceeds)
{
        Result<process::Outcome> r = process::run(cmd({"true"}));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->success());
        EXPECT_EQ(r->exit_status, 0);
        EXPECT_EQ(r->term_signal, 0);
}

TEST(Process, FalseReportsStatus)
{
        Result<process::Outcome> r = process::run(cmd({"/bin/false"}));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_FALSE(r->success());
        EXPECT_EQ(r->exit_status, 1);
        EXPECT_EQ(r->describe(), "exited with status 1");
}

TEST(Process, ExitStatusIsPassedThrough)
{
        Result<process::Outcome> r = process::run(cmd({"sh", "-c", "exit 42"}));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->exit_status, 42);
}

TEST(Process, TerminatingSignalIsReported)
{
        // A shell is only the fixture that produces a signal death.
        Result<process::Outcome> r = process::run(cmd({"/bin/sh", "-c", "kill -9 $$"}));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_FALSE(r->success());
        EXPECT_EQ(r->term_signal, SIGKILL);
        EXPECT_NE(r->describe().find("signal 9"), std::string::npos) << r->describe();
}

TEST(Process, ArgumentsArePassedLiterallyNeverThroughAShell)
{
        TempDir tmp;
        const std::string &dir = tmp.path;
        std::string marker = dir + "/pwned";
        std::vector<std::string> args = {"$(touch " + marker + ")",
                                         "`touch " + marker + "`",
                                         "a b  c",
                                         "it's \"quoted\"",
                                         "; rm -rf /",
                                         "",
                                         "*",
                                         "\\n"};
        std::vector<std::string> argv = {"printf", "[%s]\\n"};
        argv.insert(argv.end(), args.begin(), args.end());
        Result<process::Outcome> r = process::run(cmd(argv));
        ASSERT_TRUE(r) << r.error().message;
        ASSERT_TRUE(r->success());
        std::string expected;
        for (const std::string &a : args)
                expected += "[" + a + "]\n";
        EXPECT_EQ(r->out, expected);
        EXPECT_NE(::access(marker.c_str(), F_OK), 0) << "an argument was run by a shell";
}

TEST(Process, LargeStdoutAndStderrTogetherDoNotDeadlock)
{
        // 3 MiB on stdout and 1 MiB on stderr at the same time: a runner that reads one pipe
        // to EOF before the other blocks forever once the other pipe buffer fills.
        Result<process::Outcome> r =
                process::run(cmd({"sh", "-c", "head -c 1048576 /dev/zero >&2 & head -c 3145728 /dev/zero; wait"}));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->success());
        EXPECT_EQ(r->out.size(), 3145728u);
        EXPECT_EQ(r->err.size(), 1048576u);
}

TEST(Process, StderrIsCaptured)
{
        Result<process::Outcome> r =
                process::run(cmd({"sh", "-c", "echo out; echo 'first line' >&2; echo second >&2; exit 3"}));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->out, "out\n");
        EXPECT_EQ(r->err, "first line\nsecond\n");
}

TEST(Process, StderrIsForwardedLineByLineThroughTheLog)
{
        process::Command c = cmd({"sh", "-c", "printf 'one\\ntwo\\npartial' >&2"});
        c.forward_stderr = true;
        c.stderr_level = log::Level::err;
        ::testing::internal::CaptureStderr();
        Result<process::Outcome> r = process::run(c);
        std::string logged = ::testing::internal::GetCapturedStderr();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->err, "one\ntwo\npartial");
        // Each line carries the program name; the unterminated last line is flushed too.
        EXPECT_NE(logged.find("sh: one\n"), std::string::npos) << logged;
        EXPECT_NE(logged.find("sh: two\n"), std::string::npos) << logged;
        EXPECT_NE(logged.find("sh: partial\n"), std::string::npos) << logged;
}

TEST(Process, RunCheckedTurnsFailureIntoErrorWithLastStderrLine)
{
        Result<process::Outcome> r = process::run_checked(
                cmd({"sh", "-c", "echo noise >&2; echo '  Volume group \"x\" not found' >&2; exit 5"}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message,
                  "Failed to run 'sh -c 'echo noise >&2; echo '\\''  Volume group \"x\" not found'\\'' "
                  ">&2; exit 5'': exited with status 5: Volume group \"x\" not found");
}

TEST(Process, TimeoutStopsTheChildAndTheErrorNamesCommandAndTimeout)
{
        process::Command c = cmd({"sleep", "100"});
        c.timeout = 200ms;
        auto start = std::chrono::steady_clock::now();
        Result<process::Outcome> r = process::run(c);
        auto took = std::chrono::steady_clock::now() - start;
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->timed_out);
        EXPECT_FALSE(r->success());
        EXPECT_EQ(r->term_signal, SIGTERM);
        EXPECT_LT(took, 5s);
        EXPECT_EQ(r->describe(), "did not finish within 200 ms and was stopped");

        Result<process::Outcome> checked = process::run_checked(c);
        ASSERT_FALSE(checked);
        EXPECT_EQ(checked.error().message, "Failed to run 'sleep 100': did not finish within 200 ms and was stopped");
}

TEST(Process, ChildIgnoringSigtermGetsSigkill)
{
        // A shell is only the fixture that ignores SIGTERM; exec keeps it one process.
        process::Command c = cmd({"sh", "-c", "trap '' TERM; exec sleep 100"});
        c.timeout = 200ms;
        auto start = std::chrono::steady_clock::now();
        Result<process::Outcome> r = process::run(c);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->timed_out);
        EXPECT_EQ(r->term_signal, SIGKILL);
        EXPECT_LT(std::chrono::steady_clock::now() - start, process::kill_grace + 5s);
}

TEST(Process, EveryCommandHasATimeout)
{
        EXPECT_EQ(process::Command{}.timeout, process::default_timeout);
        EXPECT_EQ(process::default_timeout, 10min);
        EXPECT_EQ(process::query_timeout, 2min);
        process::Command c = cmd({"true"});
        c.timeout = 0ms;
        Result<process::Outcome> r = process::run(c);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().errno_value, EINVAL);
}

TEST(Process, OutputPastTheCapIsAnErrorNotATruncation)
{
        // head -c stands for a report that never ends; a byte more than the cap is enough.
        process::Command c = cmd({"head", "-c", std::to_string(process::output_limit + 1), "/dev/zero"});
        Result<process::Outcome> r = process::run_checked(c);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "Failed to run 'head -c " + std::to_string(process::output_limit + 1) +
                                             " /dev/zero': wrote more than 16 MiB of output and was stopped");

        // `yes` never stops by itself: the cap stops it, not the timeout.
        process::Command endless = cmd({"yes"});
        endless.timeout = 60s;
        auto start = std::chrono::steady_clock::now();
        Result<process::Outcome> y = process::run(endless);
        ASSERT_TRUE(y) << y.error().message;
        EXPECT_TRUE(y->output_too_large);
        EXPECT_FALSE(y->timed_out);
        EXPECT_FALSE(y->success());
        EXPECT_LE(y->out.size(), process::output_limit);
        EXPECT_LT(std::chrono::steady_clock::now() - start, 30s);
}

TEST(Process, StderrPastTheCapIsAnErrorToo)
{
        process::Command c =
                cmd({"sh", "-c", "head -c " + std::to_string(process::output_limit + 1) + " /dev/zero >&2"});
        Result<process::Outcome> r = process::run(c);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->output_too_large);
        EXPECT_FALSE(r->success());
}

TEST(Process, OutputUpToTheCapIsKept)
{
        process::Command c = cmd({"head", "-c", std::to_string(process::output_limit), "/dev/zero"});
        Result<process::Outcome> r = process::run_checked(c);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->out.size(), process::output_limit);
}

TEST(Process, TimeoutHoldsAfterTheChildClosesItsOutput)
{
        // The child closes stdout and stderr, then keeps running.
        process::Command c = cmd({"sh", "-c", "exec >/dev/null 2>&1; sleep 30"});
        c.timeout = 300ms;
        auto start = std::chrono::steady_clock::now();
        Result<process::Outcome> r = process::run(c);
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->timed_out);
        EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Process, FastChildIsNotKilledByTimeout)
{
        process::Command c = cmd({"true"});
        c.timeout = 10s;
        Result<process::Outcome> r = process::run(c);
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->success());
        EXPECT_FALSE(r->timed_out);
}

TEST(Process, NonexistentBareNameIsAClearError)
{
        Result<process::Outcome> r = process::run(cmd({"css-no-such-program"}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "Failed to find 'css-no-such-program' in /usr/sbin:/usr/bin:/sbin:/bin");
        EXPECT_EQ(r.error().errno_value, ENOENT);
}

TEST(Process, NonexistentAbsolutePathIsAClearError)
{
        Result<process::Outcome> r = process::run(cmd({"/nonexistent/bin/tool"}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().message, "Failed to execute '/nonexistent/bin/tool': No such file or directory");
}

TEST(Process, NonExecutableFileIsAClearError)
{
        TempDir tmp;
        const std::string &dir = tmp.path;
        std::string file = dir + "/not-exec";
        std::ofstream(file) << "#!/bin/sh\n";
        Result<process::Outcome> r = process::run(cmd({file}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().errno_value, EACCES);
}

TEST(Process, RelativePathIsRefused)
{
        Result<process::Outcome> r = process::run(cmd({"bin/true"}));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().errno_value, EINVAL);
}

TEST(Process, BareNamesIgnoreTheCallersPath)
{
        // A hostile PATH entry must not be searched.
        TempDir tmp;
        const std::string &dir = tmp.path;
        std::string fake = dir + "/css-path-probe";
        {
                std::ofstream f(fake);
                f << "#!/bin/sh\nexit 0\n";
        }
        ::chmod(fake.c_str(), 0755);
        const char *old = std::getenv("PATH");
        std::string saved = old ? old : "";
        ::setenv("PATH", dir.c_str(), 1);
        Result<process::Outcome> r = process::run(cmd({"css-path-probe"}));
        ::setenv("PATH", saved.c_str(), 1);
        EXPECT_FALSE(r);
        Result<std::string> found = process::find_program("sh");
        ASSERT_TRUE(found);
        EXPECT_TRUE(found->starts_with("/usr/") || found->starts_with("/bin/") || found->starts_with("/sbin/"));
}

TEST(Process, StdinIsDevNull)
{
        Result<process::Outcome> r = process::run(cmd({"readlink", "/proc/self/fd/0"}));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->out, "/dev/null\n");
}

TEST(Process, NoDescriptorLeaksIntoTheChild)
{
        // Descriptors opened by us without O_CLOEXEC must still not reach the child.
        int leaky = ::open("/dev/null", O_RDONLY);
        ASSERT_GE(leaky, 0);
        int leaky_pipe[2];
        ASSERT_EQ(::pipe(leaky_pipe), 0);
        Result<process::Outcome> r = process::run(cmd({"ls", "/proc/self/fd"}));
        ::close(leaky);
        ::close(leaky_pipe[0]);
        ::close(leaky_pipe[1]);
        ASSERT_TRUE(r) << r.error().message;
        // ls itself opens one fd to read the directory; anything else above 2 is a leak.
        std::istringstream in(r->out);
        std::vector<int> fds;
        for (int fd; in >> fd;)
                fds.push_back(fd);
        ASSERT_GE(fds.size(), 3u) << r->out;
        EXPECT_EQ(fds[0], 0);
        EXPECT_EQ(fds[1], 1);
        EXPECT_EQ(fds[2], 2);
        EXPECT_LE(fds.size(), 4u) << "leaked descriptors: " << r->out;
}

TEST(Process, SignalMaskAndDispositionsAreReset)
{
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGTERM);
        ASSERT_EQ(::sigprocmask(SIG_BLOCK, &block, &old), 0);
        auto old_handler = ::signal(SIGINT, SIG_IGN);
        Result<process::Outcome> r = process::run(cmd({"grep", "-E", "^(SigBlk|SigIgn):", "/proc/self/status"}));
        ::signal(SIGINT, old_handler);
        ::sigprocmask(SIG_SETMASK, &old, nullptr);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST(Process, ChildEnvironmentIsFixedNotInherited)
{
        EnvGuard foo("FOO", "inherited");
        EnvGuard preload("LD_PRELOAD", "/nonexistent/css-preload.so");
        EnvGuard lvm_dir("LVM_SYSTEM_DIR", "/tmp/css-not-lvm");
        EnvGuard path("PATH", "/tmp/css-hostile-path:/usr/bin");
        EnvGuard knob("CSS_ROOT", "/tmp/css-root");
        Result<process::Outcome> r = process::run(cmd({"env"}));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLC_ALL=C\n");
}

TEST(Process, ExtraEnvironmentIsAddedAndOverrides)
{
        process::Command c = cmd({"env"});
        c.extra_env = {"LVM_SUPPRESS_FD_WARNINGS=1", "LC_ALL=C.UTF-8"};
        Result<process::Outcome> r = process::run(c);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nLVM_SUPPRESS_FD_WARNINGS=1\nLC_ALL=C.UTF-8\n");
}

TEST(Process, TestKnobsAreTheCssVariablesSetInOurEnvironment)
{
        EnvGuard root("CSS_ROOT", "/tmp/css-root");
        EnvGuard foo("FOO", "inherited");
        std::vector<std::string> knobs = process::test_knobs();
        EXPECT_NE(std::find(knobs.begin(), knobs.end(), "CSS_ROOT=/tmp/css-root"), knobs.end());
        for (const std::string &k : knobs)
                EXPECT_TRUE(k.starts_with("CSS_")) << k;
}

namespace {

// In a forked child, so that closing our own 0, 1 and 2 cannot disturb the test runner. The
// exit status says which check failed.
int closed_standard_fds_child()
{
        ::close(STDIN_FILENO);
        ::close(STDOUT_FILENO);
        ::close(STDERR_FILENO);
        if (!open_missing_standard_fds())
                return 10;
        for (int fd = 0; fd <= 2; fd++) {
                std::string link = "/proc/self/fd/" + std::to_string(fd);
                char target[64] = {};
                if (::readlink(link.c_str(), target, sizeof target - 1) < 0 || std::string(target) != "/dev/null")
                        return 11 + fd;
        }
        // What a child of ours finds on its stdout: /dev/null, not the next file it opens.
        // fd 3 keeps a copy of the stdout we gave, so readlink's own can go to the captured stderr.
        process::Command c = cmd({"sh", "-c", "exec 3>&1; readlink /proc/self/fd/3 >&2"});
        c.stdout_mode = process::Stdout::pass_through;
        Result<process::Outcome> r = process::run(c);
        if (!r || !r->success())
                return 20;
        return r->err == "/dev/null\n" ? 0 : 21;
}

} // namespace

TEST(Process, ClosedStandardDescriptorsAreOpenedOnDevNull)
{
        pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0)
                ::_exit(closed_standard_fds_child());
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Process, OpenStandardDescriptorsAreLeftAlone)
{
        struct stat before {
        }, after{};
        ASSERT_EQ(::fstat(STDOUT_FILENO, &before), 0);
        ASSERT_TRUE(open_missing_standard_fds());
        ASSERT_EQ(::fstat(STDOUT_FILENO, &after), 0);
        EXPECT_EQ(before.st_ino, after.st_ino);
        EXPECT_EQ(before.st_dev, after.st_dev);
}

TEST(Process, PretendPrintsTheCommandAndSucceeds)
{
        process::Command c = cmd({"touch", "/nonexistent/created", "with space"});
        ::testing::internal::CaptureStdout();
        process::Outcome o = process::pretend(c);
        std::string printed = ::testing::internal::GetCapturedStdout();
        EXPECT_TRUE(o.success());
        EXPECT_TRUE(o.skipped);
        EXPECT_EQ(printed, "would run: touch /nonexistent/created 'with space'\n");
}

TEST(Process, QuoteIsShellReadable)
{
        EXPECT_EQ(process::quote("lvcreate"), "lvcreate");
        EXPECT_EQ(process::quote("/dev/mapper/docker--vg-docker--pool"), "/dev/mapper/docker--vg-docker--pool");
        EXPECT_EQ(process::quote("40%FREE"), "40%FREE");
        EXPECT_EQ(process::quote("vg/lv"), "vg/lv");
        EXPECT_EQ(process::quote(""), "''");
        EXPECT_EQ(process::quote("a b"), "'a b'");
        EXPECT_EQ(process::quote("$(x)"), "'$(x)'");
        EXPECT_EQ(process::quote("it's"), "'it'\\''s'");
        EXPECT_EQ(process::format_argv({"lvcreate", "-y", "-n", "my pool", "vg"}), "lvcreate -y -n 'my pool' vg");
}

TEST(Process, CountsExecsPerProgramAndLvmOnes)
{
        unsigned true_before = process::exec_counts().count("true") ? process::exec_counts().at("true") : 0;
        unsigned lvm_before = process::lvm_exec_count();
        ASSERT_TRUE(process::run(cmd({"true"})));
        ASSERT_TRUE(process::run(cmd({"/bin/true"})));
        EXPECT_EQ(process::exec_counts().at("true"), true_before + 2);
        EXPECT_EQ(process::lvm_exec_count(), lvm_before);
        // Not run: neither a failed lookup nor a dry-run skip counts.
        EXPECT_FALSE(process::run(cmd({"css-no-such-program"})));
        EXPECT_EQ(process::exec_counts().count("css-no-such-program"), 0u);
        EXPECT_TRUE(process::is_lvm_program("lvcreate"));
        EXPECT_TRUE(process::is_lvm_program("lvm"));
        EXPECT_FALSE(process::is_lvm_program("mkfs.xfs"));
}

TEST(Process, ExecLogGetsOneLinePerExec)
{
        TempDir tmp;
        const std::string &dir = tmp.path;
        std::string logfile = dir + "/exec.log";
        ::setenv("CSS_EXEC_LOG", logfile.c_str(), 1);
        ASSERT_TRUE(process::run(cmd({"true"})));
        ASSERT_TRUE(process::run(cmd({"printf", "%s", "a b"})));
        ::unsetenv("CSS_EXEC_LOG");
        std::ifstream in(logfile);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string self = program_invocation_short_name;
        EXPECT_EQ(ss.str(), self + "\ttrue\n" + self + "\tprintf %s 'a b'\n");
}
