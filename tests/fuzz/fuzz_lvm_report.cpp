// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: bytes through lvm::parse_report(), the reader of `lvm fullreport
// --reportformat json` (nlohmann::json with the reader's own checks: duplicate members, the
// nesting limit, strings for every field). Built and run by tests/fuzz/run.sh.
//
// Invariants beyond "no crash, no sanitizer report":
//   - what the reader accepts is JSON to nlohmann::json as well (its checks only refuse more);
//   - an error is the reader's: "Failed to parse the LVM report: ...".

#include "lvm/report.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void fail(const char *what, std::string_view detail)
{
        std::fprintf(stderr, "invariant broken: %s\n%.*s\n", what, static_cast<int>(detail.size()), detail.data());
        std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        std::string_view text(reinterpret_cast<const char *>(data), size);
        css::Result<css::lvm::Snapshot> snapshot = css::lvm::parse_report(text);
        if (!snapshot) {
                if (!snapshot.error().message.starts_with("Failed to parse the LVM report: "))
                        fail("an error that is not the reader's", snapshot.error().message);
                return 0;
        }
        if (nlohmann::json::parse(text.begin(), text.end(), nullptr, false).is_discarded())
                fail("a report that is not JSON was accepted", text);
        return 0;
}
