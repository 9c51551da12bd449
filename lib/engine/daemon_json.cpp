// SPDX-License-Identifier: Apache-2.0
#include "engine/daemon_json.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace css::engine {

namespace {

constexpr size_t daemon_json_limit = 1u << 20;

Error refused(std::string_view shown_path, const std::string &reason)
{
        return Error{"Failed to use '" + std::string(shown_path) + "': " + reason +
                             "; it is left as it is and no disk was touched.",
                     EINVAL};
}

std::string shown(const nlohmann::json &value)
{
        return value.is_string() ? value.get<std::string>() : value.dump();
}

// One key: what the unit's flag and the file say against what we want.
struct KeyCheck {
        std::string_view key;
        nlohmann::json wanted;
        std::optional<nlohmann::json> flag; // the unit's flag, when it passes one
        const char *flag_name;
};

Result<void> check_key(const KeyCheck &k, const nlohmann::json &file, std::string_view shown_path,
                       nlohmann::json &to_write)
{
        const bool in_file = file.contains(k.key);
        if (k.flag) {
                if (*k.flag != k.wanted)
                        return Error{"Failed to configure docker's " + std::string(k.key) + " '" + shown(k.wanted) +
                                             "': docker.service passes " + k.flag_name + " " + shown(*k.flag) +
                                             "; remove it from the unit or change the configuration.",
                                     EINVAL};
                if (in_file)
                        return refused(shown_path, "it sets " + std::string(k.key) + " and docker.service passes " +
                                                           k.flag_name + " too (dockerd refuses to start so)");
                return {}; // the flag says it already
        }
        if (in_file) {
                if (file.at(k.key) != k.wanted)
                        return Error{"Failed to configure docker's " + std::string(k.key) + " '" + shown(k.wanted) +
                                             "': " + std::string(shown_path) + " already sets it to " +
                                             shown(file.at(k.key)) + ". To override, remove it from " +
                                             std::string(shown_path) + " and retry.",
                                     EINVAL};
                return {};
        }
        to_write[std::string(k.key)] = k.wanted;
        return {};
}

std::optional<nlohmann::json> opts_flag(const DockerdFlags &flags)
{
        if (flags.storage_opts.empty())
                return std::nullopt;
        return nlohmann::json(flags.storage_opts);
}

} // namespace

Result<DaemonJson> read_daemon_json(const std::string &path, std::string_view shown_path)
{
        DaemonJson d;
        struct stat st;
        if (::lstat(path.c_str(), &st) < 0) {
                if (errno == ENOENT)
                        return d;
                return make_errno_error(errno, "Failed to read '" + std::string(shown_path) + "'");
        }
        if (S_ISLNK(st.st_mode))
                return refused(shown_path, "it is a symbolic link");
        if (!S_ISREG(st.st_mode))
                return refused(shown_path, "it is not a regular file");
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return make_errno_error(errno, "Failed to read '" + std::string(shown_path) + "'");
        std::string text;
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < daemon_json_limit)
                text.append(buf, static_cast<size_t>(n));
        int read_errno = errno;
        ::close(fd);
        if (n < 0)
                return make_errno_error(read_errno, "Failed to read '" + std::string(shown_path) + "'");
        if (text.size() >= daemon_json_limit)
                return refused(shown_path, "it is larger than 1 MiB");
        d.exists = true;
        d.mode = st.st_mode & 07777;
        try {
                d.object = nlohmann::json::parse(text);
        } catch (const nlohmann::json::parse_error &e) {
                return refused(shown_path, std::string("it is not JSON (") + e.what() + ")");
        }
        if (!d.object.is_object())
                return refused(shown_path, "it is not a JSON object");
        return d;
}

Result<nlohmann::json> plan_daemon_json(const DaemonJson &file, const StorageSettings &wanted,
                                        const DockerdFlags &flags, std::string_view shown_path)
{
        nlohmann::json to_write = nlohmann::json::object();
        const nlohmann::json &current = file.object;

        // The driver first, with the original's words (upstream-reference §2.9).
        const std::optional<nlohmann::json> driver_flag =
                flags.storage_driver ? std::optional<nlohmann::json>(*flags.storage_driver) : std::nullopt;
        if (!driver_flag && current.contains("storage-driver") && current.at("storage-driver") != wanted.driver)
                return Error{"Storage is already configured with " + shown(current.at("storage-driver")) +
                                     " driver. Can't configure it with " + wanted.driver +
                                     " driver. To override, remove storage-driver from " + std::string(shown_path) +
                                     " and retry.",
                             EINVAL};
        if (Result<void> r = check_key({"storage-driver", wanted.driver, driver_flag, "--storage-driver"}, current,
                                       shown_path, to_write);
            !r)
                return r.error();

        if (wanted.opts && !wanted.opts->empty())
                if (Result<void> r =
                            check_key({"storage-opts", nlohmann::json(*wanted.opts), opts_flag(flags), "--storage-opt"},
                                      current, shown_path, to_write);
                    !r)
                        return r.error();

        if (wanted.data_root) {
                const std::optional<nlohmann::json> root_flag =
                        flags.data_root ? std::optional<nlohmann::json>(*flags.data_root) : std::nullopt;
                if (*wanted.data_root == docker_default_data_root) {
                        // docker's default: nothing to write, but nothing may point elsewhere.
                        nlohmann::json none = nlohmann::json::object();
                        if (root_flag || current.contains("data-root"))
                                if (Result<void> r =
                                            check_key({"data-root", *wanted.data_root, root_flag, "--data-root"},
                                                      current, shown_path, none);
                                    !r)
                                        return r.error();
                } else if (Result<void> r = check_key({"data-root", *wanted.data_root, root_flag, "--data-root"},
                                                      current, shown_path, to_write);
                           !r) {
                        return r.error();
                }
        }
        return to_write;
}

std::string render_daemon_json(const nlohmann::json &object)
{
        return object.dump(4) + "\n";
}

nlohmann::json remove_written_keys(nlohmann::json object, const nlohmann::json &written)
{
        for (const auto &[key, value] : written.items())
                if (object.contains(key) && object.at(key) == value)
                        object.erase(key);
        return object;
}

nlohmann::json written_keys_now(const nlohmann::json &object, const nlohmann::json &written)
{
        nlohmann::json now = nlohmann::json::object();
        for (const auto &[key, value] : written.items())
                now[key] = object.contains(key) ? object.at(key) : nlohmann::json();
        return now;
}

} // namespace css::engine
