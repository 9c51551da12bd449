// SPDX-License-Identifier: Apache-2.0
// The kernel command line switch of the generator, read the way systemd reads its own.

#include "systemd/environment.hpp"
#include "systemd/proc_cmdline.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace css {
namespace {

using proc_cmdline::get_boolean;
using proc_cmdline::split;

constexpr std::string_view key = "container_storage_setup";

TEST(GeneratorCmdline, SplitsLikeSystemd)
{
        EXPECT_EQ(split("  a b\tc\n"), (std::vector<std::string>{"a", "b", "c"}));
        EXPECT_EQ(split("foo=\"a b\" 'c d' x"), (std::vector<std::string>{"foo=a b", "c d", "x"}));
        EXPECT_EQ(split("\"container_storage_setup=0\""), (std::vector<std::string>{"container_storage_setup=0"}));
        EXPECT_EQ(split("a=\"unterminated rest"), (std::vector<std::string>{"a=unterminated rest"}));
        EXPECT_EQ(split("a\\ b"), (std::vector<std::string>{"a\\ b"})); // escapes kept, as systemd does
        EXPECT_TRUE(split("").empty());
        EXPECT_TRUE(split("   ").empty());
}

TEST(GeneratorCmdline, Booleans)
{
        for (const char *t : {"1", "yes", "y", "true", "t", "on", "YES", "True"})
                EXPECT_EQ(proc_cmdline::parse_boolean(t), true) << t;
        for (const char *f : {"0", "no", "n", "false", "f", "off", "OFF"})
                EXPECT_EQ(proc_cmdline::parse_boolean(f), false) << f;
        for (const char *bad : {"", "2", "disable", "nope"})
                EXPECT_FALSE(proc_cmdline::parse_boolean(bad).has_value()) << bad;
}

TEST(GeneratorCmdline, LastValueWins)
{
        EXPECT_FALSE(get_boolean("quiet", key, false).value.has_value());
        EXPECT_EQ(get_boolean("container_storage_setup=0", key, false).value, false);
        EXPECT_EQ(get_boolean("container_storage_setup=0 container_storage_setup=1", key, false).value, true);
        EXPECT_EQ(get_boolean("container_storage_setup=1 container_storage_setup=off", key, false).value, false);
        EXPECT_EQ(get_boolean("container_storage_setup", key, false).value, true);
        // '-' and '_' are the same in keys.
        EXPECT_EQ(get_boolean("container-storage-setup=no", key, false).value, false);
        // Only the whole key: neither a longer nor a quoted-away one.
        EXPECT_FALSE(get_boolean("container_storage_setup_x=0", key, false).value.has_value());
        EXPECT_FALSE(get_boolean("foo=\"container_storage_setup=0\"", key, false).value.has_value());
        EXPECT_EQ(get_boolean("\"container_storage_setup=0\"", key, false).value, false);
}

TEST(GeneratorCmdline, InvalidValuesAreReportedAndIgnored)
{
        proc_cmdline::BooleanSwitch s =
                get_boolean("container_storage_setup=0 container_storage_setup=maybe", key, false);
        EXPECT_EQ(s.value, false);
        ASSERT_EQ(s.invalid.size(), 1u);
        EXPECT_EQ(s.invalid[0], "container_storage_setup=maybe");
}

TEST(GeneratorCmdline, RdPrefixOnlyInTheInitrd)
{
        EXPECT_FALSE(get_boolean("rd.container_storage_setup=0", key, false).value.has_value());
        EXPECT_EQ(get_boolean("rd.container_storage_setup=0", key, true).value, false);
        // In the initrd both spellings count; the last one given wins.
        EXPECT_EQ(get_boolean("rd.container_storage_setup=0 container_storage_setup=1", key, true).value, true);
        EXPECT_EQ(get_boolean("container_storage_setup=1 rd.container_storage_setup=0", key, true).value, false);
        EXPECT_EQ(get_boolean("container_storage_setup=1 rd.container_storage_setup=0", key, false).value, true);
}

TEST(GeneratorEnvironment, Overrides)
{
        setenv("CSS_IN_INITRD", "1", 1);
        EXPECT_TRUE(environment::in_initrd());
        setenv("CSS_IN_INITRD", "no", 1);
        EXPECT_FALSE(environment::in_initrd());
        unsetenv("CSS_IN_INITRD");

        setenv("CSS_IN_CONTAINER", "yes", 1);
        EXPECT_TRUE(environment::in_container());
        setenv("CSS_IN_CONTAINER", "0", 1);
        EXPECT_FALSE(environment::in_container());
        unsetenv("CSS_IN_CONTAINER");

        setenv("CSS_PROC_CMDLINE", "a b=\"c d\"", 1);
        EXPECT_EQ(environment::kernel_cmdline(), "a b=\"c d\"");
        unsetenv("CSS_PROC_CMDLINE");
}

} // namespace
} // namespace css
