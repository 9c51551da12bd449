// SPDX-License-Identifier: Apache-2.0
#pragma once

// containers-storage.conf(5) as TOML, through toml++ used header-only (the binaries need no
// libtomlplusplus at run time, so the ones built on Debian 12 run on Debian 13). Only this
// file's .cpp includes toml++: its header-only mode and exception setting stay in one place.

#include "core/result.hpp"

#include <string>
#include <string_view>

namespace css {

// The [storage] keys we read or set; "" when the file does not set one.
struct ContainersStorageSettings {
        std::string driver;
        std::string runroot;
        std::string graphroot;
};

// What containers-storage uses when no storage.conf exists (and for a key a file leaves out).
ContainersStorageSettings containers_storage_defaults();

// The [storage] keys of `text`, the content of `path` (named in errors). Not TOML, a [storage]
// that is not a table or one of the keys that is not a string is an error.
Result<ContainersStorageSettings> parse_containers_storage(std::string_view text, std::string_view path);

// `text` with every non-empty key of `set` put in [storage], everything else kept, serialized
// again: tables and keys in sorted order, strings double-quoted, ending in a newline. Comments of
// `text` are lost (toml++ does not keep them).
Result<std::string> rewrite_containers_storage(std::string_view text, std::string_view path,
                                               const ContainersStorageSettings &set);

} // namespace css
