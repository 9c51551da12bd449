// SPDX-License-Identifier: Apache-2.0
#include "lvm/profile.hpp"

#include <cerrno>

namespace css::lvm {

std::string autoextend_profile_name(std::string_view vg, std::string_view pool)
{
        std::string s{vg};
        s += "--";
        s += pool;
        s += "-extend";
        return s;
}

std::string autoextend_profile_file_name(std::string_view vg, std::string_view pool)
{
        return autoextend_profile_name(vg, pool) + ".profile";
}

std::string autoextend_profile_contents(unsigned threshold, unsigned percent)
{
        // Byte for byte what the original's heredoc produced, blank line included.
        return "activation {\n\tthin_pool_autoextend_threshold=" + std::to_string(threshold) +
               "\n\tthin_pool_autoextend_percent=" + std::to_string(percent) + "\n\n}\n";
}

Argv profile_dir_argv()
{
        return {"lvmconfig", "--typeconfig", "full", "config/profile_dir"};
}

Result<std::string> parse_profile_dir(std::string_view out)
{
        constexpr std::string_view key = "profile_dir=";
        size_t at = out.find(key);
        if (at == std::string_view::npos)
                return Error{"Failed to find profile_dir in the lvmconfig output", ENOENT};
        std::string_view v = out.substr(at + key.size());
        v = v.substr(0, v.find('\n'));
        while (!v.empty() && (v.back() == ' ' || v.back() == '\r'))
                v.remove_suffix(1);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
                v = v.substr(1, v.size() - 2);
        if (v.empty() || v.front() != '/')
                return Error{"Failed to parse profile_dir in the lvmconfig output: '" + std::string(v) + "'", EINVAL};
        return std::string(v);
}

} // namespace css::lvm
