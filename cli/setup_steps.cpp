// SPDX-License-Identifier: Apache-2.0
#include "setup_steps.hpp"

#include "mount_step.hpp"
#include "steps/check_engine.hpp"
#include "steps/create_lv.hpp"
#include "steps/extend_root.hpp"
#include "steps/growpart.hpp"
#include "steps/mkfs.hpp"
#include "steps/prepare_disk.hpp"
#include "steps/pvresize.hpp"
#include "steps/step_util.hpp"
#include "steps/thinpool.hpp"
#include "steps/vg.hpp"
#include "steps/write_storage_config.hpp"
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

} // namespace

std::vector<SetupStep> setup_steps(const Config &config)
{
        std::vector<SetupStep> list;
        std::set<std::string> seen;
        list.push_back({"check-engine", "css-check-engine.service", steps::check_engine});
        for (const std::string &dev : config.devs) {
                const std::string path = unit_path::device_path(dev);
                if (!seen.insert(path).second)
                        continue;
                list.push_back({"prepare-disk " + path, prepare_disk_unit(dev),
                                [dev](StepContext &c) { return steps::prepare_disk(c, dev); }});
        }
        list.push_back({"vg", "css-vg.service", steps::create_or_extend_vg});
        list.push_back({"growpart", "css-growpart.service", steps::grow_root_partitions});
        list.push_back({"pvresize", "css-pvresize.service", steps::resize_root_pvs});
        list.push_back({"extend-root", "css-extend-root.service", steps::extend_root});
        list.push_back({"thinpool", "css-thinpool.service", steps::thinpool});
        list.push_back({"create-lv", "css-create-lv.service", steps::create_lv});
        list.push_back({"mkfs", "css-mkfs.service", steps::mkfs});
        std::string mount_unit;
        if (std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(config))
                if (Result<std::string> u = unit_path::mount_unit(lv->mount_path))
                        mount_unit = *u;
        list.push_back({"mount", mount_unit, mount_container_root_lv});
        list.push_back({"write-storage-config", "css-write-storage-config.service", steps::write_storage_config});
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
