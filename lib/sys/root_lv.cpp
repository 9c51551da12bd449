// SPDX-License-Identifier: Apache-2.0
#include "sys/root_lv.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "sys/dm_name.hpp"
#include "sys/root_mount.hpp"

#include <sys/sysmacros.h>

namespace css {

namespace {

std::string first_line(std::string s)
{
        if (size_t nl = s.find('\n'); nl != std::string::npos)
                s.resize(nl);
        return s;
}

} // namespace

std::optional<RootLv> root_logical_volume()
{
        Result<RootMount> root = root_mount();
        if (!root) {
                log::debug(root.error().message + "; the root filesystem is not on LVM.");
                return std::nullopt;
        }
        const std::string devnum = std::to_string(major(root->devnum)) + ":" + std::to_string(minor(root->devnum));
        const std::string dm = "/sys/dev/block/" + devnum + "/dm/";
        std::optional<std::string> uuid = read_small_file(paths::host_path(dm + "uuid"), 256);
        if (!uuid || !uuid->starts_with("LVM-"))
                return std::nullopt; // not device-mapper, or dm but not LVM (e.g. LUKS)
        std::optional<std::string> name = read_small_file(paths::host_path(dm + "name"), 256);
        if (!name)
                return std::nullopt;
        Result<dm::SplitName> split = dm::split_lvm_dm_name(first_line(*name));
        if (!split) {
                log::warning("Root device " + devnum +
                             " is an LVM volume with an unexpected name, ignoring: " + split.error().message);
                return std::nullopt;
        }
        return RootLv{devnum, split->vg, split->lv};
}

} // namespace css
