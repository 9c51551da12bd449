// SPDX-License-Identifier: Apache-2.0
#include "systemd/unit_escape.hpp"

namespace css::unit_escape {

namespace {

bool is_control(unsigned char c)
{
        return c < ' ' || c == 0x7f;
}

bool is_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Characters that make the unquoting word splitter do something other than copy the byte.
bool needs_quoting(std::string_view s)
{
        if (s.empty())
                return true;
        for (char c : s)
                if (is_space(c) || c == '"' || c == '\'' || c == '\\' || is_control(static_cast<unsigned char>(c)))
                        return true;
        return false;
}

} // namespace

std::string specifiers(std::string_view s)
{
        std::string out;
        out.reserve(s.size());
        for (char c : s) {
                if (c == '%')
                        out += '%';
                out += c;
        }
        return out;
}

std::string c_escape(std::string_view s)
{
        static constexpr char hex[] = "0123456789abcdef";
        std::string out;
        out.reserve(s.size());
        for (char ch : s) {
                const auto c = static_cast<unsigned char>(ch);
                switch (c) {
                case '\a':
                        out += "\\a";
                        break;
                case '\b':
                        out += "\\b";
                        break;
                case '\f':
                        out += "\\f";
                        break;
                case '\n':
                        out += "\\n";
                        break;
                case '\r':
                        out += "\\r";
                        break;
                case '\t':
                        out += "\\t";
                        break;
                case '\v':
                        out += "\\v";
                        break;
                case '\\':
                        out += "\\\\";
                        break;
                case '"':
                        out += "\\\"";
                        break;
                case '\'':
                        out += "\\'";
                        break;
                default:
                        if (c < ' ' || c >= 0x7f) {
                                out += "\\x";
                                out += hex[c >> 4];
                                out += hex[c & 0xf];
                        } else {
                                out += ch;
                        }
                }
        }
        return out;
}

std::string exec_word(std::string_view s)
{
        if (!needs_quoting(s))
                return specifiers(s);
        return specifiers("\"" + c_escape(s) + "\"");
}

std::string list_word(std::string_view s)
{
        if (!needs_quoting(s))
                return specifiers(s);
        std::string quoted = "\"";
        for (char c : s) {
                if (c == '"' || c == '\\')
                        quoted += '\\';
                quoted += c;
        }
        quoted += '"';
        return specifiers(quoted);
}

} // namespace css::unit_escape
