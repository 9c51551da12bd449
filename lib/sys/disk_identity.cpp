// SPDX-License-Identifier: Apache-2.0
#include "sys/disk_identity.hpp"

#include "core/small_file.hpp"

#include <array>
#include <optional>
#include <string_view>

namespace css::block {

namespace {

// A sysfs attribute without its surrounding blanks (SCSI pads serials with spaces); nullopt
// when absent or blank.
std::optional<std::string> attribute(const std::string &path)
{
        std::optional<std::string> v = read_small_file(path, 512);
        if (!v)
                return std::nullopt;
        const size_t begin = v->find_first_not_of(" \t\n");
        if (begin == std::string::npos)
                return std::nullopt;
        const size_t end = v->find_last_not_of(" \t\n");
        return v->substr(begin, end - begin + 1);
}

} // namespace

std::string disk_identity(const BlockDevice &disk)
{
        struct Source {
                std::string_view kind, path;
        };
        static constexpr std::array<Source, 5> sources = {{
                {"wwid", "/wwid"},
                {"wwid", "/device/wwid"},
                {"serial", "/serial"},
                {"serial", "/device/serial"},
                {"loop", "/loop/backing_file"},
        }};
        for (const Source &s : sources)
                if (std::optional<std::string> v = attribute(disk.sysfs_dir + std::string(s.path)))
                        return std::string(s.kind) + ":" + *v;
        return {};
}

} // namespace css::block
