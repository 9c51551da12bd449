// SPDX-License-Identifier: Apache-2.0
#include "steps/prepare_disk.hpp"

#include "core/exit_code.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "lvm/commands.hpp"
#include "steps/devs_identity.hpp"
#include "steps/growpart.hpp"
#include "steps/pvresize.hpp"
#include "steps/orphan_pv.hpp"
#include "steps/prepare_disk_layout.hpp"
#include "steps/step_util.hpp"
#include "steps/vg.hpp"
#include "sys/blkid_probe.hpp"
#include "sys/block.hpp"
#include "sys/disk_identity.hpp"
#include "sys/lock.hpp"
#include "sys/partition.hpp"
#include "sys/process.hpp"
#include "sys/udev_wait.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace css {

namespace {

using disk_plan::Action;

// The VG of the PV lvm reports on `device` ("" for an orphan). nullopt when the signatures
// hold no LVM2_member label (lvm is then not asked: a blank or foreign disk costs no lvm exec),
// or when lvm lists no PV there: that label goes into the facts' unreported_pv_labels.
Result<std::optional<std::string>> check_pv_label(StepContext &context, const block::BlockDevice &device,
                                                  const std::vector<blkid::Signature> &signatures,
                                                  disk_plan::DiskFacts &f)
{
        if (!disk_plan::has_lvm_label(signatures))
                return std::optional<std::string>();
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return snapshot.error();
        if (const lvm::Pv *pv = pv_of_device(**snapshot, device))
                return std::optional<std::string>(pv->vg);
        f.unreported_pv_labels.push_back(device.devnode());
        return std::optional<std::string>();
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
        if (auto checked = check_pv_label(context, disk, f.disk_signatures, f); !checked)
                return checked.error();
        auto table = disk_plan::read_partition_table(f.disk);
        if (!table)
                return table.error();
        f.table = std::move(*table);

        auto parts = block::partitions(disk);
        if (!parts)
                return parts.error();
        // Every partition is looked at, not only the first: WIPE_SIGNATURES=true would take
        // them all.
        for (const block::BlockDevice &part : *parts) {
                auto inside = blkid::list_signatures(part.devnode());
                if (!inside)
                        return inside.error();
                auto vg = check_pv_label(context, part, *inside, f);
                if (!vg)
                        return vg.error();
                if (f.first_partition.empty()) {
                        f.first_partition = part.devnode();
                        f.first_partition_signatures = std::move(*inside);
                        f.first_partition_vg = *vg;
                }
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
        auto wiped = blkid::wipe_signatures(partition, context.dry_run());
        if (!wiped)
                return fail(wiped.error().message);
        auto created = context.run_checked(lvm::make_command(lvm::pvcreate(partition), true));
        context.lvm_changed();
        if (!created)
                return fail(created.error().message);
        if (!context.dry_run())
                steps::record_orphan_pv(partition);
        return 0;
}

// The new partition's node: from sysfs (the kernel adds it synchronously when it learns the
// table), else the kernel's naming rule. The caller still holds the disk's flock, so udev
// leaves the new partition alone until pvcreate is done (udev_wait.hpp); the wait is for the
// node, which devtmpfs has once the kernel knows the partition; DEVICE_WAIT_TIMEOUT=0 (or
// empty) looks once (§1).
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
        auto waited = udev::wait_for_device(node, std::chrono::seconds(timeout_s));
        if (!waited) {
                log::debug(waited.error().message);
                return Error{"Partition device " + node + " is not available"};
        }
        log::debug(node + " is there");
        return node;
}

std::string not_in_devs_message(std::string_view device, const std::string &node, const std::vector<std::string> &devs)
{
        std::string what = "Device " + std::string(device);
        if (device != node)
                what += " (" + node + ")";
        std::string list;
        for (const std::string &d : devs)
                list += (list.empty() ? "" : " ") + d;
        if (list.empty())
                return what + " is not one of DEVS (DEVS is empty); not preparing it";
        return what + " is not one of DEVS (" + list + "); not preparing it";
}

} // namespace

namespace steps {

bool is_devs_disk(const std::vector<std::string> &devs, const block::BlockDevice &disk)
{
        return std::any_of(devs.begin(), devs.end(), [&](const std::string &entry) {
                Result<block::BlockDevice> d = block::resolve_whole_disk(entry);
                return d && d->devnum == disk.devnum;
        });
}

namespace {

// GROW_DEVS=true: a disk that grew (a resized cloud volume) gets its partition grown to the
// disk's end and its PV to the partition, as css-growpart and css-pvresize do for the root.
int grow_devs_pv(StepContext &context, const std::string &partition)
{
        Result<block::BlockDevice> pv = block::from_path(partition);
        if (!pv)
                return fail(pv.error().message);
        if (int rc = grow_pv_partitions(context, {*pv}); rc != 0)
                return rc;
        return resize_pvs(context, {*pv});
}

} // namespace

int prepare_disk(StepContext &context, std::string_view device)
{
        const Config &config = context.config();
        const bool dry_run = context.dry_run();

        // As the original: DEVS are only used when there is a VG, set or the root's.
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return fail(vg.error().message);
        if (vg->empty()) {
                log::info("Not preparing " + std::string(device) +
                          ": VG is not set and the root filesystem is not on LVM, so DEVS are not used");
                return 0;
        }

        Result<block::BlockDevice> disk = block::resolve_whole_disk(device);
        if (!disk)
                return fail(disk.error().message);
        const std::string node = disk->devnode();
        if (!is_devs_disk(config.devs, *disk))
                return fail(not_in_devs_message(device, node, config.devs));

        // Two DEVS spellings of one disk (vdb and its /dev/disk/by-id link) give two unit
        // instances. A lock of the step per device number keeps the second instance out
        // until the first is done (it then finds the disk prepared), without competing with
        // udev for the disk's flock in a retry loop.
        FileLock step_lock;
        if (!dry_run) {
                Result<FileLock> l = lock_file(paths::host_path(std::string(steps::scratch_dir) + "/prepare-disk-" +
                                                                disk->devnum_string() + ".lock"));
                if (!l)
                        return fail(l.error().message);
                step_lock = std::move(*l);
        }

        // Held while we look, while we change the disk and until pvcreate is done: udev does
        // not probe a half-written table, and probes the new partition once, as a PV. A dry run
        // changes nothing and takes no lock: it would keep udev and a real run waiting.
        FileLock disk_lock;
        if (!dry_run) {
                Result<FileLock> lock = lock_disk(node);
                if (!lock)
                        return fail(lock.error().message);
                disk_lock = std::move(*lock);
                log::debug("Holding the lock of " + node);
        }

        auto facts = gather_facts(context, *disk);
        if (!facts)
                return fail(facts.error().message);
        disk_plan::Decision decision = disk_plan::decide(*facts, *vg, config.wipe_signatures);
        log::debug("Probed " + node + ": " + std::to_string(facts->disk_signatures.size()) + " signature(s), " +
                   std::to_string(facts->table.entries.size()) + " partition(s) in its table");
        const std::string identity = block::disk_identity(*disk);
        // Remembers which disk this entry named, once it is ours (steps/devs_identity.hpp).
        auto done = [&](int status) {
                if (status == 0 && !dry_run)
                        if (Result<void> r = steps::record_identity(device, identity); !r)
                                log::warning(r.error().message + ", ignoring.");
                return status;
        };
        // Before anything is written to a disk that is not blank: is it still the disk this
        // entry named when it was prepared?
        const bool has_data = !facts->disk_signatures.empty() || !facts->table.entries.empty();
        if (has_data && (decision.action == Action::prepare || decision.action == Action::finish_pvcreate))
                if (std::string refusal = steps::changed_identity_refusal(
                            device, node, steps::recorded_identity(device).value_or(""), identity);
                    !refusal.empty())
                        return fail(refusal);
        switch (decision.action) {
        case Action::prepared:
                if (!dry_run)
                        steps::record_orphan_pv(facts->first_partition);
                [[fallthrough]];
        case Action::in_vg:
                log::info(decision.message);
                if (config.grow_devs) {
                        // grow_partition() takes the disk's lock itself.
                        disk_lock = FileLock();
                        return done(grow_devs_pv(context, facts->first_partition));
                }
                return done(0);
        case Action::refuse:
                return fail(decision.message);
        case Action::finish_pvcreate:
                log::info(decision.message);
                return done(wipe_and_pvcreate(context, facts->first_partition));
        case Action::prepare:
                break;
        }

        bool had_signatures = !facts->disk_signatures.empty();
        if (had_signatures) {
                // decide() only lets a disk with signatures through with WIPE_SIGNATURES=true.
                log::info("Wipe Signatures is set to true. Any signatures on " + node + " will be wiped.");
                auto wiped = blkid::wipe_signatures(node, dry_run);
                if (!wiped)
                        return fail("Failed to wipe signatures on device " + node + ": " + wiped.error().message);
        }

        // The disk stays locked from the look at it to the end of pvcreate.
        unsigned number = 1;
        if (dry_run && had_signatures) {
                // The wipe was only printed, so libfdisk would still see the signatures.
                std::printf(
                        "would zero the first %llu bytes of %s and write a %s partition table with "
                        "partition 1 (Linux LVM)\n",
                        static_cast<unsigned long long>(partition::zeroed_head_bytes), node.c_str(),
                        std::string(partition::label_name(partition::label_type_for_size(facts->disk_bytes))).c_str());
                std::fflush(stdout);
        } else {
                auto created = partition::create_lvm_partition(node, dry_run, partition::DiskLock::held_by_caller);
                if (!created)
                        return fail(created.error().message);
                number = created->number;
        }
        if (dry_run) {
                process::Command pvcreate =
                        lvm::make_command(lvm::pvcreate(disk_plan::partition_node(node, number)), true);
                return context.run(pvcreate) ? 0 : 1;
        }

        auto part = wait_for_partition(*disk, number, config.device_wait_timeout);
        if (!part)
                return fail(part.error().message);
        return done(wipe_and_pvcreate(context, *part));
}

} // namespace steps

} // namespace css
