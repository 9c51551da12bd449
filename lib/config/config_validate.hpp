// SPDX-License-Identifier: Apache-2.0
#pragma once

// From layered raw assignments to the typed Config: every key's grammar, the deprecated
// aliases and the combinations the original refused, with its messages word for word.

#include "config/config_load.hpp"

#include <map>
#include <string>
#include <vector>

namespace css {

// The last assignment of a key, and where it was made ("" / 0 for built-in defaults).
struct RawValue {
        std::string value;
        std::string file;
        unsigned line = 0;
};

using RawSettings = std::map<std::string, RawValue, std::less<>>;

// Fills `config` and appends to `diagnostics`. A key that is absent is unset, as in sh.
void build_config(const RawSettings &raw, ConfigMode mode, Config &config, std::vector<Diagnostic> &diagnostics);

} // namespace css
