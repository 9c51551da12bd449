// SPDX-License-Identifier: Apache-2.0
// css-prepare-disk: Partition one DEVS disk for LVM and create a physical volume on it.
// The step is in lib/steps/prepare_disk.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/prepare_disk.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::prepare_disk(context, helper.args.front());
}

constexpr css::HelperSpec spec{
        "css-prepare-disk",
        "Partition one DEVS disk for LVM and create a physical volume on it.",
        "DEVICE",
        1,
        1,
        run,
};

} // namespace

int main(int argc, char **argv)
{
        return css::helper_main(argc, argv, spec);
}
