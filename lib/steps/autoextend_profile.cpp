// SPDX-License-Identifier: Apache-2.0
#include "steps/autoextend_profile.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "lvm/profile.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace css::steps {

namespace {

std::optional<std::string> read_file(const std::string &path)
{
        std::ifstream in(path);
        if (!in)
                return std::nullopt;
        std::stringstream buffer;
        buffer << in.rdbuf();
        return buffer.str();
}

} // namespace

bool lvm_conf_sets_profile_dir(std::string_view text)
{
        size_t pos = 0;
        while (pos < text.size()) {
                size_t end = text.find('\n', pos);
                if (end == std::string_view::npos)
                        end = text.size();
                std::string_view line = text.substr(pos, end - pos);
                pos = end + 1;
                size_t first = line.find_first_not_of(" \t");
                if (first == std::string_view::npos || line[first] == '#')
                        continue;
                line = line.substr(first);
                constexpr std::string_view key = "profile_dir";
                if (!line.starts_with(key))
                        continue;
                std::string_view rest = line.substr(key.size());
                size_t k = rest.find_first_not_of(" \t");
                if (k != std::string_view::npos && rest[k] == '=')
                        return true;
        }
        return false;
}

Result<std::string> lvm_profile_dir()
{
        bool configured = false;
        for (std::string_view file : {"/etc/lvm/lvm.conf", "/etc/lvm/lvmlocal.conf"})
                if (std::optional<std::string> text = read_file(paths::host_path(file)))
                        configured = configured || lvm_conf_sets_profile_dir(*text);
        if (!configured)
                return std::string(lvm::default_profile_dir);
        Result<process::Outcome> o = process::run_checked(lvm::make_command(lvm::profile_dir_argv(), false));
        if (!o)
                return o.error();
        return lvm::parse_profile_dir(o->out);
}

Result<void> write_autoextend_profile(StepContext &context, const std::string &profile_dir, std::string_view vg,
                                      std::string_view pool, unsigned threshold, unsigned percent)
{
        const std::string path = paths::host_path(profile_dir + "/" + lvm::autoextend_profile_file_name(vg, pool));
        const std::string content = lvm::autoextend_profile_contents(threshold, percent);
        if (read_file(path) == content)
                return {};
        // lvm2 packages ship the directory, but nothing else needs it to exist.
        const std::string dir = paths::host_path(profile_dir);
        if (!context.dry_run() && ::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
                return make_errno_error(errno, "Failed to create directory '" + profile_dir + "'");
        return context.write_file(path, content);
}

Result<void> remove_autoextend_profile(StepContext &context, const std::string &profile_dir, std::string_view vg,
                                       std::string_view pool)
{
        const std::string file = profile_dir + "/" + lvm::autoextend_profile_file_name(vg, pool);
        const std::string path = paths::host_path(file);
        if (::access(path.c_str(), F_OK) < 0)
                return {};
        if (context.dry_run()) {
                std::printf("would remove %s\n", file.c_str());
                std::fflush(stdout);
                return {};
        }
        if (::unlink(path.c_str()) < 0 && errno != ENOENT)
                return make_errno_error(errno, "Failed to remove '" + file + "'");
        return {};
}

// `pool` is a copy: running lvchange drops the snapshot it came from.
Result<void> apply_autoextend(StepContext &context, lvm::Lv pool)
{
        const Config &config = context.config();
        const std::string name = lvm::autoextend_profile_name(pool.vg, pool.name);
        Result<std::string> dir = lvm_profile_dir();
        if (!dir)
                return dir.error();

        if (config.auto_extend_pool) {
                // The file first: lvm refuses to attach a profile it cannot read.
                if (Result<void> r =
                            write_autoextend_profile(context, *dir, pool.vg, pool.name,
                                                     config.pool_autoextend_threshold, config.pool_autoextend_percent);
                    !r)
                        return r;
                if (pool.profile != name)
                        return run_lvm_change(context, lvm::lvchange_metadataprofile(pool.vg, pool.name, name));
                return {};
        }

        // Only our own profile is detached: an admin's profile on the pool is theirs.
        if (pool.profile == name)
                if (Result<void> r = run_lvm_change(context, lvm::lvchange_detachprofile(pool.vg, pool.name)); !r)
                        return r;
        return remove_autoextend_profile(context, *dir, pool.vg, pool.name);
}

} // namespace css::steps
