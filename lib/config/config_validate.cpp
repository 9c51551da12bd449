// SPDX-License-Identifier: Apache-2.0
#include "config/config_validate.hpp"

#include "config/printable.hpp"
#include "config/names.hpp"
#include "config/size.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace css {

namespace {

class Validator {
public:
        Validator(const RawSettings &raw, std::vector<Diagnostic> &diagnostics) : raw_(raw), diagnostics_(diagnostics)
        {
        }

        const RawValue *get(std::string_view key) const
        {
                auto it = raw_.find(key);
                return it == raw_.end() ? nullptr : &it->second;
        }

        // "" for unset and for set-but-empty: the original tested them with [ -n ].
        std::string value(std::string_view key) const
        {
                const RawValue *r = get(key);
                return r ? r->value : std::string();
        }

        void error(std::string_view key, std::string message)
        {
                add(Diagnostic::Severity::error, key, std::move(message));
        }
        void warning(std::string_view key, std::string message)
        {
                add(Diagnostic::Severity::warning, key, std::move(message));
        }

        // A bad value for a key the configuration does not use: the original never looked at
        // it, so refusing the whole file would break a setup that worked. Say so instead.
        void report(bool used, std::string_view key, std::string message)
        {
                if (used)
                        error(key, std::move(message));
                else
                        warning(key, message + " It is not used with this configuration, ignoring.");
        }

private:
        void add(Diagnostic::Severity severity, std::string_view key, std::string message)
        {
                const RawValue *r = key.empty() ? nullptr : get(key);
                Diagnostic d{severity, r ? r->file : std::string(), r ? r->line : 0u, std::move(message)};
                diagnostics_.push_back(std::move(d));
        }

        const RawSettings &raw_;
        std::vector<Diagnostic> &diagnostics_;
};

// Values are echoed in messages as the original did, but a pathological one (a 1 MiB line)
// is cut so that a message stays a line someone can read.
std::string shown(std::string_view value)
{
        return printable_excerpt(value, 128);
}

bool equals_ignore_case(std::string_view a, std::string_view b)
{
        return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                       return std::tolower(static_cast<unsigned char>(x)) ==
                              std::tolower(static_cast<unsigned char>(y));
               });
}

bool is_any_of(std::string_view value, std::initializer_list<std::string_view> words)
{
        for (std::string_view w : words)
                if (equals_ignore_case(value, w))
                        return true;
        return false;
}

// The original compared switches as exact strings: GROWPART and WIPE_SIGNATURES are on only
// for "true", AUTO_EXTEND_POOL and DOCKER_ROOT_VOLUME only for "yes", anything else is off.
// A near miss ("yes", "1", "True" where "true" is meant) keeps the original's reading, with
// a warning, unless turning it on is the safer outcome (see the AUTO_EXTEND_POOL call): a
// typo must never make us wipe or repartition a disk the original would have left alone.
enum class NearMiss { stays_off, turns_on };

bool parse_switch(Validator &v, std::string_view key, std::string_view on, NearMiss policy)
{
        std::string text = v.value(key);
        if (text == on)
                return true;
        if (text.empty() || is_any_of(text, {"false", "no", "n", "0", "off"}))
                return false;
        std::string k(key);
        if (is_any_of(text, {"true", "yes", "y", "1", "on"})) {
                if (policy == NearMiss::turns_on) {
                        v.warning(key, k + "=" + shown(text) + " is read as " + k + "=" + std::string(on) +
                                               "; write exactly '" + std::string(on) + "'.");
                        return true;
                }
                v.warning(key, k + "=" + shown(text) + " is treated as false, as the original did: only '" +
                                       std::string(on) + "' turns it on.");
                return false;
        }
        v.warning(key, k + "=" + shown(text) + " is not a recognised value and is treated as false; use '" +
                               std::string(on) + "' to turn it on.");
        return false;
}

bool parse_unsigned(std::string_view text, unsigned min, unsigned max, unsigned &out)
{
        if (text.empty() || text.size() > 9)
                return false;
        unsigned value = 0;
        for (char c : text) {
                if (c < '0' || c > '9')
                        return false;
                value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value < min || value > max)
                return false;
        out = value;
        return true;
}

// The original built the options line with an unquoted echo, which collapses whitespace.
std::string collapse_whitespace(std::string_view text)
{
        std::string out;
        size_t i = 0;
        while (i < text.size()) {
                size_t start = text.find_first_not_of(" \t\n", i);
                if (start == std::string_view::npos)
                        break;
                size_t end = text.find_first_of(" \t\n", start);
                if (end == std::string_view::npos)
                        end = text.size();
                if (!out.empty())
                        out += ' ';
                out.append(text.substr(start, end - start));
                i = end;
        }
        return out;
}

std::vector<std::string> split_words(std::string_view text)
{
        std::vector<std::string> words;
        std::string joined = collapse_whitespace(text);
        size_t i = 0;
        while (i < joined.size()) {
                size_t end = joined.find(' ', i);
                if (end == std::string::npos)
                        end = joined.size();
                words.emplace_back(joined.substr(i, end - i));
                i = end + 1;
        }
        return words;
}

void parse_storage_driver(Validator &v, Config &c)
{
        std::string text = v.value("STORAGE_DRIVER");
        if (text.empty())
                c.storage_driver = StorageDriver::none;
        else if (text == "devicemapper")
                c.storage_driver = StorageDriver::devicemapper;
        else if (text == "overlay")
                c.storage_driver = StorageDriver::overlay;
        else if (text == "overlay2")
                c.storage_driver = StorageDriver::overlay2;
        else
                v.error("STORAGE_DRIVER", "Invalid storage driver: " + shown(text) + ".");
}

void parse_extra_options(Validator &v, Config &c)
{
        std::string extra = v.value("EXTRA_STORAGE_OPTIONS");
        std::string old = v.value("EXTRA_DOCKER_STORAGE_OPTIONS");
        if (!old.empty()) {
                if (!extra.empty()) {
                        v.error("EXTRA_DOCKER_STORAGE_OPTIONS",
                                "EXTRA_DOCKER_STORAGE_OPTIONS and EXTRA_STORAGE_OPTIONS "
                                "are mutually exclusive options.");
                } else {
                        v.warning("EXTRA_DOCKER_STORAGE_OPTIONS",
                                  "EXTRA_DOCKER_STORAGE_OPTIONS is deprecated. Use EXTRA_STORAGE_OPTIONS "
                                  "instead.");
                        extra = old;
                }
        }
        // The value goes between double quotes into /etc/sysconfig/docker-storage, which shell
        // scripts source: these characters would be live there (the original wrote them raw).
        if (size_t bad = extra.find_first_of("\"$`\\"); bad != std::string::npos) {
                const char *key = old.empty() || !v.value("EXTRA_STORAGE_OPTIONS").empty()
                                          ? "EXTRA_STORAGE_OPTIONS"
                                          : "EXTRA_DOCKER_STORAGE_OPTIONS";
                v.error(key, std::string(key) + " value " + shown(extra) + " is invalid: it may not contain '" +
                                     extra[bad] + "' (no \", $, ` or \\).");
                return;
        }
        c.extra_storage_options = collapse_whitespace(extra);
}

void parse_devs(Validator &v, Config &c)
{
        std::set<std::string, std::less<>> seen;
        for (std::string &dev : split_words(v.value("DEVS"))) {
                if (std::string reason = check_dev_entry(dev); !reason.empty()) {
                        v.error("DEVS", "DEVS entry " + shown(dev) + " is invalid: " + reason + ".");
                        continue;
                }
                if (!seen.insert(dev).second) {
                        v.error("DEVS", "DEVS lists " + shown(dev) + " more than once.");
                        continue;
                }
                c.devs.push_back(std::move(dev));
        }
}

void parse_name(Validator &v, std::string_view key, bool lv, bool used, std::string &out)
{
        std::string text = v.value(key);
        if (!text.empty()) {
                std::string reason = lv ? check_lv_name(text) : check_vg_name(text);
                if (!reason.empty()) {
                        v.report(used, key,
                                 std::string(key) + " value " + shown(text) + " is invalid: " + reason + ".");
                        return;
                }
        }
        out = text;
}

// DATA_SIZE, CONTAINER_ROOT_LV_SIZE, DOCKER_ROOT_VOLUME_SIZE: N%FREE, N%VG or -L style.
// Zero is refused (lvcreate cannot make an empty LV).
bool parse_lv_size(Validator &v, std::string_view key, bool used, Size &out)
{
        std::string text = v.value(key);
        std::string k(key);
        Size size;
        switch (parse_data_size(text, size)) {
        case SizeStatus::ok:
                if (size.kind == Size::Kind::absolute && size.bytes == 0)
                        break;
                out = size;
                return true;
        case SizeStatus::too_large:
                v.report(used, key, k + "=" + shown(text) + " is too large to handle.");
                return false;
        case SizeStatus::invalid:
                break;
        }
        v.report(used, key, k + " value " + shown(text) + " is invalid.");
        return false;
}

void parse_thin_pool_sizes(Validator &v, Config &c)
{
        const bool dm = c.storage_driver == StorageDriver::devicemapper;

        if (v.value("DATA_SIZE").empty()) {
                if (dm)
                        v.error("DATA_SIZE", "DATA_SIZE not specified.");
                c.data_size.reset();
        } else {
                Size size;
                c.data_size.reset();
                if (parse_lv_size(v, "DATA_SIZE", dm, size))
                        c.data_size = size;
        }

        c.min_data_size.reset();
        if (std::string text = v.value("MIN_DATA_SIZE"); !text.empty()) {
                Size size;
                switch (parse_numeric_size(text, size)) {
                case SizeStatus::ok:
                        c.min_data_size = size;
                        break;
                case SizeStatus::too_large:
                        v.report(dm, "MIN_DATA_SIZE", "MIN_DATA_SIZE=" + shown(text) + " is too large to handle.");
                        break;
                case SizeStatus::invalid:
                        v.report(dm, "MIN_DATA_SIZE", "MIN_DATA_SIZE value " + shown(text) + " is invalid.");
                        break;
                }
        }

        c.pool_meta_size.reset();
        if (std::string text = v.value("POOL_META_SIZE"); !text.empty()) {
                Size size;
                SizeStatus status = parse_numeric_size(text, size);
                if (status == SizeStatus::ok && size.bytes > 0)
                        c.pool_meta_size = size;
                else if (status == SizeStatus::too_large)
                        v.report(dm, "POOL_META_SIZE", "POOL_META_SIZE=" + shown(text) + " is too large to handle.");
                else
                        v.report(dm, "POOL_META_SIZE",
                                 "POOL_META_SIZE value " + shown(text) +
                                         " is invalid: expected a size such as 64M or 1G.");
        }

        c.chunk_size.reset();
        if (std::string text = v.value("CHUNK_SIZE"); !text.empty()) {
                uint64_t bytes;
                if (parse_chunk_size(text, bytes) == SizeStatus::ok)
                        c.chunk_size = text;
                else
                        v.report(dm, "CHUNK_SIZE",
                                 "CHUNK_SIZE value " + shown(text) +
                                         " is invalid: a thin pool chunk size is a multiple of "
                                         "64K from 64K to 1G (a bare number means K).");
        }
}

void parse_autoextend(Validator &v, Config &c)
{
        // Turning auto-extension on by a near miss is the safe direction: the original would
        // have detached the profile, and a thin pool that fills up fails every write in it.
        c.auto_extend_pool = parse_switch(v, "AUTO_EXTEND_POOL", "yes", NearMiss::turns_on);
        const bool used = c.storage_driver == StorageDriver::devicemapper && c.auto_extend_pool;

        struct Limit {
                std::string_view key;
                unsigned min, max;
                unsigned *out;
                const char *range;
        };
        // lvm reads a threshold of 100 as "never extend" and clamps values below 50; the
        // percentage may exceed 100 (200 triples the pool). 1000 is far past any sane value.
        const std::array<Limit, 2> limits = {{
                {"POOL_AUTOEXTEND_THRESHOLD", 1, 100, &c.pool_autoextend_threshold, "1 to 100"},
                {"POOL_AUTOEXTEND_PERCENT", 1, 1000, &c.pool_autoextend_percent, "1 to 1000"},
        }};
        for (const Limit &l : limits) {
                std::string text = v.value(l.key);
                std::string k(l.key);
                if (text.empty()) {
                        if (used)
                                v.error(l.key, k + " not specified");
                        continue;
                }
                if (!parse_unsigned(text, l.min, l.max, *l.out))
                        v.report(used, l.key,
                                 k + " value " + shown(text) + " is invalid: expected a percentage from " + l.range +
                                         ".");
        }
}

void parse_wait_timeout(Validator &v, Config &c)
{
        std::string text = v.value("DEVICE_WAIT_TIMEOUT");
        c.device_wait_timeout = 0;
        // More than a day of waiting for a device at boot is a typo, not a setting.
        if (!text.empty() && !parse_unsigned(text, 0, 86400, c.device_wait_timeout))
                v.error("DEVICE_WAIT_TIMEOUT",
                        "DEVICE_WAIT_TIMEOUT value " + shown(text) + " is invalid: expected seconds from 0 to 86400.");
}

void parse_container_root_lv(Validator &v, ConfigMode mode, Config &c)
{
        const bool storage = c.storage_driver != StorageDriver::none;
        std::string name = v.value("CONTAINER_ROOT_LV_NAME");
        std::string path = v.value("CONTAINER_ROOT_LV_MOUNT_PATH");

        if (!name.empty() && path.empty())
                v.error("CONTAINER_ROOT_LV_NAME",
                        "CONTAINER_ROOT_LV_MOUNT_PATH cannot be empty, when CONTAINER_ROOT_LV_NAME is set");
        if (name.empty() && !path.empty())
                v.error("CONTAINER_ROOT_LV_MOUNT_PATH",
                        "CONTAINER_ROOT_LV_NAME cannot be empty, when CONTAINER_ROOT_LV_MOUNT_PATH is set");

        parse_name(v, "CONTAINER_ROOT_LV_NAME", true, true, c.container_root_lv_name);
        if (!path.empty()) {
                std::string normalised;
                if (std::string reason = normalise_mount_path(path, normalised); !reason.empty())
                        v.error("CONTAINER_ROOT_LV_MOUNT_PATH",
                                "CONTAINER_ROOT_LV_MOUNT_PATH value " + shown(path) + " is invalid: " + reason + ".");
                else
                        c.container_root_lv_mount_path = normalised;
        }

        const bool lv_used = storage && !name.empty();
        if (v.value("CONTAINER_ROOT_LV_SIZE").empty()) {
                if (lv_used)
                        v.error("CONTAINER_ROOT_LV_SIZE", "Specify a valid value for CONTAINER_ROOT_LV_SIZE.");
        } else {
                parse_lv_size(v, "CONTAINER_ROOT_LV_SIZE", lv_used, c.container_root_lv_size);
        }
        if (c.storage_driver == StorageDriver::devicemapper && !name.empty() && name == c.container_thinpool)
                v.error("CONTAINER_ROOT_LV_NAME", "CONTAINER_ROOT_LV_NAME and CONTAINER_THINPOOL name the same "
                                                  "logical volume " +
                                                          shown(name) + ".");

        c.docker_root_volume = parse_switch(v, "DOCKER_ROOT_VOLUME", "yes", NearMiss::stays_off);
        if (c.docker_root_volume) {
                const char *deprecated = "DOCKER_ROOT_VOLUME is deprecated. Use CONTAINER_ROOT_LV_MOUNT_PATH instead.";
                if (mode == ConfigMode::named)
                        v.error("DOCKER_ROOT_VOLUME", deprecated);
                else
                        v.warning("DOCKER_ROOT_VOLUME", deprecated);
                if (!path.empty())
                        v.error("DOCKER_ROOT_VOLUME", "DOCKER_ROOT_VOLUME and CONTAINER_ROOT_LV_MOUNT_PATH "
                                                      "are mutually exclusive options.");
        }
        const bool drv_used = storage && c.docker_root_volume;
        if (v.value("DOCKER_ROOT_VOLUME_SIZE").empty()) {
                if (drv_used)
                        v.error("DOCKER_ROOT_VOLUME_SIZE", "Specify a valid value for DOCKER_ROOT_VOLUME_SIZE.");
        } else {
                parse_lv_size(v, "DOCKER_ROOT_VOLUME_SIZE", drv_used, c.docker_root_volume_size);
        }
}

// STRIPES and STRIPE_SIZE (ours): the count must be one DEVS can satisfy, so that a config that
// cannot be striped is refused here, before any step touches a disk.
void parse_stripes(Validator &v, Config &c)
{
        const bool striped_lv = c.storage_driver == StorageDriver::devicemapper ||
                                (c.storage_driver != StorageDriver::none &&
                                 (!c.container_root_lv_name.empty() || c.docker_root_volume));
        const std::string text = v.value("STRIPES");
        const size_t disks = c.devs.size();
        unsigned count = 0;
        if (text == "auto") {
                c.stripes = text;
                count = static_cast<unsigned>(disks);
                if (disks == 0)
                        v.report(striped_lv, "STRIPES",
                                 "STRIPES=auto stripes across the DEVS disks, but DEVS is empty.");
        } else if (!text.empty()) {
                if (!parse_unsigned(text, 1, 128, count)) {
                        v.report(striped_lv, "STRIPES",
                                 "STRIPES value " + shown(text) +
                                         " is invalid: expected auto or a count from 1 to 128.");
                        count = 0;
                } else {
                        c.stripes = text;
                        if (count > disks)
                                v.report(striped_lv, "STRIPES",
                                         "STRIPES=" + text + " needs at least " + text + " disks in DEVS; DEVS lists " +
                                                 std::to_string(disks) + ".");
                }
        }
        if (std::string size = v.value("STRIPE_SIZE"); !size.empty()) {
                uint64_t bytes;
                if (parse_stripe_size(size, bytes) != SizeStatus::ok)
                        v.report(striped_lv && count > 1, "STRIPE_SIZE",
                                 "STRIPE_SIZE value " + shown(size) +
                                         " is invalid: a stripe size is a power of two from 4K to 4M (a bare number "
                                         "means K).");
                else if (count < 2)
                        v.warning("STRIPE_SIZE", "STRIPE_SIZE is set but nothing is striped (STRIPES is " +
                                                         std::string(text.empty() ? "not set" : "below 2") +
                                                         "), ignoring.");
                else
                        c.stripe_size = size;
        }
}

// Our own switches: there is no legacy spelling to honour, so exactly true or false.
void parse_own_switch(Validator &v, std::string_view key, bool &out)
{
        std::string text = v.value(key);
        if (text == "true")
                out = true;
        else if (text.empty() || text == "false")
                out = false;
        else
                v.error(key, std::string(key) + " value " + shown(text) + " is invalid: expected true or false.");
}

void parse_docker_storage_config(Validator &v, Config &c)
{
        // Ours: the exact words only, as CONTAINERS_STORAGE_CONF.
        std::string text = v.value("DOCKER_STORAGE_CONFIG");
        if (text.empty() || text == "auto")
                c.docker_storage_config = DockerStorageConfig::automatic;
        else if (text == "sysconfig")
                c.docker_storage_config = DockerStorageConfig::sysconfig;
        else if (text == "daemon-json")
                c.docker_storage_config = DockerStorageConfig::daemon_json;
        else
                v.error("DOCKER_STORAGE_CONFIG", "DOCKER_STORAGE_CONFIG value " + shown(text) +
                                                         " is invalid: expected auto, sysconfig or daemon-json.");
}

} // namespace

void build_config(const RawSettings &raw, ConfigMode mode, Config &c, std::vector<Diagnostic> &diagnostics)
{
        Validator v(raw, diagnostics);
        c = Config{};

        parse_storage_driver(v, c);
        const bool dm = c.storage_driver == StorageDriver::devicemapper;
        parse_extra_options(v, c);
        parse_devs(v, c);
        parse_name(v, "VG", false, true, c.vg);

        c.root_size.reset();
        if (std::string text = v.value("ROOT_SIZE"); !text.empty()) {
                if (Size size; parse_extend_size(text, size) == SizeStatus::ok)
                        c.root_size = std::move(size);
                else
                        v.error("ROOT_SIZE", "ROOT_SIZE value " + shown(text) + " is invalid.");
        }

        parse_thin_pool_sizes(v, c);
        // Growing a partition writes the partition table: a near miss must not start doing that.
        c.growpart = parse_switch(v, "GROWPART", "true", NearMiss::stays_off);
        parse_autoextend(v, c);
        parse_wait_timeout(v, c);
        // WIPE_SIGNATURES=true destroys whatever is on the DEVS disks: only the exact word.
        c.wipe_signatures = parse_switch(v, "WIPE_SIGNATURES", "true", NearMiss::stays_off);

        c.container_thinpool.clear();
        parse_name(v, "CONTAINER_THINPOOL", true, dm, c.container_thinpool);
        if (dm && v.value("CONTAINER_THINPOOL").empty())
                v.error("CONTAINER_THINPOOL",
                        "CONTAINER_THINPOOL must be defined for the devicemapper storage driver.");

        parse_container_root_lv(v, mode, c);
        parse_stripes(v, c);
        parse_own_switch(v, "CONTAINERS_STORAGE_CONF", c.containers_storage_conf);
        parse_own_switch(v, "EPHEMERAL_STORAGE", c.ephemeral_storage);
        parse_own_switch(v, "GROW_DEVS", c.grow_devs);
        parse_docker_storage_config(v, c);
}

} // namespace css
