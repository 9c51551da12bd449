// SPDX-License-Identifier: Apache-2.0
#include "systemd/unit_text.hpp"

namespace css {

UnitText &UnitText::section(std::string_view name)
{
        if (!text_.empty())
                text_ += '\n';
        text_ += '[';
        text_ += name;
        text_ += "]\n";
        return *this;
}

UnitText &UnitText::set(std::string_view key, std::string_view value)
{
        text_ += key;
        text_ += '=';
        text_ += value;
        text_ += '\n';
        return *this;
}

} // namespace css
