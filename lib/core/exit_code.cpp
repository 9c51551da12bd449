// SPDX-License-Identifier: Apache-2.0
#include "core/exit_code.hpp"

#include "core/log.hpp"

namespace css {

int fail(const Error &error)
{
        return fail(error.message);
}

int fail(std::string_view message)
{
        log::error(message);
        return exit_failure;
}

} // namespace css
