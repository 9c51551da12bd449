#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Self-test: a guest script that fails must fail the scenario, even when it prints
# something that looks like a passing result marker (without the run's nonce).
echo "CSS-VM-RESULT 0000000000000000 boot=1 rc=0"
echo "self-test: exiting 1 on purpose"
exit 1
