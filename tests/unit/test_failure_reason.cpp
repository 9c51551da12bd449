// SPDX-License-Identifier: Apache-2.0
// The failing helper's reason for `check --step` (steps/failure_reason.hpp): written for the
// unit's invocation, read back by its ID, and nothing outside a unit.

#include "fake_root.hpp"
#include "steps/failure_reason.hpp"

#include <cstdlib>
#include <gtest/gtest.h>

using namespace css;
using namespace css::steps;

namespace {

constexpr const char *id = "0123456789abcdef0123456789abcdef";

class FailureReason : public ::testing::Test {
protected:
        void SetUp() override { root_ = test::make_fake_root("css-failure-reason"); }
        void TearDown() override
        {
                ::unsetenv("INVOCATION_ID");
                test::remove_fake_root(root_);
        }
        std::string root_;
};

} // namespace

TEST_F(FailureReason, RecordedForTheInvocationAndReadBack)
{
        ::setenv("INVOCATION_ID", id, 1);
        record_failure_reason("Found ext4 signature on device /dev/vdb at offset 0x438. Wipe signatures ...");
        EXPECT_EQ(recorded_failure_reason(id),
                  "Found ext4 signature on device /dev/vdb at offset 0x438. Wipe signatures ...");
        record_failure_reason("a later error");
        EXPECT_EQ(recorded_failure_reason(id), "a later error");
        EXPECT_EQ(recorded_failure_reason("fedcba9876543210fedcba9876543210"), std::nullopt);
}

TEST_F(FailureReason, NothingOutsideAUnitOrForABadId)
{
        record_failure_reason("no unit");
        EXPECT_EQ(recorded_failure_reason(id), std::nullopt);
        ::setenv("INVOCATION_ID", "../../etc/passwd", 1);
        record_failure_reason("not a file name");
        EXPECT_EQ(recorded_failure_reason("../../etc/passwd"), std::nullopt);
        ::setenv("INVOCATION_ID", id, 1);
        record_failure_reason("");
        EXPECT_EQ(recorded_failure_reason(id), std::nullopt);
}
