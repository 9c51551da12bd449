// SPDX-License-Identifier: Apache-2.0
#pragma once

// The original's size grammar (upstream-reference "Size grammar"), plus the stricter forms we
// use for values it passed to lvm unchecked.
//
//   numeric (-L):  DIGITS [ b|B | U [b|B] | U i (b|B) ]   U one of sSkKmMgGtTpPeE
//                  no unit = MiB, b = bytes, s = 512-byte sectors, k..e = binary multiples in
//                  either case (as lvm reads them). No sign, no decimals.
//   data size:     numeric, or DIGITS%FREE / DIGITS%VG with DIGITS from 1 to 100. Stricter than
//                  the original's suffix match: "abc%FREE" and "%FREE" are refused.
//   extend size:   ROOT_SIZE, for lvextend: an optional '+', then numeric or
//                  DIGITS%FREE / %VG / %PVS (1 to 100). lvextend accepts %PVS; lvcreate -l with
//                  %ORIGIN only makes sense for snapshots, so it is refused everywhere.
//   chunk size:    CHUNK_SIZE, for lvcreate -c: DIGITS with an optional unit as above, but a
//                  bare number means KiB (lvm's default unit for -c). A thin pool chunk must be
//                  a multiple of 64 KiB from 64 KiB to 1 GiB, so that is checked too.
//
// Byte values are limited to INT64_MAX: the original computed them with bash's signed 64-bit
// arithmetic and called a negative result "too large to handle".

#include <cstdint>
#include <string>
#include <string_view>

namespace css {

// A size as lvm takes it: the admin's spelling (passed to lvm unchanged, to -l for a percentage,
// to -L otherwise) and its value, for the checks made before lvm is asked.
struct Size {
        enum class Kind {
                absolute,     // bytes holds the value
                percent_free, // N%FREE: percent holds N
                percent_vg,   // N%VG
                percent_pvs,  // N%PVS (extend sizes only)
        };
        Kind kind = Kind::absolute;
        uint64_t bytes = 0;   // absolute only
        uint64_t percent = 0; // percent kinds only
        std::string text;     // as written, '+' included
        bool grow = false;    // '+' (extend sizes only): lvextend adds the size instead of reaching it

        bool is_percent() const { return kind != Kind::absolute; }
        bool operator==(const Size &) const = default;
};

enum class SizeStatus { ok, invalid, too_large };

SizeStatus parse_numeric_size(std::string_view text, Size &out);
SizeStatus parse_data_size(std::string_view text, Size &out);
SizeStatus parse_extend_size(std::string_view text, Size &out);
SizeStatus parse_chunk_size(std::string_view text, uint64_t &bytes);
// STRIPE_SIZE: as CHUNK_SIZE (a bare number means K), a power of two from 4K to 4M. LVM takes up
// to the extent size; 4M is the default extent size of a VG, so every VG takes it.
SizeStatus parse_stripe_size(std::string_view text, uint64_t &bytes);

// "12.00 GiB": sizes in messages.
std::string gib_text(uint64_t bytes);

} // namespace css
