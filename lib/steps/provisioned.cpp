// SPDX-License-Identifier: Apache-2.0
#include "steps/provisioned.hpp"
#include "steps/step_context.hpp"

#include "steps/engine_output.hpp"
#include "config/pending_switch.hpp"

#include "config/config_file.hpp"
#include "core/directory.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "sys/atomic_file.hpp"
#include "sys/process.hpp"
#include "sys/root_lv.hpp"
#include "systemd/unit_path.hpp"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace css::steps {

namespace {

constexpr std::string_view format_line = "container-storage-setup provisioned 1\n";
// LVM's metadata backup of a VG: a few KiB per LV.
constexpr size_t backup_limit = 4u << 20;

std::optional<std::string> read_host(std::string_view path, size_t limit)
{
        return read_small_file(paths::host_path(path), limit);
}

// A configuration file whole, through the reader the settings come from (and its size limit):
// a digest of part of it would miss an edit past that part. "none" when it does not exist.
std::optional<std::string> config_digest(std::string_view path)
{
        Result<std::optional<std::string>> text = read_config_file(paths::host_path(path));
        if (!text)
                return std::nullopt;
        return *text ? content_digest(**text) : std::string("none");
}

// A one-line sysfs attribute without its newline ("size", "start").
std::optional<std::string> sysfs_value(const std::string &path)
{
        std::optional<std::string> v = read_host(path, 64);
        if (!v || v->empty())
                return std::nullopt;
        if (v->back() == '\n')
                v->pop_back();
        return v;
}

bool exists(const std::string &path)
{
        return ::access(paths::host_path(path).c_str(), F_OK) == 0;
}

// The kernel name of a DEVS entry: /dev/vdb, or a udev link such as /dev/disk/by-id/... that
// resolves to one. Links are relative ("../../vdb"), so resolving under CSS_ROOT stays inside.
std::optional<std::string> kernel_name(const std::string &dev)
{
        char resolved[PATH_MAX];
        if (!::realpath(paths::host_path(dev).c_str(), resolved))
                return std::nullopt;
        std::string path = resolved;
        const std::string dev_dir = paths::root() + "/dev/";
        if (!path.starts_with(dev_dir))
                return std::nullopt;
        std::string name = path.substr(path.rfind('/') + 1);
        if (!exists("/sys/class/block/" + name))
                return std::nullopt;
        return name;
}

// "vdb 20971520 vdb1:2048:20969472": a disk's size and its partitions (sysfs only).
std::optional<std::string> disk_line(const std::string &name)
{
        const std::string dir = "/sys/class/block/" + name;
        std::optional<std::string> size = sysfs_value(dir + "/size");
        if (!size)
                return std::nullopt;
        std::string line = name + " " + *size;
        for (const std::string &entry : list_directory_or_empty(paths::host_path(dir))) {
                if (!exists(dir + "/" + entry + "/partition"))
                        continue;
                std::optional<std::string> start = sysfs_value(dir + "/" + entry + "/start");
                std::optional<std::string> psize = sysfs_value(dir + "/" + entry + "/size");
                if (!start || !psize)
                        return std::nullopt;
                line += " " + entry + ":" + *start + ":" + *psize;
        }
        return line;
}

// The disk of a partition by the kernel's naming rule: "vda2" -> "vda", "nvme0n1p2" ->
// "nvme0n1" (a 'p' separates the number when the disk's name ends in a digit).
std::optional<std::string> parent_disk(const std::string &partition)
{
        std::string disk = partition;
        while (!disk.empty() && disk.back() >= '0' && disk.back() <= '9')
                disk.pop_back();
        if (disk.size() >= 2 && disk.back() == 'p' && disk[disk.size() - 2] >= '0' && disk[disk.size() - 2] <= '9')
                disk.pop_back();
        if (disk.empty() || disk == partition || !exists("/sys/class/block/" + disk + "/" + partition))
                return std::nullopt;
        return disk;
}

// The root LV's size and, per device under it, what growpart and pvresize look at. The LV is
// named by VG/LV, not by its device number: dm minors follow the order in which the initrd
// activated the VGs, which changed between two boots in the VM, and every such boot then
// ran all the steps again.
std::optional<std::string> root_lines(const RootLv &root)
{
        const std::string dir = "/sys/dev/block/" + root.devnum;
        std::optional<std::string> size = sysfs_value(dir + "/size");
        if (!size)
                return std::nullopt;
        std::string text = "root " + root.vg + "/" + root.lv + " " + *size + "\n";
        std::vector<std::string> slaves = list_directory_or_empty(paths::host_path(dir + "/slaves"));
        if (slaves.empty())
                return std::nullopt;
        for (const std::string &s : slaves) {
                if (exists("/sys/class/block/" + s + "/partition")) {
                        std::optional<std::string> disk = parent_disk(s);
                        if (!disk)
                                return std::nullopt;
                        std::optional<std::string> line = disk_line(*disk);
                        if (!line)
                                return std::nullopt;
                        text += "root-pv " + s + " on " + *line + "\n";
                } else {
                        std::optional<std::string> line = disk_line(s);
                        if (!line)
                                return std::nullopt;
                        text += "root-pv " + s + " " + *line + "\n";
                }
        }
        return text;
}

} // namespace

std::string content_digest(std::string_view data)
{
        uint64_t h = 0xcbf29ce484222325ull;
        for (unsigned char c : data) {
                h ^= c;
                h *= 0x100000001b3ull;
        }
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
        return buf;
}

std::optional<std::string> provisioning_fingerprint(const Config &config)
{
        std::string text(format_line);

        std::optional<std::string> input = config_digest(paths::sysconfig_input);
        std::optional<std::string> defaults = config_digest(paths::defaults_file);
        if (!input || *input == "none" || !defaults)
                return std::nullopt;
        text += "config " + *defaults + " " + *input + "\n";

        // daemon.json: only our keys count, so the admin's other settings do not re-run the steps.
        const engine::DockerUnit unit = host_docker_unit();
        if (choose_output(config.docker_storage_config, unit).output == EngineOutput::daemon_json) {
                const std::string path = daemon_json_path(unit);
                std::optional<std::string> keys = daemon_json_storage_keys(path);
                if (!keys)
                        return std::nullopt;
                text += "output daemon-json " + path + " " + content_digest(*keys) + "\n";
        } else {
                std::optional<std::string> output = read_host(paths::sysconfig_output, 64u << 10);
                if (!output)
                        return std::nullopt;
                text += "output " + content_digest(*output) + "\n";
        }

        const std::optional<RootLv> root = root_logical_volume();
        const std::string vg = !config.vg.empty() ? config.vg : root ? root->vg : "";
        if (!vg.empty()) {
                std::optional<std::string> backup = read_host("/etc/lvm/backup/" + vg, backup_limit);
                if (!backup)
                        return std::nullopt; // LVM keeps no backup here: cannot tell an LV is still there
                text += "vg " + vg + " " + content_digest(*backup) + "\n";
        }

        std::set<std::string> seen;
        for (const std::string &entry : config.devs) {
                const std::string dev = unit_path::device_path(entry);
                if (!seen.insert(dev).second)
                        continue;
                std::optional<std::string> name = kernel_name(dev);
                if (!name)
                        return std::nullopt;
                std::optional<std::string> line = disk_line(*name);
                if (!line)
                        return std::nullopt;
                text += "disk " + dev + " " + *line + "\n";
        }

        if (root && (config.growpart || config.root_size)) {
                std::optional<std::string> lines = root_lines(*root);
                if (!lines)
                        return std::nullopt;
                text += *lines;
        }
        return text;
}

bool provisioned(const Config &config)
{
        std::optional<std::string> recorded = read_host(provisioned_record, 64u << 10);
        if (!recorded)
                return false;
        std::optional<std::string> now = provisioning_fingerprint(config);
        return now && *now == *recorded;
}

Result<void> record_provisioned(StepContext &context)
{
        const Config &config = context.config();
        if (context.dry_run())
                return {};
        const std::string path = paths::host_path(provisioned_record);
        // A switch not finished yet must run its steps at the next boot (css-check-engine stops them).
        std::optional<std::string> now = std::nullopt;
        if (switch_blocks_engines().empty())
                now = provisioning_fingerprint(config);
        if (!now) {
                if (::unlink(path.c_str()) < 0 && errno != ENOENT)
                        return make_errno_error(errno, "Failed to remove '" + path + "'");
                return {};
        }
        if (Result<void> r = make_directories(path.substr(0, path.rfind('/'))); !r)
                return r;
        return write_file_atomic(path, *now);
}

} // namespace css::steps
