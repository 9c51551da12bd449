// SPDX-License-Identifier: Apache-2.0
#pragma once

// The kernel command line as systemd reads it (src/basic/proc-cmdline.c): words split on
// whitespace with "..." and '...' quoting (quotes removed, backslashes kept), keys compared with
// '-' and '_' as the same character, "rd."-prefixed keys only honoured in the initrd, and the
// last occurrence winning.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::proc_cmdline {

// The words of a command line, unquoted.
std::vector<std::string> split(std::string_view cmdline);

// systemd's parse_boolean(): 1 yes y true t on / 0 no n false f off (case-insensitive).
std::optional<bool> parse_boolean(std::string_view s);

struct BooleanSwitch {
        std::optional<bool> value;        // nullopt: not given (or only with invalid values)
        std::vector<std::string> invalid; // words whose value was not a boolean, to warn about
};

// The last valid value of `key` (e.g. "container_storage_setup"), honouring "rd.<key>" too when
// `in_initrd`. A bare "key" without "=" means true, as for systemd's own switches.
BooleanSwitch get_boolean(std::string_view cmdline, std::string_view key, bool in_initrd);

} // namespace css::proc_cmdline
