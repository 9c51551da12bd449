// SPDX-License-Identifier: Apache-2.0
#include "steps/prepare_disk.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "lvm/commands.hpp"
#include "steps/orphan_pv.hpp"
#include "steps/prepare_disk_layout.hpp"
#include "steps/step_util.hpp"
#include "steps/vg.hpp"
#include "sys/blkid_probe.hpp"
#include "sys/block.hpp"
#include "sys/lock.hpp"
#include "sys/partition.hpp"
#include "sys/process.hpp"
#include "sys/udev_wait.hpp"

#include <chrono>
#include <cstdio>

namespace css {

namespace {

using disk_plan::Action;

int log_failure(const std::string &message)
{
        log::error(message);
        return 1;
}

Result<disk_plan::DiskFacts> gather_facts(StepContext &context, const block::BlockDevice &disk)
{
        disk_plan::DiskFacts f;
        f.disk = disk.devnode();
        Result<uint64_t> bytes = block::size_bytes(disk);
        if (!bytes)
                return bytes.error();
        f.disk_bytes = *bytes;
        Result<unsigned> sector = block::logical_sector_size(disk);
        if (!sector)
                return sector.error();
        f.sector_size = *sector;
        auto signatures = blkid::list_signatures(f.disk);
        if (!signatures)
                return signatures.error();
        f.disk_signatures = std::move(*signatures);
        auto table = disk_plan::read_partition_table(f.disk);
        if (!table)
                return table.error();
        f.table = std::move(*table);

        auto parts = block::partitions(disk);
        if (!parts)
                return parts.error();
        if (parts->empty())
                return f;
        const block::BlockDevice &first = parts->front();
        f.first_partition = first.devnode();
        auto inside = blkid::list_signatures(f.first_partition);
        if (!inside)
                return inside.error();
        f.first_partition_signatures = std::move(*inside);
        // A partition without an LVM2_member label cannot be a PV: lvm is only asked when
        // there is one, so a blank or foreign disk costs no lvm exec.
        if (disk_plan::has_lvm_label(f.first_partition_signatures)) {
                Result<const lvm::Snapshot *> snapshot = context.lvm();
                if (!snapshot)
                        return snapshot.error();
                if (const lvm::Pv *pv = pv_of_device(**snapshot, first))
                        f.first_partition_vg = pv->vg;
        }
        return f;
}

Result<FileLock> lock_disk(const std::string &node)
{
        return lock_block_device(paths::host_path(node));
}

// The original ran `wipefs -f -a <part>` then `pvcreate <part>` (never -f, #124).
int wipe_and_pvcreate(StepContext &context, const std::string &partition)
{
        auto wiped = blkid::wipe_signatures(partition, process::dry_run());
        if (!wiped)
                return log_failure(wiped.error().message);
        auto created = process::run_checked(lvm::make_command(lvm::pvcreate(partition), true));
        context.lvm_changed();
        if (!created)
                return log_failure(created.error().message);
        if (!process::dry_run())
                steps::record_orphan_pv(partition);
        return 0;
}

// The new partition's node: from sysfs (the kernel adds it synchronously when it learns the
// table), else the kernel's naming rule. The caller still holds the disk's flock, so udev
// leaves the new partition alone until pvcreate is done: that, rather than waiting for udev
// to finish with it, keeps pvcreate from racing udev's probe (#126), and udev then probes
// the partition once, as a PV. So the wait is for the node alone (devtmpfs has it once the
// kernel knows the partition); DEVICE_WAIT_TIMEOUT=0 (or empty) looks once (§1).
Result<std::string> wait_for_partition(const block::BlockDevice &disk, unsigned number, unsigned timeout_s)
{
        std::string node = disk_plan::partition_node(disk.devnode(), number);
        auto parts = block::partitions(disk);
        if (!parts)
                return parts.error();
        for (const block::BlockDevice &p : *parts) {
                auto of = block::parent_disk(p);
                if (of && of->number == number)
                        node = p.devnode();
        }
        auto waited = udev::wait_for_device(node, std::chrono::seconds(timeout_s), udev::WaitFor::node);
        if (!waited) {
                log::debug(waited.error().message);
                return Error{"Partition device " + node + " is not available"};
        }
        log::debug(node + " is there");
        return node;
}

} // namespace

namespace steps {

int prepare_disk(StepContext &context, std::string_view device)
{
        const Config &config = context.config();
        const bool dry_run = process::dry_run();

        // As the original: DEVS are only used when there is a VG, set or the root's.
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return log_failure(vg.error().message);
        if (vg->empty()) {
                log::info("Not preparing " + std::string(device) +
                          ": VG is not set and the root filesystem is not on LVM, so DEVS are not used");
                return 0;
        }

        Result<block::BlockDevice> disk = block::resolve_whole_disk(device);
        if (!disk)
                return log_failure(disk.error().message);
        const std::string node = disk->devnode();

        // Two DEVS spellings of one disk (vdb and its /dev/disk/by-id link) give two unit
        // instances. A lock of the step per device number keeps the second instance out
        // until the first is done (it then finds the disk prepared), without competing with
        // udev for the disk's flock in a retry loop.
        FileLock step_lock;
        if (!dry_run) {
                Result<FileLock> l = lock_file(paths::host_path(std::string(steps::scratch_dir) +
                                                                 "/prepare-disk-" + disk->devnum_string() + ".lock"));
                if (!l)
                        return log_failure(l.error().message);
                step_lock = std::move(*l);
        }

        // Held while we look, while we change the disk and until pvcreate is done: udev does
        // not probe a half-written table, and probes the new partition once, as a PV.
        Result<FileLock> lock = lock_disk(node);
        if (!lock)
                return log_failure(lock.error().message);
        log::debug("Holding the lock of " + node);

        auto facts = gather_facts(context, *disk);
        if (!facts)
                return log_failure(facts.error().message);
        disk_plan::Decision decision = disk_plan::decide(*facts, *vg, config.wipe_signatures);
        log::debug("Probed " + node + ": " + std::to_string(facts->disk_signatures.size()) +
                   " signature(s), " + std::to_string(facts->table.entries.size()) + " partition(s) in its table");
        switch (decision.action) {
        case Action::prepared:
                if (!dry_run)
                        steps::record_orphan_pv(facts->first_partition);
                [[fallthrough]];
        case Action::in_vg:
                log::info(decision.message);
                return 0;
        case Action::refuse:
                return log_failure(decision.message);
        case Action::finish_pvcreate:
                log::info(decision.message);
                return wipe_and_pvcreate(context, facts->first_partition);
        case Action::prepare:
                break;
        }

        bool had_signatures = !facts->disk_signatures.empty();
        if (had_signatures) {
                // decide() only lets a disk with signatures through with WIPE_SIGNATURES=true.
                log::info("Wipe Signatures is set to true. Any signatures on " + node + " will be wiped.");
                auto wiped = blkid::wipe_signatures(node, dry_run);
                if (!wiped)
                        return log_failure("Failed to wipe signatures on device " + node + ": " + wiped.error().message);
        }

        // The disk stays locked from the look at it to the end of pvcreate.
        unsigned number = 1;
        if (dry_run && had_signatures) {
                // The wipe was only printed, so libfdisk would still see the signatures.
                std::printf("would zero the first %llu bytes of %s and write a %s partition table with "
                            "partition 1 (Linux LVM)\n",
                            static_cast<unsigned long long>(partition::zeroed_head_bytes), node.c_str(),
                            std::string(partition::label_name(partition::label_type_for_size(facts->disk_bytes)))
                                    .c_str());
                std::fflush(stdout);
        } else {
                auto created = partition::create_lvm_partition(node, dry_run, partition::DiskLock::held_by_caller);
                if (!created)
                        return log_failure(created.error().message);
                number = created->number;
        }
        if (dry_run) {
                process::Command pvcreate =
                        lvm::make_command(lvm::pvcreate(disk_plan::partition_node(node, number)), true);
                return process::run(pvcreate) ? 0 : 1;
        }

        auto part = wait_for_partition(*disk, number, config.device_wait_timeout);
        if (!part)
                return log_failure(part.error().message);
        return wipe_and_pvcreate(context, *part);
}

} // namespace steps

} // namespace css
