// SPDX-License-Identifier: Apache-2.0
// Whole files through the inih-based reader: what is an assignment, and what is refused.

#include "config/shell_assignments.hpp"

#include <gtest/gtest.h>

namespace css {
namespace {

struct Parsed {
        std::vector<std::tuple<std::string, std::string, unsigned>> assignments;
        std::vector<std::string> errors;
};

Parsed parse(std::string_view text)
{
        ShellParseResult r = parse_shell_assignments(text, "f.conf");
        Parsed p;
        for (const ShellAssignment &a : r.assignments)
                p.assignments.emplace_back(a.key, a.value, a.line);
        for (const Diagnostic &d : r.diagnostics) {
                EXPECT_EQ(d.severity, Diagnostic::Severity::error);
                p.errors.push_back(d.to_string());
        }
        return p;
}

using A = std::tuple<std::string, std::string, unsigned>;

TEST(ShellAssignments, Basic)
{
        Parsed p = parse("# header\n\nSTORAGE_DRIVER=overlay2\n  DEVS=\"/dev/sdb /dev/sdc\"  # two disks\n"
                         "export VG=vg0\nexport\tX='a'\"b\"\nEMPTY=\nEMPTY2=   # nothing\n");
        EXPECT_TRUE(p.errors.empty()) << p.errors[0];
        std::vector<A> want = {{"STORAGE_DRIVER", "overlay2", 3},
                               {"DEVS", "/dev/sdb /dev/sdc", 4},
                               {"VG", "vg0", 5},
                               {"X", "ab", 6},
                               {"EMPTY", "", 7},
                               {"EMPTY2", "", 8}};
        EXPECT_EQ(p.assignments, want);
}

TEST(ShellAssignments, LaterAssignmentsAreKeptInOrder)
{
        Parsed p = parse("A=1\nA=2\n");
        std::vector<A> want = {{"A", "1", 1}, {"A", "2", 2}};
        EXPECT_EQ(p.assignments, want);
}

TEST(ShellAssignments, MultiLineQuotedValueAndLineNumbers)
{
        Parsed p = parse("DEVS=\"/dev/sdb\n      /dev/sdc\"\nVG=x\n");
        std::vector<A> want = {{"DEVS", "/dev/sdb\n      /dev/sdc", 1}, {"VG", "x", 3}};
        EXPECT_TRUE(p.errors.empty());
        EXPECT_EQ(p.assignments, want);
}

TEST(ShellAssignments, ErrorInContinuationNamesThePhysicalLine)
{
        Parsed p = parse("A=1\nDEVS=\"/dev/sdb\n$(id)\"\n");
        ASSERT_EQ(p.errors.size(), 1u);
        EXPECT_EQ(p.errors[0].rfind("f.conf:3: DEVS: command substitution", 0), 0u) << p.errors[0];
}

TEST(ShellAssignments, LongLinesPassInihsLimit)
{
        // Debian's inih stops at 200 bytes per line; a DEVS list of by-id paths is longer.
        std::string devs;
        for (int i = 0; i < 20; i++)
                devs += "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_drive-scsi0-0-0-" + std::to_string(i) + " ";
        Parsed p = parse("DEVS=\"" + devs + "\"\n");
        ASSERT_TRUE(p.errors.empty());
        ASSERT_EQ(p.assignments.size(), 1u);
        EXPECT_EQ(std::get<1>(p.assignments[0]), devs);

        std::string huge(1 << 20, 'x');
        p = parse("A=" + huge + "\nB=2\n");
        ASSERT_EQ(p.assignments.size(), 2u);
        EXPECT_EQ(std::get<1>(p.assignments[0]).size(), huge.size());

        p = parse(huge + "\n");
        ASSERT_EQ(p.errors.size(), 1u);
        EXPECT_EQ(p.errors[0], "f.conf:1: not an assignment (expected KEY=value)");

        p = parse(huge + "=1\n");
        ASSERT_EQ(p.errors.size(), 1u);
        EXPECT_EQ(p.errors[0].rfind("f.conf:1: invalid key name 'xxxx", 0), 0u);
}

TEST(ShellAssignments, Refusals)
{
        struct Case {
                const char *text;
                const char *error;
        };
        const Case cases[] = {
                {"A=$(touch /tmp/pwned)\n", "f.conf:1: A: command substitution '$(...)' is not allowed"},
                {"A=`touch /tmp/pwned`\n", "f.conf:1: A: command substitution with backticks"},
                {"A=1; touch /tmp/pwned\n", "f.conf:1: A: unquoted ';' is shell syntax"},
                {"A=1 | cat\n", "f.conf:1: A: unexpected text after the value"},
                {"A=1|cat\n", "f.conf:1: A: unquoted '|' is shell syntax"},
                {"A=1&\n", "f.conf:1: A: unquoted '&' is shell syntax"},
                {"A=x>y\n", "f.conf:1: A: unquoted '>' is shell syntax"},
                {"A=x<y\n", "f.conf:1: A: unquoted '<' is shell syntax"},
                {"A=(x y)\n", "f.conf:1: A: unquoted '(' is shell syntax"},
                {"A=$BEE/x\n", "f.conf:1: A: variable expansion '$BEE' is not allowed"},
                {"A=${B}\n", "f.conf:1: A: variable expansion '${...}' is not allowed"},
                {"A=\"$?\"\n", "f.conf:1: A: variable expansion '$?' is not allowed"},
                {"A = 1\n", "f.conf:1: spaces around '=' are not allowed ('KEY = value'"},
                {"A =1\n", "f.conf:1: spaces around '=' are not allowed ('KEY = value'"},
                {"A= 1\n", "f.conf:1: spaces around '=' are not allowed ('KEY= value'"},
                {"A='open\n", "f.conf:1: unterminated single quote"},
                {"\n\nA=\"open\nmore\n", "f.conf:3: unterminated double quote"},
                {"touch /tmp/pwned\n", "f.conf:1: not an assignment (expected KEY=value)"},
                {"[section]\n", "f.conf:1: section headers are not supported"},
                {"[section]\nA=1\n", "f.conf:1: section headers are not supported"},
                {"; A=1\n", "f.conf:1: invalid key name '; A'"},
                {"a:b\n", "f.conf:1: not an assignment (expected KEY=value)"},
                {"A:B=1\n", "f.conf:1: invalid key name 'A:B'"},
                {"1A=x\n", "f.conf:1: invalid key name '1A'"},
                {"A-B=x\n", "f.conf:1: invalid key name 'A-B'"},
                {"A+=x\n", "f.conf:1: invalid key name 'A+'"},
                {"\"A\"=x\n", "f.conf:1: invalid key name '\"A\"'"},
                {"=x\n", "f.conf:1: invalid key name ''"},
                {"export\n", "f.conf:1: not an assignment (expected KEY=value)"},
                {"export A\n", "f.conf:1: not an assignment (expected KEY=value)"},
                {"\xef\xbb\xbf"
                 "A=1\n",
                 "f.conf:1: invalid key name '\xef\xbb\xbf"
                 "A'"},
                {"A=1\r\n", "f.conf:1: A: carriage return in value"},
                {"A=~/x\n", "f.conf:1: A: unquoted '~' would be expanded"},
        };
        for (const Case &c : cases) {
                Parsed p = parse(c.text);
                ASSERT_EQ(p.errors.size(), 1u) << c.text;
                EXPECT_EQ(p.errors[0].rfind(c.error, 0), 0u) << "input: " << c.text << "\ngot: " << p.errors[0];
        }
}

TEST(ShellAssignments, NulByte)
{
        Parsed p = parse(std::string_view("A=1\nB=\0\n", 8));
        ASSERT_EQ(p.errors.size(), 1u);
        EXPECT_EQ(p.errors[0], "f.conf:2: NUL byte in file");
        EXPECT_TRUE(p.assignments.empty());
}

TEST(ShellAssignments, EveryBadLineIsReported)
{
        Parsed p = parse("A=1\nfoo\nB=$(x)\n[s]\nC=3\n");
        std::vector<std::string> lines;
        for (const std::string &e : p.errors)
                lines.push_back(e.substr(0, e.find(':', 7)));
        std::vector<std::string> want = {"f.conf:2", "f.conf:3", "f.conf:4"};
        EXPECT_EQ(lines, want);
}

TEST(ShellAssignments, ManyKeys)
{
        std::string text;
        for (int i = 0; i < 10000; i++)
                text += "KEY_" + std::to_string(i) + "=" + std::to_string(i) + "\n";
        Parsed p = parse(text);
        ASSERT_EQ(p.assignments.size(), 10000u);
        EXPECT_EQ(p.assignments[9999], A("KEY_9999", "9999", 10000));
}

} // namespace
} // namespace css
