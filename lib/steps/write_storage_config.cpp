// SPDX-License-Identifier: Apache-2.0
#include "steps/write_storage_config.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "engine/kernel_probes.hpp"
#include "lvm/report.hpp"
#include "steps/containers_storage_conf.hpp"
#include "steps/engine_output.hpp"
#include "steps/applied_config.hpp"
#include "steps/provisioned.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"
#include "sys/dm.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace css::steps {

namespace {

bool exists(std::string_view path)
{
        return ::access(paths::host_path(path).c_str(), F_OK) == 0;
}

// /var/lib/docker may not exist before docker's first start: its nearest existing parent is
// on the filesystem that will hold it.
std::string nearest_existing_dir(std::string dir)
{
        struct stat st;
        while (dir.size() > 1 && (::stat(paths::host_path(dir).c_str(), &st) < 0 || !S_ISDIR(st.st_mode))) {
                size_t slash = dir.rfind('/');
                dir = slash == 0 ? "/" : dir.substr(0, slash);
        }
        return dir;
}

std::string read_note()
{
        std::ifstream in(paths::host_path(created_pool_note));
        std::string line;
        std::getline(in, line);
        return line;
}

// "/dev/mapper/<kernel name>": asked from device-mapper by the LV's device number, as the
// original read /sys/dev/block/M:m/dm/name; LVM's naming rule when the pool is not active.
std::string thinpool_device(const lvm::Lv &pool)
{
        if (pool.kernel_major && pool.kernel_minor && dm::available()) {
                Result<std::string> name = dm::name_of(*pool.kernel_major, *pool.kernel_minor);
                if (name)
                        return "/dev/mapper/" + *name;
                log::warning(name.error().message + ", using LVM's name for it.");
        }
        return "/dev/mapper/" + dm::lvm_dm_name(pool.vg, pool.name);
}

// The pool as css-thinpool left it, asked from device-mapper in-process: an active LVM device
// of LVM's name for VG/POOL whose table is a thin-pool (an unused pool's top device is the
// pool itself). nullopt when it is not so (inactive, used by thin LVs, no device-mapper):
// then LVM's report decides. Saves the report, the writer's only lvm process.
std::optional<std::string> active_pool_device(const std::string &vg, const std::string &pool)
{
        if (vg.empty() || !dm::available())
                return std::nullopt;
        const std::string name = dm::lvm_dm_name(vg, pool);
        Result<std::string> target = dm::target_type(name);
        Result<std::string> uuid = dm::uuid_of(name);
        if (!target || *target != "thin-pool" || !uuid || !uuid->starts_with("LVM-"))
                return std::nullopt;
        return "/dev/mapper/" + name;
}

// The last step: every step before it succeeded, so the next boot may skip them while nothing
// changes (steps/provisioned.hpp). Not fatal: without the record the steps just run again.
void record_done(StepContext &context)
{
        if (Result<void> r = record_applied_config(context); !r)
                log::warning(r.error().message +
                             "; a later 'container-storage-setup switch' cannot tell what to remove.");
        if (::access(paths::host_path(extend_root_failed_note).c_str(), F_OK) == 0) {
                log::info("ROOT_SIZE was not applied at this boot: the next boot runs the steps again.");
                return;
        }
        if (Result<void> r = record_provisioned(context); !r)
                log::warning(r.error().message + "; the next boot runs every step again.");
}

} // namespace

ExistingFileDecision decide_existing_file(const Config &config, const OutputFile &file)
{
        ExistingFileDecision d;
        if (!file.exists)
                return d;
        const std::string options = file.options.value_or("");
        d.action = ExistingFileDecision::Action::fail;
        if (uses_old_data_meta_mode(options)) {
                d.message = "Old mode of passing data and metadata logical volumes to docker is not supported. "
                            "Exiting.";
                return d;
        }
        Result<std::string> existing = existing_storage_driver(options);
        if (!existing) {
                d.message = existing.error().message;
                return d;
        }
        d.action = ExistingFileDecision::Action::keep;
        const std::string wanted = to_string(config.storage_driver);
        if (*existing != wanted)
                d.message = "Storage is already configured with " + *existing + " driver. Can't configure it with " +
                            wanted + " driver. To override, remove " + std::string(paths::sysconfig_output) +
                            " and retry.";
        return d;
}

Result<void> check_overlay_target(StorageDriver driver, const Result<void> &overlay_mount, xfs::Ftype ftype,
                                  std::string_view target_dir)
{
        if (!overlay_mount) {
                log::debug(overlay_mount.error().message);
                return Error{std::string("Can not setup storage driver ") + to_string(driver) +
                                     " as system does not support it. Specify a different driver.",
                             overlay_mount.error().errno_value};
        }
        if (ftype == xfs::Ftype::disabled)
                return Error{"XFS filesystem at " + std::string(target_dir) +
                                     " has ftype=0, cannot use overlay backend; consider different driver or separate "
                                     "volume or OS reprovision",
                             EINVAL};
        return {};
}

std::string overlay_target_dir(const Config &config)
{
        if (std::optional<ContainerRootLv> lv = container_root_lv(config))
                return lv->mount_path;
        return "/var/lib/docker";
}

StorageOptionsInput storage_options_input(const Config &config, std::string thinpool_device, bool docker,
                                          bool deferred_deletion)
{
        StorageOptionsInput in;
        in.driver = config.storage_driver;
        in.extra_storage_options = config.extra_storage_options;
        if (config.storage_driver == StorageDriver::devicemapper) {
                in.thinpool_device = std::move(thinpool_device);
                in.deferred_removal = docker;
                in.deferred_deletion = docker && deferred_deletion;
        }
        return in;
}

bool docker_installed()
{
        for (std::string_view p : {"/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/bin/docker"})
                if (exists(p))
                        return true;
        return false;
}

namespace {

// The DOCKER_STORAGE_OPTIONS file's content for this configuration, after the checks its
// driver needs: devicemapper's pool must exist, overlay's kernel and filesystem must do.
Result<std::string> storage_options_content(StepContext &context)
{
        const Config &config = context.config();
        std::string pool_device;
        bool deferred_deletion = false;
        const bool docker = docker_installed();
        if (config.storage_driver == StorageDriver::devicemapper) {
                Result<std::string> vg = context.effective_vg();
                if (!vg)
                        return vg.error();
                std::optional<std::string> device = active_pool_device(*vg, config.container_thinpool);
                if (!device) {
                        Result<const lvm::Snapshot *> snapshot = context.lvm();
                        if (!snapshot)
                                return snapshot.error();
                        if (const lvm::Lv *pool = (*snapshot)->find_thin_pool(*vg, config.container_thinpool))
                                device = thinpool_device(*pool);
                }
                if (device) {
                        if (read_note() != *vg + "/" + config.container_thinpool)
                                log::info(std::string(paths::sysconfig_output) + " file is missing. Recreating it.");
                        pool_device = *device;
                } else if (context.dry_run() && !vg->empty()) {
                        // A dry run of css-thinpool created nothing: show the file the pool would get.
                        pool_device = "/dev/mapper/" + dm::lvm_dm_name(*vg, config.container_thinpool);
                } else {
                        return Error{"Thin pool " + (vg->empty() ? std::string("<no VG>") : *vg) + "/" +
                                             config.container_thinpool + " does not exist. Exiting.",
                                     ENOENT};
                }
                deferred_deletion = docker && deferred_deletion_supported(std::string(paths::host_path(scratch_dir)));
        } else {
                const std::string dir = nearest_existing_dir(overlay_target_dir(config));
                Result<xfs::Ftype> ftype = xfs::ftype(dir);
                if (!ftype)
                        return ftype.error();
                Result<void> overlay = probe_overlay_mount(paths::host_path(scratch_dir));
                if (Result<void> r = check_overlay_target(config.storage_driver, overlay, *ftype, dir); !r)
                        return r.error();
        }
        return storage_options_file(storage_options_input(config, pool_device, docker, deferred_deletion));
}

// The sysconfig output: an existing file is kept (the original never rewrote it).
int write_sysconfig_output(StepContext &context)
{
        const Config &config = context.config();
        Result<OutputFile> file = read_output_file();
        if (!file)
                return fail(file.error());
        ExistingFileDecision existing = decide_existing_file(config, *file);
        switch (existing.action) {
        case ExistingFileDecision::Action::fail:
                return fail(Error{existing.message, EINVAL});
        case ExistingFileDecision::Action::keep:
                if (!existing.message.empty()) {
                        log::info(existing.message);
                        return exit_ok;
                }
                log::debug(std::string(paths::sysconfig_output) + " is already configured, nothing to do.");
                if (Result<void> r = write_containers_storage_conf(context); !r)
                        return fail(r.error());
                record_done(context);
                return exit_ok;
        case ExistingFileDecision::Action::write:
                break;
        }

        Result<std::string> content = storage_options_content(context);
        if (!content)
                return fail(content.error());
        AtomicWriteOptions options;
        options.no_replace = true; // never replace a file someone wrote meanwhile
        if (Result<void> r = context.write_file(paths::host_path(paths::sysconfig_output), *content, options); !r) {
                if (r.error().errno_value != EEXIST)
                        return fail(r.error());
                log::info(std::string(paths::sysconfig_output) + " was written meanwhile, not replacing it.");
                return exit_ok;
        }
        if (Result<void> r = write_containers_storage_conf(context); !r)
                return fail(r.error());
        record_done(context);
        return exit_ok;
}

// The daemon.json output: our keys merged into the admin's file (engine/daemon_json.hpp), the
// same checks as css-check-engine's, now with the storage options known.
int write_daemon_json_output(StepContext &context, const engine::DockerUnit &unit)
{
        const Config &config = context.config();
        const std::string path = daemon_json_path(unit);
        Result<engine::DaemonJson> file = engine::read_daemon_json(paths::host_path(path), path);
        if (!file)
                return fail(file.error());
        Result<std::string> content = storage_options_content(context);
        if (!content)
                return fail(content.error());
        Result<engine::StorageSettings> wanted = storage_settings(config, current_storage_options(*content));
        if (!wanted)
                return fail(wanted.error());
        Result<nlohmann::json> keys = engine::plan_daemon_json(*file, *wanted, unit.flags, path);
        if (!keys)
                return fail(keys.error());

        // What we wrote before and the file still holds stays ours (css-reset removes it).
        DaemonJsonRecord record;
        record.path = path;
        record.created = !file->exists;
        if (std::optional<DaemonJsonRecord> previous = read_daemon_json_record(); previous && previous->path == path) {
                record.created = previous->created;
                for (const auto &[key, value] : previous->keys.items())
                        if (file->object.contains(key) && file->object.at(key) == value)
                                record.keys[key] = value;
        }
        if (keys->empty()) {
                log::debug(path + " already holds docker's storage settings, nothing to do.");
        } else {
                nlohmann::json merged = file->object;
                for (const auto &[key, value] : keys->items()) {
                        merged[key] = value;
                        record.keys[key] = value;
                }
                if (Result<void> r = make_directories(paths::host_path(path.substr(0, path.rfind('/')))); !r)
                        return fail(r.error());
                AtomicWriteOptions options;
                options.mode = file->mode;
                if (Result<void> r =
                            context.write_file(paths::host_path(path), engine::render_daemon_json(merged), options);
                    !r)
                        return fail(r.error());
        }
        if (!context.dry_run())
                if (Result<void> r = write_daemon_json_record(record); !r)
                        return fail(r.error());
        if (Result<void> r = write_containers_storage_conf(context); !r)
                return fail(r.error());
        record_done(context);
        return exit_ok;
}

} // namespace

int write_storage_config(StepContext &context)
{
        const Config &config = context.config();
        if (config.storage_driver == StorageDriver::none) {
                log::info("STORAGE_DRIVER not set, no storage will be configured...");
                return exit_ok;
        }
        const engine::DockerUnit unit = host_docker_unit();
        const OutputChoice choice = choose_output(config.docker_storage_config, unit);
        if (choice.output == EngineOutput::sysconfig)
                return write_sysconfig_output(context);
        log::info("Writing docker's storage settings to " + daemon_json_path(unit) + " (" + choice.reason + ").");
        return write_daemon_json_output(context, unit);
}

} // namespace css::steps
