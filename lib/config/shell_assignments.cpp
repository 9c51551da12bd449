// SPDX-License-Identifier: Apache-2.0
#include "config/shell_assignments.hpp"

#include "config/printable.hpp"
#include "config/shell_lexer.hpp"

#include <algorithm>
#include <cstring>
#include <ini.h>

namespace css {

namespace {

// Debian's libinih keeps a 200-byte line buffer on the stack (INI_MAX_LINE) and joins indented
// lines to the previous value. So inih never sees a raw line: the reader serves one logical
// line at a time cut down to "KEY=" (leading blanks already stripped, so nothing looks like a
// continuation), and the handler takes the value from our own copy of the line. This bound
// keeps every served line well inside inih's buffer.
//
// Who decides what: the lexer removes '#' comments (only it knows whether a '#' is inside
// quotes) and joins continued lines; inih classifies the rest (blank, [section], ';' comment,
// no '=') and trims the key; the handler checks the untrimmed key and unquotes the value. A
// line inih did not hand to the handler is not an assignment, and that is an error here,
// since sh would have run it as a command.
constexpr size_t served_max = 150;

struct Line {
        LogicalLine logical;
        std::string served;                // what inih reads
        size_t equals = std::string::npos; // position of the first '=' in `body`
        std::string body;                  // logical text without a leading "export "
        size_t body_offset = 0;            // where `body` starts in logical.text
        bool consumed = false;             // the handler saw this line
};

struct ParseState {
        const std::string *file;
        std::vector<Line> lines;
        size_t next = 0; // next line to serve
        ShellParseResult *result;
};

unsigned line_at(const Line &l, size_t offset_in_logical)
{
        size_t end = std::min(offset_in_logical, l.logical.text.size());
        auto newlines =
                std::count(l.logical.text.begin(), l.logical.text.begin() + static_cast<std::ptrdiff_t>(end), '\n');
        return l.logical.line + static_cast<unsigned>(newlines);
}

void add_error(ParseState &s, unsigned line, std::string message)
{
        s.result->diagnostics.push_back({Diagnostic::Severity::error, *s.file, line, std::move(message)});
}

std::string printable_key(std::string_view key)
{
        return printable_excerpt(key, 64);
}

char *reader(char *buffer, int size, void *stream)
{
        auto *s = static_cast<ParseState *>(stream);
        if (s->next >= s->lines.size())
                return nullptr;
        const std::string &served = s->lines[s->next++].served;
        size_t n = std::min(served.size(), static_cast<size_t>(size) - 1);
        std::memcpy(buffer, served.data(), n);
        buffer[n] = '\0';
        return buffer;
}

int handler(void *user, const char * /*section*/, const char *name, const char * /*value*/)
{
        // A "[section]" line never reaches the handler; it is reported below as a line that
        // was not an assignment, so the section name passed here needs no check.
        auto *s = static_cast<ParseState *>(user);
        Line &l = s->lines[s->next - 1];
        l.consumed = true;

        if (l.equals == std::string::npos) {
                add_error(*s, l.logical.line, "not an assignment (expected KEY=value)");
                return 1;
        }
        std::string_view raw_key = std::string_view(l.body).substr(0, l.equals);
        if (raw_key != name) {
                if (!raw_key.empty() && (raw_key.back() == ' ' || raw_key.back() == '\t'))
                        add_error(*s, l.logical.line,
                                  "spaces around '=' are not allowed ('KEY = value' is a "
                                  "command in shell); write KEY=value");
                else
                        add_error(*s, l.logical.line, "invalid key name '" + printable_key(raw_key) + "'");
                return 1;
        }
        if (!is_shell_name(raw_key)) {
                add_error(*s, l.logical.line, "invalid key name '" + printable_key(raw_key) + "'");
                return 1;
        }

        std::string_view raw_value = std::string_view(l.body).substr(l.equals + 1);
        size_t first = raw_value.find_first_not_of(" \t\n");
        if (!raw_value.empty() && (raw_value[0] == ' ' || raw_value[0] == '\t') && first != std::string_view::npos) {
                add_error(*s, l.logical.line,
                          "spaces around '=' are not allowed ('KEY= value' runs 'value' as a "
                          "command in shell); quote the value");
                return 1;
        }
        UnquoteResult u = unquote_shell_value(raw_value);
        if (!u.ok) {
                add_error(*s, line_at(l, l.body_offset + l.equals + 1 + u.offset),
                          std::string(raw_key) + ": " + u.message);
                return 1;
        }
        s->result->assignments.push_back({std::string(raw_key), std::move(u.value), l.logical.line});
        return 1;
}

Line prepare(LogicalLine logical)
{
        Line l;
        l.logical = std::move(logical);
        std::string_view body = l.logical.text;
        // "export KEY=value" assigns exactly like "KEY=value" for a file that is sourced.
        if (body.size() > 7 && body.substr(0, 6) == "export" && (body[6] == ' ' || body[6] == '\t')) {
                size_t start = body.find_first_not_of(" \t", 6);
                l.body_offset = start == std::string_view::npos ? body.size() : start;
        }
        l.body = std::string(body.substr(l.body_offset));
        l.equals = l.body.find('=');

        std::string served = l.equals != std::string::npos && l.equals < served_max ? l.body.substr(0, l.equals + 1)
                                                                                    : l.body.substr(0, served_max);
        // inih reads up to a newline; keep every served line a single physical line.
        std::replace_if(
                served.begin(), served.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
        l.served = served + "\n";
        return l;
}

} // namespace

ShellParseResult parse_shell_assignments(std::string_view text, const std::string &file)
{
        ShellParseResult result;
        SplitResult split = split_logical_lines(text);

        ParseState state;
        state.file = &file;
        state.result = &result;
        state.lines.reserve(split.lines.size());
        for (LogicalLine &logical : split.lines)
                state.lines.push_back(prepare(std::move(logical)));

        // inih's return value only names the first bad line; the consumed flags cover all.
        // A libinih built with INI_STOP_ON_FIRST_ERROR returns early: resume where it stopped.
        while (state.next < state.lines.size())
                (void)ini_parse_stream(reader, &state, handler, &state);

        for (const Line &l : state.lines) {
                if (l.consumed || l.logical.text.empty())
                        continue;
                // inih skipped it: a comment to inih (';'), a [section] header, or a line
                // without '='. None of them is a shell assignment.
                std::string_view body = l.body;
                std::string message;
                if (body.empty())
                        message = "'export' without an assignment is not supported";
                else if (body[0] == '[')
                        message = "section headers are not supported: this is a shell-style file of "
                                  "KEY=value lines";
                else if (l.equals == std::string::npos)
                        message = "not an assignment (expected KEY=value)";
                else
                        message = "invalid key name '" + printable_key(body.substr(0, l.equals)) + "'";
                add_error(state, l.logical.line, std::move(message));
        }
        for (const LexError &e : split.errors)
                add_error(state, e.line, e.message);

        std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                         [](const Diagnostic &a, const Diagnostic &b) { return a.line < b.line; });
        return result;
}

} // namespace css
