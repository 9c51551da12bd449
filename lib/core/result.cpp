// SPDX-License-Identifier: Apache-2.0
#include "core/result.hpp"

#include <cstring>

namespace css {

Error make_errno_error(int errno_value, std::string message)
{
        message += ": ";
        message += std::strerror(errno_value);
        return Error{std::move(message), errno_value};
}

} // namespace css
