// SPDX-License-Identifier: Apache-2.0
// css-mkfs: Make an XFS filesystem (ftype=1) on the container root LV when it has no signature.
// The step is in lib/steps/mkfs.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/mkfs.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::mkfs(context);
}

constexpr css::HelperSpec spec{
        "css-mkfs",
        "Make an XFS filesystem (ftype=1) on the container root LV when it has no signature.",
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
