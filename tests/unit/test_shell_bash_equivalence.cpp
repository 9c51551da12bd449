// SPDX-License-Identifier: Apache-2.0
// Differential test: every value the reader accepts must be exactly what bash assigns when it
// sources the same text. Only fixed, known-harmless inputs from this file are given to bash.

#include "config/shell_assignments.hpp"
#include "config_test_util.hpp"

#include <cstdio>
#include <gtest/gtest.h>
#include <sys/wait.h>

namespace css {
namespace {

// What `bash` leaves in $V after sourcing `path`, or nullopt when bash cannot be run.
std::optional<std::string> bash_value(const std::string &path)
{
        std::string command = "env -i /bin/bash --norc --noprofile -c 'source \"$1\" && printf %s \"$V\"' bash '" +
                              path + "' 2>/dev/null";
        FILE *p = ::popen(command.c_str(), "r");
        if (!p)
                return std::nullopt;
        std::string out;
        char buffer[4096];
        size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0)
                out.append(buffer, n);
        int status = ::pclose(p);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return std::nullopt;
        return out;
}

TEST(ShellBashEquivalence, AcceptedValuesMatchBash)
{
        if (::access("/bin/bash", X_OK) != 0)
                GTEST_SKIP() << "no /bin/bash";
        const char *cases[] = {
                "V=plain",
                "V='a b'",
                "V=\"a\\\\ b \\\" \\$ \\` c\"",
                "V=\"\\n\\a\\t\"",
                "V=a\\ b",
                "V=\\$HOME",
                "V=a\\;b\\|c\\&d\\<e\\>f\\(g\\)",
                "V=\"x\"'y'z",
                "V='it'\\''s'",
                "V=a#b",
                "V=$",
                "V=a$/b",
                "V=\"cost $ 5\"",
                "V=\"$\"",
                "V=*?[x]{a,b}",
                "V=\"a\\\nb\"",
                "V=a\\\nb",
                "V='l1\nl2'",
                "V=\"l1\n  l2\"",
                "V=a~b",
                "V=\\~x",
                "V=\"~\"",
                "V=x=y",
                "export V=exported",
                "  export\tV=indented",
                "V=   # comment",
                "V=\"p#q\" # c",
                "V=",
                "V=''\"\"",
                "V=caf\xc3\xa9",
                "V=first\nV=second",
                "V=\"; | & < > ( ) '\"",
                "V='\"\\'",
        };
        test::TempDir dir;
        for (const char *text : cases) {
                std::string path = dir.write("case.conf", std::string(text) + "\n");
                ShellParseResult ours = parse_shell_assignments(std::string(text) + "\n", "case.conf");
                ASSERT_TRUE(ours.diagnostics.empty()) << text << ": " << ours.diagnostics[0].to_string();
                ASSERT_FALSE(ours.assignments.empty()) << text;
                std::optional<std::string> bash = bash_value(path);
                ASSERT_TRUE(bash.has_value()) << "bash failed on: " << text;
                EXPECT_EQ(ours.assignments.back().value, *bash) << "input: " << text;
        }
}

} // namespace
} // namespace css
