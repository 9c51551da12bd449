// SPDX-License-Identifier: Apache-2.0
#include "steps/orphan_pv.hpp"

#include "core/log.hpp"
#include "steps/device_note.hpp"
#include "sys/blkid_probe.hpp"

#include <optional>

namespace css::steps {

namespace {

constexpr std::string_view kind = "orphan-pv";

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
        if (std::optional<std::string> uuid = pv_uuid(node))
                write_device_note(kind, node, *uuid);
        else
                log::debug("No orphan-PV record for " + node + ": its PV label cannot be read");
}

bool recorded_orphan_pv(const std::string &node)
{
        // The note first: without one, the partition is not probed at all.
        if (!device_note_exists(kind, node))
                return false;
        std::optional<std::string> uuid = pv_uuid(node);
        return uuid && device_note_holds(kind, node, *uuid);
}

void forget_orphan_pv(const std::string &node)
{
        remove_device_note(kind, node);
}

} // namespace css::steps
