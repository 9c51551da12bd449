#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Self-test: a guest that never finishes must be reported as a hang (timeout).
echo "self-test: hanging on purpose"
sleep infinity
