// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <array>

namespace css::cli {

std::span<const Command> commands()
{
        static constexpr std::array<Command, 1> table = {{
                {"check", "check [--json] [FILE]",
                 "Validate the configuration and print the effective settings", run_check},
        }};
        return table;
}

} // namespace css::cli
