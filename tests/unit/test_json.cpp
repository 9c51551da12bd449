// SPDX-License-Identifier: Apache-2.0
#include "core/json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

using namespace css;

namespace
{

json::Value ok(std::string_view text)
{
        Result<json::Value> r = json::parse(text);
        EXPECT_TRUE(r) << text << ": " << (r ? "" : r.error().message);
        return r ? *r : json::Value();
}

std::string error_of(std::string_view text, unsigned depth = json::default_max_depth)
{
        Result<json::Value> r = json::parse(text, depth);
        EXPECT_FALSE(r) << "accepted: " << text;
        return r ? "" : r.error().message;
}

} // namespace

TEST(Json, Scalars)
{
        EXPECT_TRUE(ok("null").is_null());
        EXPECT_TRUE(ok("true").as_bool());
        EXPECT_TRUE(ok("false").is_bool());
        EXPECT_FALSE(ok("false").as_bool());
        EXPECT_EQ(ok("\"x\"").as_string(), "x");
        EXPECT_EQ(ok("  \t\r\n 7 \n").as_number(), 7);
}

TEST(Json, Numbers)
{
        EXPECT_EQ(ok("0").as_number(), 0);
        EXPECT_EQ(ok("-0").as_number(), 0);
        EXPECT_EQ(ok("-12").as_number(), -12);
        EXPECT_DOUBLE_EQ(ok("3.25").as_number(), 3.25);
        EXPECT_DOUBLE_EQ(ok("1e3").as_number(), 1000);
        EXPECT_DOUBLE_EQ(ok("2.5E-2").as_number(), 0.025);
        EXPECT_DOUBLE_EQ(ok("1e+2").as_number(), 100);
        // The literal is kept, so a 64-bit value survives exactly.
        EXPECT_EQ(ok("18446744073709551615").as_string(), "18446744073709551615");
        EXPECT_TRUE(std::isinf(ok("1e999").as_number()));
}

TEST(Json, MalformedNumbers)
{
        for (const char *bad :
             {"01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "1.2.3", "--1", "NaN", "Infinity"})
                error_of(bad);
}

TEST(Json, StringEscapes)
{
        EXPECT_EQ(ok(R"("a\"b\\c\/d\b\f\n\r\t")").as_string(), "a\"b\\c/d\b\f\n\r\t");
        EXPECT_EQ(ok(R"("\u0041\u00e9\u20AC")").as_string(), "A\xC3\xA9\xE2\x82\xAC");
        EXPECT_EQ(ok(R"("\u0000")").as_string(), std::string(1, '\0'));
        // U+1F600 as a surrogate pair becomes one 4-byte UTF-8 sequence.
        EXPECT_EQ(ok(R"("\uD83D\uDE00")").as_string(), "\xF0\x9F\x98\x80");
        // Raw UTF-8 passes through.
        EXPECT_EQ(ok("\"caf\xC3\xA9\"").as_string(), "caf\xC3\xA9");
}

TEST(Json, MalformedStrings)
{
        EXPECT_NE(error_of(R"("abc)").find("unterminated string"), std::string::npos);
        EXPECT_NE(error_of(R"("\x")").find("invalid escape"), std::string::npos);
        EXPECT_NE(error_of(R"("\u12")").find("\\u"), std::string::npos);
        EXPECT_NE(error_of(R"("\u12G4")").find("invalid hex digit"), std::string::npos);
        EXPECT_NE(error_of(R"("\uD83D")").find("unpaired high surrogate"), std::string::npos);
        EXPECT_NE(error_of(R"("\uD83Dx")").find("unpaired high surrogate"), std::string::npos);
        EXPECT_NE(error_of(R"("\uD83D\u0041")").find("unpaired high surrogate"), std::string::npos);
        EXPECT_NE(error_of(R"("\uDE00")").find("unpaired low surrogate"), std::string::npos);
        EXPECT_NE(error_of("\"a\nb\"").find("control character"), std::string::npos);
        EXPECT_NE(error_of("\"\xC3\"").find("invalid UTF-8"), std::string::npos);
        EXPECT_NE(error_of("\"\xC0\xAF\"").find("invalid UTF-8"), std::string::npos);     // overlong '/'
        EXPECT_NE(error_of("\"\xED\xA0\x80\"").find("invalid UTF-8"), std::string::npos); // raw surrogate
        EXPECT_NE(error_of("\"\xFF\"").find("invalid UTF-8"), std::string::npos);
}

TEST(Json, ObjectsAndArrays)
{
        json::Value v = ok(R"({"a": [1, "two", {"b": null}], "c": {}, "d": [], "a": "dup"})");
        ASSERT_TRUE(v.is_object());
        ASSERT_EQ(v.members().size(), 4u);
        EXPECT_EQ(v.members()[1].key, "c");
        const json::Value *a = v.find("a");
        ASSERT_NE(a, nullptr);
        ASSERT_TRUE(a->is_array()); // the first of duplicate keys
        ASSERT_EQ(a->items().size(), 3u);
        EXPECT_EQ(a->items()[1].as_string(), "two");
        EXPECT_TRUE(a->items()[2].find("b")->is_null());
        EXPECT_TRUE(v.find("c")->members().empty());
        EXPECT_TRUE(v.find("d")->items().empty());
        EXPECT_EQ(v.find("missing"), nullptr);
        EXPECT_EQ(a->find("x"), nullptr); // not an object
}

TEST(Json, MalformedStructure)
{
        EXPECT_NE(error_of("").find("unexpected end of input"), std::string::npos);
        EXPECT_NE(error_of("   ").find("unexpected end of input"), std::string::npos);
        EXPECT_NE(error_of("[1, 2").find("unexpected end of input"), std::string::npos);
        EXPECT_NE(error_of("[1 2]").find("expected ',' or ']'"), std::string::npos);
        EXPECT_NE(error_of("[1,]").find("unexpected character ']'"), std::string::npos);
        EXPECT_NE(error_of("{\"a\" 1}").find("expected ':'"), std::string::npos);
        EXPECT_NE(error_of("{\"a\": 1,}").find("expected a member name"), std::string::npos);
        EXPECT_NE(error_of("{a: 1}").find("expected a member name"), std::string::npos);
        EXPECT_NE(error_of("{\"a\": 1").find("unexpected end of input"), std::string::npos);
        EXPECT_NE(error_of("1 2").find("unexpected data after the value"), std::string::npos);
        EXPECT_NE(error_of("{} {}").find("unexpected data after the value"), std::string::npos);
        EXPECT_NE(error_of("tru").find("invalid literal"), std::string::npos);
        EXPECT_NE(error_of("nul").find("invalid literal"), std::string::npos);
        EXPECT_NE(error_of("'x'").find("unexpected character"), std::string::npos);
        error_of("\xEF\xBB\xBF{}"); // a byte-order mark is not JSON
}

TEST(Json, ErrorsNameLineAndColumn)
{
        EXPECT_EQ(error_of("{\n  \"a\": [1,\n   x]\n}"),
                  "Invalid JSON at line 3, column 4: unexpected character 'x'");
}

TEST(Json, DepthLimit)
{
        std::string deep_ok(64, '[');
        deep_ok += std::string(64, ']');
        EXPECT_TRUE(json::parse(deep_ok));
        std::string too_deep(65, '[');
        too_deep += std::string(65, ']');
        EXPECT_NE(error_of(too_deep).find("nesting deeper than 64 levels"), std::string::npos);
        // Far deeper input fails cleanly instead of exhausting the stack.
        std::string bomb(1000000, '[');
        error_of(bomb);
        EXPECT_NE(error_of("{\"a\":{\"b\":{}}}", 2).find("nesting deeper than 2"), std::string::npos);
        EXPECT_TRUE(json::parse("{\"a\":{\"b\":1}}", 2));
}

TEST(Json, LvmStyleReport)
{
        // lvm's own layout: leading spaces, a comma on its own line between sections.
        json::Value v =
                ok("  {\n      \"report\": [\n          {\n              \"vg\": [\n"
                   "                  {\"vg_name\":\"vg0\", \"vg_size\":\"1602224128\"}\n"
                   "              ]\n              ,\n              \"lv\": [\n              ]\n          }\n"
                   "      ]\n  }\n");
        const json::Value *report = v.find("report");
        ASSERT_NE(report, nullptr);
        ASSERT_EQ(report->items().size(), 1u);
        EXPECT_EQ(report->items()[0].find("vg")->items()[0].find("vg_size")->as_string(), "1602224128");
}
