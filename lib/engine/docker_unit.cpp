// SPDX-License-Identifier: Apache-2.0
#include "engine/docker_unit.hpp"

#include "config/shell_assignments.hpp"
#include "core/directory.hpp"
#include "core/log.hpp"
#include "core/small_file.hpp"

#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

namespace css::engine {

namespace {

constexpr size_t unit_file_limit = 1u << 20;
constexpr std::string_view storage_variable = "DOCKER_STORAGE_OPTIONS";
constexpr std::string_view sysconfig_storage = "/etc/sysconfig/docker-storage";

std::string_view trim(std::string_view s)
{
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
                s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
                s.remove_suffix(1);
        return s;
}

bool is_name_char(char c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The unit file's logical lines: a line ending in a backslash continues on the next one (the
// backslash becomes a blank); comment lines inside a continuation are skipped, as systemd does.
std::vector<std::string> logical_lines(std::string_view text)
{
        std::vector<std::string> lines;
        std::string current;
        size_t pos = 0;
        while (pos <= text.size()) {
                size_t end = text.find('\n', pos);
                if (end == std::string_view::npos)
                        end = text.size();
                std::string_view line = trim(text.substr(pos, end - pos));
                pos = end + 1;
                if (line.starts_with('#') || line.starts_with(';'))
                        continue;
                if (line.ends_with('\\')) {
                        current += line.substr(0, line.size() - 1);
                        current += ' ';
                        continue;
                }
                current += line;
                if (!current.empty())
                        lines.push_back(current);
                current.clear();
                if (end == text.size())
                        break;
        }
        if (!current.empty())
                lines.push_back(current);
        return lines;
}

// systemd's word splitting of a command line or an Environment= value: blanks separate words,
// double and single quotes group, a backslash escapes the next character.
std::vector<std::string> split_words(std::string_view s)
{
        std::vector<std::string> words;
        std::string word;
        bool in_word = false;
        char quote = 0;
        for (size_t i = 0; i < s.size(); i++) {
                char c = s[i];
                if (quote) {
                        if (c == quote)
                                quote = 0;
                        else if (c == '\\' && quote == '"' && i + 1 < s.size())
                                word += s[++i];
                        else
                                word += c;
                        continue;
                }
                if (c == ' ' || c == '\t') {
                        if (in_word)
                                words.push_back(word);
                        word.clear();
                        in_word = false;
                        continue;
                }
                in_word = true;
                if (c == '"' || c == '\'')
                        quote = c;
                else if (c == '\\' && i + 1 < s.size())
                        word += s[++i];
                else
                        word += c;
        }
        if (in_word)
                words.push_back(word);
        return words;
}

std::string_view environment_file_path(std::string_view entry)
{
        if (entry.starts_with('-'))
                entry.remove_prefix(1);
        return entry;
}

// A fragment linked to /dev/null is a masked unit: systemd does not load it.
bool masked(const std::string &path)
{
        struct stat st;
        return ::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

std::map<std::string, std::string> load_environment(const std::string &root, const ServiceSettings &settings)
{
        std::map<std::string, std::string> env;
        for (const std::string &entry : settings.environment) {
                size_t eq = entry.find('=');
                if (eq != std::string::npos && eq > 0)
                        env[entry.substr(0, eq)] = entry.substr(eq + 1);
        }
        for (const std::string &entry : settings.environment_files) {
                const std::string path(environment_file_path(entry));
                std::optional<std::string> text = read_small_file(root + path, unit_file_limit);
                if (!text)
                        continue; // systemd fails the unit only for a missing file without '-'
                ShellParseResult parsed = parse_shell_assignments(*text, path);
                for (const Diagnostic &d : parsed.diagnostics)
                        log::debug(path + ": " + d.message);
                for (const ShellAssignment &a : parsed.assignments)
                        env[a.key] = a.value;
        }
        return env;
}

} // namespace

void apply_unit_file(ServiceSettings &settings, std::string_view text)
{
        bool in_service = false;
        for (const std::string &line : logical_lines(text)) {
                if (line.starts_with('[')) {
                        in_service = line == "[Service]";
                        continue;
                }
                if (!in_service)
                        continue;
                size_t eq = line.find('=');
                if (eq == std::string::npos)
                        continue;
                const std::string_view key = trim(std::string_view(line).substr(0, eq));
                const std::string value(trim(std::string_view(line).substr(eq + 1)));
                if (key == "EnvironmentFile") {
                        if (value.empty())
                                settings.environment_files.clear();
                        else
                                settings.environment_files.push_back(value);
                } else if (key == "Environment") {
                        if (value.empty())
                                settings.environment.clear();
                        for (std::string &w : split_words(value))
                                settings.environment.push_back(std::move(w));
                } else if (key == "ExecStart") {
                        if (value.empty())
                                settings.exec_start.clear();
                        else
                                settings.exec_start.push_back(value);
                }
        }
}

bool uses_variable(std::string_view command_line, std::string_view name)
{
        const std::string plain = "$" + std::string(name);
        const std::string braced = "${" + std::string(name) + "}";
        if (command_line.find(braced) != std::string_view::npos)
                return true;
        for (size_t at = command_line.find(plain); at != std::string_view::npos;
             at = command_line.find(plain, at + 1)) {
                size_t after = at + plain.size();
                if (after == command_line.size() || !is_name_char(command_line[after]))
                        return true;
        }
        return false;
}

bool reads_sysconfig_storage(const ServiceSettings &settings)
{
        bool file = false;
        for (const std::string &entry : settings.environment_files)
                if (environment_file_path(entry) == sysconfig_storage)
                        file = true;
        if (!file)
                return false;
        for (const std::string &command : settings.exec_start)
                if (uses_variable(command, storage_variable))
                        return true;
        return false;
}

std::vector<std::string> expand_command_line(std::string_view command_line,
                                             const std::map<std::string, std::string> &environment)
{
        std::string_view line = trim(command_line);
        while (!line.empty() && std::string_view("-@+!:").find(line.front()) != std::string_view::npos)
                line.remove_prefix(1);
        auto lookup = [&](const std::string &name) {
                auto it = environment.find(name);
                return it == environment.end() ? std::string() : it->second;
        };
        std::vector<std::string> out;
        for (const std::string &word : split_words(line)) {
                if (word.size() > 1 && word[0] == '$' && word[1] != '{') {
                        const std::string name = word.substr(1);
                        if (std::all_of(name.begin(), name.end(), is_name_char)) {
                                for (std::string &w : split_words(lookup(name)))
                                        out.push_back(std::move(w));
                                continue;
                        }
                }
                std::string expanded;
                for (size_t i = 0; i < word.size(); i++) {
                        size_t close = word.find('}', i);
                        if (word.compare(i, 2, "${") == 0 && close != std::string::npos) {
                                expanded += lookup(word.substr(i + 2, close - i - 2));
                                i = close;
                        } else {
                                expanded += word[i];
                        }
                }
                out.push_back(std::move(expanded));
        }
        return out;
}

DockerUnit load_docker_unit(const std::string &root)
{
        DockerUnit unit;
        for (std::string_view dir : system_unit_dirs) {
                const std::string path = std::string(dir) + "/" + std::string(docker_unit_name);
                if (::access((root + path).c_str(), F_OK) != 0)
                        continue;
                if (masked(root + path))
                        return unit;
                unit.fragment = path;
                break;
        }
        if (unit.fragment.empty())
                return unit;
        std::optional<std::string> fragment = read_small_file(root + unit.fragment, unit_file_limit);
        if (!fragment)
                return unit;
        unit.found = true;
        apply_unit_file(unit.settings, *fragment);

        // Drop-ins: by file name; the first directory holding a name wins.
        std::map<std::string, std::string> dropins;
        for (std::string_view dir : system_unit_dirs) {
                const std::string d = std::string(dir) + "/" + std::string(docker_unit_name) + ".d";
                for (const std::string &name : list_directory_or_empty(root + d))
                        if (name.ends_with(".conf"))
                                dropins.emplace(name, d + "/" + name);
        }
        for (const auto &[name, path] : dropins) {
                if (masked(root + path))
                        continue;
                if (std::optional<std::string> text = read_small_file(root + path, unit_file_limit)) {
                        apply_unit_file(unit.settings, *text);
                        unit.dropins.push_back(path);
                }
        }

        unit.reads_sysconfig = reads_sysconfig_storage(unit.settings);
        unit.environment = load_environment(root, unit.settings);
        for (const std::string &command : unit.settings.exec_start)
                merge_flags(unit.flags, parse_dockerd_flags(expand_command_line(command, unit.environment)));
        return unit;
}

} // namespace css::engine
