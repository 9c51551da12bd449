// SPDX-License-Identifier: Apache-2.0
#include "sys/dm_name.hpp"

#include <cerrno>

namespace css::dm {

std::string escape_name_part(std::string_view part)
{
        std::string s;
        s.reserve(part.size() + 4);
        for (char c : part) {
                s += c;
                if (c == '-')
                        s += '-';
        }
        return s;
}

std::string lvm_dm_name(std::string_view vg, std::string_view lv, std::string_view layer)
{
        std::string name = escape_name_part(vg);
        name += '-';
        name += escape_name_part(lv);
        if (!layer.empty()) {
                name += '-';
                name += escape_name_part(layer);
        }
        return name;
}

Result<SplitName> split_lvm_dm_name(std::string_view dm_name)
{
        // Walk the name: "--" is one literal '-', a single '-' ends the current part.
        std::string parts[3];
        size_t n = 0;
        for (size_t i = 0; i < dm_name.size(); i++) {
                char c = dm_name[i];
                if (c != '-') {
                        parts[n] += c;
                        continue;
                }
                if (i + 1 < dm_name.size() && dm_name[i + 1] == '-') {
                        parts[n] += '-';
                        i++;
                        continue;
                }
                if (++n == 3)
                        break;
        }
        auto bad = [&] {
                return Error{"Failed to split device-mapper name '" + std::string(dm_name) + "': not an LVM name",
                             EINVAL};
        };
        // LVM also uses a single '-' for the layer, so more than three parts is not its name.
        if (n == 0 || n >= 3 || parts[0].empty() || parts[1].empty() || (n == 2 && parts[2].empty()))
                return bad();
        return SplitName{std::move(parts[0]), std::move(parts[1]), std::move(parts[2])};
}

} // namespace css::dm
