// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading the engine's output file, /etc/sysconfig/docker-storage (upstream-reference §2.1
// step 4): what the steps decide from when the system was set up before.

#include "core/result.hpp"

#include <optional>
#include <string>

namespace css::steps {

struct OutputFile {
        bool exists = false;
        std::string content;
        // The DOCKER_STORAGE_OPTIONS value; nullopt when the file or the line is missing.
        std::optional<std::string> options;
};

Result<OutputFile> read_output_file();

// read_output_file().options.
Result<std::optional<std::string>> read_current_options();

} // namespace css::steps
