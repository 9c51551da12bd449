// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-extend-root: ROOT_SIZE -> `lvextend -r -L|-l ROOT_SIZE <root LV>` (upstream-reference
// §2.1 step 9), only when / is on an LV.
//
// The original ran lvextend at every boot and ignored its failure. We make it idempotent:
//   * absolute sizes (8G, 50%VG): skip when the root LV already has at least that size
//     (rounded up to whole extents, as lvm does);
//   * relative sizes (+5G, +10%VG, +80%FREE, and N%FREE / N%PVS, which lvextend also reads as
//     growth): applied ONCE per root LV. Growing by +5G at every boot, as the original did,
//     eats the VG boot after boot. The size reached is recorded in
//     /var/lib/container-storage-setup/.extend-root (root LV uuid, ROOT_SIZE, target bytes);
//     a later boot with the same LV and ROOT_SIZE only checks that the LV has that size. A
//     different ROOT_SIZE (or a new root LV) applies once again.
//   * nothing to grow into (no free extents in the VG) is "nothing to do", not a failure.
// A failed lvextend is reported (exit 1; the original hid it with `|| true`) but stops no other
// step: the generator makes the later steps want this one, not require it. The writer then
// records no "provisioned" state (extend_root_failed_note), so the next boot tries again.

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/commands.hpp"
#include "lvm/report.hpp"
#include "steps/step_context.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace css::steps {

// What a relative ROOT_SIZE was turned into the first time it was applied.
struct ExtendRootRecord {
        std::string lv_uuid;
        std::string root_size;
        uint64_t target_bytes = 0;
        bool operator==(const ExtendRootRecord &) const = default;
};

// One line: "<lv uuid> <target bytes> <ROOT_SIZE>\n".
std::string format_extend_root_record(const ExtendRootRecord &record);
std::optional<ExtendRootRecord> parse_extend_root_record(std::string_view text);

inline constexpr std::string_view extend_root_record_path = "/var/lib/container-storage-setup/.extend-root";

struct ExtendRootPlan {
        bool extend = false;
        std::string reason;                     // why nothing is done (logged at info level)
        lvm::Argv argv;                         // lvextend -r ... when extend
        std::optional<ExtendRootRecord> record; // to save before extending (relative sizes)
};

// `root` is the LV mounted on /, `vg` its VG; an error when the report has no extent size.
Result<ExtendRootPlan> plan_extend_root(const Size &root_size, const lvm::Lv &root, const lvm::Vg &vg,
                                        const std::optional<ExtendRootRecord> &previous);

int extend_root(StepContext &context);

} // namespace css::steps
