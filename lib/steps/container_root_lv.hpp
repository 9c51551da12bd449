// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "config/config.hpp"

#include <optional>
#include <string>

namespace css::steps {

// The extra LV for container storage: CONTAINER_ROOT_LV_NAME, or the deprecated
// DOCKER_ROOT_VOLUME=yes (docker-root-lv on docker's default graph directory, as the
// mount unit names too). nullopt when neither is configured or no storage is configured.
// Its own file: the generator reads it too, and must not link the steps (step_table.hpp).
struct ContainerRootLv {
        std::string name;
        Size size;
        std::string mount_path;
};
std::optional<ContainerRootLv> container_root_lv(const Config &config);

} // namespace css::steps
