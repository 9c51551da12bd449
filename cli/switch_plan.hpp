// SPDX-License-Identifier: Apache-2.0
#pragma once

// What `container-storage-setup switch` decides before it changes anything (cli/switch.cpp).

#include "config/config.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::cli {

// The units of `units` that `systemctl is-active UNIT...` (its output, one state per line in
// the same order) says are active or activating.
std::vector<std::string> active_units(const std::vector<std::string> &units, std::string_view output);

// No record says what configuration the storage was set up from. That is fine on a host where
// the tool set nothing up; an output file or daemon.json record of ours says it did (an older
// version, which kept no record), and then what to remove is unknown: an error saying what to do.
Result<void> nothing_set_up();

// The data directory that moves onto the new LV: `next` mounts its container root LV at a
// path that now is a directory holding files on the filesystem below (not a mount point). An
// earlier switch's PATH.before-switch still there is an error (it is never overwritten).
Result<std::optional<std::string>> data_dir_to_move(const Config &next);

// "a b c", or "nothing" for none.
std::string join_words(const std::vector<std::string> &words);

} // namespace css::cli
