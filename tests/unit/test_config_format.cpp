// SPDX-License-Identifier: Apache-2.0
// The `check` output: shell quoting, JSON escaping, and that the KEY=value output reads back
// as the same configuration.

#include "config/config_format.hpp"
#include "config/config_keys.hpp"
#include "config_test_util.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace css {
namespace {

TEST(ConfigFormat, ShellQuote)
{
        EXPECT_EQ(shell_quote(""), "");
        EXPECT_EQ(shell_quote("40%FREE"), "40%FREE");
        EXPECT_EQ(shell_quote("/dev/sdb"), "/dev/sdb");
        EXPECT_EQ(shell_quote("+5G"), "+5G");
        EXPECT_EQ(shell_quote("a b"), "'a b'");
        EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
        EXPECT_EQ(shell_quote("$x"), "'$x'");
        EXPECT_EQ(shell_quote("~"), "'~'");
        EXPECT_EQ(shell_quote("#"), "'#'");
        EXPECT_EQ(shell_quote("a\nb"), "'a\nb'");
}

TEST(ConfigFormat, JsonQuote)
{
        EXPECT_EQ(json_quote(""), "\"\"");
        EXPECT_EQ(json_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        EXPECT_EQ(json_quote("\n\t\r\x01\x7f"), "\"\\n\\t\\r\\u0001\x7f\"");
        EXPECT_EQ(json_quote("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
        // Bytes that are not UTF-8: one U+FFFD for each bad byte or cut-off sequence.
        EXPECT_EQ(json_quote("\xff"), "\"\xef\xbf\xbd\"");
        EXPECT_EQ(json_quote("\xc3"), "\"\xef\xbf\xbd\"");
        EXPECT_EQ(json_quote("\xe2\x82x"), "\"\xef\xbf\xbdx\"");
        EXPECT_EQ(json_quote("</script>"), "\"</script>\"");
}

TEST(ConfigFormat, ShellOutputReadsBackAsTheSameConfig)
{
        LoadedConfig first = test::load_text(
                "STORAGE_DRIVER=devicemapper\nEXTRA_STORAGE_OPTIONS=\"--storage-opt dm.basesize=20G   --x='y "
                "z'\"\n"
                "DEVS='/dev/sdb "
                "sdc'\nVG=vg\nROOT_SIZE=+5G\nDATA_SIZE=20G\nMIN_DATA_SIZE=\nPOOL_META_SIZE=64M\n"
                "CHUNK_SIZE=\nGROWPART=true\nAUTO_EXTEND_POOL=no\nDEVICE_WAIT_TIMEOUT=0\nWIPE_SIGNATURES="
                "true\n"
                "CONTAINER_THINPOOL=pool\nCONTAINER_ROOT_LV_NAME=lv\nCONTAINER_ROOT_LV_MOUNT_PATH='/srv/"
                "it'\\''s mine'\n"
                "CONTAINER_ROOT_LV_SIZE=10%VG\nCONTAINERS_STORAGE_CONF=true\n");
        ASSERT_TRUE(first.valid()) << first.errors()[0];
        std::string printed = format_config_shell(first.config);
        LoadedConfig second = test::load_text(printed);
        ASSERT_TRUE(second.valid()) << second.errors()[0];
        EXPECT_TRUE(second.diagnostics.empty());
        EXPECT_EQ(first.config, second.config);
        EXPECT_EQ(format_config_shell(second.config), printed);
        EXPECT_NE(printed.find("CONTAINER_ROOT_LV_MOUNT_PATH='/srv/it'\\''s mine'\n"), std::string::npos);
        EXPECT_NE(printed.find("EXTRA_STORAGE_OPTIONS='--storage-opt dm.basesize=20G --x='\\''y z'\\'''\n"),
                  std::string::npos)
                << printed;
}

TEST(ConfigFormat, ShellOutputListsEveryKeyInOrder)
{
        std::string printed = format_config_shell(Config{});
        std::vector<std::string> keys;
        size_t start = 0;
        while (start < printed.size()) {
                size_t end = printed.find('\n', start);
                keys.push_back(printed.substr(start, printed.find('=', start) - start));
                start = end + 1;
        }
        EXPECT_EQ(keys, std::vector<std::string>(config_keys.begin(), config_keys.end()));
}

TEST(ConfigFormat, JsonOutputParses)
{
        Config c;
        c.devs = {"/dev/sdb", "we\"ird\\name"};
        c.extra_storage_options = "a\tb";
        c.growpart = true;
        std::string text = format_config_json(c);
        // ordered_json keeps the members in the order printed.
        nlohmann::ordered_json v = nlohmann::ordered_json::parse(text, nullptr, false);
        ASSERT_TRUE(v.is_object()) << text;
        std::vector<std::string> keys;
        for (const auto &[key, value] : v.items())
                keys.push_back(key);
        EXPECT_EQ(keys, std::vector<std::string>(config_keys.begin(), config_keys.end()));
        ASSERT_TRUE(v["DEVS"].is_array());
        EXPECT_EQ(v["DEVS"][1], "we\"ird\\name");
        EXPECT_EQ(v["GROWPART"], true);
        EXPECT_EQ(v["POOL_AUTOEXTEND_THRESHOLD"], 60);
        EXPECT_EQ(v["EXTRA_STORAGE_OPTIONS"], "a\tb");
        EXPECT_EQ(v["STORAGE_DRIVER"], "devicemapper");
}

} // namespace
} // namespace css
