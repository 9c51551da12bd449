// SPDX-License-Identifier: Apache-2.0
#pragma once

// Argument parsing shared by every command, with getopt_long as the helpers' (so GNU's rules:
// long and short options, a value either as the next word or after '=' (-oVALUE), unambiguous
// abbreviations of long options, "--" ending the options, options anywhere among the positional
// words, as `check FILE --json` always allowed), and the 0/1/2 exit convention for mistakes.

#include "core/result.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace css::cli {

struct OptionSpec {
        std::string_view long_name; // "output" for --output
        char short_name = 0;        // 'o' for -o, 0 for none
        bool takes_value = false;
};

struct Arguments {
        std::map<std::string, std::string, std::less<>> options; // by long name; "" for flags; the last one given
        std::vector<std::pair<std::string, std::string>> given;  // every option, in order (repeated ones)
        std::vector<std::string> positional;
        bool help = false; // -h or --help was given (always accepted)

        bool has(std::string_view name) const { return options.find(name) != options.end(); }
        // The value of `name`, nullopt when it was not given.
        std::optional<std::string> option(std::string_view name) const
        {
                auto it = options.find(name);
                return it == options.end() ? std::nullopt : std::optional<std::string>(it->second);
        }
        // Every value given for `name` (an option that may be repeated), in order.
        std::vector<std::string> all(std::string_view name) const;
};

// Errors read "Unknown option '--x' for COMMAND. Try 'COMMAND --help'." or "Option '--o'
// needs a value."; the caller logs them and exits 2.
Result<Arguments> parse_arguments(std::string_view command, std::span<char *const> args,
                                  std::span<const OptionSpec> options);

// The usual shape of a command: parse, print help on -h, check the number of positional
// words. Returns nullopt with *exit set (0 after help, 2 after a usage error) when the
// command must stop.
struct CommandSyntax {
        std::string_view name;  // "create"
        std::string_view usage; // "create [-o|--output FILE] NAME INFILE"
        std::string_view help;  // the text after the usage line
        std::span<const OptionSpec> options;
        size_t min_args = 0;
        size_t max_args = 0;
};
std::optional<Arguments> parse_command(const CommandSyntax &syntax, std::span<char *const> args, int *exit);

} // namespace css::cli
