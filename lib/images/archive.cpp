// SPDX-License-Identifier: Apache-2.0
#include "images/archive.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <ftw.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

namespace css::images {

namespace {

std::string human(uint64_t bytes)
{
        const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = static_cast<double>(bytes);
        int u = 0;
        while (v >= 1024 && u < 4) {
                v /= 1024;
                ++u;
        }
        char buf[32];
        std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
        return buf;
}

// The directory itself or its nearest existing parent, resolved.
std::string existing_ancestor(std::string dir)
{
        char resolved[PATH_MAX];
        while (!::realpath(dir.c_str(), resolved)) {
                size_t slash = dir.rfind('/');
                if (slash == std::string::npos || dir == "/")
                        return "/";
                dir = slash == 0 ? "/" : dir.substr(0, slash);
        }
        return resolved;
}

bool is_at_or_below(const std::string &path, const std::string &dir)
{
        return path == dir || (path.starts_with(dir) && (dir.ends_with('/') || path[dir.size()] == '/'));
}

uint64_t usage_total;

int add_usage(const char *, const struct stat *st, int type, struct FTW *)
{
        if (type == FTW_F)
                usage_total += static_cast<uint64_t>(st->st_blocks) * 512;
        return 0;
}

} // namespace

std::string render_manifest(const Manifest &m)
{
        nlohmann::ordered_json images = nlohmann::ordered_json::array();
        for (const Image &i : m.images)
                images.push_back({{"id", i.id}, {"tags", i.tags}});
        nlohmann::ordered_json files = nlohmann::ordered_json::array();
        for (const ArchiveFile &f : m.files)
                files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"bytes", f.bytes}});
        nlohmann::ordered_json doc = {{"format", 1},
                                      {"engine", engine_name(m.engine)},
                                      {"images", images},
                                      {"volumes", m.volumes},
                                      {"files", files}};
        return doc.dump(2) + "\n";
}

Result<Manifest> parse_manifest(std::string_view text)
{
        try {
                nlohmann::json doc = nlohmann::json::parse(text);
                if (doc.at("format").get<int>() != 1)
                        return Error{"Unknown manifest format " + doc.at("format").dump(), EINVAL};
                Manifest m;
                std::optional<Engine> engine = parse_engine(doc.at("engine").get<std::string>());
                if (!engine)
                        return Error{"Unknown engine " + doc.at("engine").dump() + " in the manifest", EINVAL};
                m.engine = *engine;
                for (const nlohmann::json &i : doc.at("images"))
                        m.images.push_back(
                                Image{i.at("id").get<std::string>(), i.at("tags").get<std::vector<std::string>>()});
                m.volumes = doc.at("volumes").get<std::vector<std::string>>();
                for (const std::string &v : m.volumes)
                        if (!valid_volume_name(v))
                                return Error{"Invalid volume name '" + v + "' in the manifest", EINVAL};
                for (const nlohmann::json &f : doc.at("files")) {
                        ArchiveFile file{f.at("path").get<std::string>(), f.at("sha256").get<std::string>(),
                                         f.at("bytes").get<uint64_t>()};
                        if (file.path != images_file &&
                            !(file.path.starts_with("volumes/") &&
                              valid_volume_name(file.path.substr(8, file.path.size() - 12)) &&
                              file.path.ends_with(".tar")))
                                return Error{"Unexpected file '" + file.path + "' in the manifest", EINVAL};
                        m.files.push_back(std::move(file));
                }
                return m;
        } catch (const nlohmann::json::exception &e) {
                return Error{std::string("Not a manifest of an export: ") + e.what(), EINVAL};
        }
}

bool valid_volume_name(std::string_view v)
{
        if (v.empty() || v.size() > 255 || !std::isalnum(static_cast<unsigned char>(v.front())))
                return false;
        for (char c : v)
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-')
                        return false;
        return true;
}

std::string volume_file(std::string_view volume)
{
        return "volumes/" + std::string(volume) + ".tar";
}

std::vector<std::string> sha256sum_argv(const std::vector<std::string> &files)
{
        std::vector<std::string> argv{"sha256sum", "--binary", "--"};
        argv.insert(argv.end(), files.begin(), files.end());
        return argv;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_sha256sum(std::string_view text)
{
        std::vector<std::pair<std::string, std::string>> sums;
        for (const std::string &line : parse_lines(text)) {
                // "<64 hex> *<path>"; a path with a backslash or newline is escaped by a leading '\'.
                if (line.size() < 67 || line[64] != ' ' || line[65] != '*' || line.front() == '\\')
                        return Error{"Unexpected sha256sum line '" + line + "'", EINVAL};
                sums.emplace_back(line.substr(66), line.substr(0, 64));
        }
        return sums;
}

Result<uint64_t> disk_usage(const std::string &dir)
{
        usage_total = 0;
        if (::nftw(dir.c_str(), add_usage, 32, FTW_PHYS | FTW_MOUNT) < 0)
                return make_errno_error(errno, "Failed to measure '" + dir + "'");
        return usage_total;
}

Result<void> check_export_target(const std::string &dir, const std::string &data_root,
                                 const std::vector<std::string> &changing)
{
        const std::string target = existing_ancestor(dir);
        char root[PATH_MAX];
        if (!data_root.empty() && ::realpath(data_root.c_str(), root) && is_at_or_below(target, root))
                return Error{"The export directory " + dir + " is inside the engine's data root " + data_root +
                                     ", which the change replaces. Choose a directory elsewhere.",
                             EINVAL};
        struct stat t;
        if (::stat(target.c_str(), &t) < 0)
                return make_errno_error(errno, "Failed to look at '" + target + "'");
        for (const std::string &path : changing) {
                // Only a mount point goes with the change: a data root on the root filesystem
                // (docker as installed) takes nothing else with it.
                struct stat c, parent;
                if (::stat(path.c_str(), &c) < 0 || ::stat((path + "/..").c_str(), &parent) < 0 ||
                    (parent.st_dev == c.st_dev && parent.st_ino != c.st_ino))
                        continue;
                if (c.st_dev == t.st_dev)
                        return Error{"The export directory " + dir + " is on the filesystem mounted at " + path +
                                             ", which the change removes. Choose a directory on another filesystem.",
                                     EINVAL};
        }
        return {};
}

Result<void> check_room(const std::string &dir, uint64_t needed)
{
        const std::string target = existing_ancestor(dir);
        struct statvfs fs;
        if (::statvfs(target.c_str(), &fs) < 0)
                return make_errno_error(errno, "Failed to look at '" + target + "'");
        const uint64_t available = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
        if (available < needed)
                return Error{"Not enough room for the export in " + dir + ": it needs up to " + human(needed) + ", " +
                                     human(available) + " are free there.",
                             ENOSPC};
        return {};
}

} // namespace css::images
