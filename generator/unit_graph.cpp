// SPDX-License-Identifier: Apache-2.0
#include "generator/unit_graph.hpp"

#include "config/printable.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "engine/engine_units.hpp"
#include "steps/container_root_lv.hpp"
#include "systemd/unit_escape.hpp"
#include "systemd/unit_name.hpp"
#include "systemd/unit_path.hpp"
#include "systemd/unit_text.hpp"

#include <set>
#include <string_view>
#include <utility>

namespace css::generator {

namespace {

namespace esc = css::unit_escape;

constexpr std::string_view documentation = "man:container-storage-setup-generator(8) man:docker-storage-setup(5) "
                                           "man:container-storage-setup-helpers(8)";
constexpr std::string_view umbrella = "docker-storage-setup.service";
constexpr std::string_view dropin_name = "container-storage-setup";

// `description` is taken literally unless `with_specifiers` (then it may use %i, %f, ...).
UnitText unit_header(std::string_view description, bool with_specifiers = false)
{
        UnitText u;
        u.section("Unit")
                .set("Description", with_specifiers ? std::string(description) : esc::specifiers(description))
                .set("Documentation", documentation)
                .set("SourcePath", esc::specifiers(paths::sysconfig_input));
        return u;
}

void oneshot(UnitText &u, std::string_view exec_start)
{
        // A oneshot's start timeout is off by default: mkfs or lvcreate on a large disk is slow,
        // and a step killed half-way is worse than a late boot.
        u.section("Service").set("Type", "oneshot").set("RemainAfterExit", "yes").set("ExecStart", exec_start);
}

std::string helper(const InstallDirs &dirs, std::string_view name)
{
        return esc::exec_word(dirs.helper_dir + "/" + std::string(name));
}

// `container-storage-setup check` plus `extra`, words already escaped.
std::string check_command(const InstallDirs &dirs, std::string_view extra = {})
{
        return esc::exec_word(dirs.bin_dir + "/container-storage-setup") + " check" + std::string(extra);
}

// The engines require docker-storage-setup.service and the container root mount. They do not
// require the thin pool's device unit: LVM marks a thin pool's dm device private to udev
// (DM_UDEV_DISABLE_OTHER_RULES_FLAG), so systemd never sees it ready and a Requires= on
// dev-mapper-<pool>.device times out on every boot after the first. Instead css-thinpool runs on
// every boot of a provisioned system and activates the pool itself when LVM has not yet (#267),
// and docker-storage-setup.service, which the engines require, is ordered after it.
Result<void> add_engine_dropins(UnitWriter &w, const std::string &mount_path)
{
        UnitText u;
        u.section("Unit").require(umbrella);
        if (!mount_path.empty())
                u.set("RequiresMountsFor", esc::list_word(mount_path));
        for (std::string_view engine : engine::engine_units)
                if (Result<void> r = w.add_dropin(engine, 50, dropin_name, u.str()); !r)
                        return r;
        return {};
}

// How long systemd waits for a device to show up: the original's DEVICE_WAIT_TIMEOUT, as
// fstab-generator does for x-systemd.device-timeout=. 0 keeps systemd's default
// (DefaultDeviceTimeoutSec=) rather than waiting forever or not at all.
Result<void> add_device_timeout(UnitWriter &w, const std::string &device_unit, unsigned seconds)
{
        if (seconds == 0)
                return {};
        UnitText u;
        u.section("Unit").set("JobRunningTimeoutSec", std::to_string(seconds) + "s");
        return w.add_dropin(device_unit, 50, dropin_name, u.str());
}

// After cloud-init's network stage (it may grow partitions and set up disks itself) and after the
// watch's service, so that no step runs with a configuration cloud-init is about to replace.
void order_after_cloud_init(UnitText &u, const std::optional<std::string> &cloud_init_unit)
{
        if (cloud_init_unit)
                u.set("After", *cloud_init_unit).set("After", "css-cloud-init.service");
}

// Builds the chain of steps: each requires and is ordered after the previous one(s), so a
// failure stops everything after it (the original ran under `set -e`), and each is a member of
// docker-storage-setup.service. The exception is add_optional() (ROOT_SIZE).
//
// The umbrella only wants its members (symlinks in its .wants/) and is ordered after them: with
// Requires= a failed step would cancel its start ("Dependency failed") and leave it inactive,
// saying nothing. Instead it runs, its check (--step, the required members) finds the failed
// step and fails with that step's reason, and the engines, which require it, do not start.
class StepChain {
public:
        StepChain(UnitWriter &w, std::optional<std::string> cloud_init_unit)
            : w_(w), cloud_init_unit_(std::move(cloud_init_unit))
        {
        }

        // A unit header for the next step, with its predecessors already required.
        UnitText begin(std::string_view description, bool with_specifiers = false) const
        {
                UnitText u = unit_header(description, with_specifiers);
                for (const std::string &p : previous_)
                        u.require(p);
                for (const std::string &o : optional_)
                        u.want(o);
                order_after_cloud_init(u, cloud_init_unit_);
                return u;
        }

        Result<void> add(const std::string &name, const UnitText &u)
        {
                if (Result<void> r = w_.add_unit(name, u.str()); !r)
                        return r;
                return join({name});
        }

        // A step whose failure stops nothing: ROOT_SIZE (the original ran `lvextend -r ... || true`;
        // a root that cannot grow must not leave the engines without storage). The next step is
        // ordered after it and wants it, and requires what it required; the umbrella wants it but
        // does not check it, so its failure shows in its own unit's status only.
        Result<void> add_optional(const std::string &name, const UnitText &u)
        {
                if (Result<void> r = w_.add_unit(name, u.str()); !r)
                        return r;
                if (Result<void> r = w_.add_symlink(umbrella, "wants", name); !r)
                        return r;
                members_.push_back(name);
                optional_.push_back(name);
                return {};
        }

        // Makes `names` required members of docker-storage-setup.service and the next step's
        // predecessors. `file` is the unit file for template instances.
        Result<void> join(const std::vector<std::string> &names, std::string_view file = {})
        {
                for (const std::string &n : names) {
                        if (Result<void> r = w_.add_symlink(umbrella, "wants", n, file); !r)
                                return r;
                        members_.push_back(n);
                        required_.push_back(n);
                }
                previous_ = names;
                optional_.clear();
                return {};
        }

        const std::vector<std::string> &members() const { return members_; }
        const std::vector<std::string> &required() const { return required_; }

private:
        UnitWriter &w_;
        std::optional<std::string> cloud_init_unit_;
        std::vector<std::string> previous_;
        std::vector<std::string> optional_; // optional steps since the last required one
        std::vector<std::string> members_;
        std::vector<std::string> required_; // members whose failure fails the umbrella
};

Result<void> add_prepare_disks(UnitWriter &w, StepChain &chain, const steps::Step &step, const Config &config,
                               const InstallDirs &dirs)
{
        std::vector<std::string> instances;
        std::set<std::string> seen;
        for (const std::string &dev : config.devs) {
                const std::string path = unit_path::device_path(dev);
                Result<std::string> instance = unit_path::prepare_disk_unit(dev);
                if (!instance)
                        return Error{"Cannot write the units of DEVS entry '" + path +
                                     "': " + instance.error().message};
                if (!seen.insert(*instance).second) {
                        log::warning("DEVS names " + path + " twice, ignoring the second entry.");
                        continue;
                }
                Result<std::string> device_unit = unit_name::from_path(path, "device");
                if (!device_unit)
                        return device_unit.error();
                if (Result<void> r = add_device_timeout(w, *device_unit, config.device_wait_timeout); !r)
                        return r;
                instances.push_back(std::move(*instance));
        }

        // One template for every disk: bound to the disk's device unit, so it waits for udev to
        // announce the disk (with the timeout above) instead of polling and settling, and is
        // stopped if the disk goes away.
        UnitText u = chain.begin(step.description(config, std::nullopt), true);
        u.set("BindsTo", "%i.device").set("After", "%i.device");
        oneshot(u, helper(dirs, steps::helper_name(step)) + " %f");
        if (Result<void> r = w.add_unit(unit_path::prepare_disk_template, u.str()); !r)
                return r;
        return chain.join(instances, unit_path::prepare_disk_template);
}

// No default dependencies: they would order the mount before local-fs.target, which the steps
// (lvm needs a writable /etc and /run) come after; that is an ordering cycle. What the defaults
// give that we need is spelled out.
Result<void> add_mount(StepChain &chain, const steps::Step &step, const Config &config, const std::string &vg,
                       const steps::ContainerRootLv &lv)
{
        Result<std::string> mount_unit = unit_path::mount_unit(lv.mount_path);
        if (!mount_unit)
                return Error{"Cannot write the mount unit of '" + lv.mount_path + "': " + mount_unit.error().message};
        UnitText u = chain.begin(step.description(config, vg));
        u.set("DefaultDependencies", "no").set("Conflicts", "umount.target").set("Before", "umount.target");
        u.section("Mount")
                .set("What", esc::specifiers("/dev/" + vg + "/" + lv.name))
                .set("Where", esc::specifiers(lv.mount_path))
                .set("Type", "xfs")
                .set("Options", "pquota");
        return chain.add(*mount_unit, u);
}

// A step of the chain with a css-<name> helper.
Result<void> add_helper_step(StepChain &chain, const steps::Step &step, const Config &config, const HostFacts &facts,
                             const std::optional<std::string> &vg, const InstallDirs &dirs)
{
        UnitText u = chain.begin(step.description(config, vg));
        for (std::string_view early : step.starts_early)
                u.want(early);
        // Also on provisioned boots the node exists only while the LV is active; when LVM's
        // autoactivation left it inactive the helper activates it (create_lv.hpp), otherwise the
        // mount would wait for the device until it timed out. With the node there, the
        // condition skips the step without starting a process; but with GROW_DEVS=true, on a
        // boot that is not provisioned (a disk grew), the step may have an LV to extend.
        if (std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(config);
            step.skipped_when_lv_exists && lv && vg && (!config.grow_devs || facts.provisioned))
                u.set("ConditionPathExists", esc::specifiers("!/dev/" + *vg + "/" + lv->name));
        oneshot(u, helper(dirs, steps::helper_name(step)));
        const std::string unit = steps::helper_unit(step);
        return step.kind == steps::StepKind::optional ? chain.add_optional(unit, u) : chain.add(unit, u);
}

// What the rows' applies() leave out without a word: said once, in the generator's log.
void log_what_does_not_apply(const Config &config, const HostFacts &facts, const std::optional<std::string> &vg)
{
        if (facts.provisioned) {
                log::info("Container storage is already set up as configured; only activating and mounting it.");
        } else {
                if (!config.devs.empty() && !vg)
                        log::info("DEVS is set but VG is not and the root filesystem is not on LVM: "
                                  "DEVS will not be used.");
                if (!facts.root_vg && (config.growpart || config.root_size))
                        log::info("The root filesystem is not on LVM: GROWPART and ROOT_SIZE do not apply.");
        }
        if (config.storage_driver == StorageDriver::none)
                log::info("STORAGE_DRIVER not set, no storage will be configured...");
        if (std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(config); lv && !vg)
                log::warning("VG is not set and the root filesystem is not on LVM: cannot mount " + lv->name + " on " +
                             lv->mount_path + ".");
}

} // namespace

Result<void> emit_host_units(UnitWriter &w, const Config &config, const HostFacts &facts, const InstallDirs &dirs)
{
        // VG unset means the root filesystem's VG; the generator knows it only when "/" is an
        // LVM volume (host_facts.hpp). Without a VG the original ignored DEVS, skipped GROWPART
        // and ROOT_SIZE, and failed at the pool or LV step; the same steps do so here.
        const std::optional<std::string> vg = steps::working_vg(config, facts);
        log_what_does_not_apply(config, facts, vg);

        // Already provisioned (the record of the last full run matches what the files show now):
        // only the rows every boot needs, the pool's activation and the mount. See docs/design.md.
        StepChain chain(w, facts.cloud_init_unit);
        std::string mount_path;
        for (const steps::Step &step : steps::step_table()) {
                if ((facts.provisioned && !step.every_boot) || !step.applies(config, facts))
                        continue;
                Result<void> r;
                switch (step.kind) {
                case steps::StepKind::per_disk:
                        r = add_prepare_disks(w, chain, step, config, dirs);
                        break;
                case steps::StepKind::mount: {
                        const steps::ContainerRootLv lv = *steps::container_root_lv(config);
                        r = add_mount(chain, step, config, *vg, lv);
                        mount_path = lv.mount_path;
                        break;
                }
                case steps::StepKind::required:
                case steps::StepKind::optional:
                        r = add_helper_step(chain, step, config, facts, vg, dirs);
                        break;
                }
                if (!r)
                        return r;
        }

        // docker-storage-setup.service: the original's unit name, wanting every step (symlinks in
        // its .wants/), ordered after all of them, and ending with a check of the configuration
        // and of each required step's result, so that `systemctl status
        // docker-storage-setup.service` shows the overall result and, when a step failed, which
        // one and why (StepChain).
        UnitText u = unit_header("Docker Storage Setup");
        for (const std::string &m : chain.members())
                u.set("After", m);
        order_after_cloud_init(u, facts.cloud_init_unit);
        std::string step_args;
        for (const std::string &m : chain.required())
                step_args += " --step " + esc::exec_word(m);
        oneshot(u, check_command(dirs, step_args));
        if (Result<void> r = w.add_unit(umbrella, u.str()); !r)
                return r;
        if (Result<void> r = w.add_symlink("multi-user.target", "wants", umbrella); !r)
                return r;

        return add_engine_dropins(w, mount_path);
}

Result<void> emit_initrd_units(UnitWriter &w, const Config &config, const InstallDirs &dirs)
{
        if (!config.growpart)
                return {};

        // Before the root filesystem is mounted and after its device appeared. The helpers find
        // the root's PVs at run time; the VG is active once initrd-root-device.target is reached.
        auto initrd_step = [&](std::string_view description, std::string_view after, std::string_view exec) {
                UnitText u = unit_header(description);
                u.set("DefaultDependencies", "no");
                if (!after.empty())
                        u.require(after);
                u.set("After", "initrd-root-device.target")
                        .set("Before", "sysroot.mount")
                        .set("Before", "initrd-root-fs.target")
                        .set("Conflicts", "shutdown.target")
                        .set("Before", "shutdown.target");
                oneshot(u, exec);
                return u;
        };

        // The rows of the root's growth, each after the one before.
        std::string previous;
        for (std::string_view name : {"growpart", "pvresize"}) {
                const steps::Step &step = *steps::find_step(name);
                const std::string unit = steps::helper_unit(step);
                UnitText u = initrd_step(step.description(config, std::nullopt), previous,
                                         helper(dirs, steps::helper_name(step)));
                if (Result<void> r = w.add_unit(unit, u.str()); !r)
                        return r;
                if (Result<void> r = w.add_symlink("initrd-root-fs.target", "wants", unit); !r)
                        return r;
                previous = unit;
        }
        return {};
}

Result<void> emit_cloud_init_units(UnitWriter &w, const std::string &network_unit)
{
        // Started with the network stage's unit (its .wants/) and ordered before it, so the watch
        // is in place before cloud-init writes anything. No default dependencies: those would
        // order it after sysinit.target, which the network stage's unit comes before (under
        // either name). From 24.3 the stage itself runs in cloud-init-main.service's process,
        // which waits until cloud-init-network.service starts and tells it to.
        UnitText path = unit_header("Container storage setup: watch for a configuration from cloud-init");
        path.set("DefaultDependencies", "no")
                .set("Before", network_unit)
                .set("Conflicts", "shutdown.target")
                .set("Before", "shutdown.target");
        path.section("Path")
                .set("PathChanged", esc::specifiers(paths::sysconfig_input))
                .set("Unit", "css-cloud-init.service");
        if (Result<void> r = w.add_unit("css-cloud-init.path", path.str()); !r)
                return r;
        if (Result<void> r = w.add_symlink(network_unit, "wants", "css-cloud-init.path"); !r)
                return r;

        // After cloud-init finished writing, before any engine and before every step (they are
        // After= this unit, so none of the old graph runs with the new file). The reload runs
        // this generator again; `start --no-block` then queues the new steps (blocking would
        // wait for steps that wait for us). Ordering is checked when a job runs, so an engine
        // job queued before the reload still waits for the new docker-storage-setup.service.
        // When docker-storage-setup.service already ran, `start` does nothing: a configuration
        // changed later applies at the next boot.
        UnitText service = unit_header("Container storage setup: apply the configuration from cloud-init");
        service.set("After", network_unit);
        for (std::string_view engine : engine::engine_units)
                service.set("Before", engine);
        service.section("Service")
                .set("Type", "oneshot")
                .set("ExecStart", "systemctl daemon-reload")
                .set("ExecStart", std::string("systemctl start --no-block ") + std::string(umbrella));
        return w.add_unit("css-cloud-init.service", service.str());
}

namespace {

// docker-storage-setup.service alone, running `check` with `extra`, and the engine drop-ins.
Result<void> emit_check_only_units(UnitWriter &w, const InstallDirs &dirs, std::string_view extra)
{
        UnitText u = unit_header("Docker Storage Setup");
        oneshot(u, check_command(dirs, extra));
        if (Result<void> r = w.add_unit(umbrella, u.str()); !r)
                return r;
        if (Result<void> r = w.add_symlink("multi-user.target", "wants", umbrella); !r)
                return r;
        return add_engine_dropins(w, "");
}

} // namespace

Result<void> emit_invalid_config_units(UnitWriter &w, const InstallDirs &dirs)
{
        return emit_check_only_units(w, dirs, {});
}

Result<void> emit_generator_failure_units(UnitWriter &w, const InstallDirs &dirs, std::string_view reason)
{
        // One line of printable text: it becomes an ExecStart= word and a line of the journal.
        return emit_check_only_units(w, dirs, " --generator-error " + esc::exec_word(printable_excerpt(reason, 400)));
}

} // namespace css::generator
