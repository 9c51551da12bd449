// SPDX-License-Identifier: Apache-2.0
// css-extend-root: Grow the root logical volume by ROOT_SIZE (lvextend -r), once.
// The step is in lib/steps/extend_root.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/extend_root.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::extend_root(context);
}

constexpr css::HelperSpec spec{
        "css-extend-root",
        "Grow the root logical volume by ROOT_SIZE (lvextend -r), once.",
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
