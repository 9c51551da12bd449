// SPDX-License-Identifier: Apache-2.0
#include "steps/container_root_lv.hpp"

namespace css::steps {

std::optional<ContainerRootLv> container_root_lv(const Config &config)
{
        if (config.storage_driver == StorageDriver::none)
                return std::nullopt;
        if (!config.container_root_lv_name.empty())
                return ContainerRootLv{config.container_root_lv_name, config.container_root_lv_size,
                                       config.container_root_lv_mount_path};
        // The original read docker's -g/--graph from /etc/sysconfig/docker; we use docker's
        // default graph directory.
        if (config.docker_root_volume)
                return ContainerRootLv{"docker-root-lv", config.docker_root_volume_size, "/var/lib/docker"};
        return std::nullopt;
}

} // namespace css::steps
