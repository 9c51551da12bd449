// SPDX-License-Identifier: Apache-2.0
#include "sys/block.hpp"

#include "core/directory.hpp"
#include "core/paths.hpp"
#include "sys/root_mount.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <sys/sysmacros.h>

namespace css::block {

namespace {

std::string trim(std::string s)
{
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t'))
                s.pop_back();
        return s;
}

// One-line sysfs attribute.
Result<std::string> read_attr(const std::string &dir, std::string_view attr)
{
        std::string path = dir + "/" + std::string(attr);
        std::ifstream in(path);
        if (!in)
                return make_errno_error(errno ? errno : ENOENT, "Failed to read '" + path + "'");
        std::string line;
        std::getline(in, line);
        return trim(line);
}

bool exists(const std::string &path)
{
        struct stat st;
        return ::stat(path.c_str(), &st) == 0;
}

Result<std::string> canonical(const std::string &path)
{
        char buf[PATH_MAX];
        if (!::realpath(path.c_str(), buf))
                return make_errno_error(errno, "Failed to resolve '" + path + "'");
        return std::string(buf);
}

template <typename T> bool parse_number(std::string_view s, T &out)
{
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool parse_devnum(std::string_view s, dev_t &out)
{
        size_t colon = s.find(':');
        unsigned maj, min;
        if (colon == std::string_view::npos || !parse_number(s.substr(0, colon), maj) ||
            !parse_number(s.substr(colon + 1), min))
                return false;
        out = makedev(maj, min);
        return true;
}

std::string basename_of(const std::string &path)
{
        size_t slash = path.rfind('/');
        return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string dirname_of(const std::string &path)
{
        size_t slash = path.rfind('/');
        return slash == std::string::npos || slash == 0 ? std::string("/") : path.substr(0, slash);
}

// A canonical sysfs directory of a block device: its `dev` attribute gives the number.
Result<BlockDevice> from_sysfs_dir(const std::string &dir)
{
        auto dev = read_attr(dir, "dev");
        if (!dev)
                return dev.error();
        BlockDevice d;
        if (!parse_devnum(*dev, d.devnum))
                return Error{"Failed to parse '" + dir + "/dev': '" + *dev + "'"};
        d.name = basename_of(dir);
        d.sysfs_dir = dir;
        return d;
}

// holders/ and slaves/ hold one symlink per related device, named by kernel name.
Result<std::vector<BlockDevice>> linked_devices(const BlockDevice &device, std::string_view sub)
{
        std::string dir = device.sysfs_dir + "/" + std::string(sub);
        if (!exists(dir))
                return std::vector<BlockDevice>{};
        auto names = list_directory(dir);
        if (!names)
                return names.error();
        std::vector<BlockDevice> out;
        for (const auto &n : *names) {
                auto target = canonical(dir + "/" + n);
                if (!target)
                        return target.error();
                auto d = from_sysfs_dir(*target);
                if (!d)
                        return d.error();
                out.push_back(std::move(*d));
        }
        return out;
}

} // namespace

std::string BlockDevice::devnode() const
{
        std::string n = name;
        std::replace(n.begin(), n.end(), '!', '/');
        return "/dev/" + n;
}

std::string BlockDevice::devnum_string() const
{
        return std::to_string(major(devnum)) + ":" + std::to_string(minor(devnum));
}

Result<std::string> resolve_path(std::string_view spec)
{
        std::string path(spec);
        if (path.find('/') == std::string::npos)
                path = "/dev/" + path; // compat mode: "sdb" means /dev/sdb
        std::string host = paths::host_path(path);
        char buf[PATH_MAX];
        struct stat st;
        if (!::realpath(host.c_str(), buf) || ::stat(buf, &st) < 0 || !S_ISBLK(st.st_mode))
                return Error{std::string(spec) + " is not a valid block device.", ENOTBLK};
        std::string resolved = buf;
        const std::string root = paths::root();
        if (!root.empty() && resolved.compare(0, root.size(), root) == 0)
                resolved.erase(0, root.size());
        return resolved;
}

Result<BlockDevice> from_path(std::string_view path)
{
        std::string host = paths::host_path(path);
        struct stat st;
        if (::stat(host.c_str(), &st) < 0)
                return make_errno_error(errno, "Failed to stat '" + std::string(path) + "'");
        if (!S_ISBLK(st.st_mode))
                return Error{"'" + std::string(path) + "' is not a block device", ENOTBLK};
        return from_devnum(st.st_rdev);
}

Result<BlockDevice> from_devnum(dev_t devnum)
{
        std::string link = paths::host_path("/sys/dev/block/" + std::to_string(major(devnum)) + ":" +
                                            std::to_string(minor(devnum)));
        auto dir = canonical(link);
        if (!dir)
                return dir.error();
        return from_sysfs_dir(*dir);
}

Result<BlockDevice> from_name(std::string_view name)
{
        std::string n(name);
        std::replace(n.begin(), n.end(), '/', '!');
        auto dir = canonical(paths::host_path("/sys/class/block/" + n));
        if (!dir)
                return dir.error();
        return from_sysfs_dir(*dir);
}

bool is_partition(const BlockDevice &device)
{
        return exists(device.sysfs_dir + "/partition");
}

bool is_device_mapper(const BlockDevice &device)
{
        return exists(device.sysfs_dir + "/dm");
}

// An attribute of a device-mapper device's dm/ directory; "" when not dm or unreadable.
static std::string dm_attribute(const BlockDevice &device, const char *attribute)
{
        if (!is_device_mapper(device))
                return {};
        auto value = read_attr(device.sysfs_dir + "/dm", attribute);
        return value ? *value : std::string();
}

std::string dm_uuid(const BlockDevice &device)
{
        return dm_attribute(device, "uuid");
}

std::string dm_name(const BlockDevice &device)
{
        return dm_attribute(device, "name");
}

bool is_multipath(const BlockDevice &device)
{
        return dm_uuid(device).starts_with("mpath-");
}

Result<bool> has_parent(const BlockDevice &device)
{
        if (is_partition(device))
                return true;
        if (is_multipath(device))
                return false;
        auto s = slaves(device);
        if (!s)
                return s.error();
        return !s->empty();
}

Result<BlockDevice> resolve_whole_disk(std::string_view spec)
{
        auto path = resolve_path(spec);
        if (!path)
                return path.error();
        auto device = from_path(*path);
        if (!device)
                return device.error();
        auto parent = has_parent(*device);
        if (!parent)
                return parent.error();
        if (*parent)
                return Error{"Partition specification unsupported at this time."};
        return device;
}

Result<PartitionOf> parent_disk(const BlockDevice &partition)
{
        auto number = read_attr(partition.sysfs_dir, "partition");
        if (!number)
                return Error{"'" + partition.devnode() + "' is not a partition"};
        PartitionOf out;
        if (!parse_number(*number, out.number))
                return Error{"Failed to parse '" + partition.sysfs_dir + "/partition': '" + *number + "'"};
        auto disk = from_sysfs_dir(dirname_of(partition.sysfs_dir));
        if (!disk)
                return disk.error();
        out.disk = std::move(*disk);
        return out;
}

Result<std::vector<BlockDevice>> partitions(const BlockDevice &disk)
{
        auto names = list_directory(disk.sysfs_dir);
        if (!names)
                return names.error();
        std::vector<std::pair<unsigned, BlockDevice>> found;
        for (const auto &n : *names) {
                std::string dir = disk.sysfs_dir + "/" + n;
                auto number = read_attr(dir, "partition");
                unsigned pno;
                if (!number || !parse_number(*number, pno))
                        continue;
                auto d = from_sysfs_dir(dir);
                if (!d)
                        return d.error();
                found.emplace_back(pno, std::move(*d));
        }
        std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        std::vector<BlockDevice> out;
        for (auto &f : found)
                out.push_back(std::move(f.second));
        return out;
}

Result<uint64_t> size_bytes(const BlockDevice &device)
{
        auto size = read_attr(device.sysfs_dir, "size");
        if (!size)
                return size.error();
        uint64_t sectors;
        // sysfs `size` is in 512-byte units whatever the logical sector size is.
        if (!parse_number(*size, sectors) || sectors > UINT64_MAX / 512)
                return Error{"Failed to parse '" + device.sysfs_dir + "/size': '" + *size + "'"};
        return sectors * 512;
}

Result<uint64_t> start_bytes(const BlockDevice &partition)
{
        auto start = read_attr(partition.sysfs_dir, "start");
        if (!start)
                return start.error();
        uint64_t sectors;
        if (!parse_number(*start, sectors) || sectors > UINT64_MAX / 512)
                return Error{"Failed to parse '" + partition.sysfs_dir + "/start': '" + *start + "'"};
        return sectors * 512;
}

Result<unsigned> logical_sector_size(const BlockDevice &device)
{
        // Partitions have no queue/ of their own; it belongs to the disk.
        std::string dir = device.sysfs_dir;
        if (is_partition(device))
                dir = dirname_of(dir);
        auto value = read_attr(dir + "/queue", "logical_block_size");
        if (!value)
                return value.error();
        unsigned size;
        if (!parse_number(*value, size) || size < 512)
                return Error{"Failed to parse '" + dir + "/queue/logical_block_size': '" + *value + "'"};
        return size;
}

Result<std::vector<BlockDevice>> holders(const BlockDevice &device)
{
        return linked_devices(device, "holders");
}

Result<std::vector<BlockDevice>> slaves(const BlockDevice &device)
{
        return linked_devices(device, "slaves");
}

Result<BlockDevice> root_device()
{
        Result<RootMount> root = root_mount();
        if (!root)
                return root.error();
        return from_devnum(root->devnum);
}

Result<std::vector<BlockDevice>> lvm_physical_volumes(const BlockDevice &device)
{
        std::vector<BlockDevice> pvs;
        if (!dm_uuid(device).starts_with("LVM-"))
                return pvs;
        std::set<dev_t> seen;
        std::vector<BlockDevice> todo{device};
        while (!todo.empty()) {
                BlockDevice d = std::move(todo.back());
                todo.pop_back();
                if (!seen.insert(d.devnum).second)
                        continue;
                if (!dm_uuid(d).starts_with("LVM-")) {
                        pvs.push_back(std::move(d));
                        continue;
                }
                auto below = slaves(d);
                if (!below)
                        return below.error();
                for (auto &s : *below)
                        todo.push_back(std::move(s));
        }
        std::sort(pvs.begin(), pvs.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
        return pvs;
}

} // namespace css::block
