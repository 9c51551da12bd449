// SPDX-License-Identifier: Apache-2.0
#pragma once

// A small JSON writer for the --json output of plan, status and list (lib/core/json.hpp only
// reads). Indented two spaces, members in the order written, strings escaped per RFC 8259.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace css::cli {

std::string json_quote(std::string_view text);

class JsonWriter {
public:
        JsonWriter &begin_object();
        JsonWriter &end_object();
        JsonWriter &begin_array();
        JsonWriter &end_array();
        JsonWriter &key(std::string_view name);
        JsonWriter &value(std::string_view text);
        JsonWriter &value(const char *text) { return value(std::string_view(text)); }
        JsonWriter &value(const std::string &text) { return value(std::string_view(text)); }
        JsonWriter &value(bool flag);
        JsonWriter &value(int64_t number);
        JsonWriter &value(uint64_t number);
        JsonWriter &value(int number) { return value(static_cast<int64_t>(number)); }
        JsonWriter &value(unsigned number) { return value(static_cast<uint64_t>(number)); }
        JsonWriter &value_fixed(double number, int decimals);
        JsonWriter &null();
        JsonWriter &member(std::string_view name, std::string_view text) { return key(name).value(text); }
        JsonWriter &member(std::string_view name, const char *text) { return key(name).value(text); }
        JsonWriter &member(std::string_view name, const std::string &text) { return key(name).value(text); }

        // The document, with a final newline.
        std::string str() const { return out_ + "\n"; }

private:
        void before_value();
        void open(char bracket);
        void close(char bracket);

        struct Level {
                bool empty = true;
        };
        std::string out_;
        std::vector<Level> levels_;
        bool after_key_ = false;
};

} // namespace css::cli
