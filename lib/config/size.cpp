// SPDX-License-Identifier: Apache-2.0
#include "config/size.hpp"

#include <algorithm>
#include <cstdio>
#include <cctype>
#include <iterator>
#include <limits>
#include <utility>

namespace css {

namespace {

constexpr uint64_t max_bytes = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

// Leading digits as a number; false when there are none. `too_big` is set when they do not
// fit in 64 bits (the text is then still well-formed, just too large).
bool take_digits(std::string_view &text, uint64_t &value, bool &too_big)
{
        size_t i = 0;
        value = 0;
        too_big = false;
        while (i < text.size() && is_digit(text[i])) {
                uint64_t digit = static_cast<uint64_t>(text[i] - '0');
                if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, digit, &value))
                        too_big = true;
                i++;
        }
        text.remove_prefix(i);
        return i > 0;
}

// The multiplier of a unit letter in either case, 0 when it is not one.
uint64_t unit_multiplier(char unit)
{
        static constexpr std::pair<char, unsigned> shifts[] = {
                {'k', 10}, {'m', 20}, {'g', 30}, {'t', 40}, {'p', 50}, {'e', 60},
        };
        char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(unit)));
        if (lower == 's')
                return 512;
        for (const auto &[letter, shift] : shifts)
                if (lower == letter)
                        return uint64_t{1} << shift;
        return 0;
}

bool is_b(char c)
{
        return c == 'b' || c == 'B';
}

// Parses the unit suffix of the numeric form; `bare` is the multiplier of a number without one.
bool parse_unit(std::string_view suffix, uint64_t bare, uint64_t &multiplier)
{
        if (suffix.empty()) {
                multiplier = bare;
                return true;
        }
        if (suffix.size() == 1 && is_b(suffix[0])) {
                multiplier = 1;
                return true;
        }
        multiplier = unit_multiplier(suffix[0]);
        if (multiplier == 0)
                return false;
        if (suffix.size() == 1)
                return true;
        if (suffix.size() == 2)
                return is_b(suffix[1]);
        return suffix.size() == 3 && suffix[1] == 'i' && is_b(suffix[2]);
}

SizeStatus parse_with_default_unit(std::string_view text, uint64_t bare, uint64_t &bytes)
{
        uint64_t number;
        bool too_big;
        std::string_view rest = text;
        if (!take_digits(rest, number, too_big))
                return SizeStatus::invalid;
        uint64_t multiplier;
        if (!parse_unit(rest, bare, multiplier))
                return SizeStatus::invalid;
        if (too_big || __builtin_mul_overflow(number, multiplier, &bytes) || bytes > max_bytes)
                return SizeStatus::too_large;
        return SizeStatus::ok;
}

// DIGITS%SUFFIX with DIGITS in 1..100; `suffix` is the part after '%'.
bool parse_percent(std::string_view text, uint64_t &percent, std::string_view &suffix)
{
        bool too_big;
        if (!take_digits(text, percent, too_big) || text.empty() || text[0] != '%')
                return false;
        suffix = text.substr(1);
        return !too_big && percent >= 1 && percent <= 100;
}

} // namespace

SizeStatus parse_numeric_size(std::string_view text, Size &out)
{
        uint64_t bytes = 0;
        SizeStatus status = parse_with_default_unit(text, uint64_t{1} << 20, bytes);
        if (status != SizeStatus::ok)
                return status;
        out = Size{Size::Kind::absolute, bytes, 0, std::string(text)};
        return SizeStatus::ok;
}

SizeStatus parse_data_size(std::string_view text, Size &out)
{
        if (text.find('%') == std::string_view::npos)
                return parse_numeric_size(text, out);
        uint64_t percent;
        std::string_view suffix;
        if (!parse_percent(text, percent, suffix))
                return SizeStatus::invalid;
        if (suffix == "FREE")
                out = Size{Size::Kind::percent_free, 0, percent, std::string(text)};
        else if (suffix == "VG")
                out = Size{Size::Kind::percent_vg, 0, percent, std::string(text)};
        else
                return SizeStatus::invalid;
        return SizeStatus::ok;
}

SizeStatus parse_extend_size(std::string_view text, Size &out)
{
        static constexpr std::pair<std::string_view, Size::Kind> percent_kinds[] = {
                {"FREE", Size::Kind::percent_free},
                {"VG", Size::Kind::percent_vg},
                {"PVS", Size::Kind::percent_pvs},
        };
        const bool grow = !text.empty() && text[0] == '+';
        std::string_view rest = grow ? text.substr(1) : text;
        Size size;
        if (rest.find('%') == std::string_view::npos) {
                if (SizeStatus status = parse_numeric_size(rest, size); status != SizeStatus::ok)
                        return status;
        } else {
                std::string_view suffix;
                if (!parse_percent(rest, size.percent, suffix))
                        return SizeStatus::invalid;
                auto kind = std::find_if(std::begin(percent_kinds), std::end(percent_kinds),
                                         [&](const auto &k) { return k.first == suffix; });
                if (kind == std::end(percent_kinds))
                        return SizeStatus::invalid;
                size.kind = kind->second;
        }
        size.text = std::string(text);
        size.grow = grow;
        out = std::move(size);
        return SizeStatus::ok;
}

SizeStatus parse_chunk_size(std::string_view text, uint64_t &bytes)
{
        SizeStatus status = parse_with_default_unit(text, uint64_t{1} << 10, bytes);
        if (status != SizeStatus::ok)
                return status;
        constexpr uint64_t step = uint64_t{64} << 10;
        if (bytes < step || bytes > (uint64_t{1} << 30) || bytes % step != 0)
                return SizeStatus::invalid;
        return SizeStatus::ok;
}

SizeStatus parse_stripe_size(std::string_view text, uint64_t &bytes)
{
        SizeStatus status = parse_with_default_unit(text, uint64_t{1} << 10, bytes);
        if (status != SizeStatus::ok)
                return status;
        if (bytes < (uint64_t{4} << 10) || bytes > (uint64_t{4} << 20) || (bytes & (bytes - 1)) != 0)
                return SizeStatus::invalid;
        return SizeStatus::ok;
}

std::string gib_text(uint64_t bytes)
{
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / double(uint64_t{1} << 30));
        return buf;
}

} // namespace css
