// SPDX-License-Identifier: Apache-2.0
#pragma once

// The container-storage-setup command table. A command is a name, a one-line summary for
// the usage text and a function taking the arguments after the command word; adding one
// (create, activate, plan, status, ...) is one new file and one line in commands.cpp.

#include "core/exit_code.hpp"

#include <span>
#include <string_view>

namespace css::cli {

struct Command {
        std::string_view name;
        std::string_view synopsis; // "check [FILE] [--json]"
        std::string_view summary;
        int (*run)(std::span<char *const> args);
};

std::span<const Command> commands();

int run_check(std::span<char *const> args);
int run_plan(std::span<char *const> args);
int run_status(std::span<char *const> args);
int run_create(std::span<char *const> args);
int run_activate(std::span<char *const> args);
int run_deactivate(std::span<char *const> args);
int run_remove(std::span<char *const> args);
int run_list(std::span<char *const> args);
int run_export(std::span<char *const> args);
int run_add_dev(std::span<char *const> args);
int run_export_images(std::span<char *const> args);
int run_import_images(std::span<char *const> args);
int run_switch(std::span<char *const> args);

// No command (compat mode) and --reset.
int run_setup();
int run_reset();

} // namespace css::cli
