// SPDX-License-Identifier: Apache-2.0
// css-thinpool: Create the devicemapper thin pool, or bring its auto-extend profile in line.
// The step is in lib/steps/thinpool.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/thinpool.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::thinpool(context);
}

constexpr css::HelperSpec spec{
        "css-thinpool",
        "Create the devicemapper thin pool, or bring its auto-extend profile in line.",
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
