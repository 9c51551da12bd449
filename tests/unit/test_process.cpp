// SPDX-License-Identifier: Apache-2.0
// The process runner against real programs: exit codes, signals, literal arguments, big
// output, stderr, timeouts, fd hygiene, dry run, accounting.

#include "sys/process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace css;
using namespace std::chrono_literals;

namespace
{

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

// Restores the process-wide dry-run switch even when an assertion fails.
struct DryRunGuard {
        explicit DryRunGuard(bool on) { process::set_dry_run(on); }
        ~DryRunGuard() { process::set_dry_run(false); }
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
        Result<process::Outcome> r = process::run(
                cmd({"sh", "-c", "head -c 1048576 /dev/zero >&2 & head -c 3145728 /dev/zero; wait"}));
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

TEST(Process, TimeoutKillsTheChild)
{
        process::Command c = cmd({"sleep", "30"});
        c.timeout = 200ms;
        auto start = std::chrono::steady_clock::now();
        Result<process::Outcome> r = process::run(c);
        auto took = std::chrono::steady_clock::now() - start;
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->timed_out);
        EXPECT_FALSE(r->success());
        EXPECT_EQ(r->term_signal, SIGKILL);
        EXPECT_LT(took, 5s);
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
        EXPECT_TRUE(found->starts_with("/usr/") || found->starts_with("/bin/") ||
                    found->starts_with("/sbin/"));
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
        Result<process::Outcome> r =
                process::run(cmd({"grep", "-E", "^(SigBlk|SigIgn):", "/proc/self/status"}));
        ::signal(SIGINT, old_handler);
        ::sigprocmask(SIG_SETMASK, &old, nullptr);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST(Process, ExtraEnvironmentIsAddedAndOverrides)
{
        ::setenv("CSS_TEST_INHERITED", "kept", 1);
        ::setenv("CSS_TEST_OVERRIDE", "old", 1);
        process::Command c = cmd({"env"});
        c.extra_env = {"LVM_SUPPRESS_FD_WARNINGS=1", "CSS_TEST_OVERRIDE=new"};
        Result<process::Outcome> r = process::run(c);
        ::unsetenv("CSS_TEST_INHERITED");
        ::unsetenv("CSS_TEST_OVERRIDE");
        ASSERT_TRUE(r);
        EXPECT_NE(r->out.find("\nLVM_SUPPRESS_FD_WARNINGS=1\n"), std::string::npos);
        EXPECT_NE(r->out.find("CSS_TEST_INHERITED=kept\n"), std::string::npos);
        EXPECT_NE(r->out.find("CSS_TEST_OVERRIDE=new\n"), std::string::npos);
        EXPECT_EQ(r->out.find("CSS_TEST_OVERRIDE=old"), std::string::npos);
}

TEST(Process, DryRunPrintsMutatingCommandsInsteadOfRunningThem)
{
        TempDir tmp;
        const std::string &dir = tmp.path;
        std::string marker = dir + "/created";
        DryRunGuard guard(true);
        process::Command c = cmd({"touch", marker, "with space"});
        c.mutating = true;
        ::testing::internal::CaptureStdout();
        Result<process::Outcome> r = process::run(c);
        std::string printed = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->success());
        EXPECT_TRUE(r->skipped);
        EXPECT_EQ(printed, "would run: touch " + marker + " 'with space'\n");
        EXPECT_NE(::access(marker.c_str(), F_OK), 0);
}

TEST(Process, DryRunStillRunsReadOnlyProbes)
{
        DryRunGuard guard(true);
        Result<process::Outcome> r = process::run(cmd({"printf", "probe"}));
        ASSERT_TRUE(r);
        EXPECT_FALSE(r->skipped);
        EXPECT_EQ(r->out, "probe");
}

TEST(Process, QuoteIsShellReadable)
{
        EXPECT_EQ(process::quote("lvcreate"), "lvcreate");
        EXPECT_EQ(process::quote("/dev/mapper/docker--vg-docker--pool"),
                  "/dev/mapper/docker--vg-docker--pool");
        EXPECT_EQ(process::quote("40%FREE"), "40%FREE");
        EXPECT_EQ(process::quote("vg/lv"), "vg/lv");
        EXPECT_EQ(process::quote(""), "''");
        EXPECT_EQ(process::quote("a b"), "'a b'");
        EXPECT_EQ(process::quote("$(x)"), "'$(x)'");
        EXPECT_EQ(process::quote("it's"), "'it'\\''s'");
        EXPECT_EQ(process::format_argv({"lvcreate", "-y", "-n", "my pool", "vg"}),
                  "lvcreate -y -n 'my pool' vg");
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
