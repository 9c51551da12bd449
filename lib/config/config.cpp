// SPDX-License-Identifier: Apache-2.0
#include "config/config.hpp"

#include "config/config_keys.hpp"

#include <algorithm>

namespace css {

const char *to_string(StorageDriver driver)
{
        switch (driver) {
        case StorageDriver::none:
                return "";
        case StorageDriver::devicemapper:
                return "devicemapper";
        case StorageDriver::overlay:
                return "overlay";
        case StorageDriver::overlay2:
                return "overlay2";
        }
        return "";
}

const char *to_string(DockerStorageConfig output)
{
        switch (output) {
        case DockerStorageConfig::automatic:
                return "auto";
        case DockerStorageConfig::sysconfig:
                return "sysconfig";
        case DockerStorageConfig::daemon_json:
                return "daemon-json";
        }
        return "";
}

bool is_known_key(std::string_view key)
{
        return key == deprecated_extra_key ||
               std::find(config_keys.begin(), config_keys.end(), key) != config_keys.end();
}

} // namespace css
