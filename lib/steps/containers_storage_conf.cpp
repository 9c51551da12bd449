// SPDX-License-Identifier: Apache-2.0
#include "steps/containers_storage_conf.hpp"

#include "config/config_file.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "engine/containers_storage_toml.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <filesystem>
#include <sys/stat.h>

namespace css::steps {

namespace {

constexpr std::string_view overlay = "overlay";
constexpr std::string_view containers_dir = "/var/lib/containers";

// `path` is `dir` or below it, compared lexically ("/a/b/" and "/a/./b" are "/a/b").
bool is_at_or_below(std::string_view path, std::string_view dir)
{
        const std::filesystem::path p = std::filesystem::path(path).lexically_normal();
        const std::filesystem::path d = std::filesystem::path(dir).lexically_normal();
        const std::filesystem::path rel = p.lexically_relative(d);
        return p.is_absolute() && !rel.empty() && *rel.begin() != "..";
}

// A value in a header comment: a control character would end the comment line.
std::string shown(std::string_view value)
{
        if (value.empty())
                return "unset";
        std::string s = "\"";
        for (char c : value)
                s += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
        return s + "\"";
}

std::string change_note(std::string_view key, std::string_view before, std::string_view after)
{
        if (before == after)
                return "";
        return std::string(key) + " (was " + shown(before) + ")";
}

// The admin's own file is kept as it is; it must not undo the setup.
Result<void> check_admins_file(std::string_view text, StorageDriver driver, std::string_view mount_path)
{
        const std::string name(containers_storage_conf_path);
        Result<ContainersStorageSettings> settings = parse_containers_storage(text, name);
        if (!settings)
                return settings.error();
        const std::string graphroot =
                settings->graphroot.empty() ? containers_storage_defaults().graphroot : settings->graphroot;
        log::info(name + " was not written by container-storage-setup, keeping it (driver " + shown(settings->driver) +
                  ", graphroot " + shown(settings->graphroot) + ").");
        if (!settings->driver.empty() && settings->driver != overlay)
                return Error{"Failed to use '" + name + "': it names driver " + shown(settings->driver) +
                                     ", not the \"overlay\" that STORAGE_DRIVER=" + to_string(driver) +
                                     " sets up; set driver = \"overlay\" in it, or remove it to have it written",
                             EINVAL};
        if (graphroot_on_lv(graphroot, mount_path))
                log::warning(name + ": graphroot " + shown(graphroot) + " is not on the container root LV mounted at " +
                             std::string(mount_path) + ".");
        return {};
}

} // namespace

bool is_ours(std::string_view content)
{
        return content.starts_with(containers_storage_conf_marker) &&
               (content.size() == containers_storage_conf_marker.size() ||
                content[containers_storage_conf_marker.size()] == '\n');
}

std::optional<std::string> graphroot_on_lv(std::string_view graphroot, std::string_view mount_path)
{
        if (mount_path.empty() || !is_at_or_below(mount_path, containers_dir))
                return std::nullopt;
        if (is_at_or_below(graphroot, mount_path))
                return std::nullopt;
        if (std::filesystem::path(mount_path).lexically_normal() == std::filesystem::path(containers_dir))
                return containers_storage_defaults().graphroot;
        return std::string(mount_path);
}

Result<std::string> containers_storage_conf(const ContainersStorageSource &source, std::string_view mount_path)
{
        const ContainersStorageSettings defaults = containers_storage_defaults();
        ContainersStorageSettings before = defaults;
        if (!source.path.empty()) {
                Result<ContainersStorageSettings> settings = parse_containers_storage(source.text, source.path);
                if (!settings)
                        return settings.error();
                before = *settings;
        }
        ContainersStorageSettings after = before;
        after.driver = overlay;
        if (std::optional<std::string> graphroot =
                    graphroot_on_lv(before.graphroot.empty() ? defaults.graphroot : before.graphroot, mount_path))
                after.graphroot = *graphroot;
        Result<std::string> toml = rewrite_containers_storage(source.text, source.path, after);
        if (!toml)
                return toml.error();

        std::string changed;
        for (const std::string &note : {change_note("driver", before.driver, after.driver),
                                        change_note("graphroot", before.graphroot, after.graphroot)})
                if (!note.empty())
                        changed += (changed.empty() ? "" : ", ") + note;
        std::string s{containers_storage_conf_marker};
        s += "\n# Derived from ";
        s += source.path.empty() ? "containers-storage's built-in defaults (there is no " +
                                           std::string(containers_storage_conf_source) + ")"
                                 : source.path + " (its comments are not kept)";
        s += ".\n# Changed: " + (changed.empty() ? std::string("nothing") : changed) +
             ".\n"
             "# container-storage-setup replaces this file when it derives another one; delete the\n"
             "# first line to make the file yours (it is then never changed). See "
             "containers-storage.conf(5).\n";
        return s + *toml;
}

Result<void> write_containers_storage_conf(StepContext &context)
{
        const Config &config = context.config();
        if (!config.containers_storage_conf)
                return {};
        const std::string name(containers_storage_conf_path);
        if (config.storage_driver != StorageDriver::overlay && config.storage_driver != StorageDriver::overlay2) {
                log::info("containers-storage.conf has no setting for an existing thin pool; " + name +
                          " is not written for the " + to_string(config.storage_driver) + " driver.");
                return {};
        }
        std::optional<ContainerRootLv> lv = container_root_lv(config);
        const std::string mount_path = lv ? lv->mount_path : "";

        // Not followed: a link of the admin's would be replaced by our file.
        Result<std::optional<std::string>> current = read_config_file(paths::host_path(name), Symlinks::refuse);
        if (!current)
                return current.error();
        if (*current && !is_ours(**current))
                return check_admins_file(**current, config.storage_driver, mount_path);

        Result<std::optional<std::string>> source_text =
                read_config_file(paths::host_path(containers_storage_conf_source));
        if (!source_text)
                return source_text.error();
        ContainersStorageSource source;
        if (*source_text)
                source = {std::string(containers_storage_conf_source), std::move(**source_text)};
        Result<std::string> content = containers_storage_conf(source, mount_path);
        if (!content)
                return content.error();
        if (*current && **current == *content) {
                log::debug(name + " is up to date.");
                return {};
        }

        const std::string path = paths::host_path(name);
        const std::string dir = path.substr(0, path.rfind('/'));
        if (!context.dry_run() && ::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
                return make_errno_error(errno, "Failed to create directory '" + dir + "'");
        AtomicWriteOptions options;
        options.no_replace = !*current; // a missing file: never replace one someone wrote meanwhile
        Result<void> r = context.write_file(path, *content, options);
        if (!r && r.error().errno_value == EEXIST && options.no_replace) {
                log::info(name + " was written meanwhile, not replacing it.");
                return {};
        }
        return r;
}

} // namespace css::steps
