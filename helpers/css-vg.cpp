// SPDX-License-Identifier: Apache-2.0
// css-vg: Create the volume group VG, or extend it, with the physical volumes prepared on DEVS.
// The step is in lib/steps/vg.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/vg.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::create_or_extend_vg(context);
}

constexpr css::HelperSpec spec{
        "css-vg",
        "Create the volume group VG, or extend it, with the physical volumes prepared on DEVS.",
        "",
        0,
        0,
        run,
};

} // namespace

int main(int argc, char **argv)
{
        return css::helper_main(argc, argv, spec);
}
