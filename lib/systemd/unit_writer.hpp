// SPDX-License-Identifier: Apache-2.0
#pragma once

// Writes a generator's output all-or-nothing. Every unit, drop-in and symlink goes first into a
// private staging directory inside the destination (same filesystem, so rename() works); only
// commit() moves the entries into place, one rename(RENAME_NOREPLACE) each, and undoes the moves
// already made if one fails. A run that fails half-way therefore leaves nothing behind for PID 1
// to load (systemd loads whatever a failed generator wrote, see systemd.generator(7)).
//
// Other generators write into the same directory at the same time (PID 1 runs them in
// parallel), so commit() merges into existing directories such as multi-user.target.wants/ and
// never replaces a file another generator wrote: a clash is an error, as systemd's own
// generators treat it (O_EXCL, "duplicate entry").

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css {

class UnitWriter {
public:
        // Creates the staging directory "<dest>/.<program>-XXXXXX". `program` also names the
        // header comment of every file.
        static Result<UnitWriter> begin(std::string dest, std::string_view program);

        UnitWriter(UnitWriter &&other) noexcept;
        UnitWriter &operator=(UnitWriter &&) = delete;
        UnitWriter(const UnitWriter &) = delete;
        ~UnitWriter();  // removes whatever was staged and not committed

        // <dest>/<name>: the header comment, then `body`.
        Result<void> add_unit(std::string_view name, std::string_view body);

        // <dest>/<unit>.d/<NN>-<name>.conf, e.g. (docker.service, 50, "container-storage-setup").
        Result<void> add_dropin(std::string_view unit, unsigned priority, std::string_view name,
                                std::string_view body);

        // <dest>/<unit>.<kind>/<target> -> ../<file>, kind being "wants" or "requires", for a
        // unit written by this run; `file` is the template when `target` is an instance of it,
        // else empty (the same as `target`). Relative, so the tree can be copied or moved.
        Result<void> add_symlink(std::string_view unit, std::string_view kind, std::string_view target,
                                 std::string_view file = {});

        // Moves everything into place, or on failure nothing (and drops the staged files).
        Result<void> commit();

        const std::string &dest() const { return dest_; }

private:
        struct Entry {
                std::string path;  // relative to dest and to the staging directory
                bool is_dir = false;
        };

        UnitWriter(std::string dest, std::string staging, std::string header);

        Result<void> ensure_dir(std::string_view relative);
        Result<void> write_file(const std::string &relative, std::string_view body);
        void remove_staging();

        std::string dest_;
        std::string staging_;
        std::string header_;
        std::vector<Entry> entries_;  // in creation order: a directory before what it holds
        bool committed_ = false;
};

} // namespace css
