// SPDX-License-Identifier: Apache-2.0
#include "json_writer.hpp"

#include <cstdio>

namespace css::cli {

std::string json_quote(std::string_view text)
{
        std::string out = "\"";
        for (unsigned char c : text) {
                switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\t': out += "\\t"; break;
                case '\r': out += "\\r"; break;
                default:
                        if (c < 0x20) {
                                char buf[8];
                                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                                out += buf;
                        } else {
                                out += static_cast<char>(c);
                        }
                }
        }
        return out + "\"";
}

void JsonWriter::before_value()
{
        if (after_key_) {
                after_key_ = false;
                return;
        }
        if (levels_.empty())
                return;
        if (!levels_.back().empty)
                out_ += ',';
        levels_.back().empty = false;
        out_ += '\n';
        out_.append(2 * levels_.size(), ' ');
}

void JsonWriter::open(char bracket)
{
        before_value();
        out_ += bracket;
        levels_.push_back({});
}

void JsonWriter::close(char bracket)
{
        bool empty = levels_.back().empty;
        levels_.pop_back();
        if (!empty) {
                out_ += '\n';
                out_.append(2 * levels_.size(), ' ');
        }
        out_ += bracket;
}

JsonWriter &JsonWriter::begin_object()
{
        open('{');
        return *this;
}

JsonWriter &JsonWriter::end_object()
{
        close('}');
        return *this;
}

JsonWriter &JsonWriter::begin_array()
{
        open('[');
        return *this;
}

JsonWriter &JsonWriter::end_array()
{
        close(']');
        return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
        before_value();
        out_ += json_quote(name);
        out_ += ": ";
        after_key_ = true;
        return *this;
}

JsonWriter &JsonWriter::value(std::string_view text)
{
        before_value();
        out_ += json_quote(text);
        return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
        before_value();
        out_ += flag ? "true" : "false";
        return *this;
}

JsonWriter &JsonWriter::value(int64_t number)
{
        before_value();
        out_ += std::to_string(number);
        return *this;
}

JsonWriter &JsonWriter::value(uint64_t number)
{
        before_value();
        out_ += std::to_string(number);
        return *this;
}

JsonWriter &JsonWriter::value_fixed(double number, int decimals)
{
        before_value();
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, number);
        out_ += buf;
        return *this;
}

JsonWriter &JsonWriter::null()
{
        before_value();
        out_ += "null";
        return *this;
}

} // namespace css::cli
