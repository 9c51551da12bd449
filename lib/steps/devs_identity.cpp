// SPDX-License-Identifier: Apache-2.0
#include "steps/devs_identity.hpp"

#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "sys/atomic_file.hpp"

#include <string>

namespace css::steps {

namespace {

constexpr size_t record_limit = 256u << 10;

// Each line "ENTRY\tIDENTITY"; a line of another form is dropped when the file is rewritten.
std::optional<std::string_view> identity_on_line(std::string_view line, std::string_view entry)
{
        if (line.size() <= entry.size() || !line.starts_with(entry) || line[entry.size()] != '\t')
                return std::nullopt;
        return line.substr(entry.size() + 1);
}

template <typename F> void for_each_line(std::string_view text, F f)
{
        while (!text.empty()) {
                size_t end = text.find('\n');
                f(text.substr(0, end));
                text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        }
}

} // namespace

std::optional<std::string> recorded_identity(std::string_view entry)
{
        std::optional<std::string> text = read_small_file(paths::host_path(devs_identity_record), record_limit);
        if (!text)
                return std::nullopt;
        std::optional<std::string> found;
        for_each_line(*text, [&](std::string_view line) {
                if (std::optional<std::string_view> id = identity_on_line(line, entry))
                        found = std::string(*id);
        });
        return found;
}

Result<void> record_identity(std::string_view entry, std::string_view identity)
{
        if (identity.empty() || recorded_identity(entry) == std::string(identity))
                return {};
        std::string out;
        if (std::optional<std::string> text = read_small_file(paths::host_path(devs_identity_record), record_limit))
                for_each_line(*text, [&](std::string_view line) {
                        if (line.find('\t') != std::string_view::npos && !identity_on_line(line, entry))
                                out.append(line).push_back('\n');
                });
        out.append(entry).push_back('\t');
        for (char c : identity)
                out.push_back(c == '\n' || c == '\t' ? ' ' : c);
        out.push_back('\n');
        const std::string path = paths::host_path(devs_identity_record);
        if (Result<void> r = make_directories(path.substr(0, path.rfind('/'))); !r)
                return r;
        return write_file_atomic(path, out);
}

std::string changed_identity_refusal(std::string_view entry, std::string_view node, std::string_view recorded,
                                     std::string_view now)
{
        if (recorded.empty() || now.empty() || recorded == now)
                return {};
        return "DEVS entry " + std::string(entry) + " now names " + std::string(node) + ", " + std::string(now) +
               ", not the disk it named when it was prepared (" + std::string(recorded) +
               "), and this disk carries data: not touching it, whatever WIPE_SIGNATURES says. Kernel names can "
               "change order between boots: name the disks in DEVS by /dev/disk/by-id/.";
}

} // namespace css::steps
