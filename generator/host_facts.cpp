// SPDX-License-Identifier: Apache-2.0
#include "generator/host_facts.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "engine/storage_options.hpp"
#include "sys/dm_name.hpp"

#include <cerrno>
#include <fcntl.h>
#include <string_view>
#include <unistd.h>

namespace css::generator {

namespace {

std::optional<std::string> read_file(const std::string &path, size_t limit)
{
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return std::nullopt;
        std::string data;
        char buf[8192];
        while (data.size() < limit) {
                ssize_t n = ::read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                data.append(buf, static_cast<size_t>(n));
        }
        ::close(fd);
        return data;
}

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

std::optional<std::string> root_volume_group()
{
        std::optional<std::string> mountinfo = read_file(paths::host_path("/proc/self/mountinfo"), 4u << 20);
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
        std::optional<std::string> uuid = read_file(paths::host_path(dm + "uuid"), 256);
        if (!uuid || !uuid->starts_with("LVM-"))
                return std::nullopt;  // not device-mapper, or dm but not LVM (e.g. LUKS)
        std::optional<std::string> name = read_file(paths::host_path(dm + "name"), 256);
        if (!name)
                return std::nullopt;
        Result<dm::SplitName> split = dm::split_lvm_dm_name(first_line(*name));
        if (!split) {
                log::warning("Root device " + devnum + " is an LVM volume with an unexpected name, ignoring: " +
                             split.error().message);
                return std::nullopt;
        }
        return split->vg;
}

std::optional<std::string> provisioned_thinpool()
{
        std::optional<std::string> content = read_file(paths::host_path(paths::sysconfig_output), 64u << 10);
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
