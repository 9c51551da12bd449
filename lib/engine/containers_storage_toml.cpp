// SPDX-License-Identifier: Apache-2.0
#include "engine/containers_storage_toml.hpp"

#include <cerrno>
#include <sstream>

// Header-only, and errors as values: the project's Result, no exception crossing our code.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

namespace css {

namespace {

constexpr std::string_view storage_table = "storage";

struct Key {
        std::string_view name;
        std::string ContainersStorageSettings::*field;
};
constexpr Key keys[] = {
        {"driver", &ContainersStorageSettings::driver},
        {"runroot", &ContainersStorageSettings::runroot},
        {"graphroot", &ContainersStorageSettings::graphroot},
};

Error bad_file(std::string_view path, const std::string &reason)
{
        return Error{"Failed to read '" + std::string(path) + "': " + reason, EINVAL};
}

// The document; a [storage] that is not a table is an error too.
Result<toml::table> parse(std::string_view text, std::string_view path)
{
        toml::parse_result parsed = toml::parse(text, path);
        if (!parsed) {
                const toml::parse_error &e = parsed.error();
                return bad_file(path, "not valid TOML: " + std::string(e.description()) + " (line " +
                                              std::to_string(e.source().begin.line) + ", column " +
                                              std::to_string(e.source().begin.column) + ")");
        }
        toml::table root = std::move(parsed).table();
        if (const toml::node *storage = root.get(storage_table); storage && !storage->is_table())
                return bad_file(path, "[storage] is not a table");
        return root;
}

} // namespace

ContainersStorageSettings containers_storage_defaults()
{
        return {"overlay", "/run/containers/storage", "/var/lib/containers/storage"};
}

Result<ContainersStorageSettings> parse_containers_storage(std::string_view text, std::string_view path)
{
        Result<toml::table> root = parse(text, path);
        if (!root)
                return root.error();
        ContainersStorageSettings settings;
        const toml::table *storage = root->get_as<toml::table>(storage_table);
        if (!storage)
                return settings;
        for (const Key &key : keys) {
                const toml::node *node = storage->get(key.name);
                if (!node)
                        continue;
                if (!node->is_string())
                        return bad_file(path, "[storage] " + std::string(key.name) + " is not a string");
                settings.*key.field = node->as_string()->get();
        }
        return settings;
}

Result<std::string> rewrite_containers_storage(std::string_view text, std::string_view path,
                                               const ContainersStorageSettings &set)
{
        Result<toml::table> root = parse(text, path);
        if (!root)
                return root.error();
        toml::table *table = root->get_as<toml::table>(storage_table);
        if (!table)
                table = root->insert_or_assign(storage_table, toml::table{}).first->second.as_table();
        for (const Key &key : keys)
                if (!(set.*key.field).empty())
                        table->insert_or_assign(key.name, set.*key.field);

        // Double quotes as the distributions' files have them; no indentation of sub-tables.
        constexpr toml::format_flags flags = toml::toml_formatter::default_flags &
                                             ~toml::format_flags::allow_literal_strings &
                                             ~toml::format_flags::indentation;
        std::ostringstream out;
        out << toml::toml_formatter(*root, flags) << '\n';
        return out.str();
}

} // namespace css
