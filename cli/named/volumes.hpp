// SPDX-License-Identifier: Apache-2.0
#pragma once

// Bringing a named configuration's LVs up and down (activate, deactivate, remove).

#include "named/state.hpp"
#include "steps/step_context.hpp"

namespace css::cli::named {

// devicemapper: `lvchange -ay -K VG/POOL` (the pool carries activation-skip); the container
// root LV: `lvchange -ay VG/LV`, then mounted. Each waits up to DEVICE_WAIT_TIMEOUT for LVM to
// know the LV (the VG may still be coming up).
Result<void> activate_volumes(StepContext &context, const Metadata &m);

// The container root LV unmounted (when mounted there) and `lvchange -an`; the pool `lvchange -an`.
Result<void> deactivate_volumes(StepContext &context, const Metadata &m);

// lvremove of the container root LV and the pool; when create made the VG: vgremove, then
// pvremove of each DEVS partition (the partitions stay, as css-reset keeps them).
Result<void> remove_volumes(StepContext &context, const Metadata &m);

} // namespace css::cli::named
