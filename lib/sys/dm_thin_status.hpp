// SPDX-License-Identifier: Apache-2.0
#pragma once

// The kernel's thin-pool status line (Documentation/admin-guide/device-mapper/
// thin-provisioning.rst), i.e. the params of `dmsetup status` for a thin-pool target:
//   <transaction id> <used meta>/<total meta> <used data>/<total data> <held metadata root>
//   ro|rw|out_of_data_space [no_]discard_passdown [error|queue]_if_no_space needs_check|-
//   metadata_low_watermark
// Older kernels stop after fewer fields; a failed pool reports just "Fail".

#include "core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace css::dm {

struct ThinPoolStatus {
        enum class Mode { rw, ro, out_of_data_space };

        bool failed = false; // "Fail": nothing else is valid
        uint64_t transaction_id = 0;
        uint64_t used_metadata_blocks = 0;
        uint64_t total_metadata_blocks = 0;
        uint64_t used_data_blocks = 0;
        uint64_t total_data_blocks = 0;
        std::optional<uint64_t> held_metadata_root; // "-" = none
        Mode mode = Mode::rw;
        bool discard_passdown = true;  // false for no_discard_passdown and ignore_discard
        bool discards_ignored = false; // ignore_discard
        bool queue_if_no_space = true; // false for error_if_no_space
        bool needs_check = false;
        std::optional<uint64_t> metadata_low_watermark;

        // Percent used, 0 when the total is 0.
        double data_percent() const;
        double metadata_percent() const;
};

Result<ThinPoolStatus> parse_thin_pool_status(std::string_view params);

} // namespace css::dm
