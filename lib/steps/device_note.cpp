// SPDX-License-Identifier: Apache-2.0
#include "steps/device_note.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "steps/step_util.hpp"

#include <climits>
#include <cstdlib>
#include <optional>
#include <unistd.h>

namespace css::steps {

namespace {

// Keyed by the kernel name the node resolves to, so /dev/vdb1 and a /dev/disk/by-id link to it
// share one note.
std::optional<std::string> note_path(std::string_view kind, const std::string &node)
{
        char resolved[PATH_MAX];
        if (!::realpath(paths::host_path(node).c_str(), resolved))
                return std::nullopt;
        std::string name = resolved;
        return std::string(scratch_dir) + "/" + std::string(kind) + "-" + name.substr(name.rfind('/') + 1);
}

} // namespace

void write_device_note(std::string_view kind, const std::string &node, const std::string &value)
{
        std::optional<std::string> note = note_path(kind, node);
        if (!note) {
                log::debug("No " + std::string(kind) + " note for " + node + ": it cannot be resolved");
                return;
        }
        if (Result<void> r = write_scratch_note(*note, value + "\n"); !r)
                log::debug("No " + std::string(kind) + " note for " + node + ": " + r.error().message);
}

bool device_note_holds(std::string_view kind, const std::string &node, const std::string &value)
{
        std::optional<std::string> note = note_path(kind, node);
        if (!note)
                return false;
        std::optional<std::string> held = read_small_file(paths::host_path(*note), 4096);
        return held && *held == value + "\n";
}

bool device_note_exists(std::string_view kind, const std::string &node)
{
        std::optional<std::string> note = note_path(kind, node);
        return note && ::access(paths::host_path(*note).c_str(), F_OK) == 0;
}

void remove_device_note(std::string_view kind, const std::string &node)
{
        if (std::optional<std::string> note = note_path(kind, node))
                ::unlink(paths::host_path(*note).c_str());
}

} // namespace css::steps
