// SPDX-License-Identifier: Apache-2.0
#include "lvm/thinpool.hpp"

#include <cerrno>
#include <limits>

namespace css::lvm
{

uint64_t size_in_bytes(const Size &size, const Vg &vg)
{
        unsigned __int128 base;
        switch (size.kind) {
        case Size::Kind::percent_free:
                base = vg.free;
                break;
        case Size::Kind::percent_vg:
                base = vg.size;
                break;
        case Size::Kind::absolute:
        default:
                return size.bytes;
        }
        unsigned __int128 v = base * size.percent / 100;
        return v > std::numeric_limits<uint64_t>::max() ? std::numeric_limits<uint64_t>::max()
                                                        : static_cast<uint64_t>(v);
}

std::string pool_metadata_size(const Config &config, const Vg &vg)
{
        if (config.pool_meta_size)
                return config.pool_meta_size->text;
        return std::to_string(vg.size / 512 / 1000 + 1) + "s";
}

Result<DataSizeDecision> decide_data_size(const Config &config, const Vg &vg)
{
        if (!config.data_size)
                return Error{"DATA_SIZE not specified.", EINVAL};
        DataSizeDecision d{*config.data_size, {}};
        if (!config.min_data_size)
                return d;
        const Size &min = *config.min_data_size;
        uint64_t min_bytes = size_in_bytes(min, vg);
        if (vg.free < min_bytes)
                return Error{"There is not enough free space in volume group " + vg.name +
                                     " to create data volume of size MIN_DATA_SIZE=" + min.text + ".",
                             ENOSPC};
        if (size_in_bytes(d.size, vg) < min_bytes) {
                d.info = "DATA_SIZE=" + d.size.text + " is smaller than MIN_DATA_SIZE=" + min.text +
                         ". Will create data volume of size specified by MIN_DATA_SIZE.";
                d.size = min;
        }
        return d;
}

ThinPoolSpec thin_pool_spec(const Config &config, const Vg &vg, const DataSizeDecision &data)
{
        ThinPoolSpec s;
        s.vg = vg.name;
        s.pool = config.container_thinpool;
        s.data_size = data.size.text;
        s.metadata_size = pool_metadata_size(config, vg);
        s.chunk_size = config.chunk_size.value_or("");
        if (config.auto_extend_pool)
                s.profile = autoextend_profile_name(vg.name, config.container_thinpool);
        return s;
}

Argv container_root_lv_argv(const Config &config, std::string_view vg)
{
        return lvcreate_linear(vg, config.container_root_lv_name, config.container_root_lv_size.text);
}

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
                return Error{"Failed to parse profile_dir in the lvmconfig output: '" + std::string(v) + "'",
                             EINVAL};
        return std::string(v);
}

} // namespace css::lvm
