// SPDX-License-Identifier: Apache-2.0
#include "engine/engine_version.hpp"

#include <charconv>

namespace css::engine {

namespace {

// "N.N.N" or "N.N" at the start of `text`, followed by the end, a blank, ',', '+', '-' or '~'
// (Debian's "+dfsg1", release candidates "-rc.1").
std::optional<Version> leading_version(std::string_view text)
{
        unsigned parts[3] = {0, 0, 0};
        size_t pos = 0;
        int count = 0;
        while (count < 3) {
                const char *begin = text.data() + pos;
                const char *end = text.data() + text.size();
                auto [next, ec] = std::from_chars(begin, end, parts[count]);
                if (ec != std::errc() || next == begin)
                        return std::nullopt;
                pos = static_cast<size_t>(next - text.data());
                count++;
                if (pos < text.size() && text[pos] == '.' && count < 3) {
                        pos++;
                        continue;
                }
                break;
        }
        if (count < 2)
                return std::nullopt;
        if (pos < text.size() && std::string_view(" \t\n,+-~").find(text[pos]) == std::string_view::npos)
                return std::nullopt;
        return Version{parts[0], parts[1], parts[2]};
}

std::optional<Version> after_prefix(std::string_view text, std::string_view prefix)
{
        if (!text.starts_with(prefix))
                return std::nullopt;
        return leading_version(text.substr(prefix.size()));
}

} // namespace

std::optional<Version> parse_docker_version(std::string_view text)
{
        return after_prefix(text, "Docker version ");
}

std::optional<Version> parse_podman_version(std::string_view text)
{
        return after_prefix(text, "podman version ");
}

std::string to_string(const Version &v)
{
        return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

} // namespace css::engine
