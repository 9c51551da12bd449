// SPDX-License-Identifier: Apache-2.0
#include "sys/dm_thin_status.hpp"

#include "core/words.hpp"

#include <cerrno>
#include <charconv>
#include <vector>

namespace css::dm {

namespace {

bool to_u64(std::string_view s, uint64_t &out)
{
        if (s.empty())
                return false;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && p == s.data() + s.size();
}

bool fraction(std::string_view s, uint64_t &used, uint64_t &total)
{
        size_t slash = s.find('/');
        return slash != std::string_view::npos && to_u64(s.substr(0, slash), used) &&
               to_u64(s.substr(slash + 1), total) && used <= total;
}

} // namespace

double ThinPoolStatus::data_percent() const
{
        return total_data_blocks
                       ? 100.0 * static_cast<double>(used_data_blocks) / static_cast<double>(total_data_blocks)
                       : 0.0;
}

double ThinPoolStatus::metadata_percent() const
{
        return total_metadata_blocks
                       ? 100.0 * static_cast<double>(used_metadata_blocks) / static_cast<double>(total_metadata_blocks)
                       : 0.0;
}

Result<ThinPoolStatus> parse_thin_pool_status(std::string_view params)
{
        auto bad = [&](std::string_view why) {
                return Error{"Failed to parse thin-pool status '" + std::string(params) + "': " + std::string(why),
                             EINVAL};
        };
        std::vector<std::string_view> w = split_blank_words(params);
        ThinPoolStatus st;
        if (w.size() == 1 && w[0] == "Fail") {
                st.failed = true;
                return st;
        }
        if (w.size() < 4)
                return bad("too few fields");
        if (!to_u64(w[0], st.transaction_id))
                return bad("bad transaction id");
        if (!fraction(w[1], st.used_metadata_blocks, st.total_metadata_blocks))
                return bad("bad metadata blocks");
        if (!fraction(w[2], st.used_data_blocks, st.total_data_blocks))
                return bad("bad data blocks");
        if (w[3] != "-") {
                uint64_t root;
                if (!to_u64(w[3], root))
                        return bad("bad held metadata root");
                st.held_metadata_root = root;
        }

        // The remaining words are flags; each kernel version added some at the end.
        size_t i = 4;
        if (i < w.size()) {
                if (w[i] == "rw")
                        st.mode = ThinPoolStatus::Mode::rw;
                else if (w[i] == "ro")
                        st.mode = ThinPoolStatus::Mode::ro;
                else if (w[i] == "out_of_data_space")
                        st.mode = ThinPoolStatus::Mode::out_of_data_space;
                else
                        return bad("unknown mode");
                i++;
        }
        for (; i < w.size(); i++) {
                std::string_view f = w[i];
                if (f == "discard_passdown") {
                        st.discard_passdown = true;
                } else if (f == "no_discard_passdown") {
                        st.discard_passdown = false;
                } else if (f == "ignore_discard") {
                        st.discard_passdown = false;
                        st.discards_ignored = true;
                } else if (f == "error_if_no_space") {
                        st.queue_if_no_space = false;
                } else if (f == "queue_if_no_space") {
                        st.queue_if_no_space = true;
                } else if (f == "needs_check") {
                        st.needs_check = true;
                } else if (f == "-") {
                        st.needs_check = false;
                } else {
                        uint64_t v;
                        if (i + 1 != w.size() || !to_u64(f, v))
                                return bad("unknown field '" + std::string(f) + "'");
                        st.metadata_low_watermark = v;
                }
        }
        return st;
}

} // namespace css::dm
