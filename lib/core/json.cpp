// SPDX-License-Identifier: Apache-2.0
#include "core/json.hpp"

#include <charconv>
#include <cmath>

namespace css::json
{

Value Value::make_bool(bool b)
{
        Value v;
        v.type_ = Type::boolean;
        v.boolean_ = b;
        return v;
}

Value Value::make_number(std::string text, double number)
{
        Value v;
        v.type_ = Type::number;
        v.text_ = std::move(text);
        v.number_ = number;
        return v;
}

Value Value::make_string(std::string s)
{
        Value v;
        v.type_ = Type::string;
        v.text_ = std::move(s);
        return v;
}

Value Value::make_array(std::vector<Value> items)
{
        Value v;
        v.type_ = Type::array;
        v.items_ = std::move(items);
        return v;
}

Value Value::make_object(std::vector<Member> members)
{
        Value v;
        v.type_ = Type::object;
        v.members_ = std::move(members);
        return v;
}

const Value *Value::find(std::string_view key) const
{
        for (const Member &m : members_)
                if (m.key == key)
                        return &m.value;
        return nullptr;
}

namespace
{

class Parser
{
public:
        Parser(std::string_view text, unsigned max_depth) : s_(text), max_depth_(max_depth) {}

        Result<Value> parse_document()
        {
                skip_ws();
                Value v;
                if (!parse_value(v, 0))
                        return error_;
                skip_ws();
                if (pos_ != s_.size()) {
                        fail("unexpected data after the value");
                        return error_;
                }
                return v;
        }

private:
        std::string_view s_;
        size_t pos_ = 0;
        unsigned max_depth_;
        Error error_;

        bool fail(std::string_view what)
        {
                unsigned line = 1, column = 1;
                for (size_t i = 0; i < pos_ && i < s_.size(); i++) {
                        if (s_[i] == '\n') {
                                line++;
                                column = 1;
                        } else {
                                column++;
                        }
                }
                error_ = Error{"Invalid JSON at line " + std::to_string(line) + ", column " +
                                       std::to_string(column) + ": " + std::string(what),
                               EINVAL};
                return false;
        }

        bool at_end() const { return pos_ >= s_.size(); }
        char peek() const { return at_end() ? '\0' : s_[pos_]; }

        void skip_ws()
        {
                while (!at_end() &&
                       (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
                        pos_++;
        }

        bool literal(std::string_view word)
        {
                if (s_.substr(pos_, word.size()) != word)
                        return fail("invalid literal");
                pos_ += word.size();
                return true;
        }

        bool parse_value(Value &out, unsigned depth)
        {
                if (at_end())
                        return fail("unexpected end of input");
                switch (peek()) {
                case '{':
                        return parse_object(out, depth + 1);
                case '[':
                        return parse_array(out, depth + 1);
                case '"': {
                        std::string s;
                        if (!parse_string(s))
                                return false;
                        out = Value::make_string(std::move(s));
                        return true;
                }
                case 't':
                        out = Value::make_bool(true);
                        return literal("true");
                case 'f':
                        out = Value::make_bool(false);
                        return literal("false");
                case 'n':
                        out = Value();
                        return literal("null");
                default:
                        if (peek() == '-' || (peek() >= '0' && peek() <= '9'))
                                return parse_number(out);
                        return fail(std::string("unexpected character '") + peek() + "'");
                }
        }

        bool parse_object(Value &out, unsigned depth)
        {
                if (depth > max_depth_)
                        return fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
                pos_++; // '{'
                std::vector<Member> members;
                skip_ws();
                if (peek() == '}') {
                        pos_++;
                        out = Value::make_object(std::move(members));
                        return true;
                }
                for (;;) {
                        skip_ws();
                        if (peek() != '"')
                                return fail(at_end() ? "unexpected end of input" : "expected a member name");
                        Member m;
                        if (!parse_string(m.key))
                                return false;
                        skip_ws();
                        if (peek() != ':')
                                return fail("expected ':'");
                        pos_++;
                        skip_ws();
                        if (!parse_value(m.value, depth))
                                return false;
                        members.push_back(std::move(m));
                        skip_ws();
                        if (peek() == ',') {
                                pos_++;
                                continue;
                        }
                        if (peek() == '}') {
                                pos_++;
                                out = Value::make_object(std::move(members));
                                return true;
                        }
                        return fail(at_end() ? "unexpected end of input" : "expected ',' or '}'");
                }
        }

        bool parse_array(Value &out, unsigned depth)
        {
                if (depth > max_depth_)
                        return fail("nesting deeper than " + std::to_string(max_depth_) + " levels");
                pos_++; // '['
                std::vector<Value> items;
                skip_ws();
                if (peek() == ']') {
                        pos_++;
                        out = Value::make_array(std::move(items));
                        return true;
                }
                for (;;) {
                        skip_ws();
                        Value v;
                        if (!parse_value(v, depth))
                                return false;
                        items.push_back(std::move(v));
                        skip_ws();
                        if (peek() == ',') {
                                pos_++;
                                continue;
                        }
                        if (peek() == ']') {
                                pos_++;
                                out = Value::make_array(std::move(items));
                                return true;
                        }
                        return fail(at_end() ? "unexpected end of input" : "expected ',' or ']'");
                }
        }

        bool parse_number(Value &out)
        {
                size_t start = pos_;
                auto digits = [&] {
                        size_t d = pos_;
                        while (!at_end() && s_[pos_] >= '0' && s_[pos_] <= '9')
                                pos_++;
                        return pos_ - d;
                };
                if (peek() == '-')
                        pos_++;
                if (peek() == '0') {
                        pos_++;
                        if (peek() >= '0' && peek() <= '9')
                                return fail("leading zero in a number");
                } else if (digits() == 0) {
                        return fail("expected a digit");
                }
                if (peek() == '.') {
                        pos_++;
                        if (digits() == 0)
                                return fail("expected a digit after '.'");
                }
                if (peek() == 'e' || peek() == 'E') {
                        pos_++;
                        if (peek() == '+' || peek() == '-')
                                pos_++;
                        if (digits() == 0)
                                return fail("expected a digit in the exponent");
                }
                std::string text{s_.substr(start, pos_ - start)};
                double d = 0;
                auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
                // Out of double range: keep the literal text, report +-inf (callers needing
                // exact integers read the text).
                if (ec == std::errc::result_out_of_range)
                        d = text[0] == '-' ? -HUGE_VAL : HUGE_VAL;
                else if (ec != std::errc() || ptr != text.data() + text.size())
                        return fail("invalid number");
                out = Value::make_number(std::move(text), d);
                return true;
        }

        bool hex4(unsigned &code)
        {
                if (s_.size() - pos_ < 4)
                        return fail("truncated \\u escape");
                code = 0;
                for (int i = 0; i < 4; i++) {
                        char c = s_[pos_++];
                        code <<= 4;
                        if (c >= '0' && c <= '9')
                                code |= static_cast<unsigned>(c - '0');
                        else if (c >= 'a' && c <= 'f')
                                code |= static_cast<unsigned>(c - 'a' + 10);
                        else if (c >= 'A' && c <= 'F')
                                code |= static_cast<unsigned>(c - 'A' + 10);
                        else
                                return fail("invalid hex digit in \\u escape");
                }
                return true;
        }

        static void append_utf8(std::string &s, unsigned cp)
        {
                if (cp < 0x80) {
                        s += static_cast<char>(cp);
                } else if (cp < 0x800) {
                        s += static_cast<char>(0xC0 | (cp >> 6));
                        s += static_cast<char>(0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                        s += static_cast<char>(0xE0 | (cp >> 12));
                        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                        s += static_cast<char>(0x80 | (cp & 0x3F));
                } else {
                        s += static_cast<char>(0xF0 | (cp >> 18));
                        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                        s += static_cast<char>(0x80 | (cp & 0x3F));
                }
        }

        // Validates one raw UTF-8 sequence starting at pos_ and copies it.
        bool copy_utf8(std::string &out)
        {
                auto b = [&](size_t i) { return static_cast<unsigned char>(s_[i]); };
                unsigned char c = b(pos_);
                size_t len;
                unsigned cp = 0;
                if (c >= 0xC2 && c <= 0xDF) {
                        len = 2;
                        cp = c & 0x1F;
                } else if (c >= 0xE0 && c <= 0xEF) {
                        len = 3;
                        cp = c & 0x0F;
                } else if (c >= 0xF0 && c <= 0xF4) {
                        len = 4;
                        cp = c & 0x07;
                } else {
                        return fail("invalid UTF-8");
                }
                if (s_.size() - pos_ < len)
                        return fail("invalid UTF-8");
                for (size_t i = 1; i < len; i++) {
                        if ((b(pos_ + i) & 0xC0) != 0x80)
                                return fail("invalid UTF-8");
                        cp = (cp << 6) | (b(pos_ + i) & 0x3F);
                }
                // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
                if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                    (cp >= 0xD800 && cp <= 0xDFFF))
                        return fail("invalid UTF-8");
                out.append(s_.substr(pos_, len));
                pos_ += len;
                return true;
        }

        bool parse_string(std::string &out)
        {
                pos_++; // opening quote
                for (;;) {
                        if (at_end())
                                return fail("unterminated string");
                        unsigned char c = static_cast<unsigned char>(s_[pos_]);
                        if (c == '"') {
                                pos_++;
                                return true;
                        }
                        if (c < 0x20)
                                return fail("control character in a string");
                        if (c >= 0x80) {
                                if (!copy_utf8(out))
                                        return false;
                                continue;
                        }
                        if (c != '\\') {
                                out += static_cast<char>(c);
                                pos_++;
                                continue;
                        }
                        pos_++;
                        if (at_end())
                                return fail("unterminated string");
                        char e = s_[pos_++];
                        switch (e) {
                        case '"':
                        case '\\':
                        case '/':
                                out += e;
                                break;
                        case 'b':
                                out += '\b';
                                break;
                        case 'f':
                                out += '\f';
                                break;
                        case 'n':
                                out += '\n';
                                break;
                        case 'r':
                                out += '\r';
                                break;
                        case 't':
                                out += '\t';
                                break;
                        case 'u': {
                                unsigned cp = 0;
                                if (!hex4(cp))
                                        return false;
                                if (cp >= 0xDC00 && cp <= 0xDFFF)
                                        return fail("unpaired low surrogate");
                                if (cp >= 0xD800 && cp <= 0xDBFF) {
                                        if (s_.substr(pos_, 2) != "\\u")
                                                return fail("unpaired high surrogate");
                                        pos_ += 2;
                                        unsigned low = 0;
                                        if (!hex4(low))
                                                return false;
                                        if (low < 0xDC00 || low > 0xDFFF)
                                                return fail("unpaired high surrogate");
                                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                                }
                                append_utf8(out, cp);
                                break;
                        }
                        default:
                                pos_--;
                                return fail(std::string("invalid escape '\\") + e + "'");
                        }
                }
        }
};

} // namespace

Result<Value> parse(std::string_view text, unsigned max_depth)
{
        return Parser(text, max_depth).parse_document();
}

} // namespace css::json
