// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one way this project runs an external program: fork + execve with an argv vector,
// never a shell, so no configuration value can ever be interpreted as shell syntax.
//
// The child gets stdin from /dev/null, default signal dispositions, an empty signal mask and
// no descriptor but 0, 1 and 2. stderr is captured and (by default) forwarded line by line
// through css::log, so the journal shows lvm's own messages under our unit.
//
// Its environment is fixed, never ours: PATH=safe_path and LC_ALL=C (LVM's and mkfs's output is
// parsed and logged; numbers must not come with a locale's separators), plus the command's
// extra_env. Nothing else is inherited: not LD_PRELOAD, not LVM_SYSTEM_DIR or LVM_* settings
// of whoever ran us, not their PATH. What a tool needs is set on purpose by its caller
// (lvm::make_command sets LVM_SUPPRESS_FD_WARNINGS=1; our own generator gets test_knobs()).
//
// Every command has a timeout (Command::timeout, default_timeout unless a caller sets a
// shorter one). When it passes, the child gets SIGTERM, then SIGKILL kill_grace later; the
// Outcome says it timed out and after how long. Captured output is capped at output_limit per
// stream: a child that writes more is stopped the same way and the Outcome says so. In both
// cases success() is false and run_checked() names the command; nothing is cut silently.
//
// Dry run: the runner runs what it is given. A step runs commands through its StepContext,
// which knows whether it is a dry run and then calls pretend() for a `mutating` command
// instead; read-only probes still run, so a dry run decides exactly as a real one would.
//
// Accounting: exec_counts() counts the programs actually executed in this process. When
// CSS_EXEC_LOG=<file> is set, each exec also appends one line "<our program>\t<argv>" to that
// file (O_APPEND, one write per line), so a benchmark can count lvm invocations per step
// across the separate helper processes.

#include "core/log.hpp"
#include "core/result.hpp"

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace css::process {

// Bare program names are looked up here only; the caller's PATH is never used. It is also the
// child's PATH.
inline constexpr std::string_view safe_path = "/usr/sbin:/usr/bin:/sbin:/bin";

// Long enough for mkfs.xfs (which discards the whole volume first) or lvcreate on a large disk,
// short enough that a hung tool ends the step with a message instead of blocking boot for good.
inline constexpr std::chrono::milliseconds default_timeout = std::chrono::minutes(10);
// For commands that only ask and answer at once when nothing is wrong: LVM reports, a
// `--version` probe, our generator.
inline constexpr std::chrono::milliseconds query_timeout = std::chrono::minutes(2);
// Between SIGTERM and SIGKILL, and how long a child may take to go after SIGKILL (a process
// stuck in the kernel on a dead device cannot) before run() gives up on it.
inline constexpr std::chrono::milliseconds kill_grace = std::chrono::seconds(5);
// Per captured stream; an LVM JSON report of thousands of volumes is a few MiB.
inline constexpr size_t output_limit = 16u << 20;

enum class Stdout {
        capture,      // collected into Outcome::out (JSON reports)
        pass_through, // inherited: goes wherever our stdout goes (the journal for a service)
        discard,      // /dev/null
};

struct Command {
        std::vector<std::string> argv;      // argv[0] is a bare name or an absolute path
        std::vector<std::string> extra_env; // "NAME=value", added to (or replacing in) the fixed environment
        bool mutating = false;              // changes the system: a dry run pretends
        Stdout stdout_mode = Stdout::capture;
        bool forward_stderr = true; // also log each stderr line as it arrives
        log::Level stderr_level = log::Level::notice;
        std::chrono::milliseconds timeout = default_timeout; // must be positive
};

struct Outcome {
        int exit_status = -1;                 // valid when term_signal == 0
        int term_signal = 0;                  // the signal that ended the child, 0 if it exited
        bool timed_out = false;               // ran longer than `timeout` and was stopped
        bool output_too_large = false;        // wrote more than output_limit and was stopped
        std::chrono::milliseconds timeout{0}; // the command's, for describe()
        bool skipped = false;                 // dry run: not executed
        std::string out;                      // captured stdout (Stdout::capture only)
        std::string err;                      // captured stderr, always

        bool success() const { return term_signal == 0 && exit_status == 0 && !timed_out && !output_too_large; }
        // "exited with status 5", "was killed by signal 9 (Killed)", "did not finish within
        // 10 min and was stopped", "wrote more than 16 MiB of output and was stopped"
        std::string describe() const;
};

// Runs the command and waits for it. An Error means it could not be run at all (not found,
// exec failed, fork/pipe failed) or did not go away even after SIGKILL; a program that ran and
// failed, timed out or wrote too much is an Outcome with success() == false.
Result<Outcome> run(const Command &command);

// run() plus: a non-successful Outcome becomes an Error
// "Failed to run '<argv>': exited with status 5: <last stderr line>".
Result<Outcome> run_checked(const Command &command);

// What a dry run does instead of running a mutating command: prints "would run: <argv>" on
// stdout; the Outcome is a success, marked skipped.
Outcome pretend(const Command &command);

// run_checked()'s verdict on an Outcome got another way (StepContext::run).
Result<Outcome> checked(const Command &command, Result<Outcome> outcome);

// Shell-style quoting, for reading only (logs, "would run:"): words made of safe characters
// are left bare, everything else is single-quoted.
std::string quote(std::string_view word);
std::string format_argv(const std::vector<std::string> &argv);

// The test knobs of docs/design.md set in our environment ("CSS_ROOT=/tmp/x", ...), for a
// child that is one of our own programs (the CLI runs the generator): external tools never get
// them, so a test's knobs reach exactly the programs that read them.
std::vector<std::string> test_knobs();

// Resolves argv[0] as run() does. Exposed for tests and for "is the tool installed" checks.
Result<std::string> find_program(std::string_view name);

// Programs executed by this process: basename of argv[0] -> count.
const std::map<std::string, unsigned> &exec_counts();
// How many of those were LVM tools (lvm itself or one of its command names).
unsigned lvm_exec_count();
bool is_lvm_program(std::string_view basename);

} // namespace css::process
