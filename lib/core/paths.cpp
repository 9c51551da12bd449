// SPDX-License-Identifier: Apache-2.0
#include "core/paths.hpp"

#include <cstdlib>

namespace css::paths {

std::string root()
{
        const char *e = std::getenv("CSS_ROOT");
        std::string r = e ? e : "";
        while (!r.empty() && r.back() == '/')
                r.pop_back();
        return r;
}

std::string host_path(std::string_view path)
{
        std::string p = root();
        p += path;
        return p;
}

} // namespace css::paths
