// SPDX-License-Identifier: Apache-2.0
#pragma once

// What an engine holds, asked through its own command line (docker's or podman's, which take
// the same words for what is used here): the images with their tags, the named volumes and
// where each keeps its files, and the argv that saves, loads and creates them. Nothing here
// reads an engine's private directories; a volume's files are read where the engine says its
// mountpoint is, as `docker volume inspect` documents.

#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::images {

enum class Engine { docker, podman };

std::string_view engine_name(Engine engine);
std::optional<Engine> parse_engine(std::string_view name);

struct Image {
        std::string id;                // as the engine prints it ("sha256:..." for docker)
        std::vector<std::string> tags; // "repo:tag"; none for an untagged image
};

using Argv = std::vector<std::string>;

// `ENGINE image ls --all --no-trunc --format '{{.ID}}\t{{.Repository}}:{{.Tag}}'`
Argv list_images_argv(Engine engine);
// One image per ID, its tags in the order listed; "<none>:<none>" and "<none>" tags left out.
Result<std::vector<Image>> parse_image_list(std::string_view text);
// `ENGINE image inspect --format '{{.Size}}' ID...`: bytes per image, one per line.
Argv image_sizes_argv(Engine engine, const std::vector<Image> &images);
Result<uint64_t> parse_total_size(std::string_view text);

// What `save` names: every tag, and the ID of an image that has none (so it comes back, untagged).
std::vector<std::string> save_references(const std::vector<Image> &images);
Argv save_argv(Engine engine, const std::string &file, const std::vector<std::string> &references);
Argv load_argv(Engine engine, const std::string &file);

// `ENGINE volume ls --quiet`: one name per line.
Argv list_volumes_argv(Engine engine);
std::vector<std::string> parse_lines(std::string_view text);
// `ENGINE volume inspect --format '{{.Mountpoint}}' NAME`
Argv volume_mountpoint_argv(Engine engine, const std::string &volume);
Argv volume_create_argv(Engine engine, const std::string &volume);
// `ENGINE info --format ...`: the engine's data root (docker's DockerRootDir, podman's graphRoot).
Argv data_root_argv(Engine engine);

// A volume's files as a tar, owners by number, with ACLs and every extended attribute (SELinux
// labels and capabilities included), holes kept; and back, into an empty volume.
Argv volume_tar_argv(const std::string &mountpoint, const std::string &file);
Argv volume_untar_argv(const std::string &mountpoint, const std::string &file);

// An engine's whole data directory copied to `target` (which must not exist) with cp's archive
// mode: owners, modes, times, hard links, ACLs and extended attributes (overlayfs's own among
// them), device nodes (overlayfs's whiteouts) and sparse files as they are.
Argv copy_tree_argv(const std::string &source, const std::string &target);

} // namespace css::images
