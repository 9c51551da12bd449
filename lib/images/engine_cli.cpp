// SPDX-License-Identifier: Apache-2.0
#include "images/engine_cli.hpp"

#include <cerrno>
#include <charconv>

namespace css::images {

std::string_view engine_name(Engine engine)
{
        return engine == Engine::docker ? "docker" : "podman";
}

std::optional<Engine> parse_engine(std::string_view name)
{
        if (name == "docker")
                return Engine::docker;
        if (name == "podman")
                return Engine::podman;
        return std::nullopt;
}

namespace {

Argv engine_argv(Engine engine, std::initializer_list<std::string> words)
{
        Argv argv{std::string(engine_name(engine))};
        argv.insert(argv.end(), words);
        return argv;
}

bool untagged(std::string_view tag)
{
        return tag.empty() || tag == "<none>:<none>" || tag.starts_with("<none>:") || tag.ends_with(":<none>");
}

} // namespace

Argv list_images_argv(Engine engine)
{
        return engine_argv(engine,
                           {"image", "ls", "--all", "--no-trunc", "--format", "{{.ID}}\t{{.Repository}}:{{.Tag}}"});
}

std::vector<std::string> parse_lines(std::string_view text)
{
        std::vector<std::string> lines;
        while (!text.empty()) {
                size_t nl = text.find('\n');
                std::string_view line = text.substr(0, nl);
                if (!line.empty())
                        lines.emplace_back(line);
                text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        }
        return lines;
}

Result<std::vector<Image>> parse_image_list(std::string_view text)
{
        std::vector<Image> images;
        for (const std::string &line : parse_lines(text)) {
                size_t tab = line.find('\t');
                if (tab == 0 || tab == std::string::npos)
                        return Error{"Unexpected line in the image list: '" + line + "'", EINVAL};
                std::string id = line.substr(0, tab), tag = line.substr(tab + 1);
                Image *image = nullptr;
                for (Image &i : images)
                        if (i.id == id)
                                image = &i;
                if (!image)
                        image = &images.emplace_back(Image{id, {}});
                if (!untagged(tag))
                        image->tags.push_back(tag);
        }
        return images;
}

Argv image_sizes_argv(Engine engine, const std::vector<Image> &images)
{
        Argv argv = engine_argv(engine, {"image", "inspect", "--format", "{{.Size}}"});
        for (const Image &i : images)
                argv.push_back(i.id);
        return argv;
}

Result<uint64_t> parse_total_size(std::string_view text)
{
        uint64_t total = 0;
        for (const std::string &line : parse_lines(text)) {
                uint64_t n = 0;
                auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), n);
                if (ec != std::errc() || end != line.data() + line.size())
                        return Error{"Unexpected image size '" + line + "'", EINVAL};
                total += n;
        }
        return total;
}

std::vector<std::string> save_references(const std::vector<Image> &images)
{
        std::vector<std::string> refs;
        for (const Image &i : images) {
                if (i.tags.empty())
                        refs.push_back(i.id);
                refs.insert(refs.end(), i.tags.begin(), i.tags.end());
        }
        return refs;
}

Argv save_argv(Engine engine, const std::string &file, const std::vector<std::string> &references)
{
        Argv argv = engine_argv(engine, {"save", "--output", file});
        if (engine == Engine::podman)
                argv.push_back("--multi-image-archive"); // podman saves one image per archive without it
        argv.insert(argv.end(), references.begin(), references.end());
        return argv;
}

Argv load_argv(Engine engine, const std::string &file)
{
        return engine_argv(engine, {"load", "--input", file});
}

Argv list_volumes_argv(Engine engine)
{
        return engine_argv(engine, {"volume", "ls", "--quiet"});
}

Argv volume_mountpoint_argv(Engine engine, const std::string &volume)
{
        return engine_argv(engine, {"volume", "inspect", "--format", "{{.Mountpoint}}", volume});
}

Argv volume_create_argv(Engine engine, const std::string &volume)
{
        return engine_argv(engine, {"volume", "create", volume});
}

Argv data_root_argv(Engine engine)
{
        return engine_argv(
                engine, {"info", "--format", engine == Engine::docker ? "{{.DockerRootDir}}" : "{{.Store.GraphRoot}}"});
}

Argv volume_tar_argv(const std::string &mountpoint, const std::string &file)
{
        return {"tar",      "--create",           "--file",   file,          "--numeric-owner", "--acls",
                "--xattrs", "--xattrs-include=*", "--sparse", "--directory", mountpoint,        "."};
}

Argv volume_untar_argv(const std::string &mountpoint, const std::string &file)
{
        return {"tar",         "--extract",       "--file",
                file,          "--numeric-owner", "--same-permissions",
                "--acls",      "--xattrs",        "--xattrs-include=*",
                "--directory", mountpoint};
}

Argv copy_tree_argv(const std::string &source, const std::string &target)
{
        return {"cp", "--archive", "--sparse=always", "--no-target-directory", "--", source, target};
}

} // namespace css::images
