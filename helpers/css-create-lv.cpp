// SPDX-License-Identifier: Apache-2.0
// css-create-lv: Create the container root logical volume (CONTAINER_ROOT_LV_NAME).
// The step is in lib/steps/create_lv.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/create_lv.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::create_lv(context);
}

constexpr css::HelperSpec spec{
        "css-create-lv",
        "Create the container root logical volume (CONTAINER_ROOT_LV_NAME).",
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
