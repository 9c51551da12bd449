// SPDX-License-Identifier: Apache-2.0
#include "named/state.hpp"

#include "config/shell_assignments.hpp"
#include "core/directory.hpp"
#include "core/paths.hpp"
#include "sys/atomic_file.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace css::cli::named {

namespace {

// Single quotes unless every character is safe for sh unquoted.
std::string shell_value(std::string_view v)
{
        bool safe = std::all_of(v.begin(), v.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("-_./:%+,=@").find(c) != std::string_view::npos;
        });
        if (safe && !v.empty())
                return std::string(v);
        std::string out = "'";
        for (char c : v)
                out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return out + "'";
}

std::string join(const std::vector<std::string> &words)
{
        std::string out;
        for (const std::string &w : words)
                out += (out.empty() ? "" : " ") + w;
        return out;
}

} // namespace

std::string format_metadata(const Metadata &m)
{
        std::string out = "_M_METADATA_VERSION=1\n";
        auto line = [&](std::string_view key, std::string_view value) {
                out += "_M_" + std::string(key) + "=" + shell_value(value) + "\n";
        };
        line("STORAGE_DRIVER", m.storage_driver);
        line("VG", m.vg);
        line("VG_CREATED", m.vg_created ? "1" : "0");
        line("DEVS_RESOLVED", join(m.devs_resolved));
        line("CONTAINER_THINPOOL", m.container_thinpool);
        line("CONTAINER_ROOT_LV_NAME", m.container_root_lv_name);
        line("CONTAINER_ROOT_LV_MOUNT_PATH", m.container_root_lv_mount_path);
        line("AUTO_EXTEND_POOL", m.auto_extend_pool ? "yes" : "no");
        line("DEVICE_WAIT_TIMEOUT", std::to_string(m.device_wait_timeout));
        return out;
}

Result<Metadata> parse_metadata(std::string_view text, const std::string &file)
{
        ShellParseResult parsed = parse_shell_assignments(text, file);
        for (const Diagnostic &d : parsed.diagnostics)
                if (d.severity == Diagnostic::Severity::error)
                        return Error{d.to_string(), EINVAL};
        std::map<std::string, std::string> v;
        for (const ShellAssignment &a : parsed.assignments)
                v[a.key] = a.value;
        if (v["_M_METADATA_VERSION"] != "1")
                return Error{file + ": unsupported metadata version '" + v["_M_METADATA_VERSION"] + "'", EINVAL};
        Metadata m;
        m.storage_driver = v["_M_STORAGE_DRIVER"];
        m.vg = v["_M_VG"];
        m.vg_created = v["_M_VG_CREATED"] == "1";
        std::istringstream devs(v["_M_DEVS_RESOLVED"]);
        for (std::string d; devs >> d;)
                m.devs_resolved.push_back(d);
        m.container_thinpool = v["_M_CONTAINER_THINPOOL"];
        m.container_root_lv_name = v["_M_CONTAINER_ROOT_LV_NAME"];
        m.container_root_lv_mount_path = v["_M_CONTAINER_ROOT_LV_MOUNT_PATH"];
        m.auto_extend_pool = v["_M_AUTO_EXTEND_POOL"] == "yes";
        const std::string &t = v["_M_DEVICE_WAIT_TIMEOUT"];
        if (!t.empty()) {
                auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), m.device_wait_timeout);
                if (ec != std::errc() || end != t.data() + t.size())
                        return Error{file + ": invalid _M_DEVICE_WAIT_TIMEOUT '" + t + "'", EINVAL};
        }
        return m;
}

Metadata metadata_of(const Config &config, std::string_view vg, bool vg_created,
                     const std::vector<std::string> &devs_resolved)
{
        Metadata m;
        m.storage_driver = config.storage_driver == StorageDriver::none ? "" : css::to_string(config.storage_driver);
        m.vg = vg;
        m.vg_created = vg_created;
        m.devs_resolved = devs_resolved;
        if (config.storage_driver == StorageDriver::devicemapper)
                m.container_thinpool = config.container_thinpool;
        m.container_root_lv_name = config.container_root_lv_name;
        m.container_root_lv_mount_path = config.container_root_lv_mount_path;
        m.auto_extend_pool = config.auto_extend_pool;
        m.device_wait_timeout = config.device_wait_timeout;
        return m;
}

std::string_view to_string(Status s)
{
        switch (s) {
        case Status::active:
                return "active";
        case Status::inactive:
                return "inactive";
        case Status::invalid:
                break;
        }
        return "invalid";
}

Result<Status> parse_status(std::string_view word)
{
        while (!word.empty() && (word.back() == '\n' || word.back() == ' '))
                word.remove_suffix(1);
        for (Status s : {Status::active, Status::inactive, Status::invalid})
                if (word == to_string(s))
                        return s;
        return Error{"Invalid status '" + std::string(word) + "'", EINVAL};
}

Result<void> check_name(std::string_view name)
{
        bool ok = !name.empty() && name != "." && name != ".." && name[0] != '-' &&
                  name.find('/') == std::string_view::npos && name.size() <= 255;
        if (!ok)
                return Error{"Invalid storage configuration name '" + std::string(name) + "'", EINVAL};
        return {};
}

StateDir::StateDir(std::string name) : name_(std::move(name)) {}

std::string StateDir::path() const
{
        return paths::host_path(std::string(paths::state_dir) + "/" + name_);
}

bool StateDir::exists() const
{
        struct stat st;
        return ::stat(path().c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::string> StateDir::read(std::string_view which) const
{
        const std::string f = file(which);
        std::ifstream in(f);
        if (!in)
                return make_errno_error(errno ? errno : ENOENT, "Failed to read '" + f + "'");
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
}

Result<Metadata> StateDir::read_metadata() const
{
        Result<std::string> text = read("metadata");
        if (!text)
                return text.error();
        return parse_metadata(*text, file("metadata"));
}

Result<Status> StateDir::read_status() const
{
        Result<std::string> text = read("status");
        if (!text)
                return text.error();
        return parse_status(*text);
}

Result<void> StateDir::create_directory() const
{
        if (Result<void> r = make_directories(paths::host_path(paths::state_dir)); !r)
                return r;
        if (::mkdir(path().c_str(), 0700) < 0)
                return make_errno_error(errno, "Failed to create directory '" + path() + "'");
        return {};
}

Result<void> StateDir::write(std::string_view which, std::string_view content) const
{
        AtomicWriteOptions options;
        return write_file_atomic(file(which), content, options);
}

Result<void> StateDir::remove() const
{
        for (const char *f : {"infile", "outfile", "metadata", "status"})
                if (::unlink(file(f).c_str()) < 0 && errno != ENOENT)
                        return make_errno_error(errno, "Failed to remove '" + file(f) + "'");
        if (::rmdir(path().c_str()) < 0)
                return make_errno_error(errno, "Failed to remove '" + path() + "'");
        return {};
}

Result<std::vector<std::string>> list_names()
{
        // Our own notes (.extend-root) start with a dot; configurations never do.
        Result<std::vector<std::string>> entries = list_directory(paths::host_path(paths::state_dir));
        if (!entries) {
                if (entries.error().errno_value != ENOENT)
                        return entries.error();
                return std::vector<std::string>{};
        }
        std::vector<std::string> names;
        for (std::string &n : *entries)
                if (StateDir(n).exists())
                        names.push_back(std::move(n));
        return names;
}

Result<StateDir> existing(std::string_view name)
{
        if (Result<void> r = check_name(name); !r)
                return r.error();
        StateDir dir{std::string(name)};
        if (!dir.exists())
                return Error{"Storage configuration " + std::string(name) + " does not exist", ENOENT};
        return dir;
}

Result<Opened> open_configuration(std::string_view name)
{
        Result<StateDir> dir = existing(name);
        if (!dir)
                return dir.error();
        Result<Metadata> m = dir->read_metadata();
        if (!m)
                return m.error();
        Result<Status> s = dir->read_status();
        if (!s)
                return s.error();
        return Opened{*dir, *m, *s};
}

Config config_of(const Metadata &m)
{
        Config c;
        c.storage_driver = m.storage_driver == "devicemapper" ? StorageDriver::devicemapper
                           : m.storage_driver == "overlay"    ? StorageDriver::overlay
                           : m.storage_driver == "overlay2"   ? StorageDriver::overlay2
                                                              : StorageDriver::none;
        c.vg = m.vg;
        c.devs = m.devs_resolved;
        c.container_thinpool = m.container_thinpool;
        c.container_root_lv_name = m.container_root_lv_name;
        c.container_root_lv_mount_path = m.container_root_lv_mount_path;
        c.auto_extend_pool = m.auto_extend_pool;
        c.device_wait_timeout = m.device_wait_timeout;
        return c;
}

} // namespace css::cli::named
