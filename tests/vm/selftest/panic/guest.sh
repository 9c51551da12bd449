#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Self-test: a kernel panic must be reported as one (panic=-1 and -no-reboot end qemu).
echo "self-test: crashing the kernel on purpose"
sync
echo c >/proc/sysrq-trigger
sleep 60
