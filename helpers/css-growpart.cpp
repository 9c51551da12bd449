// SPDX-License-Identifier: Apache-2.0
// css-growpart: Grow the partitions under the root physical volumes into the free space after them (GROWPART=true).
// The step is in lib/steps/growpart.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/growpart.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::grow_root_partitions(context);
}

constexpr css::HelperSpec spec{
        "css-growpart",
        "Grow the partitions under the root physical volumes into the free space after them (GROWPART=true).",
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
