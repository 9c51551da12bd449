// SPDX-License-Identifier: Apache-2.0
#pragma once

// Temporary files for the config tests: a private directory removed at the end of the test.

#include "config/config_load.hpp"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace css::test {

class TempDir {
public:
        TempDir()
        {
                std::string pattern = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp");
                pattern += "/css-config-test.XXXXXX";
                if (::mkdtemp(pattern.data()) == nullptr)
                        ADD_FAILURE() << "mkdtemp failed";
                path_ = pattern;
        }
        ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }

        const std::string &path() const { return path_; }

        std::string write(const std::string &name, std::string_view text) const
        {
                std::string p = path_ + "/" + name;
                std::ofstream out(p, std::ios::binary);
                out.write(text.data(), static_cast<std::streamsize>(text.size()));
                return p;
        }

private:
        std::string path_;
};

// Loads `input` over the built-in defaults (no defaults file), in `mode`.
inline LoadedConfig load_text(std::string_view input, ConfigMode mode = ConfigMode::compat)
{
        TempDir dir;
        LoadOptions options;
        options.mode = mode;
        options.defaults_path = dir.path() + "/no-defaults-file";
        options.input_path = dir.write("input", input);
        return load_config(options);
}

inline std::vector<std::string> messages(const LoadedConfig &loaded, Diagnostic::Severity severity)
{
        std::vector<std::string> out;
        for (const Diagnostic &d : loaded.diagnostics)
                if (d.severity == severity)
                        out.push_back(d.message);
        return out;
}

inline std::vector<std::string> errors(const LoadedConfig &l)
{
        return messages(l, Diagnostic::Severity::error);
}
inline std::vector<std::string> warnings(const LoadedConfig &l)
{
        return messages(l, Diagnostic::Severity::warning);
}

} // namespace css::test
