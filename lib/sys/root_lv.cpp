// SPDX-License-Identifier: Apache-2.0
#include "sys/root_lv.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "sys/dm_name.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string_view>
#include <unistd.h>

namespace css {

namespace {

std::string first_line(std::string s)
{
        if (size_t nl = s.find('\n'); nl != std::string::npos)
                s.resize(nl);
        return s;
}

// Field `index` (0-based) of a space-separated mountinfo line.
std::string_view field(std::string_view line, unsigned index)
{
        for (unsigned i = 0; i < index; i++) {
                size_t sp = line.find(' ');
                if (sp == std::string_view::npos)
                        return {};
                line.remove_prefix(sp + 1);
        }
        return line.substr(0, line.find(' '));
}

} // namespace

std::optional<RootLv> root_logical_volume()
{
        std::optional<std::string> mountinfo = read_small_file(paths::host_path("/proc/self/mountinfo"), 4u << 20);
        if (!mountinfo) {
                log::debug("Cannot read /proc/self/mountinfo; assuming the root filesystem is not on LVM.");
                return std::nullopt;
        }

        // mountinfo(5): "id parent MAJ:MIN root mountpoint ...". Later lines mount over earlier
        // ones, so the last "/" is the root in use.
        std::string devnum;
        std::string_view rest = *mountinfo;
        while (!rest.empty()) {
                size_t nl = rest.find('\n');
                std::string_view line = rest.substr(0, nl);
                rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
                if (field(line, 4) == "/")
                        devnum = field(line, 2);
        }
        if (devnum.empty() || devnum.starts_with("0:"))
                return std::nullopt;  // no root entry, or a virtual/btrfs/overlay root: not an LV

        const std::string dm = "/sys/dev/block/" + devnum + "/dm/";
        std::optional<std::string> uuid = read_small_file(paths::host_path(dm + "uuid"), 256);
        if (!uuid || !uuid->starts_with("LVM-"))
                return std::nullopt;  // not device-mapper, or dm but not LVM (e.g. LUKS)
        std::optional<std::string> name = read_small_file(paths::host_path(dm + "name"), 256);
        if (!name)
                return std::nullopt;
        Result<dm::SplitName> split = dm::split_lvm_dm_name(first_line(*name));
        if (!split) {
                log::warning("Root device " + devnum + " is an LVM volume with an unexpected name, ignoring: " +
                             split.error().message);
                return std::nullopt;
        }
        return RootLv{devnum, split->vg, split->lv};
}

} // namespace css
