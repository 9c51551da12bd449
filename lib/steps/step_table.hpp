// SPDX-License-Identifier: Apache-2.0
#pragma once

// The setup steps, once: per step its name, its unit, its helper, what its unit says it does,
// whether it applies to a configuration on a host, and the function that does it (run(), in
// step_run.cpp: the generator reads the rows but must not link the steps, which would load
// libblkid and libfdisk at every boot and daemon-reload; -Wswitch there checks that every row
// has its function). The generator
// emits the rows that apply (generator/unit_graph.cpp), each css-<name> helper runs its row
// (helpers/css-step.cpp), and the CLI's by-hand run, `plan` and `status` walk the same rows
// (cli/setup_steps.cpp). docs/design.md ("Adding a step") says how a row is added.
//
// Every row's run() probes first and returns 0 when its work is done, so running a row that does
// not apply (by hand, or the CLI's compat run, which walks every row as the original did) changes
// nothing.

#include "config/config.hpp"
#include "steps/step_context.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace css::steps {

// What decides whether a step is part of a boot, learnt from files without running anything
// (generator/host_facts.hpp).
struct StepFacts {
        std::optional<std::string> root_vg;              // the VG of "/", when "/" is an LVM volume
        std::optional<std::string> provisioned_thinpool; // dm.thinpooldev= of the output file
        bool provisioned = false;                        // steps/provisioned.hpp: the last run's record matches
};

enum class StepId {
        check_engine,
        prepare_disk,
        vg,
        growpart,
        pvresize,
        extend_root,
        thinpool,
        create_lv,
        mkfs,
        mount,
        growfs,
        write_storage_config,
};

enum class StepKind {
        // A link of the chain: requires the steps before it, and its failure fails
        // docker-storage-setup.service and everything after it.
        required,
        // Its failure stops nothing (ROOT_SIZE: the original ran `lvextend ... || true`).
        optional,
        // One instance of a template unit per DEVS disk (css-prepare-disk@.service).
        per_disk,
        // The container root LV's .mount unit: systemd mounts it at boot, no helper.
        mount,
};

struct Step {
        StepId id;
        std::string_view name; // "growpart": helper css-growpart, unit css-growpart.service
        StepKind kind;
        std::string_view summary; // the helper's --help line
        // On a boot whose record says the work is done (StepFacts::provisioned), only the rows
        // with every_boot run: what each boot needs (activating the pool and the LV, the mount).
        bool every_boot;
        bool (*applies)(const Config &config, const StepFacts &facts);
        // The unit's Description=; `vg` is the VG the steps work on (VG, else the root's).
        std::string (*description)(const Config &config, const std::optional<std::string> &vg);
        // Started with the step and run before it (Wants= + After=): css-thinpool's kernel module
        // and dmeventd, which the pool's creation would otherwise wait for.
        std::span<const std::string_view> starts_early;
        // The unit is skipped (ConditionPathExists=!/dev/VG/LV) when the container root LV's
        // node exists: no process on the boots where LVM activated it.
        bool skipped_when_lv_exists;
        // The step (step_run.cpp); `device` is the DEVS entry of a per_disk row, empty for the
        // others. 0 done or nothing to do, 1 failed (logged).
        int run(StepContext &context, std::string_view device) const;
};

// All rows, in the order the steps run.
std::span<const Step> step_table();

// The row named `name`, or nullptr.
const Step *find_step(std::string_view name);

// "css-growpart"
std::string helper_name(const Step &step);
// "css-growpart.service": the unit of a row that has a helper.
std::string helper_unit(const Step &step);

// The VG the steps work on: VG, else the root filesystem's.
std::optional<std::string> working_vg(const Config &config, const StepFacts &facts);

} // namespace css::steps
