// SPDX-License-Identifier: Apache-2.0
#include "core/words.hpp"

namespace css {

namespace {

bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\n';
}

} // namespace

std::string without_line_end(std::string s)
{
        while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
                s.pop_back();
        return s;
}

std::vector<std::string_view> split_blank_words(std::string_view s)
{
        std::vector<std::string_view> words;
        size_t i = 0;
        while (i < s.size()) {
                while (i < s.size() && is_blank(s[i]))
                        i++;
                size_t start = i;
                while (i < s.size() && !is_blank(s[i]))
                        i++;
                if (i > start)
                        words.push_back(s.substr(start, i - start));
        }
        return words;
}

} // namespace css
