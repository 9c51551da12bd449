// SPDX-License-Identifier: Apache-2.0
#include "steps/step_table.hpp"

#include "steps/container_root_lv.hpp"

#include <algorithm>

namespace css::steps {

namespace {

bool storage_configured(const Config &config, const StepFacts &)
{
        return config.storage_driver != StorageDriver::none;
}

// Without a VG the original ignored DEVS (the steps fail at the pool or the LV instead).
bool disks_to_add(const Config &config, const StepFacts &facts)
{
        return !config.devs.empty() && working_vg(config, facts);
}

// GROWPART and ROOT_SIZE act on the root's PVs and LV: only when "/" is an LVM volume.
bool grows_root(const Config &config, const StepFacts &facts)
{
        return config.growpart && facts.root_vg;
}

bool extends_root(const Config &config, const StepFacts &facts)
{
        return config.root_size && facts.root_vg;
}

// A pool named in the output file is brought up even when the configured driver changed since
// (#267: the original still waited for it, and docker raced LVM activation).
bool uses_thinpool(const Config &config, const StepFacts &facts)
{
        return config.storage_driver == StorageDriver::devicemapper || facts.provisioned_thinpool;
}

bool has_container_root_lv(const Config &config, const StepFacts &)
{
        return container_root_lv(config).has_value();
}

// The filesystem and the mount need /dev/VG/LV, so a VG.
bool container_root_lv_in_vg(const Config &config, const StepFacts &facts)
{
        return container_root_lv(config) && working_vg(config, facts);
}

std::string lv_label(const std::optional<std::string> &vg, std::string_view lv)
{
        return vg ? *vg + "/" + std::string(lv) : std::string(lv) + " (no volume group found)";
}

std::string container_root_lv_name(const Config &config)
{
        std::optional<ContainerRootLv> lv = container_root_lv(config);
        return lv ? lv->name : "";
}

bool grows_container_root_lv(const Config &config, const StepFacts &facts)
{
        return config.grow_devs && container_root_lv_in_vg(config, facts);
}

constexpr std::string_view thinpool_starts_early[] = {"modprobe@dm_thin_pool.service", "dm-event.service"};

// clang-format off
constexpr Step table[] = {
        {StepId::check_engine, "check-engine", StepKind::required,
         "Check that the container engine can use the configured storage, before any disk is touched.",
         false, storage_configured,
         [](const Config &, const std::optional<std::string> &) {
                 return std::string("Container storage: check the container engine's configuration");
         },
         {}, false},
        {StepId::prepare_disk, "prepare-disk", StepKind::per_disk,
         "Partition one DEVS disk for LVM and create a physical volume on it.",
         false, disks_to_add,
         [](const Config &, const std::optional<std::string> &) {
                 return std::string("Container storage: prepare disk %f");
         },
         {}, false},
        {StepId::vg, "vg", StepKind::required,
         "Create the volume group VG, or extend it, with the physical volumes prepared on DEVS.",
         false, disks_to_add,
         [](const Config &, const std::optional<std::string> &vg) {
                 return "Container storage: create or extend volume group " + vg.value_or("");
         },
         {}, false},
        {StepId::growpart, "growpart", StepKind::required,
         "Grow the partitions under the root physical volumes into the free space after them (GROWPART=true).",
         false, grows_root,
         [](const Config &, const std::optional<std::string> &) {
                 return std::string("Container storage: grow the root partition");
         },
         {}, false},
        {StepId::pvresize, "pvresize", StepKind::required,
         "Resize the root physical volumes to their grown partitions (GROWPART=true).",
         false, grows_root,
         [](const Config &, const std::optional<std::string> &) {
                 return std::string("Container storage: resize the root physical volume");
         },
         {}, false},
        {StepId::extend_root, "extend-root", StepKind::optional,
         "Grow the root logical volume by ROOT_SIZE (lvextend -r), once.",
         false, extends_root,
         [](const Config &config, const std::optional<std::string> &) {
                 return "Container storage: extend the root logical volume (ROOT_SIZE=" + config.root_size->text + ")";
         },
         {}, false},
        {StepId::thinpool, "thinpool", StepKind::required,
         "Create the devicemapper thin pool, or bring its auto-extend profile in line.",
         true, uses_thinpool,
         [](const Config &config, const std::optional<std::string> &vg) {
                 return "Container storage: create thin pool " + lv_label(vg, config.container_thinpool);
         },
         thinpool_starts_early, false},
        {StepId::create_lv, "create-lv", StepKind::required,
         "Create the container root logical volume (CONTAINER_ROOT_LV_NAME).",
         true, has_container_root_lv,
         [](const Config &config, const std::optional<std::string> &vg) {
                 return "Container storage: create or activate logical volume " + lv_label(vg, container_root_lv_name(config));
         },
         {}, true},
        {StepId::mkfs, "mkfs", StepKind::required,
         "Make an XFS filesystem (ftype=1) on the container root LV when it has no signature.",
         false, container_root_lv_in_vg,
         [](const Config &config, const std::optional<std::string> &vg) {
                 return "Container storage: make an XFS filesystem on /dev/" + vg.value_or("") + "/" + container_root_lv_name(config);
         },
         {}, false},
        {StepId::mount, "mount", StepKind::mount,
         "Mount the container root logical volume on its path.",
         true, container_root_lv_in_vg,
         [](const Config &config, const std::optional<std::string> &) {
                 std::optional<ContainerRootLv> lv = container_root_lv(config);
                 return lv ? "Mount " + lv->name + " on " + lv->mount_path + " directory." : std::string();
         },
         {}, false},
        {StepId::growfs, "growfs", StepKind::required,
         "Grow the container root LV's XFS filesystem to the size of its LV, after the mount (GROW_DEVS=true).",
         false, grows_container_root_lv,
         [](const Config &config, const std::optional<std::string> &) {
                 std::optional<ContainerRootLv> lv = container_root_lv(config);
                 return "Container storage: grow the filesystem on " + (lv ? lv->mount_path : std::string());
         },
         {}, false},
        {StepId::write_storage_config, "write-storage-config", StepKind::required,
         "Write the engine's storage settings (/etc/sysconfig/docker-storage or daemon.json) for the configured driver.",
         false, storage_configured,
         [](const Config &, const std::optional<std::string> &) {
                 return std::string("Container storage: write the engine's storage settings");
         },
         {}, false},
};
// clang-format on

} // namespace

std::span<const Step> step_table()
{
        return table;
}

const Step *find_step(std::string_view name)
{
        auto it = std::ranges::find(table, name, &Step::name);
        return it == std::end(table) ? nullptr : &*it;
}

std::string helper_name(const Step &step)
{
        return "css-" + std::string(step.name);
}

std::string helper_unit(const Step &step)
{
        return helper_name(step) + ".service";
}

std::optional<std::string> working_vg(const Config &config, const StepFacts &facts)
{
        return !config.vg.empty() ? std::optional<std::string>(config.vg) : facts.root_vg;
}

} // namespace css::steps
