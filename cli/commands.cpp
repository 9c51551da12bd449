// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include <array>

namespace css::cli {

std::span<const Command> commands()
{
        static constexpr std::array<Command, 13> table = {{
                {"check", "check [--json] [--step UNIT]... [FILE]",
                 "Validate the configuration and print the effective settings", run_check},
                {"plan", "plan [--json]", "Print every setup step with its commands; change nothing", run_plan},
                {"status", "status [--json]", "Show the step units, the VG, the thin pool, the mount and the output",
                 run_status},
                {"create", "create [-o|--output FILE] NAME INFILE", "Set up the storage INFILE describes as NAME",
                 run_create},
                {"activate", "activate NAME", "Activate the volumes of NAME and mount them", run_activate},
                {"deactivate", "deactivate NAME", "Unmount and deactivate the volumes of NAME", run_deactivate},
                {"remove", "remove NAME", "Remove the volumes and the saved state of NAME", run_remove},
                {"list", "list [--json] [NAME]", "List the named configurations, or show one", run_list},
                {"export", "export NAME", "Print the storage options file of NAME", run_export},
                {"add-dev", "add-dev NAME DEV", "Add the disk DEV to the volume group of NAME", run_add_dev},
                {"export-images", "export-images [--engine E] [--dry-run] [--json] DIR",
                 "Save the engine's images and named volumes into DIR, with SHA-256 sums", run_export_images},
                {"import-images", "import-images [--engine E] [--dry-run] DIR",
                 "Load the images and volumes export-images saved in DIR, checked first", run_import_images},
                {"switch", "switch [--export DIR] [--engine E] [--dry-run]",
                 "Change the storage to what the edited configuration says, keeping the images", run_switch},
        }};
        return table;
}

} // namespace css::cli
