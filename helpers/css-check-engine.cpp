// SPDX-License-Identifier: Apache-2.0
// css-check-engine: Check that the container engine can use the configured storage, before any
// disk is touched. The step is in lib/steps/check_engine.cpp; see docs/design.md.

#include "core/helper_main.hpp"
#include "steps/check_engine.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::check_engine(context);
}

constexpr css::HelperSpec spec{
        "css-check-engine",
        "Check that the container engine can use the configured storage, before any disk is touched.",
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
