// SPDX-License-Identifier: Apache-2.0
// Step::run(): each row's function. Apart from the table (step_table.cpp) so that the generator,
// which reads the rows, does not link the steps.
#include "steps/step_table.hpp"

#include "core/exit_code.hpp"
#include "steps/check_engine.hpp"
#include "steps/create_lv.hpp"
#include "steps/extend_root.hpp"
#include "steps/growfs.hpp"
#include "steps/growpart.hpp"
#include "steps/mkfs.hpp"
#include "steps/mount.hpp"
#include "steps/prepare_disk.hpp"
#include "steps/pvresize.hpp"
#include "steps/thinpool.hpp"
#include "steps/vg.hpp"
#include "steps/write_storage_config.hpp"

namespace css::steps {

int Step::run(StepContext &context, std::string_view device) const
{
        // No default: -Wswitch (an error here) names a row without its function.
        switch (id) {
        case StepId::check_engine:
                return check_engine(context);
        case StepId::prepare_disk:
                return prepare_disk(context, device);
        case StepId::vg:
                return create_or_extend_vg(context);
        case StepId::growpart:
                return grow_root_partitions(context);
        case StepId::pvresize:
                return resize_root_pvs(context);
        case StepId::extend_root:
                return extend_root(context);
        case StepId::thinpool:
                return thinpool(context);
        case StepId::create_lv:
                return create_lv(context);
        case StepId::mkfs:
                return mkfs(context);
        case StepId::mount:
                return mount_container_root_lv(context);
        case StepId::growfs:
                return growfs(context);
        case StepId::write_storage_config:
                return write_storage_config(context);
        }
        return fail("Step " + std::string(name) + " has no function.");
}

} // namespace css::steps
