// SPDX-License-Identifier: Apache-2.0
#include "sys/blkid_probe.hpp"

#include "core/fd.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"

#include <algorithm>
#include <blkid/blkid.h>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/fs.h>
#include <memory>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace css::blkid {

namespace {

struct ProbeDeleter {
        void operator()(blkid_probe pr) const { blkid_free_probe(pr); }
};
using Probe = std::unique_ptr<std::remove_pointer_t<blkid_probe>, ProbeDeleter>;

// A probe that reports every magic it finds, like wipefs: superblocks (bad checksums
// included, since a stale superblock is still a signature) and partition tables.
Result<Probe> new_probe(int fd, std::string_view device)
{
        Probe pr(blkid_new_probe());
        if (!pr)
                return Error{"Failed to allocate a blkid probe for '" + std::string(device) + "'", ENOMEM};
        if (blkid_probe_set_device(pr.get(), fd, 0, 0) != 0)
                return Error{"Failed to set up a blkid probe on '" + std::string(device) + "'"};
        blkid_probe_enable_superblocks(pr.get(), 1);
        blkid_probe_set_superblocks_flags(pr.get(), BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE |
                                                            BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID |
                                                            BLKID_SUBLKS_BADCSUM);
        blkid_probe_enable_partitions(pr.get(), 1);
        blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT);
        return pr;
}

std::string lookup(blkid_probe pr, const char *name)
{
        const char *value = nullptr;
        if (blkid_probe_lookup_value(pr, name, &value, nullptr) == 0 && value)
                return value;
        return {};
}

// The length of a binary value (SBMAGIC/PTMAGIC are raw bytes, not strings).
size_t lookup_length(blkid_probe pr, const char *name)
{
        const char *value = nullptr;
        size_t len = 0;
        if (blkid_probe_lookup_value(pr, name, &value, &len) == 0 && value)
                return len;
        return 0;
}

// The signature the last successful blkid_do_probe() found, if it has a magic.
std::optional<Signature> current_signature(blkid_probe pr)
{
        Signature s;
        std::string offset;
        if (std::string type = lookup(pr, "TYPE"); !type.empty()) {
                s.type = std::move(type);
                s.usage = lookup(pr, "USAGE");
                s.uuid = lookup(pr, "UUID");
                s.label = lookup(pr, "LABEL");
                offset = lookup(pr, "SBMAGIC_OFFSET");
                s.magic_length = lookup_length(pr, "SBMAGIC");
        } else if (std::string pttype = lookup(pr, "PTTYPE"); !pttype.empty()) {
                s.type = std::move(pttype);
                s.usage = "partition table";
                s.uuid = lookup(pr, "PTUUID");
                s.partition_table = true;
                offset = lookup(pr, "PTMAGIC_OFFSET");
                s.magic_length = lookup_length(pr, "PTMAGIC");
        } else {
                return std::nullopt;
        }
        if (offset.empty())
                return std::nullopt; // no magic to point at (wipefs skips these too)
        s.offset = std::strtoull(offset.c_str(), nullptr, 10);
        return s;
}

Result<int> open_device(std::string_view device, int flags)
{
        std::string path = paths::host_path(device);
        int fd = ::open(path.c_str(), flags | O_CLOEXEC);
        if (fd < 0)
                return make_errno_error(errno, "Failed to open '" + std::string(device) + "'");
        return fd;
}

} // namespace

std::string format_offset(uint64_t offset)
{
        char buf[32];
        std::snprintf(buf, sizeof buf, "0x%" PRIx64, offset);
        return buf;
}

std::string refusal_message(const Signature &signature, std::string_view device)
{
        return "Found " + signature.type + " signature on device " + std::string(device) + " at offset " +
               format_offset(signature.offset) +
               ". Wipe signatures using wipefs or use WIPE_SIGNATURES=true and retry.";
}

Result<std::vector<Signature>> list_signatures(std::string_view device)
{
        auto fd = open_device(device, O_RDONLY | O_NONBLOCK);
        if (!fd)
                return fd.error();
        Fd guard(*fd);
        return list_signatures(guard.fd, device);
}

Result<std::vector<Signature>> list_signatures(int fd, std::string_view device)
{
        auto pr = new_probe(fd, device);
        if (!pr)
                return pr.error();
        std::vector<Signature> out;
        int rc;
        while ((rc = blkid_do_probe(pr->get())) == 0) {
                auto s = current_signature(pr->get());
                if (!s)
                        continue;
                // A magic that could not be hidden would be found forever: once is enough.
                if (std::any_of(out.begin(), out.end(),
                                [&](const Signature &o) { return o.offset == s->offset && o.type == s->type; }))
                        continue;
                // Hide it in memory only (nothing is written) and probe the same chain again.
                if (s->magic_length > 0) {
                        blkid_probe_hide_range(pr->get(), s->offset, s->magic_length);
                        blkid_probe_step_back(pr->get());
                }
                out.push_back(std::move(*s));
        }
        if (rc < 0)
                return Error{"Failed to probe signatures on '" + std::string(device) + "'"};
        return out;
}

Result<std::vector<Signature>> wipe_signatures(std::string_view device, bool dry_run)
{
        if (dry_run) {
                auto found = list_signatures(device);
                if (!found)
                        return found.error();
                for (const auto &s : *found)
                        std::printf("would wipe %s signature on %.*s at offset %s\n", s.type.c_str(),
                                    static_cast<int>(device.size()), device.data(), format_offset(s.offset).c_str());
                std::fflush(stdout);
                return found;
        }

        // O_EXCL: the kernel refuses (EBUSY) while a filesystem is mounted on the device or
        // device-mapper holds it, which is exactly when wiping would destroy live data.
        auto fd = open_device(device, O_RDWR | O_EXCL);
        if (!fd)
                return fd.error();
        Fd guard(*fd);
        auto pr = new_probe(guard.fd, device);
        if (!pr)
                return pr.error();

        std::vector<Signature> wiped;
        bool table_wiped = false;
        int rc;
        // blkid_do_wipe() steps the probe back, so the next blkid_do_probe() looks at the same
        // area again and finds what the erased magic hid (the GPT backup header, a second
        // superblock of another type).
        while ((rc = blkid_do_probe(pr->get())) == 0) {
                auto s = current_signature(pr->get());
                if (!s)
                        continue;
                // Erased magic that shows up again did not reach the disk: stop, don't loop.
                if (std::any_of(wiped.begin(), wiped.end(),
                                [&](const Signature &w) { return w.offset == s->offset && w.type == s->type; }))
                        return Error{"Failed to wipe " + s->type + " signature on '" + std::string(device) +
                                             "' at offset " + format_offset(s->offset) + ": it is still there",
                                     EIO};
                if (blkid_do_wipe(pr->get(), 0) != 0)
                        return make_errno_error(errno ? errno : EIO, "Failed to wipe " + s->type + " signature on '" +
                                                                             std::string(device) + "' at offset " +
                                                                             format_offset(s->offset));
                log::info(std::string(device) + ": " + s->type + " signature at offset " + format_offset(s->offset) +
                          " erased");
                table_wiped = table_wiped || s->partition_table;
                wiped.push_back(std::move(*s));
        }
        if (rc < 0)
                return Error{"Failed to probe signatures on '" + std::string(device) + "'"};
        if (::fsync(guard.fd) < 0)
                return make_errno_error(errno, "Failed to sync '" + std::string(device) + "'");

        // The kernel still has the old partitions; let it drop them. A failure (a partition
        // still in use) is not fatal here: the table on disk is gone either way.
        struct stat st;
        if (table_wiped && ::fstat(guard.fd, &st) == 0 && S_ISBLK(st.st_mode) &&
            blkid_probe_is_wholedisk(pr->get()) == 1) {
                if (::ioctl(guard.fd, BLKRRPART) < 0) {
                        int e = errno;
                        log::warning("Failed to re-read the partition table of '" + std::string(device) +
                                     "', ignoring: " + std::string(strerror(e)));
                }
        }
        return wiped;
}

Result<std::optional<std::string>> superblock_type(std::string_view device)
{
        auto fd = open_device(device, O_RDONLY | O_NONBLOCK);
        if (!fd)
                return fd.error();
        Fd guard(*fd);
        Probe pr(blkid_new_probe());
        if (!pr || blkid_probe_set_device(pr.get(), guard.fd, 0, 0) != 0)
                return Error{"Failed to set up a blkid probe on '" + std::string(device) + "'"};
        blkid_probe_enable_superblocks(pr.get(), 1);
        blkid_probe_set_superblocks_flags(pr.get(), BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE);
        int rc = blkid_do_safeprobe(pr.get());
        if (rc == 1)
                return std::optional<std::string>();
        if (rc == -2)
                return Error{"Found conflicting signatures on '" + std::string(device) + "'"};
        if (rc < 0)
                return Error{"Failed to probe '" + std::string(device) + "'"};
        return std::optional<std::string>(lookup(pr.get(), "TYPE"));
}

} // namespace css::blkid
