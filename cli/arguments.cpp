// SPDX-License-Identifier: Apache-2.0
#include "arguments.hpp"

#include "commands.hpp"
#include "core/log.hpp"

#include <cerrno>
#include <cstdio>

namespace css::cli {

namespace {

Error unknown(std::string_view command, std::string_view word)
{
        return Error{"Unknown option '" + std::string(word) + "' for " + std::string(command) + ". Try '" +
                             std::string(command) + " --help'.",
                     EINVAL};
}

} // namespace

Result<Arguments> parse_arguments(std::string_view command, std::span<char *const> args,
                                  std::span<const OptionSpec> options)
{
        Arguments parsed;
        bool options_done = false;
        for (size_t i = 0; i < args.size(); i++) {
                std::string_view a = args[i];
                if (options_done || a.size() < 2 || a[0] != '-') {
                        parsed.positional.emplace_back(a);
                        continue;
                }
                if (a == "--") {
                        options_done = true;
                        continue;
                }
                if (a == "-h" || a == "--help") {
                        parsed.help = true;
                        continue;
                }
                const OptionSpec *spec = nullptr;
                std::string_view inline_value;
                bool has_inline = false;
                if (a.starts_with("--")) {
                        std::string_view name = a.substr(2);
                        if (size_t eq = name.find('='); eq != std::string_view::npos) {
                                inline_value = name.substr(eq + 1);
                                name = name.substr(0, eq);
                                has_inline = true;
                        }
                        for (const OptionSpec &o : options)
                                if (o.long_name == name)
                                        spec = &o;
                } else if (a.size() >= 2) {
                        for (const OptionSpec &o : options)
                                if (o.short_name && o.short_name == a[1])
                                        spec = &o;
                        if (spec && a.size() > 2) {
                                if (!spec->takes_value)
                                        return unknown(command, a);
                                inline_value = a.substr(2);
                                has_inline = true;
                        }
                }
                if (!spec)
                        return unknown(command, a);
                std::string value;
                if (spec->takes_value) {
                        if (has_inline) {
                                value = inline_value;
                        } else if (i + 1 < args.size()) {
                                value = args[++i];
                        } else {
                                return Error{"Option '" + std::string(a) + "' needs a value.", EINVAL};
                        }
                } else if (has_inline) {
                        return Error{"Option '--" + std::string(spec->long_name) + "' takes no value.", EINVAL};
                }
                parsed.options[std::string(spec->long_name)] = std::move(value);
        }
        return parsed;
}

std::optional<Arguments> parse_command(const CommandSyntax &syntax, std::span<char *const> args, int *exit)
{
        Result<Arguments> parsed = parse_arguments(syntax.name, args, syntax.options);
        if (!parsed) {
                log::error(parsed.error().message);
                *exit = exit_usage;
                return std::nullopt;
        }
        if (parsed->help) {
                std::printf("Usage: container-storage-setup %.*s\n\n%.*s", static_cast<int>(syntax.usage.size()),
                            syntax.usage.data(), static_cast<int>(syntax.help.size()), syntax.help.data());
                *exit = exit_ok;
                return std::nullopt;
        }
        // The original printed the help and exited 0 on a wrong count; a usage error is 2.
        if (parsed->positional.size() < syntax.min_args || parsed->positional.size() > syntax.max_args) {
                log::error("Wrong number of arguments for " + std::string(syntax.name) +
                           ". Usage: container-storage-setup " + std::string(syntax.usage));
                *exit = exit_usage;
                return std::nullopt;
        }
        return std::move(*parsed);
}

} // namespace css::cli
