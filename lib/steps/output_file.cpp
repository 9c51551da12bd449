// SPDX-License-Identifier: Apache-2.0
#include "steps/output_file.hpp"

#include "core/paths.hpp"
#include "engine/storage_options.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace css::steps {

Result<OutputFile> read_output_file()
{
        OutputFile f;
        const std::string path = paths::host_path(paths::sysconfig_output);
        if (::access(path.c_str(), F_OK) < 0) {
                const int e = errno;
                // A link to nothing: writing would not go where the link points, and not
                // writing would leave the engine without its settings. The admin decides.
                if (struct stat st{}; e == ENOENT && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
                        return Error{std::string(paths::sysconfig_output) +
                                             " is a symbolic link to a file that does not exist; remove the link "
                                             "or create its target",
                                     ENOENT};
                if (e == ENOENT)
                        return f;
                return make_errno_error(e, "Failed to access '" + std::string(paths::sysconfig_output) + "'");
        }
        std::ifstream in(path);
        if (!in)
                return make_errno_error(errno ? errno : EIO,
                                        "Failed to read '" + std::string(paths::sysconfig_output) + "'");
        std::stringstream buffer;
        buffer << in.rdbuf();
        f.exists = true;
        f.content = buffer.str();
        f.options = current_storage_options(f.content);
        return f;
}

Result<std::optional<std::string>> read_current_options()
{
        Result<OutputFile> f = read_output_file();
        if (!f)
                return f.error();
        return f->options;
}

} // namespace css::steps
