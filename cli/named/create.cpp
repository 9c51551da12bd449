// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup create [-o|--output FILE] NAME INFILE`: set up the storage INFILE
// describes (read in named mode: no default pool name, DOCKER_ROOT_VOLUME refused) and save it
// as the configuration NAME under /var/lib/container-storage-setup/NAME.

#include "arguments.hpp"
#include "commands.hpp"
#include "named/named_setup.hpp"
#include "named/state.hpp"
#include "session.hpp"

#include "core/log.hpp"
#include "sys/atomic_file.hpp"

#include <fstream>
#include <sstream>
#include <unistd.h>

namespace css::cli {

namespace {

constexpr OptionSpec create_options[] = {{"output", 'o', true}};

constexpr CommandSyntax create_syntax{
        "create",
        "create [-o|--output FILE] NAME INFILE",
        "Set up the storage described by INFILE (the keys of docker-storage-setup(5); there is\n"
        "no default CONTAINER_THINPOOL) and save it as the configuration NAME. With -o, write\n"
        "the engine's options (STORAGE_OPTIONS=...) to FILE.\n\n"
        "Options:\n"
        "  -o --output FILE  Write the storage options to FILE\n"
        "  -h --help         Show this help\n\n"
        "Exit status: 0 created, 1 failure (NAME exists, INFILE missing or invalid, a step\n"
        "failed), 2 usage error.\n",
        create_options,
        2,
        2,
};

Result<std::string> read_whole(const std::string &path)
{
        std::ifstream in(path);
        if (!in)
                return make_errno_error(errno ? errno : ENOENT, "Failed to read '" + path + "'");
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
}

} // namespace

int run_create(std::span<char *const> args)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(create_syntax, args, &exit);
        if (!parsed)
                return exit;
        const std::string &name = parsed->positional[0];
        const std::string &infile = parsed->positional[1];
        if (Result<void> r = named::check_name(name); !r)
                return fail(r.error());

        Result<FileLock> lock = take_global_lock();
        if (!lock)
                return fail(lock.error());
        named::StateDir dir(name);
        if (dir.exists())
                return fail(Error{"Storage configuration " + name + " already exists", EEXIST});
        if (::access(infile.c_str(), F_OK) < 0)
                return fail(Error{"File " + infile + " does not exist.", ENOENT});
        Result<std::string> input = read_whole(infile);
        if (!input)
                return fail(input.error());

        LoadOptions options = default_load_options();
        options.mode = ConfigMode::named;
        options.input_path = infile;
        options.input_required = true;
        std::optional<Config> config = load_reported(options);
        if (!config)
                return exit_failure;

        StepContext context(*config, RunMode::apply);
        Result<named::SetupResult> done = named::set_up(context);
        if (!done)
                return fail(done.error());
        if (parsed->has("output"))
                if (Result<void> r = write_file_atomic(parsed->options.find("output")->second, done->output); !r)
                        return fail(r.error());

        const named::Metadata metadata = named::metadata_of(*config, done->vg, done->vg_created, done->devs_resolved);
        for (Result<void> r : {dir.create_directory(), dir.write("infile", *input), dir.write("outfile", done->output),
                               dir.write_metadata(metadata), dir.write_status(named::Status::active)})
                if (!r)
                        return fail(r.error());
        std::printf("Created storage configuration %s\n", name.c_str());
        return exit_ok;
}

} // namespace css::cli
