// SPDX-License-Identifier: Apache-2.0
#include "config/shell_lexer.hpp"

#include <algorithm>
#include <cstdint>

namespace css {

namespace {

bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

bool is_name_start(char c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool is_name_char(char c)
{
        return is_name_start(c) || (c >= '0' && c <= '9');
}

// A '$' expands (and is refused) when sh would read a parameter, a special parameter, ${...},
// $(...) or $((...)) after it. Anything else leaves the '$' as a literal character.
bool dollar_expands(char next)
{
        if (is_name_char(next))
                return true;
        switch (next) {
        case '{':
        case '(':
        case '@':
        case '*':
        case '#':
        case '?':
        case '$':
        case '!':
        case '-':
                return true;
        default:
                return false;
        }
}

UnquoteResult fail(size_t offset, std::string message)
{
        UnquoteResult r;
        r.offset = offset;
        r.message = std::move(message);
        return r;
}

std::string describe_dollar(std::string_view raw, size_t i)
{
        char next = i + 1 < raw.size() ? raw[i + 1] : '\0';
        if (next == '(')
                return "command substitution '$(...)' is not allowed: this file is read, never run by a "
                       "shell";
        std::string shown = "$";
        if (next == '{') {
                shown += "{...}";
        } else if (is_name_start(next)) {
                for (size_t j = i + 1; j < raw.size() && is_name_char(raw[j]) && shown.size() < 40; j++)
                        shown += raw[j];
        } else {
                shown += next;
        }
        return "variable expansion '" + shown +
               "' is not allowed: write the value itself (the file is never run "
               "by a shell)";
}

// Control characters have no business in any value; CR gets its own message because it is
// what a file saved with DOS line endings looks like.
bool check_control(std::string_view raw, size_t i, UnquoteResult &error)
{
        unsigned char c = static_cast<unsigned char>(raw[i]);
        if (c == '\r') {
                error = fail(i, "carriage return in value (DOS line endings?); save the file with Unix line endings");
                return false;
        }
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                error = fail(i, "control character in value");
                return false;
        }
        return true;
}

} // namespace

bool is_shell_name(std::string_view s)
{
        if (s.empty() || !is_name_start(s[0]))
                return false;
        for (char c : s)
                if (!is_name_char(c))
                        return false;
        return true;
}

SplitResult split_logical_lines(std::string_view text)
{
        SplitResult result;
        // sh silently drops NUL bytes; a config file holding one is corrupt or not a config
        // file at all, so refuse it whole rather than guess.
        if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
                auto newlines = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
                result.errors.push_back({static_cast<unsigned>(newlines) + 1, "NUL byte in file"});
                return result;
        }
        unsigned line_no = 1;
        size_t i = 0;
        const size_t n = text.size();

        while (i < n) {
                while (i < n && is_blank(text[i]))
                        i++;
                LogicalLine logical;
                logical.line = line_no;
                enum class Quote { none, single, dbl } quote = Quote::none;
                unsigned quote_line = 0;
                bool word_start = true;
                bool ended = false;

                while (i < n && !ended) {
                        char c = text[i];
                        switch (quote) {
                        case Quote::none:
                                if (c == '\n') {
                                        ended = true;
                                        i++;
                                        line_no++;
                                        continue;
                                }
                                if (c == '#' && word_start) {
                                        // A comment runs to the end of the physical line.
                                        while (i < n && text[i] != '\n')
                                                i++;
                                        continue;
                                }
                                if (c == '\\' && i + 1 < n) {
                                        logical.text += c;
                                        logical.text += text[i + 1];
                                        if (text[i + 1] == '\n')
                                                line_no++;
                                        i += 2;
                                        word_start = false;
                                        continue;
                                }
                                if (c == '\'' || c == '"') {
                                        quote = c == '\'' ? Quote::single : Quote::dbl;
                                        quote_line = line_no;
                                }
                                word_start = is_blank(c);
                                break;
                        case Quote::single:
                                if (c == '\'')
                                        quote = Quote::none;
                                break;
                        case Quote::dbl:
                                if (c == '\\' && i + 1 < n) {
                                        logical.text += c;
                                        logical.text += text[i + 1];
                                        if (text[i + 1] == '\n')
                                                line_no++;
                                        i += 2;
                                        continue;
                                }
                                if (c == '"')
                                        quote = Quote::none;
                                break;
                        }
                        if (c == '\n')
                                line_no++;
                        logical.text += c;
                        i++;
                }
                if (quote != Quote::none) {
                        result.errors.push_back({quote_line, std::string("unterminated ") +
                                                                     (quote == Quote::single ? "single" : "double") +
                                                                     " quote"});
                        return result;
                }
                result.lines.push_back(std::move(logical));
        }
        return result;
}

UnquoteResult unquote_shell_value(std::string_view raw)
{
        UnquoteResult error;
        std::string out;
        size_t i = 0;
        const size_t n = raw.size();
        // sh performs tilde expansion at the start of an assignment value and after each
        // unquoted ':' in it; a quoted or escaped '~' is literal.
        bool tilde_position = true;

        while (i < n && !is_blank(raw[i])) {
                char c = raw[i];
                if (!check_control(raw, i, error))
                        return error;
                if (c == '\'') {
                        size_t close = raw.find('\'', i + 1);
                        if (close == std::string_view::npos)
                                return fail(i, "unterminated single quote");
                        for (size_t j = i + 1; j < close; j++)
                                if (!check_control(raw, j, error))
                                        return error;
                        out.append(raw.substr(i + 1, close - i - 1));
                        i = close + 1;
                        tilde_position = false;
                        continue;
                }
                if (c == '"') {
                        size_t j = i + 1;
                        for (;; j++) {
                                if (j >= n)
                                        return fail(i, "unterminated double quote");
                                char d = raw[j];
                                if (d == '"')
                                        break;
                                if (!check_control(raw, j, error))
                                        return error;
                                if (d == '`')
                                        return fail(j, "command substitution with backticks is not allowed: this "
                                                       "file is read, never run by a shell");
                                if (d == '$' && j + 1 < n && dollar_expands(raw[j + 1]))
                                        return fail(j, describe_dollar(raw, j));
                                if (d == '\\' && j + 1 < n) {
                                        char e = raw[j + 1];
                                        if (e == '\n') {
                                                j++;
                                                continue;
                                        }
                                        if (e == '$' || e == '`' || e == '"' || e == '\\') {
                                                out += e;
                                                j++;
                                                continue;
                                        }
                                }
                                out += d;
                        }
                        i = j + 1;
                        tilde_position = false;
                        continue;
                }
                if (c == '\\') {
                        if (i + 1 >= n)
                                return fail(i, "backslash at the end of the file");
                        if (raw[i + 1] != '\n') {
                                if (!check_control(raw, i + 1, error))
                                        return error;
                                out += raw[i + 1];
                        }
                        i += 2;
                        tilde_position = false;
                        continue;
                }
                if (c == '`')
                        return fail(i, "command substitution with backticks is not allowed: this file is read, "
                                       "never run by a shell");
                if (c == '$' && i + 1 < n && (raw[i + 1] == '\'' || raw[i + 1] == '"'))
                        return fail(i, "$'...' and $\"...\" quoting are not supported; use plain quotes");
                if (c == '$' && i + 1 < n && dollar_expands(raw[i + 1]))
                        return fail(i, describe_dollar(raw, i));
                if (c == ';' || c == '|' || c == '&' || c == '<' || c == '>' || c == '(' || c == ')')
                        return fail(i, std::string("unquoted '") + c +
                                               "' is shell syntax, not part of a value; quote the value");
                if (c == '~' && tilde_position)
                        return fail(i, "unquoted '~' would be expanded to a home directory; quote it");
                tilde_position = c == ':';
                out += c;
                i++;
        }

        size_t rest = i;
        while (rest < n && (is_blank(raw[rest]) || raw[rest] == '\n'))
                rest++;
        if (rest < n) {
                size_t eq = raw.find('=', rest);
                if (eq != std::string_view::npos && is_shell_name(raw.substr(rest, eq - rest)))
                        return fail(rest, "several assignments on one line are not supported; put each "
                                          "KEY=value on its own line");
                return fail(rest, "unexpected text after the value (a shell would run it as a command); "
                                  "quote values that contain spaces");
        }
        if (!is_valid_utf8(out))
                return fail(0, "value is not valid UTF-8");

        UnquoteResult ok;
        ok.ok = true;
        ok.value = std::move(out);
        return ok;
}

bool is_valid_utf8(std::string_view s)
{
        size_t i = 0;
        while (i < s.size()) {
                unsigned char c = static_cast<unsigned char>(s[i]);
                if (c < 0x80) {
                        i++;
                        continue;
                }
                size_t len;
                uint32_t cp;
                if (c >= 0xc2 && c <= 0xdf) {
                        len = 2;
                        cp = c & 0x1f;
                } else if (c >= 0xe0 && c <= 0xef) {
                        len = 3;
                        cp = c & 0x0f;
                } else if (c >= 0xf0 && c <= 0xf4) {
                        len = 4;
                        cp = c & 0x07;
                } else {
                        return false;
                }
                if (i + len > s.size())
                        return false;
                for (size_t k = 1; k < len; k++) {
                        unsigned char cc = static_cast<unsigned char>(s[i + k]);
                        if ((cc & 0xc0) != 0x80)
                                return false;
                        cp = (cp << 6) | (cc & 0x3f);
                }
                if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
                    (cp >= 0xd800 && cp <= 0xdfff))
                        return false;
                i += len;
        }
        return true;
}

} // namespace css
