// SPDX-License-Identifier: Apache-2.0
#include "generator/host_facts.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "engine/storage_options.hpp"
#include "sys/root_lv.hpp"

#include <string_view>
#include <unistd.h>

namespace css::generator {

std::optional<std::string> root_volume_group()
{
        std::optional<RootLv> root = root_logical_volume();
        if (!root)
                return std::nullopt;
        return root->vg;
}

std::optional<std::string> provisioned_thinpool()
{
        std::optional<std::string> content = read_small_file(paths::host_path(paths::sysconfig_output), 64u << 10);
        if (!content)
                return std::nullopt;
        std::optional<std::string> options = current_storage_options(*content);
        if (!options)
                return std::nullopt;
        std::optional<std::string> pool = configured_thinpool(*options);
        if (!pool)
                return std::nullopt;
        if (!pool->starts_with("/dev/")) {
                log::warning(std::string(paths::sysconfig_output) + " names thin pool '" + *pool +
                             "', which is not a device node; not waiting for it.");
                return std::nullopt;
        }
        return pool;
}

bool storage_output_exists()
{
        return ::access(paths::host_path(paths::sysconfig_output).c_str(), F_OK) == 0;
}

bool cloud_init_installed()
{
        // systemd's system unit search path (systemd.unit(5)), highest priority first.
        static constexpr std::string_view dirs[] = {
                "/etc/systemd/system",       "/run/systemd/system", "/usr/local/lib/systemd/system",
                "/usr/lib/systemd/system",   "/lib/systemd/system",
        };
        for (std::string_view dir : dirs)
                if (::access(paths::host_path(std::string(dir) + "/cloud-init.service").c_str(), F_OK) == 0)
                        return true;
        return false;
}

} // namespace css::generator
