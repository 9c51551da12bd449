// SPDX-License-Identifier: Apache-2.0
// The LVM report reader on input lvm would not print: broken JSON, wrong types, numbers out of
// range, duplicate members, bytes that are not UTF-8, deep nesting. Each is refused with the
// reader's error, never half-read.

#include "lvm/report.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace css;

namespace {

// lvm2 2.03.16's layout (tests/unit/data/lvm/fullreport-new-vg.json, without pvseg and seg).
const std::string good = R"(  {
      "report": [
          {
              "vg": [
                  {"vg_name":"data-vg", "vg_uuid":"Xtgana", "vg_attr":"wz--n-", "vg_size":"62914560", "vg_free":"62914560", "vg_extent_size":"4194304", "vg_extent_count":"15", "vg_free_count":"15", "pv_count":"1", "lv_count":"0", "vg_profile":""}
              ]
              ,
              "pv": [
                  {"pv_name":"/dev/loop3", "vg_name":"data-vg", "pv_uuid":"MVcZLy", "pv_size":"62914560", "pv_free":"62914560", "dev_size":"67108864", "pv_major":"7", "pv_minor":"3"}
              ]
              ,
              "lv": [
              ]
          }
      ]
  }
)";

// An edit of `good` and the error the reader gives for it.
struct Edit {
        std::string from, to, error;
};

// `good` with the first `from` replaced by `to`.
std::string edited(const std::string &from, const std::string &to)
{
        std::string s = good;
        size_t at = s.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        if (at != std::string::npos)
                s.replace(at, from.size(), to);
        return s;
}

std::string error_of(const std::string &text)
{
        Result<lvm::Snapshot> r = lvm::parse_report(text);
        EXPECT_FALSE(r) << "accepted: " << text.substr(0, 200);
        return r ? std::string() : r.error().message;
}

bool invalid_json(const std::string &text)
{
        std::string e = error_of(text);
        return e.starts_with("Failed to parse the LVM report: Invalid JSON: ");
}

} // namespace

TEST(LvmReportInput, TheSampleReads)
{
        Result<lvm::Snapshot> r = lvm::parse_report(good);
        ASSERT_TRUE(r) << r.error().message;
        ASSERT_EQ(r->vgs.size(), 1u);
        EXPECT_EQ(r->vgs[0].size, 62914560u);
        ASSERT_EQ(r->pvs.size(), 1u);
        EXPECT_EQ(r->pvs[0].minor, 3u);
}

TEST(LvmReportInput, EveryTruncationIsInvalidJson)
{
        size_t end = good.rfind('}');
        for (size_t n = 0; n <= end; n++)
                EXPECT_TRUE(invalid_json(good.substr(0, n))) << n;
}

TEST(LvmReportInput, MalformedJson)
{
        for (const std::string &bad :
             {std::string(" \n "), edited("\"lv\": [", "\"lv\": [,"), edited(",\n              \"pv\"", "\"pv\""),
              edited("\"vg_name\":\"data-vg\"", "'vg_name':\"data-vg\""),
              edited("\"lv_count\":\"0\"", "\"lv_count\":01"), edited("\"lv_count\":\"0\"", "\"lv_count\":NaN"),
              edited("\"lv_count\":\"0\"", "\"lv_count\":tru"),
              edited("\"vg_profile\":\"\"", "\"vg_profile\":\"a\nb\""), // a raw control character
              edited("\"vg_profile\":\"\"", "\"vg_profile\":\"\\x\""), edited("\"lv\": [", "/* c */ \"lv\": ["),
              good + "{}", good + "x"})
                EXPECT_TRUE(invalid_json(bad)) << bad;
}

TEST(LvmReportInput, ErrorsNameLineAndColumn)
{
        std::string e = error_of(edited("\"lv\": [", "\"lv\": [x"));
        EXPECT_NE(e.find("line 12, column 22"), std::string::npos) << e;
}

TEST(LvmReportInput, WrongTypes)
{
        EXPECT_EQ(error_of(R"({"report": {}})"), "Failed to parse the LVM report: no \"report\" array");
        EXPECT_EQ(error_of("[]"), "Failed to parse the LVM report: no \"report\" array");
        EXPECT_EQ(error_of(R"({"report": ["vg"]})"), "Failed to parse the LVM report: a report entry is not an object");
        EXPECT_EQ(error_of(R"({"report": [{"pv": [[]]}]})"),
                  "Failed to parse the LVM report: a \"pv\" row is not an object");
        // Every field is a string in lvm's JSON: a number or null is no field.
        for (const Edit &e : {Edit{"\"lv\": [\n              ]", "\"lv\": null", "\"lv\" is not an array"},
                              Edit{"\"vg_size\":\"62914560\"", "\"vg_size\":62914560", "vg field 'vg_size' is missing"},
                              Edit{"\"pv_major\":\"7\"", "\"pv_major\":null", "pv field 'pv_major' is missing"},
                              Edit{"\"vg_size\":\"62914560\"", "\"vg_size\":\"\"", "vg field 'vg_size' is empty"}})
                EXPECT_EQ(error_of(edited(e.from, e.to)), "Failed to parse the LVM report: " + e.error);
}

TEST(LvmReportInput, NumbersOutOfRange)
{
        for (const Edit &e :
             {Edit{"\"vg_size\":\"62914560\"", "\"vg_size\":\"18446744073709551616\"",
                   "vg field 'vg_size' is not a number: '18446744073709551616'"},
              Edit{"\"vg_size\":\"62914560\"", "\"vg_size\":\"-5\"", "vg field 'vg_size' is not a number: '-5'"},
              Edit{"\"vg_size\":\"62914560\"", "\"vg_size\":\"6\\u0000\"",
                   std::string("vg field 'vg_size' is not a number: '6") + '\0' + "'"},
              Edit{"\"pv_major\":\"7\"", "\"pv_major\":\"4294967296\"", "pv field 'pv_major' is out of range"}})
                EXPECT_EQ(error_of(edited(e.from, e.to)), "Failed to parse the LVM report: " + e.error);
        // A JSON number past a double's range is an error, even where no field is read.
        EXPECT_TRUE(invalid_json(edited("\"lv\": [", "\"x\": 1e999, \"lv\": [")));
        // One past 2^64 in a member nobody reads is still a number.
        EXPECT_TRUE(lvm::parse_report(edited("\"lv\": [", "\"x\": 18446744073709551616, \"lv\": [")));
}

TEST(LvmReportInput, DuplicateMembersAreRefused)
{
        // Which one would count? Neither: the report is refused.
        EXPECT_EQ(error_of(edited("\"vg_attr\":\"wz--n-\"", "\"vg_attr\":\"wz--n-\", \"vg_size\":\"1\"")),
                  "Failed to parse the LVM report: duplicate member 'vg_size'");
        EXPECT_EQ(error_of(edited("\"lv\": [\n              ]", "\"lv\": [], \"pv\": []")),
                  "Failed to parse the LVM report: duplicate member 'pv'");
        EXPECT_EQ(error_of(R"({"report": [], "report": []})"),
                  "Failed to parse the LVM report: duplicate member 'report'");
        // The same name in sibling or nested objects is no duplicate.
        EXPECT_TRUE(
                lvm::parse_report(R"({"report": [{"pv": []}, {"pv": [], "x": {"pv": {"pv": 1}}}], "x": {"pv": 1}})"));
}

TEST(LvmReportInput, TextThatIsNotUtf8IsInvalidJson)
{
        for (const char *bytes : {"\xff", "\xc3", "\xc0\xaf" /* overlong '/' */, "\xed\xa0\x80" /* a surrogate */,
                                  "\xf4\x90\x80\x80" /* past U+10FFFF */, "\\uD83D" /* a lone surrogate escape */,
                                  "\\uDE00", "\\uD83D\\u0041"})
                EXPECT_TRUE(
                        invalid_json(edited("\"vg_profile\":\"\"", std::string("\"vg_profile\":\"") + bytes + "\"")))
                        << bytes;
        Result<lvm::Snapshot> r = lvm::parse_report(
                edited("\"vg_profile\":\"\"", "\"vg_profile\":\"caf\xc3\xa9 \\u20ac \\uD83D\\uDE00\""));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->vgs[0].profile, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(LvmReportInput, NestingIsLimited)
{
        // The document's object is one level; 63 arrays make the limit of 64.
        auto nested = [](int levels) {
                return std::string(R"({"report": [], "x": )") + std::string(static_cast<size_t>(levels), '[') +
                       std::string(static_cast<size_t>(levels), ']') + "}";
        };
        EXPECT_TRUE(lvm::parse_report(nested(63)));
        EXPECT_EQ(error_of(nested(64)), "Failed to parse the LVM report: nesting deeper than 64 levels");
        // Far deeper input fails without exhausting the stack or the memory.
        EXPECT_NE(error_of(nested(1000000)).find("nesting deeper than 64 levels"), std::string::npos);
        EXPECT_TRUE(invalid_json(std::string(1000000, '[')));
}
