// SPDX-License-Identifier: Apache-2.0
#pragma once

// For the libFuzzer targets that read a whole configuration file: the input's bytes go through
// load_config() as the input file, the path `check` and the generator use, including
// read_config_file() (the bytes sit in a memfd reached by its /proc path, so no lib change and no
// disk I/O), and a broken invariant aborts with what broke it.

#include "config/config_load.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace fuzz {

[[noreturn]] inline void fail(const char *what, const std::string &detail)
{
        std::fprintf(stderr, "invariant broken: %s\n%s\n", what, detail.c_str());
        std::abort();
}

// One memfd for the whole run, rewritten for each input.
inline const std::string &memfd_path()
{
        static const std::string path = [] {
                int fd = ::memfd_create("fuzz-config", MFD_CLOEXEC);
                if (fd < 0) {
                        std::perror("memfd_create");
                        std::abort();
                }
                return "/proc/self/fd/" + std::to_string(fd);
        }();
        return path;
}

inline css::LoadedConfig load_bytes(const uint8_t *data, size_t size, css::ConfigMode mode)
{
        const std::string &p = memfd_path();
        const int fd = std::atoi(p.c_str() + p.rfind('/') + 1);
        if (::ftruncate(fd, 0) < 0 || (size > 0 && ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))) {
                std::perror("memfd write");
                std::abort();
        }
        css::LoadOptions options;
        options.mode = mode;
        options.defaults_path = ""; // the built-in defaults, as with no defaults file installed
        options.input_path = p;
        options.input_required = true;
        return css::load_config(options);
}

inline css::LoadedConfig load_text(const std::string &text, css::ConfigMode mode)
{
        return load_bytes(reinterpret_cast<const uint8_t *>(text.data()), text.size(), mode);
}

} // namespace fuzz
