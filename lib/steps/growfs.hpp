// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-growfs (GROW_DEVS=true): after the mount, grow the container root LV's XFS to the size of
// its LV, which css-create-lv extended when its VG grew (steps/grow_lv.hpp). XFS grows only while
// mounted, hence a step of its own after the mount unit. `xfs_growfs PATH` runs only when the LV
// holds at least growfs_threshold_bytes more than the data section (the XFS geometry ioctl and
// sysfs, no exec): mkfs.xfs leaves a tail of the LV unused (seen at boot on a striped LV: the data
// section ends on a stripe boundary, and XFS drops a last allocation group smaller than its 16 MiB
// minimum), and xfs_growfs would leave it so again; a boot with nothing to grow runs nothing.

#include "steps/step_context.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace css::steps {

inline constexpr uint64_t growfs_threshold_bytes = uint64_t{64} << 20;

// Pure: does the LV hold growfs_threshold_bytes more than the data section?
bool filesystem_needs_growing(uint64_t device_bytes, uint64_t data_blocks, uint32_t block_size);

std::vector<std::string> xfs_growfs_argv(std::string_view mount_path);

int growfs(StepContext &context);

} // namespace css::steps
