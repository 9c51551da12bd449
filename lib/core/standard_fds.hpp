// SPDX-License-Identifier: Apache-2.0
#pragma once

// A program started with descriptor 0, 1 or 2 closed (a careless parent, `prog >&-`) gives that
// number to the next file it opens: what it prints or logs would then land in a unit file or
// on a device, and a child would get that file as its own stdout. So every main() of the
// project calls this first, before it opens anything (the log's /dev/kmsg included).

namespace css {

// Opens /dev/null on each of 0, 1 and 2 that is closed. False if /dev/null cannot be opened:
// the program should then exit 1 without writing anything.
[[nodiscard]] bool open_missing_standard_fds();

} // namespace css
