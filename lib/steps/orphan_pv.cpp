// SPDX-License-Identifier: Apache-2.0
#include "steps/orphan_pv.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "steps/step_util.hpp"
#include "sys/blkid_probe.hpp"

#include <climits>
#include <cstdlib>
#include <optional>
#include <unistd.h>

namespace css::steps {

namespace {

// Keyed by the kernel name the node resolves to, so /dev/vdb1 and a /dev/disk/by-id link to it
// share one record.
std::optional<std::string> note_path(const std::string &node)
{
        char resolved[PATH_MAX];
        if (!::realpath(paths::host_path(node).c_str(), resolved))
                return std::nullopt;
        std::string name = resolved;
        return std::string(scratch_dir) + "/orphan-pv-" + name.substr(name.rfind('/') + 1);
}

// The PV UUID of the partition: its only signature must be an LVM2 label.
std::optional<std::string> pv_uuid(const std::string &node)
{
        Result<std::vector<blkid::Signature>> signatures = blkid::list_signatures(node);
        if (!signatures || signatures->size() != 1 || signatures->front().type != "LVM2_member" ||
            signatures->front().uuid.empty())
                return std::nullopt;
        return signatures->front().uuid;
}

} // namespace

void record_orphan_pv(const std::string &node)
{
        std::optional<std::string> note = note_path(node);
        std::optional<std::string> uuid = pv_uuid(node);
        if (!note || !uuid) {
                log::debug("No orphan-PV record for " + node + ": its PV label cannot be read");
                return;
        }
        if (Result<void> r = write_scratch_note(*note, *uuid + "\n"); !r)
                log::debug("No orphan-PV record for " + node + ": " + r.error().message);
}

bool recorded_orphan_pv(const std::string &node)
{
        std::optional<std::string> note = note_path(node);
        if (!note)
                return false;
        std::optional<std::string> recorded = read_small_file(paths::host_path(*note), 4096);
        std::optional<std::string> uuid = pv_uuid(node);
        return recorded && uuid && *recorded == *uuid + "\n";
}

void forget_orphan_pv(const std::string &node)
{
        if (std::optional<std::string> note = note_path(node))
                ::unlink(paths::host_path(*note).c_str());
}

} // namespace css::steps
