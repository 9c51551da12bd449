// SPDX-License-Identifier: Apache-2.0
#pragma once

// The text of a unit file or drop-in, built a line at a time in the order given (systemd reads
// a setting given twice, such as After=, as both). Values are written as they are: escape them
// first (unit_escape.hpp).

#include <string>
#include <string_view>

namespace css {

class UnitText {
public:
        // "[Name]", after an empty line unless it is the first section.
        UnitText &section(std::string_view name);
        // "Key=value"
        UnitText &set(std::string_view key, std::string_view value);
        // Requires= plus After=: the unit runs only after `other` succeeded.
        UnitText &require(std::string_view other) { return set("Requires", other).set("After", other); }
        // Wants= plus After=: `other` is started too, and first.
        UnitText &want(std::string_view other) { return set("Wants", other).set("After", other); }
        const std::string &str() const { return text_; }

private:
        std::string text_;
};

} // namespace css
