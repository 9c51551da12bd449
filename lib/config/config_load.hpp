// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading the layered configuration: the defaults file, then the admin's file over it,
// in the original's order (upstream-reference §0 "How configuration is read").

#include "config/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace css {

struct Diagnostic {
        enum class Severity { warning, error };
        Severity severity = Severity::error;
        std::string file;  // "" when not tied to a file (e.g. a combination of keys)
        unsigned line = 0; // 0 when not tied to a line
        std::string message;

        // "file:line: message", or just the message when there is no file.
        std::string to_string() const;
};

struct LoadOptions {
        ConfigMode mode = ConfigMode::compat;
        // Both paths are host paths, already prefixed with CSS_ROOT by the caller when wanted;
        // default_load_options() fills them in.
        std::string defaults_path; // missing file: the built-in defaults apply
        std::string input_path;    // missing file: defaults only (input_exists = false)
        // The input's content, already read (a record's copy of a configuration): then
        // input_path only names it in messages.
        std::optional<std::string> input_text;
        // The caller named the input explicitly (`check FILE`): a missing file is an error.
        bool input_required = false;
};

struct LoadedConfig {
        Config config;
        std::vector<Diagnostic> diagnostics; // warnings and errors, in the order found
        bool input_exists = false;

        bool valid() const;                      // no diagnostic of severity error
        std::vector<std::string> errors() const; // the error messages, formatted
};

// The compat-mode paths under CSS_ROOT: the files as they are (what `switch` changes to).
LoadOptions file_load_options();

// The configuration in force: the files, except while a `switch` is exporting
// (config/pending_switch.hpp), when nothing has changed yet and the configuration it started
// from still holds, so that a boot in that phase keeps the old storage and the engines on it.
LoadOptions default_load_options();

// Never throws, never exits: every problem becomes a Diagnostic.
LoadedConfig load_config(const LoadOptions &options);

} // namespace css
