// SPDX-License-Identifier: Apache-2.0
#include "config/names.hpp"

#include "systemd/unit_path.hpp"

#include <array>

namespace css {

std::string check_vg_name(std::string_view name)
{
        if (name.empty())
                return "the name is empty";
        if (name.size() > 127)
                return "the name is longer than 127 characters";
        if (name == "." || name == "..")
                return "'.' and '..' are reserved";
        if (name[0] == '-')
                return "the name must not start with '-'";
        for (char c : name) {
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                          c == '_' || c == '.' || c == '-';
                if (!ok)
                        return "only the characters a-z A-Z 0-9 + _ . - are allowed";
        }
        return {};
}

std::string check_lv_name(std::string_view name)
{
        if (std::string reason = check_vg_name(name); !reason.empty())
                return reason;
        for (std::string_view prefix : {"snapshot", "pvmove"})
                if (name.substr(0, prefix.size()) == prefix)
                        return "names starting with '" + std::string(prefix) + "' are reserved by lvm";
        static constexpr std::array<std::string_view, 16> reserved = {
                "_cdata",   "_cmeta",  "_corig", "_cpool", "_cvol",  "_iorig", "_mimage",  "_mlog",
                "_pmspare", "_rimage", "_rmeta", "_tdata", "_tmeta", "_vdata", "_vorigin", "_wcorig",
        };
        for (std::string_view r : reserved)
                if (name.find(r) != std::string_view::npos)
                        return "'" + std::string(r) + "' is reserved by lvm for internal volumes";
        return {};
}

std::string normalise_mount_path(std::string_view path, std::string &normalised)
{
        if (path.empty() || path[0] != '/')
                return "the path must be absolute";
        std::string out;
        size_t i = 0;
        while (i < path.size()) {
                while (i < path.size() && path[i] == '/')
                        i++;
                size_t end = path.find('/', i);
                if (end == std::string_view::npos)
                        end = path.size();
                std::string_view component = path.substr(i, end - i);
                i = end;
                if (component.empty() || component == ".")
                        continue;
                if (component == "..")
                        return "'..' components are not allowed";
                out += '/';
                out += component;
        }
        if (out.empty())
                return "'/' cannot be a mount point for a container volume";
        // What the generator must write: Where= and the mount unit's name.
        if (Result<std::string> unit = unit_path::mount_unit(out); !unit)
                return unit.error().message;
        normalised = std::move(out);
        return {};
}

std::string check_dev_entry(std::string_view entry)
{
        if (entry == "/")
                return "'/' is not a device";
        if (entry == "." || entry == "..")
                return "not a device name";
        if (entry[0] != '/' && entry.find('/') != std::string_view::npos)
                return "use an absolute path (/dev/...) or a bare name (sdb)";
        // What the generator must write: the disk's step and device units, named after the path.
        if (Result<std::string> unit = unit_path::prepare_disk_unit(entry); !unit)
                return unit.error().message;
        return {};
}

} // namespace css
