// SPDX-License-Identifier: Apache-2.0
// The `check` output: shell quoting, JSON escaping, and that the KEY=value output reads back
// as the same configuration.

#include "config/config_format.hpp"
#include "config/config_keys.hpp"
#include "config_test_util.hpp"
#include "core/json.hpp"

#include <gtest/gtest.h>

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
        EXPECT_EQ(json_quote("\n\t\r\x01\x7f"), "\"\\n\\t\\r\\u0001\\u007f\"");
        EXPECT_EQ(json_quote("caf\xc3\xa9 \xe2\x82\xac"), "\"caf\xc3\xa9 \xe2\x82\xac\"");
        EXPECT_EQ(json_quote("\xff"), "\"\\ufffd\"");
        EXPECT_EQ(json_quote("\xc3"), "\"\\ufffd\"");
        EXPECT_EQ(json_quote("\xe2\x82x"), "\"\\ufffd\\ufffdx\"");
        EXPECT_EQ(json_quote("</script>"), "\"</script>\"");
}

TEST(ConfigFormat, ShellOutputReadsBackAsTheSameConfig)
{
        LoadedConfig first = test::load_text(
                "STORAGE_DRIVER=devicemapper\nEXTRA_STORAGE_OPTIONS=\"--storage-opt dm.basesize=20G   --x='y "
                "z' $\"\n"
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
        EXPECT_NE(printed.find("EXTRA_STORAGE_OPTIONS='--storage-opt dm.basesize=20G --x='\\''y z'\\'' $'\n"),
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
        Result<json::Value> parsed = json::parse(text);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << text;
        const json::Value &v = *parsed;
        ASSERT_TRUE(v.is_object());
        EXPECT_EQ(v.members().size(), config_keys.size());
        for (size_t i = 0; i < config_keys.size(); i++)
                EXPECT_EQ(v.members()[i].key, config_keys[i]);
        ASSERT_TRUE(v.find("DEVS")->is_array());
        EXPECT_EQ(v.find("DEVS")->items()[1].as_string(), "we\"ird\\name");
        EXPECT_TRUE(v.find("GROWPART")->as_bool());
        EXPECT_EQ(v.find("POOL_AUTOEXTEND_THRESHOLD")->as_number(), 60);
        EXPECT_EQ(v.find("EXTRA_STORAGE_OPTIONS")->as_string(), "a\tb");
        EXPECT_EQ(v.find("STORAGE_DRIVER")->as_string(), "devicemapper");
}

} // namespace
} // namespace css
