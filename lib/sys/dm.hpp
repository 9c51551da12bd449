// SPDX-License-Identifier: Apache-2.0
#pragma once

// Read-only device-mapper queries through libdevmapper's dm_task API (DM_DEVICE_INFO,
// DM_DEVICE_STATUS, DM_DEVICE_TABLE, DM_DEVICE_LIST): probing with the library instead of
// parsing `dmsetup` output. Nothing here changes a device; LVM does that.
//
// Every call first checks for /dev/mapper/control and fails with ENODEV when it is missing
// (no device-mapper in this kernel, or a container): libdevmapper would otherwise try to
// create the node itself. When the node exists but no driver answers, the call fails with
// EIO. libdevmapper's own messages go to css::log at debug level.

#include "core/result.hpp"
#include "sys/dm_name.hpp"
#include "sys/dm_thin_status.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css::dm {

struct Device {
        std::string name;
        unsigned major = 0;
        unsigned minor = 0;
        bool operator==(const Device &) const = default;
};

// /dev/mapper/control exists (under CSS_ROOT, for tests).
bool available();

// The dm name of an active device, e.g. 253:3 -> "docker--vg-docker--pool".
Result<std::string> name_of(unsigned major, unsigned minor);

// Whether a device of this name exists (active or with a table loaded).
Result<bool> exists(std::string_view name);

// The dm uuid: "LVM-<vg uuid><lv uuid>[-<layer>]" for LVM's devices.
Result<std::string> uuid_of(std::string_view name);

// The target type of the first line of the live table: "thin-pool", "linear", ...
Result<std::string> target_type(std::string_view name);

// The thin-pool status of a device whose live table is one thin-pool target.
Result<ThinPoolStatus> thin_pool_status(std::string_view name);

// All dm devices, in the kernel's order.
Result<std::vector<Device>> list_devices();

} // namespace css::dm
