// SPDX-License-Identifier: Apache-2.0
#include "systemd/unit_path.hpp"

#include "systemd/unit_name.hpp"

namespace css::unit_path {

namespace {

bool has_control(std::string_view s)
{
        for (char c : s) {
                const auto u = static_cast<unsigned char>(c);
                if (u < 0x20 || u == 0x7f)
                        return true;
        }
        return false;
}

// The path as it appears in unit names, or why systemd would not read it back.
Result<std::string> escaped_path(std::string_view path)
{
        if (std::string reason = check(path); !reason.empty())
                return Error{reason};
        Result<std::string> escaped = unit_name::path_escape(path);
        if (!escaped)
                return Error{"the path is too long for a unit name"}; // the dot components are checked above
        return escaped;
}

Error too_long(size_t name_length)
{
        return Error{"the unit name made from it would be " + std::to_string(name_length) +
                     " bytes long, and systemd's limit is " + std::to_string(unit_name::max_length)};
}

} // namespace

std::string device_path(std::string_view dev_entry)
{
        if (dev_entry.starts_with("/"))
                return std::string(dev_entry);
        return "/dev/" + std::string(dev_entry);
}

std::string check(std::string_view path)
{
        if (!path.starts_with("/"))
                return "the path must be absolute";
        if (has_control(path))
                return "control characters are not allowed";
        if (unit_name::has_dot_component(path) || path.find("//") != std::string_view::npos ||
            (path.size() > 1 && path.ends_with("/")))
                return "the path must be normalized (no '.' or '..' component, no '//', no trailing '/')";
        if (path.ends_with(" "))
                return "a trailing blank is not allowed (systemd strips it from a unit's setting)";
        if (path.ends_with("\\"))
                return "a trailing backslash is not allowed (systemd reads it as a line continuation)";
        return {};
}

Result<std::string> mount_unit(std::string_view mount_path)
{
        Result<std::string> escaped = escaped_path(mount_path);
        if (!escaped)
                return escaped.error();
        Result<std::string> name = unit_name::from_path(mount_path, "mount");
        if (!name)
                return too_long(escaped->size() + std::string_view(".mount").size());
        return name;
}

Result<std::string> prepare_disk_unit(std::string_view dev_entry)
{
        Result<std::string> escaped = escaped_path(device_path(dev_entry));
        if (!escaped)
                return escaped.error();
        Result<std::string> name = unit_name::instantiate(prepare_disk_template, *escaped);
        if (!name)
                return too_long(prepare_disk_template.size() + escaped->size());
        return name;
}

} // namespace css::unit_path
