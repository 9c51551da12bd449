// SPDX-License-Identifier: Apache-2.0
#pragma once

// An export directory (`container-storage-setup export-images DIR`): images.tar from the
// engine's `save`, volumes/NAME.tar per named volume, and manifest.json, written last, saying
// what was saved and each file's SHA-256 and size. Import believes only the manifest, and
// checks every file against it before it loads anything.

#include "images/engine_cli.hpp"

#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace css::images {

inline constexpr std::string_view manifest_file = "manifest.json";
inline constexpr std::string_view images_file = "images.tar";

struct ArchiveFile {
        std::string path; // relative to the export directory
        std::string sha256;
        uint64_t bytes = 0;
};

struct Manifest {
        Engine engine = Engine::docker;
        std::vector<Image> images;
        std::vector<std::string> volumes;
        std::vector<ArchiveFile> files;
};

std::string render_manifest(const Manifest &manifest);
Result<Manifest> parse_manifest(std::string_view text);

// "volumes/NAME.tar". Names the engines make ([A-Za-z0-9][A-Za-z0-9_.-]*) are the only ones
// taken: a name is a file name in the export.
std::string volume_file(std::string_view volume);
bool valid_volume_name(std::string_view volume);

// `sha256sum --binary FILE...` (coreutils) and its output, as path -> hex digest.
std::vector<std::string> sha256sum_argv(const std::vector<std::string> &files);
Result<std::vector<std::pair<std::string, std::string>>> parse_sha256sum(std::string_view text);

// The bytes the files under `dir` take on disk (a volume's, before it is saved).
Result<uint64_t> disk_usage(const std::string &dir);

// An export may not go where the change will remove it: inside the engine's data root, or onto
// the filesystem mounted at one of `changing` (the container root LV's mount, the data root)
// when that path is a mount point. The directory, or its nearest existing parent, is what is
// looked at.
Result<void> check_export_target(const std::string &dir, const std::string &data_root,
                                 const std::vector<std::string> &changing);
// Room for `needed` bytes on the filesystem of `dir` (or its nearest existing parent).
Result<void> check_room(const std::string &dir, uint64_t needed);

} // namespace css::images
