// SPDX-License-Identifier: Apache-2.0
#include "arguments.hpp"

#include "commands.hpp"
#include "core/log.hpp"

#include <cerrno>
#include <cstdio>
#include <getopt.h>
#include <vector>

namespace css::cli {

namespace {

Error unknown(std::string_view command, std::string_view word)
{
        return Error{"Unknown option '" + std::string(word) + "' for " + std::string(command) + ". Try '" +
                             std::string(command) + " --help'.",
                     EINVAL};
}

// getopt_long's value for options[i]; a short option returns its own character instead.
constexpr int long_value_base = 0x100;

} // namespace

std::vector<std::string> Arguments::all(std::string_view name) const
{
        std::vector<std::string> values;
        for (const auto &[option, value] : given)
                if (option == name)
                        values.push_back(value);
        return values;
}

Result<Arguments> parse_arguments(std::string_view command, std::span<char *const> args,
                                  std::span<const OptionSpec> options)
{
        // ':' first: a missing value comes back as ':', told apart from an unknown option.
        std::string shortopts = ":h";
        std::vector<option> longopts;
        for (size_t i = 0; i < options.size(); i++) {
                const OptionSpec &o = options[i];
                // The names are string literals, so data() is NUL-terminated.
                longopts.push_back({o.long_name.data(), o.takes_value ? required_argument : no_argument, nullptr,
                                    long_value_base + static_cast<int>(i)});
                if (o.short_name) {
                        shortopts += o.short_name;
                        if (o.takes_value)
                                shortopts += ':';
                }
        }
        longopts.push_back({"help", no_argument, nullptr, 'h'});
        longopts.push_back({});

        // getopt permutes its argv: a copy, with the command as argv[0].
        const std::string argv0(command);
        std::vector<char *> argv{const_cast<char *>(argv0.c_str())};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back(nullptr);
        const int argc = static_cast<int>(argv.size()) - 1;

        Arguments parsed;
        optind = 0; // GNU: start over, a command may be parsed after another
        opterr = 0;
        int c;
        while ((c = getopt_long(argc, argv.data(), shortopts.c_str(), longopts.data(), nullptr)) >= 0) {
                const std::string_view word = argv[optind - 1];
                const OptionSpec *spec = nullptr;
                if (c >= long_value_base)
                        spec = &options[static_cast<size_t>(c - long_value_base)];
                else
                        for (const OptionSpec &o : options)
                                if (o.short_name && o.short_name == c)
                                        spec = &o;
                switch (c) {
                case 'h':
                        parsed.help = true;
                        continue;
                case ':':
                        return Error{"Option '" + std::string(word) + "' needs a value.", EINVAL};
                case '?':
                        if (optopt >= long_value_base)
                                return Error{"Option '--" +
                                                     std::string(options[static_cast<size_t>(optopt - long_value_base)]
                                                                         .long_name) +
                                                     "' takes no value.",
                                             EINVAL};
                        return unknown(command, word);
                default:
                        if (!spec)
                                return unknown(command, word);
                        const std::string value = spec->takes_value ? optarg : "";
                        parsed.options[std::string(spec->long_name)] = value;
                        parsed.given.emplace_back(spec->long_name, value);
                }
        }
        for (int i = optind; i < argc; i++)
                parsed.positional.emplace_back(argv[static_cast<size_t>(i)]);
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
