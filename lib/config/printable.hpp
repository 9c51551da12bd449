// SPDX-License-Identifier: Apache-2.0
#pragma once

// How a config value or key is echoed in a message: cut at max_bytes (between UTF-8
// characters, "..." appended), control characters but tab shown as '?', and every non-ASCII
// byte as '?' when the text is not valid UTF-8. A message stays one line of valid UTF-8 (JSON
// output, the journal): a quoted newline must not start a line of its own ("<6>..." after it
// would read as a separate, forged message).

#include <string>
#include <string_view>

namespace css {

std::string printable_excerpt(std::string_view text, size_t max_bytes);

} // namespace css
