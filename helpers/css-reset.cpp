// SPDX-License-Identifier: Apache-2.0
// css-reset: Remove the LVs, profile and output file the setup created (keeps VG and PVs).
// The step is in lib/steps/reset.cpp; see docs/design.md for the order of the steps.

#include "helper_main.hpp"
#include "steps/reset.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config, helper.mode);
        return css::steps::reset(context);
}

const css::HelperSpec spec{
        "css-reset", "Remove the LVs, profile and output file the setup created (keeps VG and PVs).", "", 0, 0, run,
};

} // namespace

int main(int argc, char **argv)
{
        return css::helper_main(argc, argv, spec);
}
