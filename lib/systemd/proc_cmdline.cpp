// SPDX-License-Identifier: Apache-2.0
#include "systemd/proc_cmdline.hpp"

#include <cctype>

namespace css::proc_cmdline {

namespace {

bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Compares keys with '-' and '_' treated as one character, like proc_cmdline_key_streq().
bool key_equal(std::string_view a, std::string_view b)
{
        if (a.size() != b.size())
                return false;
        for (size_t i = 0; i < a.size(); i++) {
                char x = a[i] == '-' ? '_' : a[i];
                char y = b[i] == '-' ? '_' : b[i];
                if (x != y)
                        return false;
        }
        return true;
}

std::string lower(std::string_view s)
{
        std::string out(s);
        for (char &c : out)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
}

} // namespace

std::vector<std::string> split(std::string_view cmdline)
{
        // extract_first_word(EXTRACT_UNQUOTE|EXTRACT_RELAX|EXTRACT_RETAIN_ESCAPE): quotes group
        // and disappear, may start mid-word (foo="a b" is one word "foo=a b"), an unterminated
        // quote runs to the end (RELAX), and a backslash is kept together with the next byte.
        std::vector<std::string> words;
        size_t i = 0;
        while (i < cmdline.size()) {
                while (i < cmdline.size() && is_space(cmdline[i]))
                        i++;
                if (i >= cmdline.size())
                        break;
                std::string word;
                char quote = 0;
                for (; i < cmdline.size(); i++) {
                        char c = cmdline[i];
                        if (c == '\\' && i + 1 < cmdline.size()) {
                                word += c;
                                word += cmdline[++i];
                        } else if (quote) {
                                if (c == quote)
                                        quote = 0;
                                else
                                        word += c;
                        } else if (c == '"' || c == '\'') {
                                quote = c;
                        } else if (is_space(c)) {
                                break;
                        } else {
                                word += c;
                        }
                }
                words.push_back(std::move(word));
        }
        return words;
}

std::optional<bool> parse_boolean(std::string_view s)
{
        const std::string v = lower(s);
        if (v == "1" || v == "yes" || v == "y" || v == "true" || v == "t" || v == "on")
                return true;
        if (v == "0" || v == "no" || v == "n" || v == "false" || v == "f" || v == "off")
                return false;
        return std::nullopt;
}

BooleanSwitch get_boolean(std::string_view cmdline, std::string_view key, bool in_initrd)
{
        BooleanSwitch result;
        for (const std::string &word : split(cmdline)) {
                std::string_view w = word;
                // "rd.key" is the initrd's copy of the switch; outside the initrd it is not ours.
                if (w.starts_with("rd.")) {
                        if (!in_initrd)
                                continue;
                        w.remove_prefix(3);
                }
                const size_t eq = w.find('=');
                if (!key_equal(w.substr(0, eq), key))
                        continue;
                if (eq == std::string_view::npos) {
                        result.value = true;
                        continue;
                }
                if (std::optional<bool> b = parse_boolean(w.substr(eq + 1)))
                        result.value = b;
                else
                        result.invalid.push_back(word);
        }
        return result;
}

} // namespace css::proc_cmdline
