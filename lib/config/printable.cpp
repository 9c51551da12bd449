// SPDX-License-Identifier: Apache-2.0
#include "config/printable.hpp"

#include "config/shell_lexer.hpp"

#include <algorithm>

namespace css {

std::string printable_excerpt(std::string_view text, size_t max_bytes)
{
        size_t cut = std::min(text.size(), max_bytes);
        while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
                cut--;
        std::string out;
        for (char c : text.substr(0, cut)) {
                unsigned char u = static_cast<unsigned char>(c);
                out += (u < 0x20 && c != '\t') || u == 0x7f ? '?' : c;
        }
        auto non_ascii = [](char c) { return static_cast<unsigned char>(c) >= 0x80; };
        if (!is_valid_utf8(out))
                std::replace_if(out.begin(), out.end(), non_ascii, '?');
        if (cut < text.size())
                out += "...";
        return out;
}

} // namespace css
