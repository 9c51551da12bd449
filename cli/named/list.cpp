// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup list [--json] [NAME]`: the named configurations as the original
// showed them: a NAME/DRIVER/STATUS table (columns 24/16/16), or one configuration's details.

#include "arguments.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "named/state.hpp"
#include "session.hpp"

#include "core/log.hpp"

#include <cstdio>

namespace css::cli {

namespace {

constexpr OptionSpec list_options[] = {{"json", 0, false}};

constexpr CommandSyntax list_syntax{
        "list",
        "list [--json] [NAME]",
        "List the storage configurations made with create, or show one of them.\n\n"
        "Options:\n"
        "  -h --help    Show this help\n"
        "     --json    One JSON object\n\n"
        "Exit status: 0 listed, 1 NAME does not exist or cannot be read, 2 usage error.\n",
        list_options,
        0,
        1,
};

struct Entry {
        std::string name;
        named::Metadata metadata;
        std::string status;
};

Result<Entry> read_entry(const named::StateDir &dir)
{
        Result<named::Metadata> m = dir.read_metadata();
        if (!m)
                return m.error();
        Result<named::Status> s = dir.read_status();
        if (!s)
                return s.error();
        return Entry{dir.name(), *m, std::string(named::to_string(*s))};
}

// The fields the original printed for one configuration, in its order.
std::vector<std::pair<std::string, std::string>> detail_fields(const named::Metadata &m)
{
        std::string devs;
        for (const std::string &d : m.devs_resolved)
                devs += (devs.empty() ? "" : " ") + d;
        std::vector<std::pair<std::string, std::string>> f = {{"VG", m.vg}, {"DEVS", devs}};
        if (m.storage_driver == "devicemapper")
                f.push_back({"CONTAINER_THINPOOL", m.container_thinpool});
        f.push_back({"CONTAINER_ROOT_LV_NAME", m.container_root_lv_name});
        f.push_back({"CONTAINER_ROOT_LV_MOUNT_PATH", m.container_root_lv_mount_path});
        if (m.storage_driver == "devicemapper") {
                f.push_back({"AUTO_EXTEND_POOL", m.auto_extend_pool ? "yes" : "no"});
                f.push_back({"DEVICE_WAIT_TIMEOUT", std::to_string(m.device_wait_timeout)});
        }
        return f;
}

std::string text_one(const Entry &e)
{
        std::string out =
                "Name: " + e.name + "\nStatus: " + e.status + "\nSTORAGE_DRIVER=" + e.metadata.storage_driver + "\n";
        for (const auto &[k, v] : detail_fields(e.metadata))
                out += k + "=" + v + "\n";
        return out;
}

std::string text_table(const std::vector<Entry> &entries)
{
        char line[128];
        std::snprintf(line, sizeof line, "%-24s%-16s%-16s\n", "NAME", "DRIVER", "STATUS");
        std::string out = line;
        for (const Entry &e : entries) {
                std::snprintf(line, sizeof line, "%-24s%-16s%-16s\n", e.name.c_str(), e.metadata.storage_driver.c_str(),
                              e.status.c_str());
                out += line;
        }
        return out;
}

JsonDocument json_entry(const Entry &e)
{
        JsonDocument entry = {{"name", e.name}, {"status", e.status}, {"STORAGE_DRIVER", e.metadata.storage_driver}};
        for (const auto &[k, v] : detail_fields(e.metadata))
                entry[k] = v;
        return entry;
}

} // namespace

int run_list(std::span<char *const> args)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(list_syntax, args, &exit);
        if (!parsed)
                return exit;
        Result<FileLock> lock = take_global_lock();
        if (!lock)
                return fail(lock.error());
        std::vector<Entry> entries;
        if (!parsed->positional.empty()) {
                Result<named::StateDir> dir = named::existing(parsed->positional[0]);
                if (!dir)
                        return fail(dir.error());
                Result<Entry> e = read_entry(*dir);
                if (!e)
                        return fail(e.error());
                entries.push_back(*e);
        } else {
                Result<std::vector<std::string>> names = named::list_names();
                if (!names)
                        return fail(names.error());
                for (const std::string &n : *names) {
                        Result<Entry> e = read_entry(named::StateDir(n));
                        if (!e) {
                                log::warning(e.error().message + ", skipping " + n + ".");
                                continue;
                        }
                        entries.push_back(*e);
                }
        }

        std::string out;
        if (parsed->has("json")) {
                JsonDocument doc;
                if (!parsed->positional.empty()) {
                        doc = json_entry(entries.front());
                } else {
                        JsonDocument &list = doc["configurations"] = JsonDocument::array();
                        for (const Entry &e : entries)
                                list.push_back(json_entry(e));
                }
                out = json_text(doc);
        } else {
                out = parsed->positional.empty() ? text_table(entries) : text_one(entries.front());
        }
        return write_stdout(out) ? exit_ok : exit_failure;
}

} // namespace css::cli
