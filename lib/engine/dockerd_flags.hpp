// SPDX-License-Identifier: Apache-2.0
#pragma once

// The dockerd command-line flags that decide where and how docker stores its data, read from
// a list of words (a unit's ExecStart=, or the DOCKER_STORAGE_OPTIONS we generate). Both
// spellings of each flag are understood, "--flag value" and "--flag=value", and the short
// forms -s (storage driver) and -g (the old --graph, today --data-root).

#include <optional>
#include <string>
#include <vector>

namespace css::engine {

struct DockerdFlags {
        std::optional<std::string> storage_driver; // --storage-driver, -s (the last one wins)
        std::vector<std::string> storage_opts;     // every --storage-opt, in order
        std::optional<std::string> data_root;      // --data-root, -g, --graph
        std::optional<std::string> config_file;    // --config-file
        std::vector<std::string> other;            // every other word, in order
        std::optional<std::string> missing_value;  // a flag at the end with no value
};

DockerdFlags parse_dockerd_flags(const std::vector<std::string> &words);

// Appends `more` to `into` (later flags win, storage options add up).
void merge_flags(DockerdFlags &into, const DockerdFlags &more);

} // namespace css::engine
