// SPDX-License-Identifier: Apache-2.0
#pragma once

// Who a disk is, as opposed to what the kernel named it at this boot (issue 18, upstream
// #278): kernel names (vdb, nvme1n1, sdb) follow probe order and can change between boots; the
// identity the device reports does not. Read from sysfs only.

#include "sys/block.hpp"

#include <string>

namespace css::block {

// "wwid:<id>" (the device's world wide identifier: NVMe namespaces, SCSI disks with VPD page
// 0x83), else "serial:<serial>" (virtio-blk, NVMe and SCSI serials), else "loop:<backing
// file>" for a loop device; "" when the disk reports none of these (then nothing can be
// compared, and nothing is refused for it).
std::string disk_identity(const BlockDevice &disk);

} // namespace css::block
