// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a whole configuration file's bytes through load_config() (fuzz_load.hpp).
// Built and run by tests/fuzz/run.sh.
//
// Invariants beyond "no crash, no sanitizer report":
//   - every diagnostic is one printable line of UTF-8 (a value echoed into a message must not
//     forge log lines) and is tied to the input file or to no file;
//   - a valid configuration, printed with format_config_shell(), reads back without an error
//     to the same Config, and prints the same text again;
//   - its JSON form is valid UTF-8 and parses as JSON (nlohmann::json) with one member per key.

#include "fuzz_load.hpp"

#include "config/config_format.hpp"
#include "config/config_keys.hpp"
#include "config/config_load.hpp"
#include "config/shell_lexer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace {

using fuzz::fail;
using fuzz::load_bytes;
using fuzz::load_text;
using fuzz::memfd_path;

void check_diagnostics(const css::LoadedConfig &loaded)
{
        for (const css::Diagnostic &d : loaded.diagnostics) {
                if (d.message.empty())
                        fail("empty diagnostic", d.to_string());
                if (!css::is_valid_utf8(d.message))
                        fail("diagnostic is not UTF-8", d.to_string());
                if (!d.file.empty() && d.file != memfd_path())
                        fail("diagnostic names another file", d.to_string());
                for (char c : d.message) {
                        unsigned char u = static_cast<unsigned char>(c);
                        if ((u < 0x20 && c != '\t') || u == 0x7f)
                                fail("control character in a diagnostic", d.to_string());
                }
        }
}

void check_round_trip(const css::LoadedConfig &loaded, css::ConfigMode mode)
{
        const std::string shell = css::format_config_shell(loaded.config);
        css::LoadedConfig again = load_text(shell, mode);
        if (!again.valid())
                fail("printed settings do not read back", shell + "---\n" + again.errors().front());
        if (!(again.config == loaded.config))
                fail("printed settings read back to other values",
                     shell + "---\n" + css::format_config_shell(again.config));
        if (css::format_config_shell(again.config) != shell)
                fail("printing is not stable", shell);

        const std::string json = css::format_config_json(loaded.config);
        if (!css::is_valid_utf8(json))
                fail("JSON output is not UTF-8", json);
        nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
        if (parsed.is_discarded())
                fail("JSON output does not parse", json);
        if (!parsed.is_object() || parsed.size() != css::config_keys.size())
                fail("JSON output is not one member per key", json);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        for (css::ConfigMode mode : {css::ConfigMode::compat, css::ConfigMode::named}) {
                css::LoadedConfig loaded = load_bytes(data, size, mode);
                if (!loaded.input_exists)
                        fail("the input file was not read", std::to_string(size) + " bytes");
                check_diagnostics(loaded);
                if (loaded.valid())
                        check_round_trip(loaded, mode);
        }
        return 0;
}
