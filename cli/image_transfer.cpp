// SPDX-License-Identifier: Apache-2.0
#include "image_transfer.hpp"

#include "core/small_file.hpp"
#include "core/words.hpp"
#include "sys/atomic_file.hpp"

#include <cerrno>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace css::cli {

namespace {

using images::Engine;

process::Command command(images::Argv argv, bool mutating)
{
        process::Command c;
        c.argv = std::move(argv);
        c.mutating = mutating;
        return c;
}

// The engine's answer on stdout (a probe: it runs in a dry run too).
Result<std::string> ask(StepContext &context, images::Argv argv)
{
        Result<process::Outcome> o = context.run_checked(command(std::move(argv), false));
        if (!o)
                return o.error();
        return o->out;
}

// Saving or loading reads or writes every byte of a large export.
Result<void> run_long(StepContext &context, images::Argv argv)
{
        process::Command c = command(std::move(argv), true);
        c.timeout = process::default_timeout * 6;
        if (Result<process::Outcome> r = context.run_checked(c); !r)
                return r.error();
        return {};
}

struct Volume {
        std::string name;
        std::string mountpoint;
};

Result<std::vector<Volume>> engine_volumes(StepContext &context, Engine engine)
{
        Result<std::string> names = ask(context, images::list_volumes_argv(engine));
        if (!names)
                return names.error();
        std::vector<Volume> volumes;
        for (const std::string &name : images::parse_lines(*names)) {
                if (!images::valid_volume_name(name))
                        return Error{"Volume '" + name + "' has a name this tool cannot save as a file.", EINVAL};
                Result<std::string> mountpoint = ask(context, images::volume_mountpoint_argv(engine, name));
                if (!mountpoint)
                        return mountpoint.error();
                volumes.push_back(Volume{name, without_line_end(*mountpoint)});
        }
        return volumes;
}

Result<std::vector<std::pair<std::string, std::string>>> checksums(const std::string &dir,
                                                                   const std::vector<std::string> &files)
{
        std::vector<std::string> paths;
        for (const std::string &f : files)
                paths.push_back(dir + "/" + f);
        process::Command c = command(images::sha256sum_argv(paths), false);
        c.timeout = process::default_timeout * 6; // reads every byte of a large export
        Result<process::Outcome> o = process::run_checked(c);
        if (!o)
                return o.error();
        Result<std::vector<std::pair<std::string, std::string>>> sums = images::parse_sha256sum(o->out);
        if (sums && sums->size() != files.size())
                return Error{"sha256sum printed " + std::to_string(sums->size()) + " sums for " +
                                     std::to_string(files.size()) + " files",
                             EIO};
        return sums;
}

bool empty_directory(const std::string &dir)
{
        std::error_code ec;
        return std::filesystem::is_empty(dir, ec) && !ec;
}

// What an export writes: images.tar, volumes/*.tar and manifest.json, nothing else.
bool only_export_files(const std::string &dir)
{
        std::error_code ec;
        for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
                const std::string name = entry.path().filename();
                if (name == images::images_file || name == images::manifest_file)
                        continue;
                if (name != "volumes" || !entry.is_directory())
                        return false;
                for (const auto &v : std::filesystem::directory_iterator(entry.path(), ec))
                        if (!v.path().filename().string().ends_with(".tar"))
                                return false;
        }
        return !ec;
}

} // namespace

Result<void> check_export_dir(StepContext &context, const std::string &dir, bool replace_own)
{
        struct stat st;
        if (::stat(dir.c_str(), &st) < 0 || empty_directory(dir))
                return {};
        if (!replace_own || !only_export_files(dir))
                return Error{"The export directory " + dir + " is not empty: an export never replaces files.", EEXIST};
        const std::string manifest = dir + "/" + std::string(images::manifest_file);
        if (context.dry_run())
                return {};
        if (::unlink(manifest.c_str()) < 0)
                return errno == ENOENT ? Result<void>() : make_errno_error(errno, "Failed to remove " + manifest);
        return sync_directory(dir);
}

std::string counted(size_t n, std::string_view noun)
{
        return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

Result<void> check_export_path(const std::string &dir)
{
        if (dir.empty() || dir.front() != '/')
                return Error{"The export directory must be an absolute path, not '" + dir + "'.", EINVAL};
        return {};
}

Result<Engine> choose_engine(const std::optional<std::string> &option, std::optional<Engine> from_manifest)
{
        if (option) {
                std::optional<Engine> e = images::parse_engine(*option);
                if (!e)
                        return Error{"--engine must be docker or podman", EINVAL};
                if (from_manifest && *from_manifest != *e)
                        return Error{"The export was made with " + std::string(images::engine_name(*from_manifest)) +
                                             ", not " + std::string(images::engine_name(*e)) + ".",
                                     EINVAL};
                return *e;
        }
        if (from_manifest)
                return *from_manifest;
        if (process::find_program("docker"))
                return Engine::docker;
        if (process::find_program("podman"))
                return Engine::podman;
        return Error{"Neither docker nor podman is installed.", ENOENT};
}

Result<images::Manifest> export_images(StepContext &context, Engine engine, const std::string &dir,
                                       const ExportOptions &options)
{
        if (Result<void> r = check_export_path(dir); !r)
                return r.error();
        Result<std::string> data_root = ask(context, images::data_root_argv(engine));
        if (!data_root)
                return data_root.error();
        std::vector<std::string> changing = options.changing;
        changing.push_back(without_line_end(*data_root));
        if (Result<void> r = images::check_export_target(dir, without_line_end(*data_root), changing); !r)
                return r.error();
        if (Result<void> r = check_export_dir(context, dir, options.replace_own); !r)
                return r.error();

        Result<std::string> list = ask(context, images::list_images_argv(engine));
        if (!list)
                return list.error();
        Result<std::vector<images::Image>> found = images::parse_image_list(*list);
        if (!found)
                return found.error();
        Result<std::vector<Volume>> volumes = engine_volumes(context, engine);
        if (!volumes)
                return volumes.error();

        uint64_t needed = 0;
        if (!found->empty()) {
                Result<std::string> sizes = ask(context, images::image_sizes_argv(engine, *found));
                Result<uint64_t> total = sizes ? images::parse_total_size(*sizes) : Result<uint64_t>(sizes.error());
                if (!total)
                        return total.error();
                needed += *total;
        }
        for (const Volume &v : *volumes) {
                Result<uint64_t> used = images::disk_usage(v.mountpoint);
                if (!used)
                        return used.error();
                needed += *used;
        }
        if (Result<void> r = images::check_room(dir, needed); !r)
                return r.error();

        if (context.dry_run()) {
                std::printf("would create %s\n", dir.c_str());
        } else {
                if (Result<void> r = make_directories(dir + "/volumes"); !r)
                        return r.error();
                // Images may hold secrets; the engine's own store is root's.
                if (::chmod(dir.c_str(), 0700) < 0)
                        return make_errno_error(errno, "Failed to make " + dir + " private");
        }

        images::Manifest manifest;
        manifest.engine = engine;
        manifest.images = *found;
        std::vector<std::string> files;
        if (!found->empty()) {
                if (Result<void> r =
                            run_long(context, images::save_argv(engine, dir + "/" + std::string(images::images_file),
                                                                images::save_references(*found)));
                    !r)
                        return r.error();
                files.emplace_back(images::images_file);
        }
        for (const Volume &v : *volumes) {
                if (Result<void> r = run_long(
                            context, images::volume_tar_argv(v.mountpoint, dir + "/" + images::volume_file(v.name)));
                    !r)
                        return r.error();
                manifest.volumes.push_back(v.name);
                files.push_back(images::volume_file(v.name));
        }
        if (!context.dry_run() && !files.empty()) {
                Result<std::vector<std::pair<std::string, std::string>>> sums = checksums(dir, files);
                if (!sums)
                        return sums.error();
                for (size_t i = 0; i < files.size(); ++i) {
                        struct stat f;
                        if (::stat((dir + "/" + files[i]).c_str(), &f) < 0)
                                return make_errno_error(errno, "Failed to look at " + dir + "/" + files[i]);
                        manifest.files.push_back(
                                images::ArchiveFile{files[i], (*sums)[i].second, static_cast<uint64_t>(f.st_size)});
                }
        }
        // Last: a directory with a manifest is a whole export.
        if (Result<void> r = context.write_file(dir + "/" + std::string(images::manifest_file),
                                                images::render_manifest(manifest));
            !r)
                return r.error();
        return manifest;
}

Result<images::Manifest> read_export(const std::string &dir)
{
        // A manifest lists a few names and sums; the limit keeps a FIFO or a huge file out.
        std::optional<std::string> text = read_small_file(dir + "/" + std::string(images::manifest_file), 16u << 20);
        if (!text)
                return Error{"No export in " + dir + ": " + std::string(images::manifest_file) +
                                     " cannot be read (missing, unreadable or over 16 MiB).",
                             ENOENT};
        return images::parse_manifest(*text);
}

Result<void> import_images(StepContext &context, Engine engine, const std::string &dir,
                           const images::Manifest &manifest, bool replace_volume_files)
{
        // Every file, before anything is loaded.
        std::vector<std::string> files;
        for (const images::ArchiveFile &f : manifest.files)
                files.push_back(f.path);
        if (!files.empty()) {
                Result<std::vector<std::pair<std::string, std::string>>> sums = checksums(dir, files);
                if (!sums)
                        return sums.error();
                for (size_t i = 0; i < files.size(); ++i)
                        if ((*sums)[i].second != manifest.files[i].sha256)
                                return Error{dir + "/" + files[i] +
                                                     " does not match the manifest's SHA-256: not importing anything.",
                                             EINVAL};
        }
        Result<std::vector<Volume>> existing = engine_volumes(context, engine);
        if (!existing)
                return existing.error();
        if (!replace_volume_files)
                for (const std::string &name : manifest.volumes)
                        for (const Volume &v : *existing)
                                if (v.name == name && !empty_directory(v.mountpoint))
                                        return Error{"Volume " + name +
                                                             " exists and holds files: not importing anything.",
                                                     EEXIST};

        bool has_images = false;
        for (const images::ArchiveFile &f : manifest.files)
                has_images = has_images || f.path == images::images_file;
        if (has_images)
                if (Result<void> r =
                            run_long(context, images::load_argv(engine, dir + "/" + std::string(images::images_file)));
                    !r)
                        return r.error();
        for (const std::string &name : manifest.volumes) {
                bool exists = false;
                for (const Volume &v : *existing)
                        exists = exists || v.name == name;
                if (!exists)
                        if (Result<process::Outcome> r =
                                    context.run_checked(command(images::volume_create_argv(engine, name), true));
                            !r)
                                return r.error();
                std::string mountpoint = "<mountpoint of " + name + ">"; // a dry run does not create the volume
                if (!context.dry_run() || exists) {
                        Result<std::string> m = ask(context, images::volume_mountpoint_argv(engine, name));
                        if (!m)
                                return m.error();
                        mountpoint = without_line_end(*m);
                }
                if (Result<void> r = run_long(
                            context, images::volume_untar_argv(mountpoint, dir + "/" + images::volume_file(name)));
                    !r)
                        return r.error();
        }
        if (context.dry_run())
                return {};

        // What came back: every tag of the manifest.
        Result<std::string> list = ask(context, images::list_images_argv(engine));
        Result<std::vector<images::Image>> now =
                list ? images::parse_image_list(*list) : Result<std::vector<images::Image>>(list.error());
        if (!now)
                return now.error();
        for (const images::Image &i : manifest.images)
                for (const std::string &tag : i.tags) {
                        bool there = false;
                        for (const images::Image &n : *now)
                                for (const std::string &t : n.tags)
                                        there = there || t == tag;
                        if (!there)
                                return Error{"Image " + tag + " is not in " + std::string(images::engine_name(engine)) +
                                                     " after the load.",
                                             EIO};
                }
        return {};
}

} // namespace css::cli
