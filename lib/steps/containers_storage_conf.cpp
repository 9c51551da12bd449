// SPDX-License-Identifier: Apache-2.0
#include "steps/containers_storage_conf.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "sys/atomic_file.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace css::steps {

std::optional<std::string> containers_storage_conf(StorageDriver driver)
{
        if (driver != StorageDriver::overlay && driver != StorageDriver::overlay2)
                return std::nullopt;
        std::string s{containers_storage_conf_marker};
        s += "\n"
             "# It is not rewritten while it exists: edit it freely. See containers-storage.conf(5).\n"
             "[storage]\n"
             "driver = \"overlay\"\n"
             "runroot = \"/run/containers/storage\"\n"
             "graphroot = \"/var/lib/containers/storage\"\n";
        return s;
}

Result<void> write_containers_storage_conf(const Config &config)
{
        if (!config.containers_storage_conf)
                return {};
        const std::string path = paths::host_path(containers_storage_conf_path);
        if (::access(path.c_str(), F_OK) == 0) {
                log::info(std::string(containers_storage_conf_path) + " exists, not changing it.");
                return {};
        }
        std::optional<std::string> content = containers_storage_conf(config.storage_driver);
        if (!content) {
                log::info("containers-storage.conf has no setting for an existing thin pool; " +
                          std::string(containers_storage_conf_path) + " is not written for the " +
                          to_string(config.storage_driver) + " driver.");
                return {};
        }
        const std::string dir = path.substr(0, path.rfind('/'));
        if (!process::dry_run() && ::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
                return make_errno_error(errno, "Failed to create directory '" + dir + "'");
        AtomicWriteOptions options;
        options.no_replace = true;
        return write_file_atomic(path, *content, options);
}

} // namespace css::steps
