// SPDX-License-Identifier: Apache-2.0
#include "switch_plan.hpp"

#include "core/paths.hpp"
#include "steps/container_root_lv.hpp"
#include "steps/engine_output.hpp"

#include <cerrno>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace css::cli {

namespace {

bool exists(std::string_view path)
{
        return ::access(paths::host_path(path).c_str(), F_OK) == 0;
}

} // namespace

std::vector<std::string> active_units(const std::vector<std::string> &units, std::string_view output)
{
        std::vector<std::string> active;
        size_t i = 0;
        for (size_t start = 0; start < output.size() && i < units.size(); ++i) {
                size_t end = output.find('\n', start);
                if (end == std::string_view::npos)
                        end = output.size();
                std::string_view state = output.substr(start, end - start);
                if (state == "active" || state == "activating" || state == "reloading")
                        active.push_back(units[i]);
                start = end + 1;
        }
        return active;
}

Result<void> nothing_set_up()
{
        if (!exists(paths::sysconfig_output) && !exists(steps::daemon_json_record))
                return {};
        return Error{"There is no record of the configuration the storage was set up from (" +
                             std::string(paths::sysconfig_output) + " or " + std::string(steps::daemon_json_record) +
                             " says it was, by an older version): the switch cannot tell what to remove. Put that "
                             "configuration back, run 'container-storage-setup --reset', then edit it and switch.",
                     ENOENT};
}

Result<std::optional<std::string>> data_dir_to_move(const Config &next)
{
        std::optional<steps::ContainerRootLv> lv = steps::container_root_lv(next);
        if (!lv)
                return std::optional<std::string>();
        const std::string path = paths::host_path(lv->mount_path);
        const std::string parent = path.substr(0, path.rfind('/')).empty() ? "/" : path.substr(0, path.rfind('/'));
        struct stat st, up;
        if (::lstat(path.c_str(), &st) < 0 || !S_ISDIR(st.st_mode) || ::stat(parent.c_str(), &up) < 0 ||
            st.st_dev != up.st_dev)
                return std::optional<std::string>();
        std::error_code ec;
        if (std::filesystem::is_empty(path, ec) || ec)
                return std::optional<std::string>();
        const std::string aside = lv->mount_path + ".before-switch";
        if (exists(aside))
                return Error{aside + " is there from an earlier switch: it is never overwritten. Remove or rename it " +
                                     "first.",
                             EEXIST};
        return std::optional<std::string>(lv->mount_path);
}

std::string join_words(const std::vector<std::string> &words)
{
        if (words.empty())
                return "nothing";
        std::string text;
        for (const std::string &w : words)
                text += (text.empty() ? "" : " ") + w;
        return text;
}

} // namespace css::cli
