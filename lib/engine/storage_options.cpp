// SPDX-License-Identifier: Apache-2.0
#include "engine/storage_options.hpp"

#include "core/words.hpp"

#include <vector>

namespace css {

namespace {

bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\n';
}

// What bash's unquoted `echo $x` prints: the words joined by single spaces.
std::string collapse_blanks(std::string_view s)
{
        std::string out;
        for (std::string_view w : split_blank_words(s)) {
                if (!out.empty())
                        out += ' ';
                out += w;
        }
        return out;
}

bool ends_with(std::string_view s, std::string_view suffix)
{
        return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

} // namespace

bool extra_options_have_dm_fs(std::string_view extra)
{
        for (std::string_view w : split_blank_words(extra))
                if (w.find("dm.fs=") != std::string_view::npos)
                        return true;
        return false;
}

std::string storage_options_file(const StorageOptionsInput &in)
{
        std::string line;
        switch (in.driver) {
        case StorageDriver::none:
                return {};
        case StorageDriver::overlay:
        case StorageDriver::overlay2:
                line = in.variable_name + "=\"--storage-driver " + to_string(in.driver) + " " +
                       in.extra_storage_options + "\"";
                break;
        case StorageDriver::devicemapper: {
                std::string raw = in.variable_name + "=\"--storage-driver devicemapper ";
                if (!extra_options_have_dm_fs(in.extra_storage_options))
                        raw += "--storage-opt dm.fs=xfs";
                raw += " --storage-opt dm.thinpooldev=" + in.thinpool_device + " ";
                if (in.deferred_removal)
                        raw += "--storage-opt dm.use_deferred_removal=true";
                raw += " ";
                if (in.deferred_deletion)
                        raw += "--storage-opt dm.use_deferred_deletion=true";
                raw += " " + in.extra_storage_options + "\"";
                line = collapse_blanks(raw);
                break;
        }
        }
        line += '\n';
        return line;
}

std::optional<std::string> current_storage_options(std::string_view content, std::string_view variable_name)
{
        std::string prefix{variable_name};
        prefix += '=';
        size_t pos = 0;
        while (pos <= content.size()) {
                size_t end = content.find('\n', pos);
                if (end == std::string_view::npos)
                        end = content.size();
                std::string_view line = content.substr(pos, end - pos);
                if (line.substr(0, prefix.size()) == prefix) {
                        std::string_view v = line.substr(prefix.size());
                        while (!v.empty() && is_blank(v.front()))
                                v.remove_prefix(1);
                        if (!v.empty() && v.front() == '"')
                                v.remove_prefix(1);
                        if (!v.empty() && v.back() == '"')
                                v.remove_suffix(1);
                        return std::string(v);
                }
                pos = end + 1;
        }
        return std::nullopt;
}

Result<std::string> existing_storage_driver(std::string_view options)
{
        std::vector<std::string_view> words = split_blank_words(options);
        for (std::string_view flag : {std::string_view("--storage-driver"), std::string_view("-s")})
                for (size_t i = 0; i + 1 < words.size(); i++)
                        if (words[i] == flag)
                                return std::string(words[i + 1]);
        if (configured_thinpool(options))
                return std::string("devicemapper");
        return Error{"Failed to determine existing storage driver."};
}

std::optional<std::string> configured_thinpool(std::string_view options)
{
        constexpr std::string_view key = "dm.thinpooldev=";
        for (std::string_view w : split_blank_words(options)) {
                size_t at = w.find(key);
                if (at != std::string_view::npos)
                        return std::string(w.substr(at + key.size()));
        }
        return std::nullopt;
}

bool uses_old_data_meta_mode(std::string_view options)
{
        for (std::string_view w : split_blank_words(options))
                if (w.find("dm.datadev=") != std::string_view::npos ||
                    w.find("dm.metadatadev=") != std::string_view::npos)
                        return true;
        return false;
}

bool thinpool_managed_by_us(std::string_view device, std::string_view pool_lv)
{
        std::string escaped;
        for (char c : pool_lv) {
                escaped += c;
                if (c == '-')
                        escaped += '-';
        }
        return device.substr(0, 12) == "/dev/mapper/" && ends_with(device.substr(12), escaped);
}

} // namespace css
