// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-growfs (GROW_DEVS=true): after the mount, grow the container root LV's XFS to the size of
// its LV, which css-create-lv extended when its VG grew (steps/grow_lv.hpp). XFS grows only while
// mounted, hence a step of its own after the mount unit. `xfs_growfs PATH` runs only when the LV
// holds at least one more filesystem block than the data section has (the XFS geometry ioctl and
// sysfs, no exec), so a boot with nothing to grow changes nothing.

#include "steps/step_context.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace css::steps {

// Pure: would xfs_growfs add a block?
bool filesystem_needs_growing(uint64_t device_bytes, uint64_t data_blocks, uint32_t block_size);

std::vector<std::string> xfs_growfs_argv(std::string_view mount_path);

int growfs(StepContext &context);

} // namespace css::steps
