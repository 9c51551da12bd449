// SPDX-License-Identifier: Apache-2.0
#include "systemd/generator_output.hpp"

#include "core/directory.hpp"
#include "core/small_file.hpp"
#include "systemd/unit_writer.hpp"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace css {

namespace {

// Generated units and drop-ins are a few hundred bytes; anything this large is not ours.
constexpr size_t file_limit = 1024 * 1024;

// The content of `path` when it is a regular file (not a symlink) that starts with `header`.
std::optional<std::string> our_file(const std::string &path, const std::string &header)
{
        struct stat st;
        if (::lstat(path.c_str(), &st) < 0 || !S_ISREG(st.st_mode))
                return std::nullopt;
        std::optional<std::string> text = read_small_file(path, file_limit);
        if (!text || text->compare(0, header.size(), header) != 0)
                return std::nullopt;
        return text;
}

std::optional<std::string> link_target(const std::string &path)
{
        char buf[PATH_MAX];
        ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
        if (n < 0 || static_cast<size_t>(n) >= sizeof buf)
                return std::nullopt;
        return std::string(buf, static_cast<size_t>(n));
}

} // namespace

std::map<std::string, std::string> generator_output(const std::string &dir, std::string_view program)
{
        const std::string header = generated_header(program);
        std::map<std::string, std::string> out;
        for (const std::string &name : list_directory_or_empty(dir)) {
                const std::string path = dir + "/" + name;
                if (std::optional<std::string> text = our_file(path, header)) {
                        out[name] = "file\n" + *text;
                        continue;
                }
                const bool dropins = name.ends_with(".d");
                const bool links = name.ends_with(".wants") || name.ends_with(".requires");
                if (!dropins && !links)
                        continue;
                for (const std::string &inner : list_directory_or_empty(path)) {
                        const std::string relative = name + "/" + inner;
                        if (dropins) {
                                if (std::optional<std::string> text = our_file(path + "/" + inner, header))
                                        out[relative] = "file\n" + *text;
                                continue;
                        }
                        std::optional<std::string> target = link_target(path + "/" + inner);
                        if (!target)
                                continue;
                        // Ours point into `dir` ("../css-vg.service"); other generators' links
                        // lead to their own files or to /usr/lib/systemd.
                        const std::string resolved = target->front() == '/' ? *target : path + "/" + *target;
                        if (our_file(resolved, header))
                                out[relative] = "link\n" + *target;
                }
        }
        return out;
}

} // namespace css
