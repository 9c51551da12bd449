// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup export-images DIR` and `import-images DIR` (issue 17): what the
// engine holds (every image with its tags, the named volumes' files) saved through the engine's
// own `save` and its volumes' mountpoints into DIR, with a manifest of SHA-256 sums; and loaded
// back, every file checked against the manifest before anything is loaded. The atomic CLI's
// `storage export/import` did this for the lab's storage change; images/archive.hpp has the
// directory's layout.

#include "arguments.hpp"
#include "commands.hpp"
#include "image_transfer.hpp"
#include "session.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/container_root_lv.hpp"

#include <array>

namespace css::cli {

namespace {

constexpr std::array<OptionSpec, 3> export_options = {{
        {"engine", 'e', true},
        {"dry-run", 'n', false},
        {"json", 0, false},
}};

constexpr CommandSyntax export_syntax{
        "export-images",
        "export-images [--engine docker|podman] [--dry-run] [--json] DIR",
        "Save every image (with its tags) and every named volume of the engine into DIR, a new or\n"
        "empty directory, with manifest.json listing them and each file's SHA-256. DIR may not be\n"
        "inside the engine's data root or on the container root LV's filesystem, and must have\n"
        "room for the export, which is measured first.\n\n"
        "Options:\n"
        "  -e --engine E   docker or podman (default: docker when it is installed)\n"
        "  -n --dry-run    Print what would be run and written; change nothing\n"
        "     --json       Print the manifest as JSON at the end\n"
        "  -h --help       Show this help\n\n"
        "Exit status: 0 exported, 1 refused or failed (nothing is removed), 2 usage error.\n",
        export_options,
        1,
        1,
};

constexpr std::array<OptionSpec, 2> import_options = {{
        {"engine", 'e', true},
        {"dry-run", 'n', false},
}};

constexpr CommandSyntax import_syntax{
        "import-images",
        "import-images [--engine docker|podman] [--dry-run] DIR",
        "Load the images and named volumes that export-images saved in DIR. Every file is checked\n"
        "against the manifest's SHA-256 first; a volume that exists and holds files is refused.\n"
        "Nothing is loaded unless every check passes. DIR is left as it is.\n\n"
        "Options:\n"
        "  -e --engine E   docker or podman (default: the manifest's)\n"
        "  -n --dry-run    Check DIR and print what would be run; change nothing\n"
        "  -h --help       Show this help\n\n"
        "Exit status: 0 imported, 1 refused or failed, 2 usage error.\n",
        import_options,
        1,
        1,
};

} // namespace

int run_export_images(std::span<char *const> argv)
{
        int exit = 0;
        std::optional<Arguments> args = parse_command(export_syntax, argv, &exit);
        if (!args)
                return exit;
        const std::string dir = args->positional[0];
        if (Result<void> r = check_export_path(dir); !r)
                return fail(r.error());
        std::optional<Config> config = load_reported(default_load_options());
        if (!config)
                return exit_failure;
        Result<images::Engine> engine = choose_engine(args->option("engine"), std::nullopt);
        if (!engine)
                return fail(engine.error());
        StepContext context(*config, args->has("dry-run") ? RunMode::dry_run : RunMode::apply);
        ExportOptions options;
        if (std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(*config))
                options.changing.push_back(lv->mount_path);
        Result<images::Manifest> manifest = export_images(context, *engine, dir, options);
        if (!manifest)
                return fail(manifest.error());
        if (args->has("json"))
                return write_stdout(images::render_manifest(*manifest)) ? exit_ok : exit_failure;
        log::info("Exported " + counted(manifest->images.size(), "image") + " and " +
                  counted(manifest->volumes.size(), "volume") + " of " + std::string(images::engine_name(*engine)) +
                  " to " + dir + ".");
        return exit_ok;
}

int run_import_images(std::span<char *const> argv)
{
        int exit = 0;
        std::optional<Arguments> args = parse_command(import_syntax, argv, &exit);
        if (!args)
                return exit;
        const std::string dir = args->positional[0];
        Result<images::Manifest> manifest = read_export(dir);
        if (!manifest)
                return fail(manifest.error());
        Result<images::Engine> engine = choose_engine(args->option("engine"), manifest->engine);
        if (!engine)
                return fail(engine.error());
        const Config config;
        StepContext context(config, args->has("dry-run") ? RunMode::dry_run : RunMode::apply);
        if (Result<void> r = import_images(context, *engine, dir, *manifest, false); !r)
                return fail(r.error());
        if (context.dry_run())
                return exit_ok;
        log::info("Imported " + counted(manifest->images.size(), "image") + " and " +
                  counted(manifest->volumes.size(), "volume") + " from " + dir + " into " +
                  std::string(images::engine_name(*engine)) + "; every file matched its SHA-256.");
        return exit_ok;
}

} // namespace css::cli
