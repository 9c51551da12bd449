// SPDX-License-Identifier: Apache-2.0
#include "setup_steps.hpp"

#include "steps/step_table.hpp"
#include "steps/step_util.hpp"
#include "systemd/unit_path.hpp"

#include <set>

namespace css::cli {

namespace {

// The validator refused every entry that names no unit (config/names.hpp).
std::string prepare_disk_unit(const std::string &dev)
{
        Result<std::string> unit = unit_path::prepare_disk_unit(dev);
        return unit ? *unit : std::string(unit_path::prepare_disk_template);
}

std::string mount_unit(const Config &config)
{
        if (std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(config))
                if (Result<std::string> u = unit_path::mount_unit(lv->mount_path))
                        return *u;
        return "";
}

} // namespace

std::vector<SetupStep> setup_steps(const Config &config)
{
        std::vector<SetupStep> list;
        for (const steps::Step &step : steps::step_table()) {
                switch (step.kind) {
                case steps::StepKind::per_disk: {
                        std::set<std::string> seen;
                        for (const std::string &dev : config.devs) {
                                const std::string path = unit_path::device_path(dev);
                                if (seen.insert(path).second)
                                        list.push_back({std::string(step.name) + " " + path, prepare_disk_unit(dev),
                                                        [&step, dev](StepContext &c) { return step.run(c, dev); }});
                        }
                        break;
                }
                case steps::StepKind::mount:
                        list.push_back({std::string(step.name), mount_unit(config),
                                        [&step](StepContext &c) { return step.run(c, {}); }});
                        break;
                case steps::StepKind::required:
                case steps::StepKind::optional:
                        list.push_back({std::string(step.name), steps::helper_unit(step),
                                        [&step](StepContext &c) { return step.run(c, {}); }});
                        break;
                }
        }
        return list;
}

int run_setup_steps(StepContext &context, const std::vector<SetupStep> &steps, const StepHooks &hooks)
{
        for (const SetupStep &step : steps) {
                if (hooks.before)
                        hooks.before(step);
                int status = step.run(context) == 0 ? 0 : 1;
                if (hooks.after)
                        hooks.after(step, status);
                if (status != 0)
                        return 1;
        }
        return 0;
}

} // namespace css::cli
