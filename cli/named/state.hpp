// SPDX-License-Identifier: Apache-2.0
#pragma once

// The state of a named storage configuration (the original's new mode, upstream-reference
// §3), with the original's layout so its tools and ours read the same directories:
//   /var/lib/container-storage-setup/NAME/infile    a copy of the INFILE given to create
//   /var/lib/container-storage-setup/NAME/outfile   the STORAGE_OPTIONS=... file
//   /var/lib/container-storage-setup/NAME/metadata  _M_-prefixed shell assignments
//   /var/lib/container-storage-setup/NAME/status    one word: active, inactive or invalid

#include "config/config.hpp"
#include "core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css::cli::named {

struct Metadata {
        std::string storage_driver; // "" for none
        std::string vg;
        bool vg_created = false; // create made the VG: remove takes it down again
        std::vector<std::string> devs_resolved;
        std::string container_thinpool;
        std::string container_root_lv_name;
        std::string container_root_lv_mount_path;
        bool auto_extend_pool = false;
        unsigned device_wait_timeout = 0;
        bool operator==(const Metadata &) const = default;
};

// _M_METADATA_VERSION=1 first, then one _M_KEY=value line per field, values single-quoted
// where the shell needs it.
std::string format_metadata(const Metadata &m);
Result<Metadata> parse_metadata(std::string_view text, const std::string &file);

// What a named configuration's options file holds, read back into a Metadata-like view.
Metadata metadata_of(const Config &config, std::string_view vg, bool vg_created,
                     const std::vector<std::string> &devs_resolved);

enum class Status { active, inactive, invalid };
std::string_view to_string(Status s);
Result<Status> parse_status(std::string_view word);

// A NAME must be usable as one directory name.
Result<void> check_name(std::string_view name);

class StateDir {
public:
        explicit StateDir(std::string name);

        const std::string &name() const { return name_; }
        std::string path() const; // host path of the directory
        std::string file(std::string_view which) const { return path() + "/" + std::string(which); }
        bool exists() const;

        Result<Metadata> read_metadata() const;
        Result<Status> read_status() const;
        Result<std::string> read(std::string_view which) const;

        Result<void> create_directory() const;
        Result<void> write(std::string_view which, std::string_view content) const;
        Result<void> write_metadata(const Metadata &m) const { return write("metadata", format_metadata(m)); }
        Result<void> write_status(Status s) const { return write("status", std::string(to_string(s)) + "\n"); }
        Result<void> remove() const;

private:
        std::string name_;
};

// The names of every configuration, sorted.
Result<std::vector<std::string>> list_names();

// "Storage configuration NAME does not exist" unless it does.
Result<StateDir> existing(std::string_view name);

// An existing configuration with its metadata and status read.
struct Opened {
        StateDir dir;
        Metadata metadata;
        Status status = Status::invalid;
};
Result<Opened> open_configuration(std::string_view name);

// The settings the lib/steps functions need to act on a saved configuration.
Config config_of(const Metadata &m);

} // namespace css::cli::named
