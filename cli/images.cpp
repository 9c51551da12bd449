// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup export-images DIR` and `import-images DIR` (issue 17): what the
// engine holds (every image with its tags, the named volumes' files) saved through the engine's
// own `save` and its volumes' mountpoints into DIR, with a manifest of SHA-256 sums; and loaded
// back, every file checked against the manifest before anything is loaded. The atomic CLI's
// `storage export/import` did this for the lab's storage change; images/archive.hpp has the
// directory's layout.

#include "arguments.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "session.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "core/words.hpp"
#include "images/archive.hpp"
#include "steps/container_root_lv.hpp"
#include "steps/step_context.hpp"
#include "sys/atomic_file.hpp"

#include <array>
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace css::cli {

namespace {

using images::Engine;

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

// "1 image", "2 images"
std::string counted(size_t n, std::string_view noun)
{
        return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

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

Result<Engine> choose_engine(const Arguments &args, std::optional<Engine> from_manifest)
{
        if (args.has("engine")) {
                std::optional<Engine> e = images::parse_engine(args.options.find("engine")->second);
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

} // namespace

int run_export_images(std::span<char *const> argv)
{
        int exit = 0;
        std::optional<Arguments> args = parse_command(export_syntax, argv, &exit);
        if (!args)
                return exit;
        const std::string dir = args->positional[0];
        if (dir.empty() || dir.front() != '/')
                return fail("The export directory must be an absolute path, not '" + dir + "'.");
        std::optional<Config> config = load_reported(default_load_options());
        if (!config)
                return exit_failure;
        Result<Engine> engine = choose_engine(*args, std::nullopt);
        if (!engine)
                return fail(engine.error());
        StepContext context(*config, args->has("dry-run") ? RunMode::dry_run : RunMode::apply);

        Result<std::string> data_root = ask(context, images::data_root_argv(*engine));
        if (!data_root)
                return fail(data_root.error());
        std::vector<std::string> changing{without_line_end(*data_root)};
        if (std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(*config))
                changing.push_back(lv->mount_path);
        if (Result<void> r = images::check_export_target(dir, without_line_end(*data_root), changing); !r)
                return fail(r.error());
        struct stat st;
        if (::stat(dir.c_str(), &st) == 0 && !empty_directory(dir))
                return fail("The export directory " + dir + " is not empty: an export never replaces files.");

        Result<std::string> list = ask(context, images::list_images_argv(*engine));
        if (!list)
                return fail(list.error());
        Result<std::vector<images::Image>> found = images::parse_image_list(*list);
        if (!found)
                return fail(found.error());
        Result<std::vector<Volume>> volumes = engine_volumes(context, *engine);
        if (!volumes)
                return fail(volumes.error());

        uint64_t needed = 0;
        if (!found->empty()) {
                Result<std::string> sizes = ask(context, images::image_sizes_argv(*engine, *found));
                Result<uint64_t> total = sizes ? images::parse_total_size(*sizes) : Result<uint64_t>(sizes.error());
                if (!total)
                        return fail(total.error());
                needed += *total;
        }
        for (const Volume &v : *volumes) {
                Result<uint64_t> used = images::disk_usage(v.mountpoint);
                if (!used)
                        return fail(used.error());
                needed += *used;
        }
        if (Result<void> r = images::check_room(dir, needed); !r)
                return fail(r.error());

        if (context.dry_run()) {
                std::printf("would create %s\n", dir.c_str());
        } else {
                if (Result<void> r = make_directories(dir + "/volumes"); !r)
                        return fail(r.error());
                // Images may hold secrets; the engine's own store is root's.
                if (::chmod(dir.c_str(), 0700) < 0)
                        return fail(make_errno_error(errno, "Failed to make " + dir + " private"));
        }

        images::Manifest manifest;
        manifest.engine = *engine;
        manifest.images = *found;
        std::vector<std::string> files;
        if (!found->empty()) {
                process::Command save = command(images::save_argv(*engine, dir + "/" + std::string(images::images_file),
                                                                  images::save_references(*found)),
                                                true);
                save.timeout = process::default_timeout * 6;
                if (Result<process::Outcome> r = context.run_checked(save); !r)
                        return fail(r.error());
                files.emplace_back(images::images_file);
        }
        for (const Volume &v : *volumes) {
                process::Command tar =
                        command(images::volume_tar_argv(v.mountpoint, dir + "/" + images::volume_file(v.name)), true);
                tar.timeout = process::default_timeout * 6;
                if (Result<process::Outcome> r = context.run_checked(tar); !r)
                        return fail(r.error());
                manifest.volumes.push_back(v.name);
                files.push_back(images::volume_file(v.name));
        }
        if (!context.dry_run() && !files.empty()) {
                Result<std::vector<std::pair<std::string, std::string>>> sums = checksums(dir, files);
                if (!sums)
                        return fail(sums.error());
                for (size_t i = 0; i < files.size(); ++i) {
                        struct stat f;
                        if (::stat((dir + "/" + files[i]).c_str(), &f) < 0)
                                return fail(make_errno_error(errno, "Failed to look at " + dir + "/" + files[i]));
                        manifest.files.push_back(
                                images::ArchiveFile{files[i], (*sums)[i].second, static_cast<uint64_t>(f.st_size)});
                }
        }
        // Last: a directory with a manifest is a whole export.
        if (Result<void> r = context.write_file(dir + "/" + std::string(images::manifest_file),
                                                images::render_manifest(manifest));
            !r)
                return fail(r.error());
        if (args->has("json"))
                return write_stdout(images::render_manifest(manifest)) ? exit_ok : exit_failure;
        log::info("Exported " + counted(manifest.images.size(), "image") + " and " +
                  counted(manifest.volumes.size(), "volume") + " of " + std::string(images::engine_name(*engine)) +
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
        // A manifest lists a few names and sums; the limit keeps a FIFO or a huge file out.
        std::optional<std::string> text = read_small_file(dir + "/" + std::string(images::manifest_file), 16u << 20);
        if (!text)
                return fail("No export in " + dir + ": " + std::string(images::manifest_file) +
                            " cannot be read (missing, unreadable or over 16 MiB).");
        Result<images::Manifest> manifest = images::parse_manifest(*text);
        if (!manifest)
                return fail(manifest.error());
        Result<Engine> engine = choose_engine(*args, manifest->engine);
        if (!engine)
                return fail(engine.error());
        const Config config;
        StepContext context(config, args->has("dry-run") ? RunMode::dry_run : RunMode::apply);

        // Every file, before anything is loaded.
        std::vector<std::string> files;
        for (const images::ArchiveFile &f : manifest->files)
                files.push_back(f.path);
        if (!files.empty()) {
                Result<std::vector<std::pair<std::string, std::string>>> sums = checksums(dir, files);
                if (!sums)
                        return fail(sums.error());
                for (size_t i = 0; i < files.size(); ++i)
                        if ((*sums)[i].second != manifest->files[i].sha256)
                                return fail(dir + "/" + files[i] +
                                            " does not match the manifest's SHA-256: not importing anything.");
        }
        Result<std::vector<Volume>> existing = engine_volumes(context, *engine);
        if (!existing)
                return fail(existing.error());
        for (const std::string &name : manifest->volumes)
                for (const Volume &v : *existing)
                        if (v.name == name && !empty_directory(v.mountpoint))
                                return fail("Volume " + name + " exists and holds files: not importing anything.");

        bool has_images = false;
        for (const images::ArchiveFile &f : manifest->files)
                has_images = has_images || f.path == images::images_file;
        if (has_images) {
                process::Command load =
                        command(images::load_argv(*engine, dir + "/" + std::string(images::images_file)), true);
                load.timeout = process::default_timeout * 6;
                if (Result<process::Outcome> r = context.run_checked(load); !r)
                        return fail(r.error());
        }
        for (const std::string &name : manifest->volumes) {
                bool exists = false;
                for (const Volume &v : *existing)
                        exists = exists || v.name == name;
                if (!exists)
                        if (Result<process::Outcome> r =
                                    context.run_checked(command(images::volume_create_argv(*engine, name), true));
                            !r)
                                return fail(r.error());
                std::string mountpoint = "<mountpoint of " + name + ">"; // a dry run does not create the volume
                if (!context.dry_run() || exists) {
                        Result<std::string> m = ask(context, images::volume_mountpoint_argv(*engine, name));
                        if (!m)
                                return fail(m.error());
                        mountpoint = without_line_end(*m);
                }
                process::Command untar =
                        command(images::volume_untar_argv(mountpoint, dir + "/" + images::volume_file(name)), true);
                untar.timeout = process::default_timeout * 6;
                if (Result<process::Outcome> r = context.run_checked(untar); !r)
                        return fail(r.error());
        }
        if (context.dry_run())
                return exit_ok;

        // What came back: every tag of the manifest.
        Result<std::string> list = ask(context, images::list_images_argv(*engine));
        Result<std::vector<images::Image>> now =
                list ? images::parse_image_list(*list) : Result<std::vector<images::Image>>(list.error());
        if (!now)
                return fail(now.error());
        for (const images::Image &i : manifest->images)
                for (const std::string &tag : i.tags) {
                        bool there = false;
                        for (const images::Image &n : *now)
                                for (const std::string &t : n.tags)
                                        there = there || t == tag;
                        if (!there)
                                return fail("Image " + tag + " is not in " + std::string(images::engine_name(*engine)) +
                                            " after the load.");
                }
        log::info("Imported " + counted(manifest->images.size(), "image") + " and " +
                  counted(manifest->volumes.size(), "volume") + " from " + dir + " into " +
                  std::string(images::engine_name(*engine)) + "; every file matched its SHA-256.");
        return exit_ok;
}

} // namespace css::cli
