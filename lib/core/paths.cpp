// SPDX-License-Identifier: Apache-2.0
#include "core/paths.hpp"

#include <cstdlib>

namespace css::paths {

const std::string &root()
{
        static const std::string value = [] {
                const char *e = std::getenv("CSS_ROOT");
                std::string r = e ? e : "";
                while (!r.empty() && r.back() == '/')
                        r.pop_back();
                return r;
        }();
        return value;
}

std::string host_path(std::string_view path)
{
        std::string p = root();
        p += path;
        return p;
}

} // namespace css::paths
