// SPDX-License-Identifier: Apache-2.0
#include "generator/host_facts.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "systemd/proc_cmdline.hpp"
#include "engine/storage_options.hpp"
#include "sys/root_lv.hpp"

#include <string_view>
#include <sys/stat.h>
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

namespace {

enum class UnitFile { absent, masked, present };

// What systemd loads for `name`: the file in the first directory of its system unit search path
// (systemd.unit(5), highest priority first) that has one. Masked as systemd's null_or_empty()
// says: an empty regular file or a character device (/dev/null). A dangling symlink cannot be
// loaded either, so it counts as masked.
UnitFile unit_file(std::string_view name)
{
        static constexpr std::string_view dirs[] = {
                "/etc/systemd/system",     "/run/systemd/system", "/usr/local/lib/systemd/system",
                "/usr/lib/systemd/system", "/lib/systemd/system",
        };
        for (std::string_view dir : dirs) {
                const std::string path = paths::host_path(std::string(dir) + "/" + std::string(name));
                struct stat st;
                if (::lstat(path.c_str(), &st) < 0)
                        continue;
                if (::stat(path.c_str(), &st) < 0 || S_ISCHR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0))
                        return UnitFile::masked;
                return UnitFile::present;
        }
        return UnitFile::absent;
}

} // namespace

bool cloud_init_disabled(std::string_view kernel_cmdline)
{
        // What cloud-init's own units and generator test: ConditionKernelCommandLine=
        // !cloud-init=disabled (a whole word) and ConditionPathExists=!/etc/cloud/cloud-init.disabled.
        for (const std::string &word : proc_cmdline::split(kernel_cmdline))
                if (word == "cloud-init=disabled")
                        return true;
        return ::access(paths::host_path("/etc/cloud/cloud-init.disabled").c_str(), F_OK) == 0;
}

std::optional<std::string> cloud_init_network_stage(std::string_view kernel_cmdline)
{
        if (cloud_init_disabled(kernel_cmdline))
                return std::nullopt;
        // From 24.3 the stage units only tell cloud-init-main.service's process to run a stage.
        if (unit_file("cloud-init-main.service") == UnitFile::masked)
                return std::nullopt;
        // 24.3 renamed cloud-init.service to cloud-init-network.service (canonical/cloud-init#5489).
        for (std::string_view unit : {"cloud-init-network.service", "cloud-init.service"})
                if (unit_file(unit) == UnitFile::present)
                        return std::string(unit);
        return std::nullopt;
}

} // namespace css::generator
