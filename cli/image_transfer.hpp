// SPDX-License-Identifier: Apache-2.0
#pragma once

// Saving what an engine holds into an export directory and loading it back
// (images/archive.hpp has the directory's layout): the work of `export-images` and
// `import-images`, and of `switch --export`, which exports before it changes the storage and
// imports after.

#include "images/archive.hpp"
#include "steps/step_context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace css::cli {

// Refused before anything is asked: a relative DIR.
Result<void> check_export_path(const std::string &dir);

// The engine --engine names, else the manifest's, else docker or podman, whichever is installed.
Result<images::Engine> choose_engine(const std::optional<std::string> &option,
                                     std::optional<images::Engine> from_manifest);

struct ExportOptions {
        // Mount points whose filesystem the coming change removes: DIR may not be on one.
        std::vector<std::string> changing;
        // DIR may hold an export this caller made before (its files, with or without a
        // manifest, nothing else), which is then replaced, its manifest first: a switch cut
        // short during its export runs the export again.
        bool replace_own = false;
};

// DIR is missing or empty, or (with `replace_own`) holds only an export's files, and then its
// manifest is removed first: a manifest left from the export being replaced would make a
// half-made one look whole.
Result<void> check_export_dir(StepContext &context, const std::string &dir, bool replace_own);

// Measures, checks DIR (not on changing storage, empty, room enough) and exports; the manifest
// is written last. In a dry run only the checks run and the commands are printed.
Result<images::Manifest> export_images(StepContext &context, images::Engine engine, const std::string &dir,
                                       const ExportOptions &options);

// The export in DIR, checked against its manifest's sums before anything is loaded. A volume that
// exists and holds files is refused, unless `replace_volume_files` (a switch's own import, run
// again after a cut): then the export's files are written over it.
Result<images::Manifest> read_export(const std::string &dir);
Result<void> import_images(StepContext &context, images::Engine engine, const std::string &dir,
                           const images::Manifest &manifest, bool replace_volume_files);

// "1 image", "2 images"
std::string counted(size_t n, std::string_view noun);

} // namespace css::cli
