// SPDX-License-Identifier: Apache-2.0
// css-<step>: one row of the step table (lib/steps/step_table.cpp), built once per step with
// CSS_STEP naming the row (helpers/meson.build). See container-storage-setup-helpers(8).

#include "helper_main.hpp"
#include "steps/step_table.hpp"

int main(int argc, char **argv)
{
        static_assert(sizeof(CSS_STEP) > 1, "CSS_STEP names a row of the step table");
        const css::steps::Step *step = css::steps::find_step(CSS_STEP);
        if (!step)
                return css::exit_failure; // helpers/meson.build names a step the table lacks
        return css::helper_main(argc, argv, css::step_helper(*step));
}
