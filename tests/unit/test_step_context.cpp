// SPDX-License-Identifier: Apache-2.0
//
// A dry run is the StepContext's: the same step code, run with RunMode::dry_run, prints what it
// would run or write and changes nothing, while its probes still run.

#include "steps/step_context.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace css;
namespace fs = std::filesystem;

namespace {

struct TempDir {
        std::string path;
        TempDir() : path(::testing::TempDir() + "css-context-XXXXXX") { EXPECT_NE(::mkdtemp(path.data()), nullptr); }
        ~TempDir() { fs::remove_all(path); }
};

process::Command touch(const std::string &file)
{
        process::Command c;
        c.argv = {"touch", file};
        c.mutating = true;
        return c;
}

} // namespace

TEST(StepContext, DryRunPrintsAMutatingCommandInsteadOfRunningIt)
{
        TempDir tmp;
        const Config config;
        const std::string marker = tmp.path + "/created";
        StepContext dry(config, RunMode::dry_run);
        EXPECT_TRUE(dry.dry_run());
        ::testing::internal::CaptureStdout();
        Result<process::Outcome> r = dry.run_checked(touch(marker));
        std::string printed = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_TRUE(r->skipped);
        EXPECT_EQ(printed, "would run: touch " + marker + "\n");
        EXPECT_FALSE(fs::exists(marker));

        StepContext apply(config, RunMode::apply);
        EXPECT_FALSE(apply.dry_run());
        r = apply.run_checked(touch(marker));
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_FALSE(r->skipped);
        EXPECT_TRUE(fs::exists(marker));
}

TEST(StepContext, DryRunStillRunsReadOnlyProbes)
{
        const Config config;
        StepContext dry(config, RunMode::dry_run);
        process::Command c;
        c.argv = {"printf", "probe"};
        Result<process::Outcome> r = dry.run(c);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_FALSE(r->skipped);
        EXPECT_EQ(r->out, "probe");
}

TEST(StepContext, AFailedCommandIsAnErrorNamingIt)
{
        const Config config;
        StepContext apply(config, RunMode::apply);
        Result<process::Outcome> r = apply.run_checked(touch("/nonexistent/dir/file"));
        ASSERT_FALSE(r);
        EXPECT_TRUE(r.error().message.starts_with("Failed to run 'touch /nonexistent/dir/file': exited with status 1"))
                << r.error().message;
}

TEST(StepContext, DryRunPrintsAFileInsteadOfWritingIt)
{
        TempDir tmp;
        const Config config;
        const std::string file = tmp.path + "/docker-storage";
        StepContext dry(config, RunMode::dry_run);
        ::testing::internal::CaptureStdout();
        Result<void> r = dry.write_file(file, "A=1");
        std::string printed = ::testing::internal::GetCapturedStdout();
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(printed, "would write " + file + ":\nA=1\n");
        EXPECT_TRUE(fs::is_empty(tmp.path));

        StepContext apply(config, RunMode::apply);
        ASSERT_TRUE(apply.write_file(file, "A=1\n"));
        EXPECT_TRUE(fs::exists(file));
}
