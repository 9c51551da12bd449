// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one way this project runs an external program: fork + execve with an argv vector,
// never a shell, so no configuration value can ever be interpreted as shell syntax.
//
// The child gets stdin from /dev/null, default signal dispositions, an empty signal mask and
// no descriptor but 0, 1 and 2. stderr is captured and (by default) forwarded line by line
// through css::log, so the journal shows lvm's own messages under our unit.
//
// Dry run (set_dry_run(true), set by helper_main for --dry-run): commands marked `mutating`
// are printed as "would run: <argv>" on stdout and reported as successful; read-only probes
// still run, so a dry run decides exactly as a real one would.
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

namespace css::process
{

// Bare program names are looked up here only; the caller's PATH is never used.
inline constexpr std::string_view safe_path = "/usr/sbin:/usr/bin:/sbin:/bin";

enum class Stdout {
        capture,      // collected into Outcome::out (JSON reports)
        pass_through, // inherited: goes wherever our stdout goes (the journal for a service)
        discard,      // /dev/null
};

struct Command {
        std::vector<std::string> argv;      // argv[0] is a bare name or an absolute path
        std::vector<std::string> extra_env; // "NAME=value", added to (or replacing in) our environment
        bool mutating = false;              // changes the system: skipped in dry-run mode
        Stdout stdout_mode = Stdout::capture;
        bool forward_stderr = true; // also log each stderr line as it arrives
        log::Level stderr_level = log::Level::notice;
        std::chrono::milliseconds timeout{0}; // 0: wait forever; else SIGKILL on expiry
};

struct Outcome {
        int exit_status = -1; // valid when term_signal == 0
        int term_signal = 0;  // the signal that ended the child, 0 if it exited
        bool timed_out = false;
        bool skipped = false; // dry run: not executed
        std::string out;      // captured stdout (Stdout::capture only)
        std::string err;      // captured stderr, always

        bool success() const { return term_signal == 0 && exit_status == 0 && !timed_out; }
        // "exited with status 5", "was killed by signal 9 (Killed)", "timed out after 2000 ms ..."
        std::string describe() const;
};

// Runs the command and waits for it. An Error means it could not be run at all (not found,
// exec failed, fork/pipe failed); a program that ran and failed is an Outcome with
// success() == false.
Result<Outcome> run(const Command &command);

// run() plus: a non-successful Outcome becomes an Error
// "Failed to run '<argv>': exited with status 5: <last stderr line>".
Result<Outcome> run_checked(const Command &command);

void set_dry_run(bool enabled);
bool dry_run();

// Shell-style quoting, for reading only (logs, "would run:"): words made of safe characters
// are left bare, everything else is single-quoted.
std::string quote(std::string_view word);
std::string format_argv(const std::vector<std::string> &argv);

// Resolves argv[0] as run() does. Exposed for tests and for "is the tool installed" checks.
Result<std::string> find_program(std::string_view name);

// Programs executed by this process: basename of argv[0] -> count.
const std::map<std::string, unsigned> &exec_counts();
// How many of those were LVM tools (lvm itself or one of its command names).
unsigned lvm_exec_count();
bool is_lvm_program(std::string_view basename);

} // namespace css::process
