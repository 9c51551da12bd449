// SPDX-License-Identifier: Apache-2.0
#include "steps/failure_reason.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"

#include <algorithm>
#include <cstdlib>

namespace css::steps {

namespace {

// systemd's invocation IDs are 128-bit, written as 32 lowercase hex digits: nothing else may
// become a file name here.
bool is_invocation_id(std::string_view id)
{
        return id.size() == 32 && std::all_of(id.begin(), id.end(),
                                              [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string reason_dir()
{
        return paths::host_path(std::string(scratch_dir) + "/failed");
}

} // namespace

void record_failure_reason(std::string_view reason)
{
        const char *id = std::getenv("INVOCATION_ID");
        if (reason.empty() || !id || !is_invocation_id(id))
                return;
        const std::string dir = reason_dir();
        Result<void> r = make_directories(dir);
        if (r)
                r = write_file_atomic(dir + "/" + id, std::string(reason) + "\n");
        if (!r)
                log::debug("The failure reason for check was not recorded: " + r.error().message);
}

std::optional<std::string> recorded_failure_reason(std::string_view invocation_id)
{
        if (!is_invocation_id(invocation_id))
                return std::nullopt;
        std::optional<std::string> text = read_small_file(reason_dir() + "/" + std::string(invocation_id), 4096);
        if (!text || text->empty())
                return std::nullopt;
        if (text->back() == '\n')
                text->pop_back();
        return text;
}

} // namespace css::steps
