// SPDX-License-Identifier: Apache-2.0
// container-storage-setup-generator: turns /etc/sysconfig/docker-storage-setup into the units
// of one boot (systemd.generator(7)). It reads files and writes files, nothing else: no process,
// no device, no waiting, because it runs before anything else and in parallel with every other
// generator. What it emits is described in docs/design.md ("Unit graph").

#include "build-config.h"
#include "systemd/generator_output.hpp"
#include "config/config_load.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/standard_fds.hpp"
#include "generator/host_facts.hpp"
#include "generator/unit_graph.hpp"
#include "steps/provisioned.hpp"
#include "systemd/environment.hpp"
#include "systemd/proc_cmdline.hpp"
#include "systemd/unit_writer.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <unistd.h>

namespace css::generator {

namespace {

constexpr std::string_view program = generator_program;
constexpr std::string_view cmdline_key = "container_storage_setup";

const InstallDirs install_dirs{CSS_HELPER_DIR, CSS_BIN_DIR};

// Everything of one run goes in, or nothing (unit_writer.hpp).
Result<void> write_units(const std::string &dest, const std::function<Result<void>(UnitWriter &)> &emit)
{
        Result<UnitWriter> writer = UnitWriter::begin(dest, program);
        if (!writer)
                return writer.error();
        if (Result<void> r = emit(*writer); !r)
                return r;
        return writer->commit();
}

// With cloud-init, its watch goes in with whatever else one run writes.
Result<void> with_cloud_init_watch(Result<void> emitted, UnitWriter &w, const std::optional<std::string> &cloud_init)
{
        if (!emitted || !cloud_init)
                return emitted;
        return emit_cloud_init_units(w, *cloud_init);
}

int run(const std::string &dest)
{
        if (environment::in_container()) {
                log::debug("Running in a container, nothing to do.");
                return 0;
        }

        // Outside the initrd only container_storage_setup= counts; inside it rd.container_storage_setup=
        // too, the last one given winning, as systemd's own switches behave.
        const bool initrd = environment::in_initrd();
        const std::string cmdline = environment::kernel_cmdline();
        proc_cmdline::BooleanSwitch enabled = proc_cmdline::get_boolean(cmdline, cmdline_key, initrd);
        for (const std::string &word : enabled.invalid)
                log::warning("Failed to parse kernel command line switch '" + word + "', ignoring.");
        if (enabled.value == false) {
                log::info("Disabled on the kernel command line, nothing to do.");
                return 0;
        }

        // No input file, no setup, even though the defaults file alone would describe one
        // (devicemapper on the root VG): the package ships the input file as the opt-in, and a
        // machine without it never asked for its disks to be touched. Like fstab-generator
        // without /etc/fstab.
        //
        // cloud-init may still write the file during this boot; then only its watch is emitted.
        // Only ENOENT means "no file" (as for read_config_file): a symlink loop or an
        // unsearchable directory is a broken configuration, reported by the failing check.
        const std::optional<std::string> cloud_init = initrd ? std::nullopt : cloud_init_network_stage(cmdline);
        if (cloud_init)
                log::debug("cloud-init's network stage runs in " + *cloud_init + ".");
        const std::string input = paths::host_path(paths::sysconfig_input);
        if (::access(input.c_str(), F_OK) < 0 && errno == ENOENT) {
                log::debug(std::string(paths::sysconfig_input) + " does not exist, nothing to do" +
                           (cloud_init ? " unless cloud-init writes it." : "."));
                if (!cloud_init)
                        return 0;
                Result<void> r =
                        write_units(dest, [&](UnitWriter &w) { return emit_cloud_init_units(w, *cloud_init); });
                if (!r) {
                        log::error(r.error().message);
                        return 1;
                }
                return 0;
        }

        LoadedConfig loaded = load_config(default_load_options());
        for (const Diagnostic &d : loaded.diagnostics)
                if (d.severity == Diagnostic::Severity::warning)
                        log::warning(d.to_string());

        Result<void> r;
        if (!loaded.valid()) {
                for (const std::string &e : loaded.errors())
                        log::error(e);
                // The initrd cannot show a unit's status to anyone; the real root's run will.
                if (initrd)
                        return 0;
                r = write_units(dest, [&](UnitWriter &w) {
                        return with_cloud_init_watch(emit_invalid_config_units(w, install_dirs), w, cloud_init);
                });
        } else if (initrd) {
                r = write_units(dest, [&](UnitWriter &w) { return emit_initrd_units(w, loaded.config, install_dirs); });
        } else {
                HostFacts facts;
                facts.root_vg = root_volume_group();
                facts.provisioned_thinpool = provisioned_thinpool();
                facts.cloud_init_unit = cloud_init;
                facts.provisioned = steps::provisioned(loaded.config);
                r = write_units(dest, [&](UnitWriter &w) {
                        return with_cloud_init_watch(emit_host_units(w, loaded.config, facts, install_dirs), w,
                                                     cloud_init);
                });
                if (!r) {
                        // The validator refuses what no unit file can hold (systemd/unit_path.hpp), so
                        // this is a bug or another generator's unit in our way. Touch no disk, and
                        // fail closed: docker-storage-setup.service fails with the reason, and the
                        // engines, which require it, do not start.
                        log::error(r.error().message);
                        const std::string reason = r.error().message;
                        r = write_units(dest, [&](UnitWriter &w) {
                                return with_cloud_init_watch(emit_generator_failure_units(w, install_dirs, reason), w,
                                                             cloud_init);
                        });
                }
        }
        if (!r) {
                log::error(r.error().message);
                return 1;
        }
        return 0;
}

} // namespace

} // namespace css::generator

int main(int argc, char **argv)
{
        using namespace css;
        // A unit file opened on a closed stdout or stderr would receive our messages.
        if (!open_missing_standard_fds())
                return 1;
        // /dev/kmsg, because journald is not running yet (systemd.generator(7)). Tests ask for
        // stderr with CSS_LOG_TARGET=console so that they do not fill the host's kernel log.
        const char *target = std::getenv("CSS_LOG_TARGET");
        log::setup(generator::program,
                   target && std::strcmp(target, "console") == 0 ? log::Target::automatic : log::Target::kmsg);

        // systemd passes the normal, early and late directories; it may pass only one.
        if (argc != 2 && argc != 4) {
                log::error("Usage: container-storage-setup-generator NORMAL_DIR [EARLY_DIR LATE_DIR]");
                return 2;
        }
        return generator::run(argv[1]);
}
