// SPDX-License-Identifier: Apache-2.0
// The shell half of the config reader: logical lines and value unquoting.

#include "config/shell_lexer.hpp"

#include <gtest/gtest.h>

namespace css {
namespace {

std::string unquoted(std::string_view raw)
{
        UnquoteResult r = unquote_shell_value(raw);
        EXPECT_TRUE(r.ok) << "raw: " << raw << " message: " << r.message;
        return r.value;
}

UnquoteResult refused(std::string_view raw)
{
        UnquoteResult r = unquote_shell_value(raw);
        EXPECT_FALSE(r.ok) << "accepted: " << raw << " as " << r.value;
        return r;
}

TEST(ShellUnquote, PlainWords)
{
        EXPECT_EQ(unquoted(""), "");
        EXPECT_EQ(unquoted("overlay2"), "overlay2");
        EXPECT_EQ(unquoted("40%FREE"), "40%FREE");
        EXPECT_EQ(unquoted("a=b==c"), "a=b==c");
        EXPECT_EQ(unquoted("a#b"), "a#b");               // '#' inside a word is not a comment
        EXPECT_EQ(unquoted("*?[x]{a,b}"), "*?[x]{a,b}"); // no globbing or braces in assignments
        EXPECT_EQ(unquoted("value   "), "value");
}

TEST(ShellUnquote, SingleQuotes)
{
        EXPECT_EQ(unquoted("'a b'"), "a b");
        EXPECT_EQ(unquoted("'$(x) `y` $Z \\n ; | & < > ( ) ~'"), "$(x) `y` $Z \\n ; | & < > ( ) ~");
        EXPECT_EQ(unquoted("''"), "");
        EXPECT_EQ(unquoted("'line1\nline2'"), "line1\nline2");
}

TEST(ShellUnquote, DoubleQuotes)
{
        EXPECT_EQ(unquoted("\"a b\""), "a b");
        EXPECT_EQ(unquoted("\"\\\\ \\\" \\$ \\`\""), "\\ \" $ `");
        EXPECT_EQ(unquoted("\"\\n\\a\""), "\\n\\a"); // other escapes keep the backslash
        EXPECT_EQ(unquoted("\"a\\\nb\""), "ab");     // backslash-newline is removed
        EXPECT_EQ(unquoted("\"a\nb\""), "a\nb");
        EXPECT_EQ(unquoted("\"; | & < > ( ) ~ ' #\""), "; | & < > ( ) ~ ' #");
        EXPECT_EQ(unquoted("\"cost $ 5\""), "cost $ 5"); // a '$' that does not expand
        EXPECT_EQ(unquoted("\"$\""), "$");
}

TEST(ShellUnquote, BackslashOutsideQuotes)
{
        EXPECT_EQ(unquoted("a\\ b"), "a b");
        EXPECT_EQ(unquoted("\\$HOME"), "$HOME");
        EXPECT_EQ(unquoted("\\;\\|\\&"), ";|&");
        EXPECT_EQ(unquoted("a\\\nb"), "ab");
        EXPECT_EQ(unquoted("\\~x"), "~x");
}

TEST(ShellUnquote, AdjacentParts)
{
        EXPECT_EQ(unquoted("\"x\"'y'"), "xy");
        EXPECT_EQ(unquoted("a\"b c\"d'e f'g"), "ab cde fg");
        EXPECT_EQ(unquoted("'it'\\''s'"), "it's");
}

TEST(ShellUnquote, LiteralDollar)
{
        EXPECT_EQ(unquoted("$"), "$");
        EXPECT_EQ(unquoted("a$/b"), "a$/b");
        EXPECT_EQ(unquoted("a$"), "a$");
}

TEST(ShellUnquote, RefusesExpansion)
{
        EXPECT_NE(refused("$(touch /tmp/pwned)").message.find("command substitution"), std::string::npos);
        EXPECT_NE(refused("`touch /tmp/pwned`").message.find("backticks"), std::string::npos);
        EXPECT_NE(refused("\"`id`\"").message.find("backticks"), std::string::npos);
        EXPECT_NE(refused("\"$(id)\"").message.find("command substitution"), std::string::npos);
        for (const char *raw : {"$HOME", "${HOME}", "x$HOME", "$1", "$?", "$$", "$#", "$@", "$*", "$!", "$-",
                                "\"$HOME\"", "\"${X:-y}\"", "$((1+1))", "a:$PATH"})
                EXPECT_NE(refused(raw).message.find('$'), std::string::npos) << raw;
        EXPECT_NE(refused("$'a'").message.find("not supported"), std::string::npos);
        EXPECT_NE(refused("$\"a\"").message.find("not supported"), std::string::npos);
}

TEST(ShellUnquote, RefusesOperators)
{
        for (const char *raw : {"a;b", "a|b", "a&", "a&&b", "a||b", "a<b", "a>b", "<(x)", "(a b)", "a)", "x;"}) {
                UnquoteResult r = refused(raw);
                EXPECT_NE(r.message.find("shell syntax"), std::string::npos) << raw;
        }
        EXPECT_EQ(refused("abc;def").offset, 3u);
}

TEST(ShellUnquote, RefusesTilde)
{
        refused("~");
        refused("~/x");
        refused("~root");
        refused("/a:~/b");
        EXPECT_EQ(unquoted("a~b"), "a~b");
        EXPECT_EQ(unquoted("'~'"), "~");
        EXPECT_EQ(unquoted("\"~\""), "~");
}

TEST(ShellUnquote, RefusesTextAfterValue)
{
        UnquoteResult r = refused("a b");
        EXPECT_NE(r.message.find("unexpected text"), std::string::npos);
        EXPECT_EQ(r.offset, 2u);
        refused("'a' b");
        EXPECT_NE(refused("1 B=2").message.find("several assignments on one line"), std::string::npos);
        refused("a\tb");
}

TEST(ShellUnquote, RefusesUnterminatedAndBroken)
{
        EXPECT_NE(refused("'abc").message.find("unterminated single"), std::string::npos);
        EXPECT_NE(refused("\"abc").message.find("unterminated double"), std::string::npos);
        refused("abc\\");
        EXPECT_NE(refused("abc\r").message.find("carriage return"), std::string::npos);
        EXPECT_NE(refused("a\x01"
                          "b")
                          .message.find("control character"),
                  std::string::npos);
        EXPECT_NE(refused("'a\x1b'").message.find("control character"), std::string::npos);
        EXPECT_NE(refused("\xff\xfe").message.find("UTF-8"), std::string::npos);
        EXPECT_EQ(unquoted("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(ShellLexer, Utf8Validation)
{
        EXPECT_TRUE(is_valid_utf8("plain"));
        EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac \xf0\x9f\x98\x80"));
        EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));         // overlong '/'
        EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));     // surrogate
        EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // above U+10FFFF
        EXPECT_FALSE(is_valid_utf8("\xe2\x82"));         // truncated
        EXPECT_FALSE(is_valid_utf8("\x80"));
}

TEST(ShellLexer, ShellNames)
{
        EXPECT_TRUE(is_shell_name("DEVS"));
        EXPECT_TRUE(is_shell_name("_x9"));
        EXPECT_FALSE(is_shell_name(""));
        EXPECT_FALSE(is_shell_name("9X"));
        EXPECT_FALSE(is_shell_name("A-B"));
        EXPECT_FALSE(is_shell_name("A+"));
}

TEST(ShellSplit, LinesCommentsAndContinuations)
{
        SplitResult r = split_logical_lines("# comment\n\n  A=1 # trailing\nB='x\ny' #c\nC=a\\\nb\n   \nD=\"p#q\"\n");
        ASSERT_TRUE(r.errors.empty());
        std::vector<std::pair<unsigned, std::string>> got;
        for (const LogicalLine &l : r.lines)
                got.emplace_back(l.line, l.text);
        std::vector<std::pair<unsigned, std::string>> want = {
                {1, ""}, {2, ""}, {3, "A=1 "}, {4, "B='x\ny' "}, {6, "C=a\\\nb"}, {8, ""}, {9, "D=\"p#q\""},
        };
        EXPECT_EQ(got, want);
}

TEST(ShellSplit, HashInsideWordIsNotAComment)
{
        SplitResult r = split_logical_lines("A=x#y\n");
        ASSERT_EQ(r.lines.size(), 1u);
        EXPECT_EQ(r.lines[0].text, "A=x#y");
}

TEST(ShellSplit, UnterminatedQuoteNamesItsLine)
{
        SplitResult r = split_logical_lines("A=1\nB=\"open\nC=2\n");
        ASSERT_EQ(r.errors.size(), 1u);
        EXPECT_EQ(r.errors[0].line, 2u);
        EXPECT_EQ(r.errors[0].message, "unterminated double quote");
        r = split_logical_lines("X='a\n");
        ASSERT_EQ(r.errors.size(), 1u);
        EXPECT_EQ(r.errors[0].message, "unterminated single quote");
}

TEST(ShellSplit, NulByteRefusesTheFile)
{
        SplitResult r = split_logical_lines(std::string_view("A=1\nB=2\0x\n", 10));
        ASSERT_EQ(r.errors.size(), 1u);
        EXPECT_EQ(r.errors[0].line, 2u);
        EXPECT_TRUE(r.lines.empty());
}

TEST(ShellSplit, NoTrailingNewlineAndEmptyInput)
{
        EXPECT_TRUE(split_logical_lines("").lines.empty());
        SplitResult r = split_logical_lines("A=1");
        ASSERT_EQ(r.lines.size(), 1u);
        EXPECT_EQ(r.lines[0].text, "A=1");
}

} // namespace
} // namespace css
