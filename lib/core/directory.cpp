// SPDX-License-Identifier: Apache-2.0
#include "core/directory.hpp"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <memory>

namespace css {

Result<std::vector<std::string>> list_directory(const std::string &path)
{
        std::unique_ptr<DIR, int (*)(DIR *)> d(::opendir(path.c_str()), ::closedir);
        if (!d)
                return make_errno_error(errno, "Failed to open '" + path + "'");
        std::vector<std::string> names;
        while (const dirent *e = ::readdir(d.get()))
                if (e->d_name[0] != '.')
                        names.emplace_back(e->d_name);
        std::sort(names.begin(), names.end());
        return names;
}

std::vector<std::string> list_directory_or_empty(const std::string &path)
{
        Result<std::vector<std::string>> names = list_directory(path);
        return names ? std::move(*names) : std::vector<std::string>{};
}

} // namespace css
