// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <array>

namespace css::cli {

std::span<const Command> commands()
{
        static constexpr std::array<Command, 3> table = {{
                {"check", "check [--json] [FILE]",
                 "Validate the configuration and print the effective settings", run_check},
                {"plan", "plan [--json]", "Print every setup step with its commands; change nothing", run_plan},
                {"status", "status [--json]", "Show the step units, the VG, the thin pool, the mount and the output",
                 run_status},
        }};
        return table;
}

} // namespace css::cli
