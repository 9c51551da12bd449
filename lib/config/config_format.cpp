// SPDX-License-Identifier: Apache-2.0
#include "config/config_format.hpp"

#include "config/config_keys.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace css {

namespace {

struct Setting {
        enum class Type { string, boolean, number, list } type;
        std::string_view key;
        std::string text;               // string and number; the shell form of a boolean
        bool flag = false;              // boolean
        std::vector<std::string> items; // list
};

std::string join(const std::vector<std::string> &items)
{
        std::string out;
        for (const std::string &s : items) {
                if (!out.empty())
                        out += ' ';
                out += s;
        }
        return out;
}

std::vector<Setting> settings(const Config &c)
{
        using T = Setting::Type;
        auto str = [](std::string_view k, std::string v) { return Setting{T::string, k, std::move(v), false, {}}; };
        auto num = [](std::string_view k, unsigned v) { return Setting{T::number, k, std::to_string(v), false, {}}; };
        auto flag = [](std::string_view k, bool v, const char *on, const char *off) {
                return Setting{T::boolean, k, v ? on : off, v, {}};
        };
        auto size = [](const std::optional<Size> &s) { return s ? s->text : std::string(); };

        std::vector<Setting> out = {
                str("STORAGE_DRIVER", to_string(c.storage_driver)),
                str("EXTRA_STORAGE_OPTIONS", c.extra_storage_options),
                Setting{T::list, "DEVS", join(c.devs), false, c.devs},
                str("VG", c.vg),
                str("ROOT_SIZE", c.root_size ? c.root_size->text : ""),
                str("DATA_SIZE", size(c.data_size)),
                str("MIN_DATA_SIZE", size(c.min_data_size)),
                str("POOL_META_SIZE", size(c.pool_meta_size)),
                str("CHUNK_SIZE", c.chunk_size.value_or("")),
                str("STRIPES", c.stripes),
                str("STRIPE_SIZE", c.stripe_size),
                flag("GROWPART", c.growpart, "true", "false"),
                flag("AUTO_EXTEND_POOL", c.auto_extend_pool, "yes", "no"),
                num("POOL_AUTOEXTEND_THRESHOLD", c.pool_autoextend_threshold),
                num("POOL_AUTOEXTEND_PERCENT", c.pool_autoextend_percent),
                num("DEVICE_WAIT_TIMEOUT", c.device_wait_timeout),
                flag("WIPE_SIGNATURES", c.wipe_signatures, "true", "false"),
                flag("EPHEMERAL_STORAGE", c.ephemeral_storage, "true", "false"),
                flag("GROW_DEVS", c.grow_devs, "true", "false"),
                str("CONTAINER_THINPOOL", c.container_thinpool),
                str("CONTAINER_ROOT_LV_NAME", c.container_root_lv_name),
                str("CONTAINER_ROOT_LV_MOUNT_PATH", c.container_root_lv_mount_path),
                str("CONTAINER_ROOT_LV_SIZE", c.container_root_lv_size.text),
                flag("DOCKER_ROOT_VOLUME", c.docker_root_volume, "yes", "no"),
                str("DOCKER_ROOT_VOLUME_SIZE", c.docker_root_volume_size.text),
                flag("CONTAINERS_STORAGE_CONF", c.containers_storage_conf, "true", "false"),
                str("DOCKER_STORAGE_CONFIG", to_string(c.docker_storage_config)),
        };
        static_assert(config_keys.size() == 27, "settings() must list every key of config_keys");
        return out;
}

bool is_shell_safe(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.' || c == '/' || c == ',' || c == '+' || c == '%' || c == '@' || c == '=' || c == ':';
}

} // namespace

std::string shell_quote(std::string_view value)
{
        bool safe = true;
        for (char c : value)
                safe = safe && is_shell_safe(c);
        // '~' is not in the safe set, so nothing unquoted can be tilde-expanded.
        if (safe)
                return std::string(value);
        std::string out = "'";
        for (char c : value) {
                if (c == '\'')
                        out += "'\\''";
                else
                        out += c;
        }
        out += '\'';
        return out;
}

std::string json_quote(std::string_view value)
{
        return nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string format_config_shell(const Config &config)
{
        std::string out;
        for (const Setting &s : settings(config)) {
                out += s.key;
                out += '=';
                out += shell_quote(s.text);
                out += '\n';
        }
        return out;
}

std::string format_config_json(const Config &config)
{
        std::string out = "{\n";
        bool first = true;
        for (const Setting &s : settings(config)) {
                if (!first)
                        out += ",\n";
                first = false;
                out += "  ";
                out += json_quote(s.key);
                out += ": ";
                switch (s.type) {
                case Setting::Type::string:
                        out += json_quote(s.text);
                        break;
                case Setting::Type::number:
                        out += s.text;
                        break;
                case Setting::Type::boolean:
                        out += s.flag ? "true" : "false";
                        break;
                case Setting::Type::list: {
                        out += '[';
                        for (size_t i = 0; i < s.items.size(); i++) {
                                if (i > 0)
                                        out += ", ";
                                out += json_quote(s.items[i]);
                        }
                        out += ']';
                        break;
                }
                }
        }
        out += "\n}\n";
        return out;
}

} // namespace css
