// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup switch [--export DIR]` (issue 17): the lab's storage change in one
// command. From the storage the configuration applied before set up (steps/applied_config.hpp)
// to what the edited configuration says: the plan is printed first, then the engine's images and
// volumes are exported (when asked), the engines stopped, what the old configuration created and
// the new one does not keep removed, the new storage set up as at boot, the engine's data
// directory copied onto a new LV that takes its place, the engines started and the export
// imported.
//
// Every phase is recorded before the next begins (config/pending_switch.hpp): a switch cut short
// is finished by running it again, and until its storage is ready the engines do not start at
// boot. Nothing the tool did not create is removed: the export directory stays, and a data
// directory that moves onto the new LV is kept beside it, renamed, for the admin to remove.

#include "arguments.hpp"
#include "commands.hpp"
#include "image_transfer.hpp"
#include "json_output.hpp"
#include "session.hpp"
#include "setup_steps.hpp"
#include "switch_plan.hpp"
#include "systemd_reload.hpp"

#include "config/config_format.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/test_point.hpp"
#include "engine/engine_units.hpp"
#include "steps/applied_config.hpp"
#include "steps/container_root_lv.hpp"
#include "config/pending_switch.hpp"
#include "steps/provisioned.hpp"
#include "steps/reset.hpp"
#include "sys/atomic_file.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace css::cli {

namespace {

using css::PendingSwitch;
using css::SwitchPhase;

constexpr std::array<OptionSpec, 4> switch_options = {{
        {"export", 'x', true},
        {"engine", 'e', true},
        {"dry-run", 'n', false},
        {"json", 0, false},
}};

constexpr CommandSyntax switch_syntax{
        "switch",
        "switch [--export DIR] [--engine docker|podman] [--dry-run [--json]]",
        "Change the storage from what the configuration applied before set up to what\n"
        "/etc/sysconfig/docker-storage-setup says now. The plan is printed first. Then: export the\n"
        "engine's images and named volumes into DIR (with --export), stop the engines, remove the LV,\n"
        "pool, profile and output files the old configuration created and the new one does not keep,\n"
        "set up the new storage as at boot, copy the engine's data directory onto a new LV mounted in\n"
        "its place (the old directory is kept, renamed to PATH.before-switch), start the engines and\n"
        "import DIR. A switch that stops half-way (a failure, a power cut) is finished by running it\n"
        "again; until then the engines do not start at boot. DIR is never removed.\n\n"
        "Options:\n"
        "  -x --export DIR  Export the images and volumes into DIR first, import them at the end\n"
        "  -e --engine E    The engine to export: docker or podman (default: the one installed)\n"
        "  -n --dry-run     Print the plan; change nothing\n"
        "     --json        With --dry-run: the plan as JSON\n"
        "  -h --help        Show this help\n\n"
        "Exit status: 0 switched, 1 refused or failed (run it again to go on), 2 usage error.\n",
        switch_options,
        0,
        0,
};

process::Command systemctl(std::vector<std::string> words, bool mutating)
{
        process::Command c;
        c.argv = {"systemctl"};
        c.argv.insert(c.argv.end(), words.begin(), words.end());
        c.mutating = mutating;
        return c;
}

bool systemd_running()
{
        struct stat st;
        return ::stat(paths::host_path("/run/systemd/system").c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The engine units (and their sockets) that are active now, sockets first.
Result<std::vector<std::string>> active_engines()
{
        std::vector<std::string> units;
        for (std::string_view s : engine::engine_sockets)
                units.emplace_back(s);
        for (std::string_view e : engine::engine_units)
                units.emplace_back(e);
        if (!systemd_running())
                return std::vector<std::string>();
        std::vector<std::string> words{"is-active"};
        words.insert(words.end(), units.begin(), units.end());
        process::Command c = systemctl(words, false);
        c.timeout = process::query_timeout;
        Result<process::Outcome> o = process::run(c); // exits 3 when one is inactive
        if (!o)
                return o.error();
        return active_units(units, o->out);
}

Result<void> run_systemctl(StepContext &context, std::string_view verb, const std::vector<std::string> &units)
{
        if (units.empty() || !systemd_running())
                return {};
        std::vector<std::string> words{std::string(verb)};
        words.insert(words.end(), units.begin(), units.end());
        if (Result<process::Outcome> r = context.run_checked(systemctl(words, true)); !r)
                return r.error();
        return {};
}

Result<void> write_phase(PendingSwitch &record, SwitchPhase phase)
{
        record.phase = phase;
        if (Result<void> r = write_pending_switch(record); !r)
                return r;
        test_point("switch-" + std::string(phase_name(phase)));
        return {};
}

// The data directory renamed out of the way of the new LV's mount; its mode stays, and an
// empty directory of the same mode and owner is the mount point. Done when the rename is.
Result<void> move_aside(const PendingSwitch &record)
{
        const std::string from = paths::host_path(record.data_dir), to = paths::host_path(record.data_dir_aside);
        struct stat st;
        if (::lstat(to.c_str(), &st) == 0)
                return {};
        if (::lstat(from.c_str(), &st) < 0)
                return make_errno_error(errno, "Failed to look at " + record.data_dir);
        if (::rename(from.c_str(), to.c_str()) < 0)
                return make_errno_error(errno, "Failed to rename " + record.data_dir + " to " + record.data_dir_aside);
        if (::mkdir(from.c_str(), st.st_mode & 07777) < 0 && errno != EEXIST)
                return make_errno_error(errno, "Failed to create the mount point " + record.data_dir);
        if (::chown(from.c_str(), st.st_uid, st.st_gid) < 0)
                return make_errno_error(errno, "Failed to give " + record.data_dir + " its owner");
        return sync_directory(from.substr(0, from.rfind('/')));
}

Result<void> sync_filesystem(const std::string &dir)
{
        int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return make_errno_error(errno, "Failed to open " + dir);
        int e = ::syncfs(fd) < 0 ? errno : 0;
        ::close(fd);
        if (e)
                return make_errno_error(e, "Failed to sync the filesystem of " + dir);
        return {};
}

// The data directory copied onto the new LV (images::copy_tree_argv), first into a staging
// directory, which is renamed when it is whole and synced; its entries are then
// renamed into place one by one. A copy cut short is made again; a rename cut short goes on.
Result<void> copy_data_dir(StepContext &context, const PendingSwitch &record)
{
        const std::string aside = paths::host_path(record.data_dir_aside);
        const std::string target = paths::host_path(record.data_dir);
        const std::string staging = target + "/.css-switch-copy", copied = target + "/.css-switch-copied";
        struct stat here, up;
        if (::stat(target.c_str(), &here) < 0 || ::stat((target + "/..").c_str(), &up) < 0 || here.st_dev == up.st_dev)
                return Error{record.data_dir +
                                     " is not the new LV's mount point: not copying onto the filesystem below.",
                             EINVAL};
        std::error_code ec;
        if (!std::filesystem::exists(copied, ec)) {
                std::filesystem::remove_all(staging, ec); // ours: an earlier copy cut short
                if (ec)
                        return Error{"Failed to remove the unfinished copy " + staging + ": " + ec.message(), EIO};
                process::Command cp;
                cp.argv = images::copy_tree_argv(aside, staging);
                cp.mutating = true;
                cp.timeout = process::default_timeout * 36; // every byte of the engine's data
                if (Result<process::Outcome> r = context.run_checked(cp); !r)
                        return r.error();
                if (context.dry_run())
                        return {};
                if (Result<void> r = sync_filesystem(target); !r)
                        return r;
                if (::rename(staging.c_str(), copied.c_str()) < 0)
                        return make_errno_error(errno, "Failed to rename " + staging);
                if (Result<void> r = sync_directory(target); !r)
                        return r;
                test_point("switch-copied");
        }
        for (const auto &entry : std::filesystem::directory_iterator(copied, ec)) {
                const std::string name = entry.path().filename();
                if (::rename(entry.path().c_str(), (target + "/" + name).c_str()) < 0)
                        return make_errno_error(errno, "Failed to move " + name + " into " + record.data_dir);
        }
        if (ec)
                return Error{"Failed to read " + copied + ": " + ec.message(), EIO};
        struct stat st;
        if (::stat(copied.c_str(), &st) < 0)
                return make_errno_error(errno, "Failed to look at " + copied);
        if (::chmod(target.c_str(), st.st_mode & 07777) < 0 || ::chown(target.c_str(), st.st_uid, st.st_gid) < 0)
                return make_errno_error(errno, "Failed to give " + record.data_dir + " its mode and owner");
        if (::rmdir(copied.c_str()) < 0)
                return make_errno_error(errno, "Failed to remove " + copied);
        return sync_directory(target);
}

void print_plan(const std::optional<Config> &old_config, const Config &next, const PendingSwitch &record, bool resumed)
{
        unsigned n = 0;
        auto item = [&n](const std::string &text) { std::printf("%u. %s\n", ++n, text.c_str()); };
        std::printf("The switch %s, from phase %s:\n", resumed ? "begun earlier goes on" : "will run",
                    std::string(phase_name(record.phase)).c_str());
        const bool before = record.phase <= SwitchPhase::stopping;
        if (record.phase == SwitchPhase::exporting && !record.export_dir.empty())
                item("export the engine's images and named volumes to " + record.export_dir);
        if (before) {
                item(record.engines.empty() ? "no engine is running: nothing to stop"
                                            : "stop " + join_words(record.engines));
                if (!record.data_dir.empty())
                        item("rename " + record.data_dir + " to " + record.data_dir_aside +
                             " (kept; its copy goes onto the new LV)");
                if (old_config) {
                        item("remove what the configuration applied before set up:");
                        std::fflush(stdout);
                        StepContext dry(*old_config, RunMode::dry_run);
                        steps::reset(dry, &next);
                } else {
                        item("nothing to remove: no storage was set up by this tool");
                }
        }
        if (record.phase <= SwitchPhase::set_up) {
                std::string names;
                for (const SetupStep &s : setup_steps(next))
                        names += (names.empty() ? "" : ", ") + s.name;
                item("set up the storage as configured: " + names);
        }
        if (record.phase <= SwitchPhase::set_up && !record.data_dir.empty())
                item("copy " + record.data_dir_aside + " onto the new LV at " + record.data_dir +
                     " (cp, archive mode)");
        item(record.engines.empty() ? "reload systemd" : "reload systemd; start " + join_words(record.engines));
        if (!record.export_dir.empty())
                item("import " + record.export_dir);
        std::fflush(stdout);
}

JsonDocument volume_json(const std::optional<steps::ResetPlan::Volume> &v)
{
        if (!v)
                return nullptr;
        JsonDocument j = {{"vg", v->vg}, {"lv", v->lv}};
        if (!v->mount_path.empty())
                j["mount_path"] = v->mount_path;
        return j;
}

JsonDocument nullable(const std::string &s)
{
        return s.empty() ? JsonDocument(nullptr) : JsonDocument(s);
}

// The plan as --dry-run --json prints it: what each phase still to come will do.
Result<JsonDocument> plan_json(const std::optional<Config> &old_config, const Config &next, const PendingSwitch &record,
                               bool resumed)
{
        const bool before = record.phase <= SwitchPhase::stopping;
        JsonDocument j;
        j["resumed"] = resumed;
        j["phase"] = phase_name(record.phase);
        j["export"] = record.phase == SwitchPhase::exporting ? nullable(record.export_dir) : JsonDocument(nullptr);
        j["stop"] = before ? record.engines : std::vector<std::string>{};
        j["move_aside"] = before && !record.data_dir.empty()
                                  ? JsonDocument{{"from", record.data_dir}, {"to", record.data_dir_aside}}
                                  : JsonDocument(nullptr);
        j["remove"] = nullptr;
        if (before && old_config) {
                StepContext dry(*old_config, RunMode::dry_run);
                Result<steps::ResetPlan> removal = steps::plan_removal(dry, &next);
                if (!removal)
                        return removal.error();
                j["remove"] = {{"container_root_lv", volume_json(removal->container_root_lv)},
                               {"thin_pool", volume_json(removal->thin_pool)},
                               {"profile_of", removal->profile_of ? JsonDocument(removal->profile_of->first + "/" +
                                                                                 removal->profile_of->second)
                                                                  : JsonDocument(nullptr)},
                               {"output_files", true}};
        }
        std::vector<std::string> steps;
        if (record.phase <= SwitchPhase::set_up)
                for (const SetupStep &s : setup_steps(next))
                        steps.push_back(s.name);
        j["set_up"] = steps;
        j["copy"] = record.phase <= SwitchPhase::set_up && !record.data_dir.empty()
                            ? JsonDocument{{"from", record.data_dir_aside}, {"to", record.data_dir}}
                            : JsonDocument(nullptr);
        j["start"] = record.engines;
        j["import"] = nullable(record.export_dir);
        return j;
}

} // namespace

int run_switch(std::span<char *const> argv)
{
        int exit = 0;
        std::optional<Arguments> args = parse_command(switch_syntax, argv, &exit);
        if (!args)
                return exit;
        const bool dry_run = args->has("dry-run");
        if (args->has("json") && !dry_run) {
                log::error("--json goes with --dry-run: a switch prints what it does as it goes.");
                return exit_usage;
        }
        if (args->has("export"))
                if (Result<void> r = check_export_path(*args->option("export")); !r)
                        return fail(r.error());
        Result<FileLock> lock = take_global_lock();
        if (!lock)
                return fail(lock.error());
        // The files: default_load_options() would be the old configuration while exporting.
        std::optional<Config> next = load_reported(file_load_options());
        if (!next)
                return exit_failure;

        Result<std::optional<PendingSwitch>> pending = read_pending_switch();
        if (!pending)
                return fail(pending.error());
        const bool resumed = pending->has_value();
        PendingSwitch record;
        std::optional<Config> old_config;
        if (resumed) {
                record = **pending;
                if (args->has("export") && *args->option("export") != record.export_dir)
                        return fail("A switch begun earlier is not finished; it exports to '" + record.export_dir +
                                    "', not '" + *args->option("export") +
                                    "'. Run 'container-storage-setup switch' to " + "finish it.");
                if (!record.old_config.empty()) {
                        Result<Config> c = steps::parse_applied_config(record.old_config);
                        if (!c)
                                return fail(c.error());
                        old_config = *c;
                }
        } else {
                Result<std::optional<Config>> applied = steps::read_applied_config();
                if (!applied)
                        return fail(applied.error());
                if (*applied) {
                        old_config = **applied;
                        record.old_config = format_config_shell(**applied);
                } else if (Result<void> r = nothing_set_up(); !r) {
                        return fail(r.error());
                }
                record.export_dir = args->option("export").value_or("");
                Result<std::vector<std::string>> engines = active_engines();
                if (!engines)
                        return fail(engines.error());
                record.engines = *engines;
                Result<std::optional<std::string>> move = data_dir_to_move(*next);
                if (!move)
                        return fail(move.error());
                if (*move) {
                        record.data_dir = **move;
                        record.data_dir_aside = **move + ".before-switch";
                }
        }

        StepContext old_context(old_config ? *old_config : *next, dry_run ? RunMode::dry_run : RunMode::apply);
        if (args->has("json")) {
                Result<JsonDocument> j = plan_json(old_config, *next, record, resumed);
                if (!j)
                        return fail(j.error());
                return write_stdout(json_text(*j)) ? exit_ok : exit_failure;
        }
        print_plan(old_config, *next, record, resumed);
        if (dry_run)
                return exit_ok;

        std::optional<images::Engine> engine;
        if (!record.export_dir.empty()) {
                Result<images::Engine> e = choose_engine(args->option("engine"), std::nullopt);
                if (!e)
                        return fail(e.error());
                engine = *e;
        }
        if (!resumed)
                if (Result<void> r = write_phase(record, SwitchPhase::exporting); !r)
                        return fail(r.error());
        if (record.phase == SwitchPhase::exporting) {
                if (engine) {
                        ExportOptions options;
                        options.replace_own = resumed;
                        if (old_config)
                                if (std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(*old_config))
                                        options.changing.push_back(lv->mount_path);
                        Result<images::Manifest> m = export_images(old_context, *engine, record.export_dir, options);
                        if (!m) {
                                // Nothing has changed yet: a refused export leaves no switch behind.
                                if (Result<void> r = remove_pending_switch(); !r)
                                        log::warning(r.error().message);
                                return fail(m.error());
                        }
                        log::info("Exported " + counted(m->images.size(), "image") + " and " +
                                  counted(m->volumes.size(), "volume") + " to " + record.export_dir + ".");
                }
                if (Result<void> r = write_phase(record, SwitchPhase::stopping); !r)
                        return fail(r.error());
        }

        if (record.phase == SwitchPhase::stopping) {
                if (Result<void> r = run_systemctl(old_context, "stop", record.engines); !r)
                        return fail(r.error());
                if (!record.data_dir.empty())
                        if (Result<void> r = move_aside(record); !r)
                                return fail(r.error());
                if (old_config && steps::reset(old_context, &*next) != 0)
                        return exit_failure;
                if (Result<void> r = write_phase(record, SwitchPhase::removed); !r)
                        return fail(r.error());
        }
        StepContext context(*next, RunMode::apply);
        context.set_switching();
        // Again after a cut during the copy: at that boot the steps stopped before the mount.
        if (record.phase == SwitchPhase::removed || record.phase == SwitchPhase::set_up) {
                if (run_setup_steps(context, setup_steps(*next)) != 0)
                        return fail("The new storage could not be set up (above); run 'container-storage-setup switch' "
                                    "again after fixing the cause.");
                if (record.phase == SwitchPhase::removed)
                        if (Result<void> r = write_phase(record, SwitchPhase::set_up); !r)
                                return fail(r.error());
        }
        if (record.phase == SwitchPhase::set_up) {
                if (!record.data_dir.empty())
                        if (Result<void> r = copy_data_dir(context, record); !r)
                                return fail(r.error());
                if (Result<void> r = write_phase(record, SwitchPhase::storage_ready); !r)
                        return fail(r.error());
        }

        // Starting an engine may start docker-storage-setup.service again (it failed at the boot
        // after a cut), whose steps take the global lock: they must not wait for ours.
        lock->release();
        reload_systemd();
        if (Result<void> r = run_systemctl(context, "start", record.engines); !r)
                return fail(r.error());
        if (!record.export_dir.empty()) {
                Result<images::Manifest> manifest = read_export(record.export_dir);
                if (!manifest)
                        return fail(manifest.error());
                Result<images::Engine> e = choose_engine(args->option("engine"), manifest->engine);
                if (!e)
                        return fail(e.error());
                if (Result<void> r = import_images(context, *e, record.export_dir, *manifest, true); !r)
                        return fail(r.error());
                log::info("Imported " + counted(manifest->images.size(), "image") + " and " +
                          counted(manifest->volumes.size(), "volume") + " from " + record.export_dir +
                          "; every file matched its SHA-256. The export stays in " + record.export_dir + ".");
        }
        Result<FileLock> relock = take_global_lock();
        if (!relock)
                return fail(relock.error());
        if (Result<void> r = remove_pending_switch(); !r)
                return fail(r.error());
        if (Result<void> r = steps::record_provisioned(context); !r)
                log::warning(r.error().message + "; the next boot runs every step again.");
        log::info("The storage is switched to what " + std::string(paths::sysconfig_input) + " says.");
        if (!record.data_dir.empty())
                log::info(record.data_dir + " is now on its own LV; the old copy stays in " + record.data_dir_aside +
                          " on the filesystem below: remove it once the engine's data is checked.");
        return exit_ok;
}

} // namespace css::cli
