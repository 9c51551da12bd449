// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the size grammar (lib/config/size.hpp) against a second, independent reading
// of the grammar written here with std::regex and 128-bit arithmetic. Every accept/reject
// decision, every byte count and every percentage must agree, and an accepted value must
// round-trip through its byte count ("<bytes>b"). Built and run by tests/fuzz/run.sh.

#include "config/size.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <regex>
#include <string>

namespace {

using css::Size;
using css::SizeStatus;
using u128 = unsigned __int128;

constexpr uint64_t max_bytes = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

[[noreturn]] void fail(const char *what, std::string_view text)
{
        std::fprintf(stderr, "invariant broken: %s for '%.*s'\n", what, static_cast<int>(text.size()), text.data());
        std::abort();
}

const char *name(SizeStatus s)
{
        return s == SizeStatus::ok ? "ok" : s == SizeStatus::invalid ? "invalid" : "too_large";
}

// Digits as a number, nullopt when it does not fit in 64 bits (leading zeros are fine).
std::optional<u128> digits_value(const std::string &digits)
{
        u128 v = 0;
        for (char c : digits) {
                v = v * 10 + static_cast<unsigned>(c - '0');
                if (v > std::numeric_limits<uint64_t>::max())
                        return std::nullopt;
        }
        return v;
}

u128 unit_bytes(char unit)
{
        switch (unit) {
        case 's':
        case 'S':
                return 512;
        case 'k':
        case 'K':
                return u128{1} << 10;
        case 'm':
        case 'M':
                return u128{1} << 20;
        case 'g':
        case 'G':
                return u128{1} << 30;
        case 't':
        case 'T':
                return u128{1} << 40;
        case 'p':
        case 'P':
                return u128{1} << 50;
        case 'e':
        case 'E':
                return u128{1} << 60;
        default:
                return 0;
        }
}

struct Expected {
        SizeStatus status = SizeStatus::invalid;
        uint64_t bytes = 0;
};

// The numeric form: DIGITS [ b|B | U [b|B] | U i (b|B) ]; `bare` is a unit-less number's unit.
Expected numeric(const std::string &text, u128 bare)
{
        static const std::regex re("([0-9]+)([bB]|([sSkKmMgGtTpPeE])(i?[bB])?)?");
        std::smatch m;
        if (!std::regex_match(text, m, re))
                return {};
        std::optional<u128> n = digits_value(m[1]);
        u128 unit = !m[2].matched ? bare : m[3].matched ? unit_bytes(m[3].str()[0]) : 1;
        if (!n || *n * unit > max_bytes) // both factors < 2^64, so no 128-bit overflow
                return {SizeStatus::too_large, 0};
        return {SizeStatus::ok, static_cast<uint64_t>(*n * unit)};
}

// DIGITS%SUFFIX with DIGITS from 1 to 100 and SUFFIX one of `suffixes`; 0 when not.
uint64_t percent(const std::string &text, const std::regex &re)
{
        std::smatch m;
        if (!std::regex_match(text, m, re))
                return 0;
        std::optional<u128> n = digits_value(m[1]);
        return n && *n >= 1 && *n <= 100 ? static_cast<uint64_t>(*n) : 0;
}

void check_numeric(const std::string &text)
{
        Expected want = numeric(text, u128{1} << 20);
        Size got;
        SizeStatus status = css::parse_numeric_size(text, got);
        if (status != want.status)
                fail(name(status), text);
        if (status != SizeStatus::ok)
                return;
        if (got.kind != Size::Kind::absolute || got.bytes != want.bytes || got.text != text)
                fail("numeric size parsed to another value", text);
        // Its byte count, written in bytes, is the same size.
        Size again;
        std::string in_bytes = std::to_string(got.bytes) + "b";
        if (css::parse_numeric_size(in_bytes, again) != SizeStatus::ok || again.bytes != got.bytes)
                fail("byte count does not round-trip", text);
}

void check_data(const std::string &text)
{
        Size got;
        SizeStatus status = css::parse_data_size(text, got);
        if (text.find('%') == std::string::npos) {
                Size numeric_size;
                if (status != css::parse_numeric_size(text, numeric_size) ||
                    (status == SizeStatus::ok && !(got == numeric_size)))
                        fail("data size without % differs from the numeric size", text);
                return;
        }
        static const std::regex free_re("([0-9]+)%FREE"), vg_re("([0-9]+)%VG");
        uint64_t free = percent(text, free_re), vg = percent(text, vg_re);
        SizeStatus want = free || vg ? SizeStatus::ok : SizeStatus::invalid;
        if (status != want)
                fail(name(status), text);
        if (status == SizeStatus::ok && (got.kind != (free ? Size::Kind::percent_free : Size::Kind::percent_vg) ||
                                         got.percent != (free ? free : vg) || got.text != text))
                fail("percent size parsed to another value", text);
}

void check_extend(const std::string &text)
{
        static const std::regex extend_re("([0-9]+)%(FREE|VG|PVS)");
        std::string unsigned_part = !text.empty() && text[0] == '+' ? text.substr(1) : text;
        bool want = unsigned_part.find('%') == std::string::npos
                            ? numeric(unsigned_part, u128{1} << 20).status == SizeStatus::ok
                            : percent(unsigned_part, extend_re) != 0;
        Size got;
        const bool valid = css::parse_extend_size(text, got) == SizeStatus::ok;
        if (valid != want)
                fail(want ? "valid extend size refused" : "invalid extend size accepted", text);
        if (valid && (got.text != text || got.grow != (unsigned_part.size() != text.size())))
                fail("extend size parsed to another spelling", text);
        // Everything lvcreate takes, lvextend takes too, as the same size.
        Size data;
        if (css::parse_data_size(text, data) == SizeStatus::ok &&
            (!valid || got.kind != data.kind || got.bytes != data.bytes || got.percent != data.percent))
                fail("data size refused or changed as an extend size", text);
}

void check_chunk(const std::string &text)
{
        Expected want = numeric(text, u128{1} << 10);
        constexpr uint64_t step = uint64_t{64} << 10;
        if (want.status == SizeStatus::ok &&
            (want.bytes < step || want.bytes > (uint64_t{1} << 30) || want.bytes % step != 0))
                want.status = SizeStatus::invalid;
        uint64_t bytes = 0;
        SizeStatus status = css::parse_chunk_size(text, bytes);
        if (status != want.status)
                fail(name(status), text);
        if (status == SizeStatus::ok && bytes != want.bytes)
                fail("chunk size parsed to another value", text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        // run.sh passes -max_len=128; this keeps a long stored input out of the corpus too.
        if (size > 256)
                return -1;
        const std::string text(reinterpret_cast<const char *>(data), size);
        check_numeric(text);
        check_data(text);
        check_extend(text);
        check_chunk(text);
        return 0;
}
