// SPDX-License-Identifier: Apache-2.0
// css-write-storage-config: Write /etc/sysconfig/docker-storage for the configured driver.
// The step is in lib/steps/write_storage_config.cpp; see docs/design.md for the order of the steps.

#include "core/helper_main.hpp"
#include "steps/write_storage_config.hpp"
#include "steps/step_context.hpp"

namespace {

int run(const css::HelperContext &helper)
{
        css::StepContext context(helper.config);
        return css::steps::write_storage_config(context);
}

constexpr css::HelperSpec spec{
        "css-write-storage-config",
        "Write /etc/sysconfig/docker-storage for the configured driver.",
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
