// SPDX-License-Identifier: Apache-2.0
#include "sys/partition.hpp"

#include "core/fd.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/test_point.hpp"
#include "sys/blkid_probe.hpp"
#include "sys/block.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <libfdisk/libfdisk.h>
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <memory>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace css::partition {

namespace {

struct ContextDeleter {
        void operator()(fdisk_context *c) const { fdisk_unref_context(c); }
};
using Context = std::unique_ptr<fdisk_context, ContextDeleter>;
struct PartitionDeleter {
        void operator()(fdisk_partition *p) const { fdisk_unref_partition(p); }
};
using Partition = std::unique_ptr<fdisk_partition, PartitionDeleter>;
struct TableDeleter {
        void operator()(fdisk_table *t) const { fdisk_unref_table(t); }
};
using Table = std::unique_ptr<fdisk_table, TableDeleter>;
struct IterDeleter {
        void operator()(fdisk_iter *i) const { fdisk_free_iter(i); }
};

// libfdisk talks through "ask" callbacks; route its messages into our log instead of
// losing them, and answer no question (we never run an interactive dialog). Its warnings
// are logged as notices: the usual one, "The backup GPT table is not on the end of the
// device", is the expected state of a disk that grew.
int on_fdisk_ask(fdisk_context *, fdisk_ask *ask, void *)
{
        const char *m = fdisk_ask_print_get_mesg(ask);
        switch (fdisk_ask_get_type(ask)) {
        case FDISK_ASKTYPE_WARN:
        case FDISK_ASKTYPE_WARNX:
                log::notice(std::string("libfdisk: ") + (m ? m : ""));
                return 0;
        case FDISK_ASKTYPE_INFO:
                log::debug(std::string("libfdisk: ") + (m ? m : ""));
                return 0;
        default:
                return -EINVAL;
        }
}

// Opens the disk, takes the exclusive flock that keeps udev from probing a half-written
// table (unless the caller holds it already), and hands the descriptor to libfdisk.
struct Disk {
        std::string name;
        std::unique_ptr<Fd> fd;
        Context cxt;
        bool block_device = false;
        dev_t devnum = 0;
};

Result<Disk> open_disk(std::string_view name, int flags, bool readonly, DiskLock lock = DiskLock::take)
{
        Disk d;
        d.name = name;
        std::string path = paths::host_path(name);
        int fd = ::open(path.c_str(), flags | O_CLOEXEC);
        if (fd < 0)
                return make_errno_error(errno, "Failed to open '" + d.name + "'");
        d.fd = std::make_unique<Fd>(fd);
        struct stat st;
        if (::fstat(fd, &st) < 0)
                return make_errno_error(errno, "Failed to stat '" + d.name + "'");
        if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
                return Error{"'" + d.name + "' is neither a block device nor an image file"};
        d.block_device = S_ISBLK(st.st_mode);
        d.devnum = st.st_rdev;
        if (d.block_device) {
                auto dev = block::from_devnum(st.st_rdev);
                if (dev && block::is_partition(*dev))
                        return Error{"'" + d.name + "' is a partition, not a whole disk"};
        }
        // A read-only look (a dry run) writes nothing for udev to race with: no lock, which
        // would keep udev and a real run waiting on a dry run.
        if (lock == DiskLock::take && !readonly && ::flock(fd, LOCK_EX) < 0)
                return make_errno_error(errno, "Failed to lock '" + d.name + "'");

        d.cxt.reset(fdisk_new_context());
        if (!d.cxt)
                return Error{"Failed to allocate a libfdisk context", ENOMEM};
        fdisk_set_ask(d.cxt.get(), on_fdisk_ask, nullptr);
        int rc = fdisk_assign_device_by_fd(d.cxt.get(), fd, d.name.c_str(), readonly ? 1 : 0);
        if (rc < 0)
                return make_errno_error(-rc, "Failed to read the partition table of '" + d.name + "'");
        return d;
}

Result<void> blkpg(int fd, int op, unsigned number, uint64_t start_bytes, uint64_t length_bytes)
{
        struct blkpg_partition part = {};
        part.start = static_cast<long long>(start_bytes);
        part.length = static_cast<long long>(length_bytes);
        part.pno = static_cast<int>(number);
        struct blkpg_ioctl_arg arg = {};
        arg.op = op;
        arg.datalen = sizeof part;
        arg.data = &part;
        if (::ioctl(fd, BLKPG, &arg) < 0)
                return Error{"", errno};
        return {};
}

// Does the kernel have partition `number` of the disk, exactly where `p` says?
Result<bool> kernel_has(const block::BlockDevice &disk, const NewPartition &p)
{
        auto parts = block::partitions(disk);
        if (!parts)
                return parts.error();
        for (const auto &k : *parts) {
                auto of = block::parent_disk(k);
                auto start = block::start_bytes(k);
                auto size = block::size_bytes(k);
                if (!of || !start || !size)
                        continue;
                if (of->number == p.number)
                        return *start == p.start * p.sector_size && *size == p.size * p.sector_size;
        }
        return false;
}

// After a new table was written: a re-read replaces whatever the kernel knew. The result is
// checked in sysfs rather than trusted: the re-read is refused (EBUSY) while a partition of
// the disk is open, and a kernel built without the dos/gpt parsers accepts it but finds
// nothing. Either way, the old kernel partitions are then deleted one by one and ours is
// added with BLKPG (as partx and libfdisk's fdisk_reread_changes() do).
Result<void> announce_new_partition(const Disk &disk, const NewPartition &p)
{
        auto dev = block::from_devnum(disk.devnum);
        if (!dev)
                return dev.error();
        if (::ioctl(disk.fd->fd, BLKRRPART) == 0) {
                auto has = kernel_has(*dev, p);
                if (!has)
                        return has.error();
                if (*has)
                        return {};
                log::debug("The kernel found no partition on '" + disk.name + "' after a re-read, using BLKPG");
        } else {
                log::debug("Re-reading the partition table of '" + disk.name + "' failed (" + std::strerror(errno) +
                           "), using BLKPG");
        }
        auto old = block::partitions(*dev);
        if (!old)
                return old.error();
        for (const auto &o : *old) {
                auto of = block::parent_disk(o);
                if (!of)
                        return of.error();
                if (auto r = blkpg(disk.fd->fd, BLKPG_DEL_PARTITION, of->number, 0, 0); !r)
                        return make_errno_error(r.error().errno_value, "Failed to remove the old partition '" +
                                                                               o.devnode() + "' from the kernel");
        }
        uint64_t ss = p.sector_size;
        if (auto r = blkpg(disk.fd->fd, BLKPG_ADD_PARTITION, p.number, p.start * ss, p.size * ss); !r)
                return make_errno_error(r.error().errno_value, "Failed to add partition " + std::to_string(p.number) +
                                                                       " of '" + disk.name + "' to the kernel");
        return {};
}

Result<uint64_t> device_bytes(const Disk &disk)
{
        if (disk.block_device) {
                uint64_t bytes = 0;
                if (::ioctl(disk.fd->fd, BLKGETSIZE64, &bytes) < 0)
                        return make_errno_error(errno, "Failed to get the size of '" + disk.name + "'");
                return bytes;
        }
        struct stat st;
        if (::fstat(disk.fd->fd, &st) < 0)
                return make_errno_error(errno, "Failed to stat '" + disk.name + "'");
        return static_cast<uint64_t>(st.st_size);
}

Result<void> zero_head(const Disk &disk, uint64_t disk_bytes)
{
        uint64_t len = std::min(zeroed_head_bytes, disk_bytes);
        std::vector<char> zeros(1024 * 1024, 0);
        for (uint64_t off = 0; off < len;) {
                size_t chunk = static_cast<size_t>(std::min<uint64_t>(zeros.size(), len - off));
                ssize_t n = ::pwrite(disk.fd->fd, zeros.data(), chunk, static_cast<off_t>(off));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return make_errno_error(n < 0 ? errno : EIO, "Failed to zero the start of '" + disk.name + "'");
                off += static_cast<uint64_t>(n);
        }
        if (::fsync(disk.fd->fd) < 0)
                return make_errno_error(errno, "Failed to sync '" + disk.name + "'");
        return {};
}

} // namespace

LabelType label_type_for_size(uint64_t disk_bytes)
{
        return disk_bytes > gpt_threshold_bytes ? LabelType::gpt : LabelType::dos;
}

std::string_view label_name(LabelType type)
{
        return type == LabelType::gpt ? "gpt" : "dos";
}

Result<NewPartition> create_lvm_partition(std::string_view disk_name, bool dry_run, DiskLock lock)
{
        // O_EXCL: a disk that is mounted, a PV of an active VG or otherwise claimed is busy.
        auto disk = open_disk(disk_name, dry_run ? O_RDONLY : O_RDWR | O_EXCL, dry_run, lock);
        if (!disk)
                return disk.error();
        auto signatures = blkid::list_signatures(disk->fd->fd, disk->name);
        if (!signatures)
                return signatures.error();
        if (!signatures->empty())
                return Error{blkid::refusal_message(signatures->front(), disk->name)};
        auto bytes = device_bytes(*disk);
        if (!bytes)
                return bytes.error();

        NewPartition p;
        p.label = label_type_for_size(*bytes);
        p.sector_size = static_cast<unsigned>(fdisk_get_sector_size(disk->cxt.get()));

        log::debug("libfdisk has read " + disk->name);
        if (!dry_run) {
                // #269: a stale LVM label at the old partition's offset would be picked up by
                // udev/lvm auto-activation the moment the new partition appears.
                if (auto r = zero_head(*disk, *bytes); !r)
                        return r.error();
                log::debug("Zeroed the first " + std::to_string(std::min(zeroed_head_bytes, *bytes)) + " bytes of " +
                           disk->name);
        }

        fdisk_context *cxt = disk->cxt.get();
        int rc = fdisk_create_disklabel(cxt, std::string(label_name(p.label)).c_str());
        if (rc < 0)
                return make_errno_error(-rc, "Failed to create a " + std::string(label_name(p.label)) +
                                                     " partition table on '" + disk->name + "'");
        fdisk_label *lb = fdisk_get_label(cxt, nullptr);
        fdisk_parttype *type =
                p.label == LabelType::gpt
                        ? fdisk_label_get_parttype_from_string(lb, std::string(lvm_gpt_type_guid).c_str())
                        : fdisk_label_get_parttype_from_code(lb, lvm_dos_type_code);
        if (!type)
                return Error{"libfdisk does not know the Linux LVM partition type"};

        Partition pa(fdisk_new_partition());
        if (!pa)
                return Error{"Failed to allocate a libfdisk partition", ENOMEM};
        // Sector 2048 as the original had it (1 MiB with 512-byte sectors).
        fdisk_partition_set_start(pa.get(), 2048);
        fdisk_partition_end_follow_default(pa.get(), 1);
        fdisk_partition_set_partno(pa.get(), 0);
        fdisk_partition_set_type(pa.get(), type);
        size_t partno = 0;
        rc = fdisk_add_partition(cxt, pa.get(), &partno);
        if (rc < 0)
                return make_errno_error(-rc, "Failed to add a partition to '" + disk->name + "'");

        fdisk_partition *added = nullptr;
        if (fdisk_get_partition(cxt, partno, &added) < 0 || !added)
                return Error{"Failed to read back the new partition of '" + disk->name + "'"};
        Partition added_guard(added);
        p.number = static_cast<unsigned>(partno + 1);
        p.start = fdisk_partition_get_start(added);
        p.size = fdisk_partition_get_size(added);

        if (dry_run) {
                std::printf("would zero the first %llu bytes of %s and write a %s partition table with "
                            "partition %u (Linux LVM): start=%llu size=%llu\n",
                            static_cast<unsigned long long>(std::min(zeroed_head_bytes, *bytes)), disk->name.c_str(),
                            std::string(label_name(p.label)).c_str(), p.number,
                            static_cast<unsigned long long>(p.start), static_cast<unsigned long long>(p.size));
                std::fflush(stdout);
                return p;
        }

        rc = fdisk_write_disklabel(cxt);
        if (rc < 0)
                return make_errno_error(-rc, "Failed to write the partition table of '" + disk->name + "'");
        if (::fsync(disk->fd->fd) < 0)
                return make_errno_error(errno, "Failed to sync '" + disk->name + "'");
        test_point("table-written");
        log::info("Created a " + std::string(label_name(p.label)) + " partition table on " + disk->name +
                  " with partition " + std::to_string(p.number) + " (Linux LVM), start " + std::to_string(p.start) +
                  ", " + std::to_string(p.size) + " sectors");
        if (disk->block_device) {
                if (auto r = announce_new_partition(*disk, p); !r)
                        return r.error();
                log::debug("The kernel knows partition " + std::to_string(p.number) + " of " + disk->name);
        }
        return p;
}

std::string format_change(const Growth &g, bool dry_run)
{
        char buf[256];
        std::snprintf(
                buf, sizeof buf, "%s: partition=%u start=%llu old: size=%llu end=%llu new: size=%llu,end=%llu",
                dry_run ? "CHANGE" : "CHANGED", g.number, static_cast<unsigned long long>(g.start),
                static_cast<unsigned long long>(g.old_size), static_cast<unsigned long long>(g.start + g.old_size),
                static_cast<unsigned long long>(g.new_size), static_cast<unsigned long long>(g.start + g.new_size));
        return buf;
}

std::string format_nochange(const Growth &g)
{
        return "NOCHANGE: partition " + std::to_string(g.number) + " is size " + std::to_string(g.old_size) +
               ". it cannot be grown";
}

Result<Growth> grow_partition(std::string_view disk_name, unsigned number, bool dry_run)
{
        if (number == 0)
                return Error{"Invalid partition number 0"};
        auto disk = open_disk(disk_name, dry_run ? O_RDONLY : O_RDWR, dry_run);
        if (!disk)
                return disk.error();
        fdisk_context *cxt = disk->cxt.get();
        if (!fdisk_has_label(cxt))
                return Error{"'" + disk->name + "' has no partition table"};
        bool gpt = fdisk_is_label(cxt, GPT);
        if (!gpt && !fdisk_is_label(cxt, DOS))
                return Error{"'" + disk->name + "' has a partition table that is neither dos nor gpt"};
        if (!gpt && number > 4)
                return Error{"Growing logical partitions is not supported ('" + disk->name + "' partition " +
                             std::to_string(number) + ")"};

        fdisk_partition *raw = nullptr;
        if (fdisk_get_partition(cxt, number - 1, &raw) < 0 || !raw || !fdisk_partition_is_used(raw)) {
                if (raw)
                        fdisk_unref_partition(raw);
                return Error{"'" + disk->name + "' has no partition " + std::to_string(number)};
        }
        Partition pa(raw);
        if (fdisk_partition_is_container(pa.get()))
                return Error{"Growing extended partitions is not supported ('" + disk->name + "' partition " +
                             std::to_string(number) + ")"};

        Growth g;
        g.number = number;
        g.start = fdisk_partition_get_start(pa.get());
        g.old_size = g.new_size = fdisk_partition_get_size(pa.get());
        uint64_t old_last = g.start + g.old_size - 1;

        // The last sector a partition may use. For GPT, libfdisk has already moved the
        // backup header to the end of a grown disk when the context is writable (gpt.c:
        // "This problem will be corrected by write"), and last_lba follows. A read-only
        // (dry-run) context keeps the old header, so compute what the move will give: the
        // backup header in the last sector, its entry array just before it.
        uint64_t limit = fdisk_get_last_lba(cxt);
        if (gpt && dry_run) {
                uint64_t ss = fdisk_get_sector_size(cxt);
                uint64_t entry_sectors = (fdisk_get_npartitions(cxt) * 128 + ss - 1) / ss;
                uint64_t total = fdisk_get_nsectors(cxt);
                if (total > entry_sectors + 2)
                        limit = std::max<uint64_t>(limit, total - 2 - entry_sectors);
        }
        // MBR entries are 32-bit sector counts.
        if (!gpt)
                limit = std::min<uint64_t>(limit, g.start + 0xFFFFFFFFULL - 1);

        // Only free space directly after the partition: stop before the next one.
        fdisk_table *tb_raw = nullptr;
        if (fdisk_get_partitions(cxt, &tb_raw) < 0)
                return Error{"Failed to list the partitions of '" + disk->name + "'"};
        Table tb(tb_raw);
        std::unique_ptr<fdisk_iter, IterDeleter> itr(fdisk_new_iter(FDISK_ITER_FORWARD));
        fdisk_partition *other = nullptr;
        while (fdisk_table_next_partition(tb.get(), itr.get(), &other) == 0) {
                if (!fdisk_partition_is_used(other) || !fdisk_partition_has_start(other) ||
                    fdisk_partition_get_partno(other) == number - 1)
                        continue;
                uint64_t s = fdisk_partition_get_start(other);
                if (s > g.start && s - 1 < limit)
                        limit = s - 1;
        }

        if (limit <= old_last) {
                std::printf("%s\n", format_nochange(g).c_str());
                std::fflush(stdout);
                return g;
        }
        g.new_size = limit - g.start + 1;
        if (dry_run) {
                std::printf("%s\n", format_change(g, true).c_str());
                std::fflush(stdout);
                return g;
        }

        Partition resized(fdisk_new_partition());
        if (!resized)
                return Error{"Failed to allocate a libfdisk partition", ENOMEM};
        fdisk_partition_set_size(resized.get(), g.new_size);
        fdisk_partition_size_explicit(resized.get(), 1); // exact size, no alignment
        int rc = fdisk_set_partition(cxt, number - 1, resized.get());
        if (rc < 0)
                return make_errno_error(-rc, "Failed to resize partition " + std::to_string(number) + " of '" +
                                                     disk->name + "'");
        // Never write a table that is not exactly what we computed.
        fdisk_partition *check = nullptr;
        if (fdisk_get_partition(cxt, number - 1, &check) < 0 || !check)
                return Error{"Failed to read back partition " + std::to_string(number) + " of '" + disk->name + "'"};
        Partition check_guard(check);
        if (fdisk_partition_get_start(check) != g.start || fdisk_partition_get_size(check) != g.new_size)
                return Error{"libfdisk changed partition " + std::to_string(number) + " of '" + disk->name +
                             "' differently than asked; nothing written"};

        rc = fdisk_write_disklabel(cxt);
        if (rc < 0)
                return make_errno_error(-rc, "Failed to write the partition table of '" + disk->name + "'");
        if (::fsync(disk->fd->fd) < 0)
                return make_errno_error(errno, "Failed to sync '" + disk->name + "'");
        test_point("table-written");

        if (disk->block_device) {
                uint64_t ss = fdisk_get_sector_size(cxt);
                if (auto r = blkpg(disk->fd->fd, BLKPG_RESIZE_PARTITION, number, g.start * ss, g.new_size * ss); !r)
                        return make_errno_error(
                                r.error().errno_value,
                                "Partition table of '" + disk->name +
                                        "' written, but failed to tell the kernel the new size of partition " +
                                        std::to_string(number));
        }
        std::printf("%s\n", format_change(g, false).c_str());
        std::fflush(stdout);
        return g;
}

} // namespace css::partition
