#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command at the lowest CPU priority against every other process on the machine: the
# slow lane of tests/run-all.sh beside a VM test, and (as meson test's --wrapper) each test it
# runs.
#
#   tests/lowest-priority.sh COMMAND [ARG...]
#
# With autogroup scheduling (kernel.sched_autogroup_enabled=1, Debian's default) the CPU is
# shared between sessions first and between the processes of a session second, so nice and
# SCHED_IDLE alone yield only inside their own session. meson test starts each test in a session
# of its own, a VM test's qemu included. So the command gets a session of its own (unless an outer
# call gave it one), that session's autogroup gets nice 19, and the command SCHED_IDLE inside it.
# A meson test started from inside is in a new session again, hence the wrapper.
set -euo pipefail
if [[ ${CSS_LOWEST_PRIORITY:-} != 1 ]]; then
        # Not a process group leader when started with & from a script: setsid then keeps the pid,
        # and `kill -- -PID` stops the whole command.
        CSS_LOWEST_PRIORITY=1 exec setsid --wait "$0" "$@"
fi
# Absent without CONFIG_SCHED_AUTOGROUP; then SCHED_IDLE is enough.
if [[ -w /proc/self/autogroup ]]; then
        echo 19 >/proc/self/autogroup
fi
exec chrt --idle 0 "$@"
