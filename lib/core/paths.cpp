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
        // CSS_STATE_DIR stands for our state directory alone: the host tests act on real devices
        // under the real root and must not leave records in the machine's own state.
        if (path.starts_with(state_dir) && (path.size() == state_dir.size() || path[state_dir.size()] == '/'))
                if (const char *dir = std::getenv("CSS_STATE_DIR"); dir && *dir)
                        return std::string(dir) + std::string(path.substr(state_dir.size()));
        std::string p = root();
        p += path;
        return p;
}

} // namespace css::paths
