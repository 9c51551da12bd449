// SPDX-License-Identifier: Apache-2.0
#include "engine/dockerd_flags.hpp"

#include <string_view>

namespace css::engine {

namespace {

enum class Flag { storage_driver, storage_opt, data_root, config_file };

struct FlagName {
        std::string_view name;
        Flag flag;
};

constexpr FlagName flag_names[] = {
        {"--storage-driver", Flag::storage_driver}, {"-s", Flag::storage_driver}, {"--storage-opt", Flag::storage_opt},
        {"--data-root", Flag::data_root},           {"-g", Flag::data_root},      {"--graph", Flag::data_root},
        {"--config-file", Flag::config_file},
};

void set(DockerdFlags &flags, Flag flag, std::string value)
{
        switch (flag) {
        case Flag::storage_driver:
                flags.storage_driver = std::move(value);
                break;
        case Flag::storage_opt:
                flags.storage_opts.push_back(std::move(value));
                break;
        case Flag::data_root:
                flags.data_root = std::move(value);
                break;
        case Flag::config_file:
                flags.config_file = std::move(value);
                break;
        }
}

} // namespace

DockerdFlags parse_dockerd_flags(const std::vector<std::string> &words)
{
        DockerdFlags flags;
        for (size_t i = 0; i < words.size(); i++) {
                const std::string &w = words[i];
                bool matched = false;
                for (const FlagName &f : flag_names) {
                        if (w == f.name) {
                                if (i + 1 == words.size()) {
                                        flags.missing_value = w;
                                } else {
                                        set(flags, f.flag, words[++i]);
                                }
                                matched = true;
                                break;
                        }
                        // "--flag=value"; the short ones also as "-svalue" (pflag).
                        if (w.starts_with(f.name) && w.size() > f.name.size()) {
                                const bool is_short = f.name.size() == 2;
                                if (w[f.name.size()] == '=' || is_short) {
                                        size_t skip = f.name.size() + (w[f.name.size()] == '=' ? 1 : 0);
                                        set(flags, f.flag, w.substr(skip));
                                        matched = true;
                                        break;
                                }
                        }
                }
                if (!matched)
                        flags.other.push_back(w);
        }
        return flags;
}

void merge_flags(DockerdFlags &into, const DockerdFlags &more)
{
        if (more.storage_driver)
                into.storage_driver = more.storage_driver;
        into.storage_opts.insert(into.storage_opts.end(), more.storage_opts.begin(), more.storage_opts.end());
        if (more.data_root)
                into.data_root = more.data_root;
        if (more.config_file)
                into.config_file = more.config_file;
        into.other.insert(into.other.end(), more.other.begin(), more.other.end());
        if (more.missing_value)
                into.missing_value = more.missing_value;
}

} // namespace css::engine
