// SPDX-License-Identifier: Apache-2.0
// css-pvresize: Resize the root physical volumes to their grown partitions (GROWPART=true).
// The step is in lib/steps/pvresize.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/pvresize.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::resize_root_pvs(context);
}

constexpr css::HelperSpec spec{
        "css-pvresize",
        "Resize the root physical volumes to their grown partitions (GROWPART=true).",
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
