// SPDX-License-Identifier: Apache-2.0
#include "systemd/unit_name.hpp"

#include <climits>
#include <vector>

namespace css::unit_name {

namespace {

bool is_plain(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_' ||
               c == '.';
}

void append_hex_escape(std::string &out, unsigned char c)
{
        static constexpr char hex[] = "0123456789abcdef";
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 0xf];
}

// The path's non-empty components, in order ("a//b/" gives "a", "b").
std::vector<std::string_view> components(std::string_view path)
{
        std::vector<std::string_view> parts;
        size_t i = 0;
        while (i < path.size()) {
                while (i < path.size() && path[i] == '/')
                        i++;
                size_t j = i;
                while (j < path.size() && path[j] != '/')
                        j++;
                if (j > i)
                        parts.push_back(path.substr(i, j - i));
                i = j;
        }
        return parts;
}

} // namespace

std::string escape(std::string_view s)
{
        std::string out;
        out.reserve(s.size() * 2);
        for (size_t i = 0; i < s.size(); i++) {
                const char c = s[i];
                // A leading dot would make a hidden file, which unit loading skips.
                if (i == 0 && c == '.')
                        append_hex_escape(out, static_cast<unsigned char>(c));
                else if (c == '/')
                        out += '-';
                else if (is_plain(c))
                        out += c;
                else
                        append_hex_escape(out, static_cast<unsigned char>(c));
        }
        return out;
}

std::string simplify_path(std::string_view path)
{
        const bool absolute = !path.empty() && path.front() == '/';
        std::vector<std::string_view> parts;
        for (std::string_view part : components(path))
                if (part != ".")
                        parts.push_back(part);

        std::string out;
        if (absolute)
                out += '/';
        for (size_t k = 0; k < parts.size(); k++) {
                if (k > 0)
                        out += '/';
                out += parts[k];
        }
        // A relative path made only of "." components simplifies to "." in systemd.
        if (out.empty() && !path.empty())
                out = ".";
        return out;
}

bool has_dot_component(std::string_view path)
{
        for (std::string_view name : components(path))
                if (name == "." || name == "..")
                        return true;
        return false;
}

Result<std::string> path_escape(std::string_view path)
{
        if (path.size() >= PATH_MAX)
                return Error{"Failed to escape path '" + std::string(path) + "': too long"};

        // As systemd's empty_or_root(): both "" and "/" name the root.
        std::string p = simplify_path(path);
        if (p.empty() || p == "/")
                return std::string("-");

        // systemd's path_is_normalized(): ".." (and a lone ".") cannot be expressed in a unit name
        // that maps back to the same path.
        if (has_dot_component(p))
                return Error{"Failed to escape path '" + std::string(path) + "': not normalized"};

        std::string_view trimmed = p;
        while (!trimmed.empty() && trimmed.front() == '/')
                trimmed.remove_prefix(1);
        return escape(trimmed);
}

Result<std::string> from_path(std::string_view path, std::string_view type)
{
        Result<std::string> escaped = path_escape(path);
        if (!escaped)
                return escaped.error();
        std::string name = std::move(*escaped);
        name += '.';
        name += type;
        if (name.size() > max_length)
                return Error{"Failed to make a unit name from '" + std::string(path) + "': name too long"};
        return name;
}

Result<std::string> instantiate(std::string_view template_name, std::string_view instance)
{
        const size_t at = template_name.find('@');
        const size_t dot = template_name.rfind('.');
        if (at == std::string_view::npos || dot == std::string_view::npos || dot != at + 1 || at == 0)
                return Error{"Failed to instantiate '" + std::string(template_name) + "': not a template"};
        if (instance.empty())
                return Error{"Failed to instantiate '" + std::string(template_name) + "': empty instance"};

        std::string name{template_name.substr(0, at + 1)};
        name += instance;
        name += template_name.substr(dot);
        if (name.size() > max_length)
                return Error{"Failed to instantiate '" + std::string(template_name) + "': name too long"};
        return name;
}

} // namespace css::unit_name
