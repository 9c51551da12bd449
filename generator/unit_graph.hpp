// SPDX-License-Identifier: Apache-2.0
#pragma once

// From a validated configuration and what host_facts.hpp found, the units of one boot: which
// steps run, in what order, what each waits for, and what the container engines wait for. The
// graph, and why it has no ordering cycle, is described in docs/design.md ("Unit graph").

#include "config/config.hpp"
#include "core/result.hpp"
#include "steps/step_table.hpp"
#include "systemd/unit_writer.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::generator {

// What the step table's rows are decided on (steps::StepFacts), and which unit runs cloud-init's
// network stage (cloud_init_network_stage()).
struct HostFacts : steps::StepFacts {
        std::optional<std::string> cloud_init_unit;
};

// Where the installed programs are; from build-config.h in the real binary.
struct InstallDirs {
        std::string helper_dir; // css-<step> helpers
        std::string bin_dir;    // the container-storage-setup CLI
};

// The setup steps of the real root, plus docker-storage-setup.service and the engine drop-ins.
Result<void> emit_host_units(UnitWriter &writer, const Config &config, const HostFacts &facts, const InstallDirs &dirs);

// The initrd's share: growing the root partition and PV before the root is mounted.
Result<void> emit_initrd_units(UnitWriter &writer, const Config &config, const InstallDirs &dirs);

// cloud-init writes /etc/sysconfig/docker-storage-setup (write_files) after this generator ran,
// in its network stage, run by `network_unit` (cloud-init.service before cloud-init 24.3,
// cloud-init-network.service from 24.3 on). A path unit, active only while that unit runs,
// notices the write; its service then reloads systemd (which runs this generator again) and
// starts docker-storage-setup.service, before any container engine starts.
Result<void> emit_cloud_init_units(UnitWriter &writer, const std::string &network_unit);

// An invalid configuration: only docker-storage-setup.service, which runs
// `container-storage-setup check` to show the errors and fail, and the engine drop-ins that
// keep the engines from starting on unprepared storage. Nothing that touches a disk.
Result<void> emit_invalid_config_units(UnitWriter &writer, const InstallDirs &dirs);

// The configuration is valid but the generator could not write its units (a value the
// validator should have refused, or a unit another generator wrote first): the same units, but
// `check --generator-error REASON`, so docker-storage-setup.service fails with the reason in its
// status and the engines do not start.
Result<void> emit_generator_failure_units(UnitWriter &writer, const InstallDirs &dirs, std::string_view reason);

} // namespace css::generator
