// SPDX-License-Identifier: Apache-2.0
// Unit tests of the parts of the CLI that decide: argument parsing, the step list of compat
// mode and plan, the named configurations' metadata and status, the unit patterns of status,
// and the layout of the JSON documents (checked byte for byte and read back with nlohmann::json).

#include "arguments.hpp"
#include "image_transfer.hpp"
#include "json_output.hpp"
#include "named/state.hpp"
#include "setup_steps.hpp"
#include "step_results.hpp"
#include "switch_plan.hpp"
#include "unit_status.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace css::cli {
namespace {

constexpr OptionSpec options[] = {{"json", 0, false}, {"output", 'o', true}};

Result<Arguments> parse(std::vector<std::string> words)
{
        std::vector<char *> argv;
        for (std::string &w : words)
                argv.push_back(w.data());
        return parse_arguments("create", argv, options);
}

TEST(Arguments, OptionsAnywhereAndValuesInEveryForm)
{
        for (auto words : std::vector<std::vector<std::string>>{
                     {"-o", "F", "a", "b"}, {"a", "-oF", "b"}, {"a", "b", "--output", "F"}, {"--output=F", "a", "b"}}) {
                Result<Arguments> a = parse(words);
                ASSERT_TRUE(a) << a.error().message;
                EXPECT_EQ(a->positional, (std::vector<std::string>{"a", "b"}));
                EXPECT_EQ(a->options.at("output"), "F");
                EXPECT_FALSE(a->has("json"));
        }
}

TEST(Arguments, DoubleDashEndsOptionsAndDashIsAWord)
{
        Result<Arguments> a = parse({"--json", "--", "--output", "-"});
        ASSERT_TRUE(a);
        EXPECT_TRUE(a->has("json"));
        EXPECT_EQ(a->positional, (std::vector<std::string>{"--output", "-"}));
}

TEST(Arguments, HelpIsAlwaysAccepted)
{
        Result<Arguments> a = parse({"x", "-h"});
        ASSERT_TRUE(a);
        EXPECT_TRUE(a->help);
}

TEST(Arguments, Mistakes)
{
        Result<Arguments> unknown = parse({"--frob"});
        ASSERT_FALSE(unknown);
        EXPECT_EQ(unknown.error().message, "Unknown option '--frob' for create. Try 'create --help'.");
        EXPECT_FALSE(parse({"-x"}));
        EXPECT_FALSE(parse({"--jsonx"}));
        EXPECT_FALSE(parse({"--json=yes"}));
        EXPECT_FALSE(parse({"-jsonish"}));
        Result<Arguments> missing = parse({"a", "-o"});
        ASSERT_FALSE(missing);
        EXPECT_EQ(missing.error().message, "Option '-o' needs a value.");
}

std::vector<std::string> names(const std::vector<SetupStep> &steps)
{
        std::vector<std::string> n;
        for (const SetupStep &s : steps)
                n.push_back(s.name + " " + s.unit);
        return n;
}

TEST(SetupSteps, TheOriginalsOrderWithOnePrepareStepPerDisk)
{
        Config c;
        c.devs = {"vdb", "/dev/vdc", "/dev/vdb"};
        c.container_root_lv_name = "docker-root-lv";
        c.container_root_lv_mount_path = "/var/lib/docker";
        EXPECT_EQ(names(setup_steps(c)), (std::vector<std::string>{
                                                 "check-engine css-check-engine.service",
                                                 "prepare-disk /dev/vdb css-prepare-disk@dev-vdb.service",
                                                 "prepare-disk /dev/vdc css-prepare-disk@dev-vdc.service",
                                                 "vg css-vg.service",
                                                 "growpart css-growpart.service",
                                                 "pvresize css-pvresize.service",
                                                 "extend-root css-extend-root.service",
                                                 "thinpool css-thinpool.service",
                                                 "create-lv css-create-lv.service",
                                                 "mkfs css-mkfs.service",
                                                 "mount var-lib-docker.mount",
                                                 "growfs css-growfs.service",
                                                 "write-storage-config css-write-storage-config.service",
                                         }));
}

TEST(SetupSteps, MountUnitFollowsTheConfiguredLv)
{
        Config c;
        EXPECT_EQ(setup_steps(c)[8].name, "mount");
        EXPECT_EQ(setup_steps(c)[8].unit, "");
        c.docker_root_volume = true;
        EXPECT_EQ(setup_steps(c)[8].unit, "var-lib-docker.mount");
        c.docker_root_volume = false;
        c.container_root_lv_name = "lv";
        c.container_root_lv_mount_path = "/srv/my-data";
        EXPECT_EQ(setup_steps(c)[8].unit, "srv-my\\x2ddata.mount");
        c.storage_driver = StorageDriver::none; // no storage: no container root LV either
        EXPECT_EQ(setup_steps(c)[8].unit, "");
}

TEST(SetupSteps, StopsAtTheFirstFailure)
{
        Config c;
        StepContext context(c, RunMode::apply);
        std::vector<std::string> ran;
        auto step = [&](std::string name, int status) {
                return SetupStep{name, "", [&ran, name, status](StepContext &) {
                                         ran.push_back(name);
                                         return status;
                                 }};
        };
        std::vector<std::pair<std::string, int>> seen;
        StepHooks hooks;
        hooks.after = [&](const SetupStep &s, int status) { seen.emplace_back(s.name, status); };
        EXPECT_EQ(run_setup_steps(context, {step("a", 0), step("b", 7), step("c", 0)}, hooks), 1);
        EXPECT_EQ(ran, (std::vector<std::string>{"a", "b"}));
        EXPECT_EQ(seen, (std::vector<std::pair<std::string, int>>{{"a", 0}, {"b", 1}}));
        ran.clear();
        EXPECT_EQ(run_setup_steps(context, {step("a", 0), step("c", 0)}), 0);
        EXPECT_EQ(ran.size(), 2u);
}

TEST(Metadata, RoundTripAndTheOriginalsKeys)
{
        named::Metadata m;
        m.storage_driver = "devicemapper";
        m.vg = "docker-vg";
        m.vg_created = true;
        m.devs_resolved = {"/dev/vdb", "/dev/vdc"};
        m.container_thinpool = "pool";
        m.container_root_lv_name = "root lv";
        m.container_root_lv_mount_path = "/srv/it's";
        m.auto_extend_pool = true;
        m.device_wait_timeout = 60;
        const std::string text = named::format_metadata(m);
        EXPECT_EQ(text, "_M_METADATA_VERSION=1\n"
                        "_M_STORAGE_DRIVER=devicemapper\n"
                        "_M_VG=docker-vg\n"
                        "_M_VG_CREATED=1\n"
                        "_M_DEVS_RESOLVED='/dev/vdb /dev/vdc'\n"
                        "_M_CONTAINER_THINPOOL=pool\n"
                        "_M_CONTAINER_ROOT_LV_NAME='root lv'\n"
                        "_M_CONTAINER_ROOT_LV_MOUNT_PATH='/srv/it'\\''s'\n"
                        "_M_AUTO_EXTEND_POOL=yes\n"
                        "_M_DEVICE_WAIT_TIMEOUT=60\n");
        Result<named::Metadata> back = named::parse_metadata(text, "metadata");
        ASSERT_TRUE(back) << back.error().message;
        EXPECT_EQ(*back, m);
}

TEST(Metadata, RefusesOtherVersionsAndBadNumbers)
{
        EXPECT_FALSE(named::parse_metadata("_M_VG=x\n", "m"));
        EXPECT_FALSE(named::parse_metadata("_M_METADATA_VERSION=2\n", "m"));
        EXPECT_FALSE(named::parse_metadata("_M_METADATA_VERSION=1\n_M_DEVICE_WAIT_TIMEOUT=5s\n", "m"));
        EXPECT_FALSE(named::parse_metadata("_M_METADATA_VERSION=1\n$(reboot)\n", "m"));
}

TEST(Metadata, ConfigRoundTrip)
{
        Config c;
        c.vg = "vg";
        c.devs = {"sdb"};
        c.container_root_lv_name = "lv";
        c.container_root_lv_mount_path = "/srv";
        named::Metadata m = named::metadata_of(c, "vg", false, {"/dev/sdb"});
        EXPECT_EQ(m.container_thinpool, "docker-pool");
        Config back = named::config_of(m);
        EXPECT_EQ(back.storage_driver, StorageDriver::devicemapper);
        EXPECT_EQ(back.devs, (std::vector<std::string>{"/dev/sdb"}));
        EXPECT_EQ(back.container_root_lv_mount_path, "/srv");
        c.storage_driver = StorageDriver::overlay2;
        EXPECT_EQ(named::metadata_of(c, "vg", false, {}).container_thinpool, "") << "no pool for overlay2";
}

TEST(Status, OneWord)
{
        EXPECT_EQ(*named::parse_status("active\n"), named::Status::active);
        EXPECT_EQ(*named::parse_status("inactive"), named::Status::inactive);
        EXPECT_EQ(*named::parse_status("invalid\n"), named::Status::invalid);
        EXPECT_FALSE(named::parse_status("Active"));
        EXPECT_FALSE(named::parse_status(""));
}

TEST(Names, OneDirectoryName)
{
        EXPECT_TRUE(named::check_name("web-1"));
        for (const char *bad : {"", ".", "..", "a/b", "-x"})
                EXPECT_FALSE(named::check_name(bad)) << bad;
}

TEST(UnitPatterns, OurUnitsOnly)
{
        EXPECT_EQ(status_unit_patterns(
                          {"css-prepare-disk@dev-vdb.service", "css-vg.service", "", "var-lib-docker.mount"}),
                  (std::vector<std::string>{"css-prepare-disk@*.service", "css-vg.service", "var-lib-docker.mount",
                                            "css-cloud-init.service", "docker-storage-setup.service"}));
}

TEST(JsonText, LayoutOfTheJsonCommands)
{
        // The layout plan --json's golden files pin, in the order members were added.
        JsonDocument doc = {{"steps", {{{"name", "vg"}, {"commands", JsonDocument::array()}, {"n", 7}}}},
                            {"z", nullptr},
                            {"empty", JsonDocument::object()},
                            {"a", {"x", true}}};
        EXPECT_EQ(json_text(doc), "{\n"
                                  "  \"steps\": [\n"
                                  "    {\n"
                                  "      \"name\": \"vg\",\n"
                                  "      \"commands\": [],\n"
                                  "      \"n\": 7\n"
                                  "    }\n"
                                  "  ],\n"
                                  "  \"z\": null,\n"
                                  "  \"empty\": {},\n"
                                  "  \"a\": [\n"
                                  "    \"x\",\n"
                                  "    true\n"
                                  "  ]\n"
                                  "}\n");
}

TEST(JsonText, ReadsBack)
{
        const std::string text = "quote \" backslash \\ newline \n tab \t ctl \x01 caf\xc3\xa9";
        JsonDocument doc = {{"s", text}, {"n", uint64_t{18446744073709551615u}}, {"i", -3}, {"f", 10.29}};
        std::string printed = json_text(doc);
        EXPECT_NE(printed.find(R"("quote \" backslash \\ newline \n tab \t ctl \u0001 caf)"
                               "\xc3\xa9\""),
                  std::string::npos)
                << printed;
        nlohmann::json back = nlohmann::json::parse(printed);
        EXPECT_EQ(back["s"], text);
        EXPECT_EQ(back["n"].get<uint64_t>(), 18446744073709551615u);
        EXPECT_EQ(back["i"], -3);
        EXPECT_NE(printed.find("\"f\": 10.29\n"), std::string::npos) << printed;
}

TEST(JsonText, BytesThatAreNotUtf8PrintAsReplacementCharacters)
{
        // A device name or a file's content is not always UTF-8; the document still prints.
        JsonDocument doc = {{"device", "/dev/disk/by-label/a\xff\xc3"}};
        std::string printed;
        ASSERT_NO_THROW(printed = json_text(doc));
        EXPECT_EQ(nlohmann::json::parse(printed)["device"], "/dev/disk/by-label/a\xef\xbf\xbd\xef\xbf\xbd");
}

UnitState unit(std::string name, std::string active, std::string result = "success", bool skipped = false)
{
        UnitState u;
        u.name = std::move(name);
        u.load_state = "loaded";
        u.active_state = std::move(active);
        u.result = std::move(result);
        u.skipped_by_condition = skipped;
        u.invocation_id = "0123456789abcdef0123456789abcdef";
        return u;
}

// Issue 15, item 10: docker-storage-setup.service names the step that failed and its reason.
TEST(StepResults, SucceededOrSkippedByConditionIsFine)
{
        auto never = [](const UnitState &) -> std::optional<std::string> {
                ADD_FAILURE() << "asked for a reason";
                return std::nullopt;
        };
        EXPECT_TRUE(step_problems({unit("css-vg.service", "active"), unit("var-lib-docker.mount", "active"),
                                   unit("css-create-lv.service", "inactive", "success", true)},
                                  never)
                            .empty());
        EXPECT_TRUE(step_problems({}, never).empty());
}

TEST(StepResults, TheFailedStepWithItsReasonThenWhatDidNotRun)
{
        UnitState failed = unit("css-prepare-disk@dev-vdb.service", "failed", "exit-code");
        failed.exec_main_status = 1;
        const std::vector<UnitState> units = {unit("css-check-engine.service", "active"), failed,
                                              unit("css-vg.service", "inactive"),
                                              unit("css-thinpool.service", "inactive")};
        const std::string reason = "Found ext4 signature on device /dev/vdb at offset 0x438. Wipe signatures "
                                   "using wipefs or use WIPE_SIGNATURES=true and retry.";
        EXPECT_EQ(step_problems(units,
                                [&](const UnitState &u) -> std::optional<std::string> {
                                        EXPECT_EQ(u.name, "css-prepare-disk@dev-vdb.service");
                                        return reason;
                                }),
                  (std::vector<std::string>{
                          "css-prepare-disk@dev-vdb.service failed: " + reason,
                          "Did not run, since a step before them failed: css-vg.service, css-thinpool.service."}));

        // Nothing in the journal: the result and where to look.
        EXPECT_EQ(step_problems({failed}, [](const UnitState &) { return std::optional<std::string>(); }),
                  std::vector<std::string>{"css-prepare-disk@dev-vdb.service failed (exit-code, status 1); see: "
                                           "journalctl -b -u css-prepare-disk@dev-vdb.service"});
        // A reason is one printable line, cut when long.
        std::vector<std::string> lines =
                step_problems({failed}, [](const UnitState &) { return std::string("a\nb") + std::string(1000, 'x'); });
        ASSERT_EQ(lines.size(), 1u);
        EXPECT_EQ(lines[0].find('\n'), std::string::npos);
        EXPECT_LT(lines[0].size(), 500u);
}

TEST(StepResults, NotRunWithoutAFailureIsStillAProblem)
{
        // A disk that never appeared: its step's job failed on the device, the step never ran.
        UnitState missing = unit("css-prepare-disk@dev-vdc.service", "inactive");
        missing.invocation_id.clear();
        UnitState not_found = unit("css-mkfs.service", "inactive");
        not_found.load_state = "not-found";
        EXPECT_EQ(step_problems({missing, not_found}, [](const UnitState &) { return std::optional<std::string>(); }),
                  (std::vector<std::string>{"css-mkfs.service is not loaded (not-found).",
                                            "Did not run (a unit they need failed or did not appear): "
                                            "css-prepare-disk@dev-vdc.service."}));
}

TEST(Switch, ActiveEnginesFromSystemctlIsActive)
{
        const std::vector<std::string> units{"docker.socket", "docker.service", "podman.service", "crio.service"};
        EXPECT_EQ(active_units(units, "active\nactive\ninactive\nactivating\n"),
                  (std::vector<std::string>{"docker.socket", "docker.service", "crio.service"}));
        EXPECT_EQ(active_units(units, "inactive\nfailed\n"), std::vector<std::string>{});
        EXPECT_EQ(active_units(units, ""), std::vector<std::string>{});
        EXPECT_EQ(join_words({}), "nothing");
        EXPECT_EQ(join_words({"docker.socket", "docker.service"}), "docker.socket docker.service");
}

// A switch run again after a cut during its export replaces its own export, manifest first; an
// export never replaces anything else.
TEST(Switch, ExportDirectoryIsReplacedOnlyWhenItHoldsAnExport)
{
        namespace fs = std::filesystem;
        std::string dir = (fs::temp_directory_path() / "css-export.XXXXXX").string();
        ASSERT_TRUE(::mkdtemp(dir.data()));
        const Config config;
        StepContext apply(config, RunMode::apply), dry(config, RunMode::dry_run);
        EXPECT_TRUE(check_export_dir(apply, dir + "/new", false));
        EXPECT_TRUE(check_export_dir(apply, dir, false));

        fs::create_directories(dir + "/volumes");
        std::ofstream(dir + "/images.tar") << "x";
        std::ofstream(dir + "/volumes/data.tar") << "x";
        std::ofstream(dir + "/manifest.json") << "{}";
        Result<void> refused = check_export_dir(apply, dir, false);
        ASSERT_FALSE(refused);
        EXPECT_NE(refused.error().message.find("is not empty: an export never replaces files"), std::string::npos);
        EXPECT_TRUE(check_export_dir(dry, dir, true));
        EXPECT_TRUE(fs::exists(dir + "/manifest.json")); // a dry run removes nothing
        EXPECT_TRUE(check_export_dir(apply, dir, true));
        EXPECT_FALSE(fs::exists(dir + "/manifest.json"));
        EXPECT_TRUE(fs::exists(dir + "/images.tar"));
        EXPECT_TRUE(check_export_dir(apply, dir, true)); // no manifest left: still fine

        std::ofstream(dir + "/notes.txt") << "the admin's";
        EXPECT_FALSE(check_export_dir(apply, dir, true));
        fs::remove(dir + "/notes.txt");
        std::ofstream(dir + "/volumes/readme") << "x";
        EXPECT_FALSE(check_export_dir(apply, dir, true));
        fs::remove_all(dir);
}

} // namespace
} // namespace css::cli
