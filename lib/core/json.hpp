// SPDX-License-Identifier: Apache-2.0
#pragma once

// A small, strict JSON reader (RFC 8259), enough for `lvm ... --reportformat json`.
// No dependency for one format read in one place. Values are immutable trees; object members
// keep their order (and duplicates: find() returns the first).

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css::json
{

class Value;

struct Member;

class Value
{
public:
        enum class Type { null, boolean, number, string, array, object };

        Value() = default;
        static Value make_bool(bool b);
        static Value make_number(std::string text, double number);
        static Value make_string(std::string s);
        static Value make_array(std::vector<Value> items);
        static Value make_object(std::vector<Member> members);

        Type type() const { return type_; }
        bool is_null() const { return type_ == Type::null; }
        bool is_bool() const { return type_ == Type::boolean; }
        bool is_number() const { return type_ == Type::number; }
        bool is_string() const { return type_ == Type::string; }
        bool is_array() const { return type_ == Type::array; }
        bool is_object() const { return type_ == Type::object; }

        // Accessors of the wrong type return an empty/false/0 value: callers check the type
        // where it matters and report their own error.
        bool as_bool() const { return boolean_; }
        double as_number() const { return number_; }
        const std::string &as_string() const { return text_; } // for numbers: the literal text
        const std::vector<Value> &items() const { return items_; }
        const std::vector<Member> &members() const { return members_; }

        // The first member named `key`, or nullptr (also when this is not an object).
        const Value *find(std::string_view key) const;

private:
        Type type_ = Type::null;
        bool boolean_ = false;
        double number_ = 0;
        std::string text_;
        std::vector<Value> items_;
        std::vector<Member> members_;
};

struct Member {
        std::string key;
        Value value;
};

inline constexpr unsigned default_max_depth = 64;

// Parses exactly one JSON value (surrounded by optional whitespace). Errors read
// "Invalid JSON at line L, column C: <what>".
Result<Value> parse(std::string_view text, unsigned max_depth = default_max_depth);

} // namespace css::json
