// SPDX-License-Identifier: Apache-2.0
// The original's size grammar, our stricter percentage forms and the byte conversion.

#include "config/size.hpp"

#include <gtest/gtest.h>

namespace css {
namespace {

constexpr uint64_t KiB = uint64_t{1} << 10, MiB = uint64_t{1} << 20, GiB = uint64_t{1} << 30;

uint64_t bytes_of(std::string_view text)
{
        Size s;
        EXPECT_EQ(parse_numeric_size(text, s), SizeStatus::ok) << text;
        EXPECT_EQ(s.kind, Size::Kind::absolute);
        EXPECT_EQ(s.text, text);
        return s.bytes;
}

TEST(Size, NumericForms)
{
        EXPECT_EQ(bytes_of("0"), 0u);
        EXPECT_EQ(bytes_of("100"), 100 * MiB); // no unit: MiB
        EXPECT_EQ(bytes_of("512b"), 512u);
        EXPECT_EQ(bytes_of("512B"), 512u);
        EXPECT_EQ(bytes_of("3s"), 3u * 512);
        EXPECT_EQ(bytes_of("3S"), 3u * 512);
        EXPECT_EQ(bytes_of("512k"), 512 * KiB);
        EXPECT_EQ(bytes_of("512K"), 512 * KiB);
        EXPECT_EQ(bytes_of("2G"), 2 * GiB);
        EXPECT_EQ(bytes_of("2g"), 2 * GiB);
        EXPECT_EQ(bytes_of("2GB"), 2 * GiB); // lvm input units are binary in either case
        EXPECT_EQ(bytes_of("2gb"), 2 * GiB);
        EXPECT_EQ(bytes_of("2GiB"), 2 * GiB);
        EXPECT_EQ(bytes_of("2Gib"), 2 * GiB);
        EXPECT_EQ(bytes_of("1t"), uint64_t{1} << 40);
        EXPECT_EQ(bytes_of("1P"), uint64_t{1} << 50);
        EXPECT_EQ(bytes_of("7E"), uint64_t{7} << 60);
        EXPECT_EQ(bytes_of("007M"), 7 * MiB);
}

TEST(Size, NumericRejects)
{
        for (const char *text : {"",    "G",    "+5G",  "-5G", "1.5G", "1,5G",   "5 G",  " 5G", "5G ",   "5x",
                                 "5GG", "5Gb1", "5GIB", "5iB", "5bB",  "5%FREE", "0x10", "5Mi", "5MiBB", "abc"}) {
                Size s;
                EXPECT_EQ(parse_numeric_size(text, s), SizeStatus::invalid) << text;
        }
}

TEST(Size, Overflow)
{
        Size s;
        // The original used bash's signed 64-bit arithmetic: 8 EiB is already "too large".
        EXPECT_EQ(parse_numeric_size("8E", s), SizeStatus::too_large);
        EXPECT_EQ(parse_numeric_size("9223372036854775807b", s), SizeStatus::ok);
        EXPECT_EQ(parse_numeric_size("9223372036854775808b", s), SizeStatus::too_large);
        EXPECT_EQ(parse_numeric_size("8796093022208", s), SizeStatus::too_large); // MiB * 2^20 = 2^63
        EXPECT_EQ(parse_numeric_size("8796093022207", s), SizeStatus::ok);
        EXPECT_EQ(parse_numeric_size("99999999999999999999999999", s), SizeStatus::too_large);
        EXPECT_EQ(parse_numeric_size("99999999999999999999999999x", s), SizeStatus::invalid);
}

TEST(Size, DataSizePercentages)
{
        Size s;
        ASSERT_EQ(parse_data_size("40%FREE", s), SizeStatus::ok);
        EXPECT_EQ(s, (Size{Size::Kind::percent_free, 0, 40, "40%FREE"}));
        ASSERT_EQ(parse_data_size("100%VG", s), SizeStatus::ok);
        EXPECT_EQ(s, (Size{Size::Kind::percent_vg, 0, 100, "100%VG"}));
        ASSERT_EQ(parse_data_size("1%FREE", s), SizeStatus::ok);
        ASSERT_EQ(parse_data_size("20G", s), SizeStatus::ok);
        EXPECT_EQ(s, (Size{Size::Kind::absolute, 20 * GiB, 0, "20G"}));
        for (const char *text :
             {"abc%FREE", "%FREE", "0%FREE", "101%FREE", "40%PVS", "40%ORIGIN", "40%free", "40%", "40%FREEx",
              "+40%FREE", "4.5%FREE", "40 %FREE", "40%%FREE", "99999999999999999999999%FREE"}) {
                EXPECT_EQ(parse_data_size(text, s), SizeStatus::invalid) << text;
        }
        EXPECT_EQ(parse_data_size("8E", s), SizeStatus::too_large);
}

TEST(Size, ExtendSize)
{
        Size s;
        for (const char *text : {"8G", "+8G", "+5g", "80%FREE", "+80%FREE", "100%VG", "50%PVS", "+1", "1024"})
                EXPECT_EQ(parse_extend_size(text, s), SizeStatus::ok) << text;
        for (const char *text : {"", "+", "++5G", "-5G", "80%ORIGIN", "0%FREE", "101%VG", "5.5G", "abc%FREE"})
                EXPECT_EQ(parse_extend_size(text, s), SizeStatus::invalid) << text;
        EXPECT_EQ(parse_extend_size("8E", s), SizeStatus::too_large);

        ASSERT_EQ(parse_extend_size("+5G", s), SizeStatus::ok);
        EXPECT_EQ(s, (Size{Size::Kind::absolute, uint64_t{5} << 30, 0, "+5G", true}));
        ASSERT_EQ(parse_extend_size("50%PVS", s), SizeStatus::ok);
        EXPECT_EQ(s, (Size{Size::Kind::percent_pvs, 0, 50, "50%PVS", false}));
        ASSERT_EQ(parse_extend_size("+80%FREE", s), SizeStatus::ok);
        EXPECT_EQ(s, (Size{Size::Kind::percent_free, 0, 80, "+80%FREE", true}));
}

TEST(Size, ChunkSize)
{
        uint64_t b = 0;
        EXPECT_EQ(parse_chunk_size("512K", b), SizeStatus::ok);
        EXPECT_EQ(b, 512 * KiB);
        EXPECT_EQ(parse_chunk_size("64", b), SizeStatus::ok); // bare number: KiB for -c
        EXPECT_EQ(b, 64 * KiB);
        EXPECT_EQ(parse_chunk_size("1G", b), SizeStatus::ok);
        EXPECT_EQ(parse_chunk_size("1m", b), SizeStatus::ok);
        EXPECT_EQ(parse_chunk_size("128s", b), SizeStatus::ok); // 64 KiB in sectors
        EXPECT_EQ(parse_chunk_size("65536b", b), SizeStatus::ok);
        EXPECT_EQ(parse_chunk_size("65536", b), SizeStatus::ok); // 64 MiB
        for (const char *text : {"32K", "100K", "2G", "0", "65535b", "x", "", "512KK", "2097152", "+64K"})
                EXPECT_EQ(parse_chunk_size(text, b), SizeStatus::invalid) << text;
        EXPECT_EQ(parse_chunk_size("99999999999999999999", b), SizeStatus::too_large);
}

} // namespace
} // namespace css
