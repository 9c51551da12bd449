// SPDX-License-Identifier: Apache-2.0
#include "unit_journal.hpp"

#include <cstdlib>
#include <memory>
#include <string_view>
#include <systemd/sd-journal.h>

namespace css::cli {

namespace {

struct JournalClose {
        void operator()(sd_journal *j) const { sd_journal_close(j); }
};
using Journal = std::unique_ptr<sd_journal, JournalClose>;

// How far back to look: a helper that fails writes a few lines, not hundreds.
constexpr int max_entries = 200;
// journald reads a finished service's output stream asynchronously; the unit that asks runs
// right after the failed one. sd_journal_wait() returns as soon as journald writes, so the
// bound only matters when journald lags, as it does on a loaded, emulated host at boot: it
// costs a failed boot at most these 10 s, and saves a reason that would otherwise be lost.
constexpr int attempts = 50;
constexpr uint64_t wait_usec = 200'000;

std::optional<std::string> field(sd_journal *j, const char *name)
{
        const void *data = nullptr;
        size_t size = 0;
        if (sd_journal_get_data(j, name, &data, &size) < 0)
                return std::nullopt;
        std::string_view text(static_cast<const char *>(data), size);
        const size_t eq = text.find('=');
        if (eq == std::string_view::npos)
                return std::nullopt;
        return std::string(text.substr(eq + 1));
}

std::optional<std::string> read_reason(sd_journal *j)
{
        if (sd_journal_seek_tail(j) < 0)
                return std::nullopt;
        std::optional<std::string> last;
        for (int n = 0; n < max_entries && sd_journal_previous(j) > 0; n++) {
                std::optional<std::string> message = field(j, "MESSAGE");
                if (!message || message->empty())
                        continue;
                std::optional<std::string> priority = field(j, "PRIORITY");
                if (priority && !priority->empty() && (*priority)[0] >= '0' && (*priority)[0] <= '3')
                        return message;
                if (!last)
                        last = message;
        }
        return last;
}

} // namespace

std::optional<std::string> last_logged_reason(const std::string &invocation_id)
{
        if (invocation_id.empty())
                return std::nullopt;
        sd_journal *raw = nullptr;
        if (sd_journal_open(&raw, SD_JOURNAL_LOCAL_ONLY) < 0)
                return std::nullopt;
        Journal j(raw);
        const std::string match = "_SYSTEMD_INVOCATION_ID=" + invocation_id;
        if (sd_journal_add_match(j.get(), match.data(), match.size()) < 0)
                return std::nullopt;
        for (int i = 0; i < attempts; i++) {
                if (std::optional<std::string> reason = read_reason(j.get()))
                        return reason;
                sd_journal_wait(j.get(), wait_usec);
        }
        return std::nullopt;
}

} // namespace css::cli
