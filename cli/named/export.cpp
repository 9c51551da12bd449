// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup export NAME`: the saved output file (STORAGE_OPTIONS=...) of a
// named configuration on stdout. The original checked for the metadata file twice and never
// for the output file; a missing output file is reported here.

#include "arguments.hpp"
#include "commands.hpp"
#include "named/state.hpp"
#include "session.hpp"

#include "core/log.hpp"

namespace css::cli {

namespace {

constexpr CommandSyntax export_syntax{
        "export",
        "export NAME",
        "Print the storage options file of the configuration NAME.\n\n"
        "Options:\n"
        "  -h --help    Show this help\n\n"
        "Exit status: 0 printed, 1 NAME does not exist or has no output file, 2 usage error.\n",
        {},
        1,
        1,
};

} // namespace

int run_export(std::span<char *const> args)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(export_syntax, args, &exit);
        if (!parsed)
                return exit;
        Result<FileLock> lock = take_global_lock();
        if (!lock)
                return fail(lock.error());
        Result<named::StateDir> dir = named::existing(parsed->positional[0]);
        if (!dir)
                return fail(dir.error());
        Result<std::string> out = dir->read("outfile");
        if (!out)
                return fail(out.error());
        return write_stdout(*out) ? exit_ok : exit_failure;
}

} // namespace css::cli
