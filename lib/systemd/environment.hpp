// SPDX-License-Identifier: Apache-2.0
#pragma once

// What a generator needs to know about where it runs, read from files only (a generator must
// not spawn or wait). Each answer can be forced from the environment for tests (docs/design.md
// "Test knobs"), and every file is read under CSS_ROOT.

#include <string>

namespace css::environment {

// CSS_IN_INITRD=1|0, else whether /etc/initrd-release exists (systemd's in_initrd()).
bool in_initrd();

// CSS_IN_CONTAINER=1|0, else systemd's detect_container() minus the heuristics: the
// "container" variable PID 1 saw (/run/systemd/container, written by systemd in a container,
// then "container=" in /proc/1/environ), and OpenVZ (/proc/vz without /proc/bc). Files such as
// /.dockerenv alone are not trusted: images and build roots carry them around.
bool in_container();

// CSS_PROC_CMDLINE, else the contents of /proc/cmdline ("" when unreadable).
std::string kernel_cmdline();

} // namespace css::environment
