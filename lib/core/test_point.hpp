// SPDX-License-Identifier: Apache-2.0
#pragma once

// Named places in a step where a test can stop the machine: the power-cut tests (tests/vm,
// issue 7) pull the plug on a VM at each of them and check that the next boot converges.
//
// Compiled in only with `meson setup -Dtest-points=true`; in any other build test_point()
// is an empty inline function and the knob below does not exist.
//
// The knob: `css.test_point=NAME` on the kernel command line, or CSS_TEST_POINT=NAME in the
// environment. NAME is "<program>:<point>", e.g. "css-thinpool:exec1". When a process reaches
// that point it writes "CSS-TEST-POINT NAME" to /dev/console and to the log, then
//   NAME          freezes there for good (the host cuts the power), or
//   NAME@SECONDS  sleeps that long and goes on (concurrency tests hold a lock open).
//
// The points:
//   <program>:start            a helper, after its lock and config, before the step
//   <program>:end              a helper, after the step succeeded, before it exits
//   <program>:execN            after the Nth mutating command finished (lvcreate, mkfs, ...)
//   <program>:table-written    a partition table written and synced, the kernel not told yet
//   <program>:before-rename    a file's temp copy written and synced, not yet renamed
//   css-thinpool:moved-aside   docker's state of a lost pool renamed aside, the pool not yet made

#include "build-config.h"

#include <string_view>

namespace css {

#if CSS_TEST_POINTS
void test_point(std::string_view point);
#else
inline void test_point(std::string_view) {}
#endif

} // namespace css
