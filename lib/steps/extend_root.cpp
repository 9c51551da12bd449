// SPDX-License-Identifier: Apache-2.0
#include "steps/extend_root.hpp"

#include "config/size.hpp"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"
#include "sys/block.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace css::steps {

namespace {

uint64_t round_up_to_extents(uint64_t bytes, uint64_t extent_size)
{
        return (bytes + extent_size - 1) / extent_size * extent_size;
}

// lvm rounds a percentage of extents up when growing (percent_of_extents with roundup).
uint64_t percent_of_extents(uint64_t percent, uint64_t extents, uint64_t extent_size)
{
        return (percent * extents + 99) / 100 * extent_size;
}

// The most a relative ROOT_SIZE can add: %FREE and %PVS count free extents, never more than the VG.
uint64_t largest_growth(const Size &size, const lvm::Vg &vg)
{
        if (size.kind == Size::Kind::absolute)
                return round_up_to_extents(size.bytes, vg.extent_size);
        return percent_of_extents(size.percent, vg.extent_count, vg.extent_size);
}

// A record decides how far lvextend grows the root: only one that ROOT_SIZE could have given
// (whole extents, within the VG, no more than one growth above the LV's size now) is believed.
bool record_follows_root_size(const ExtendRootRecord &record, const Size &size, const lvm::Lv &root, const lvm::Vg &vg)
{
        return record.target_bytes % vg.extent_size == 0 && record.target_bytes <= vg.extent_count * vg.extent_size &&
               record.target_bytes <= root.size + largest_growth(size, vg);
}

std::string lv_arg(const lvm::Lv &lv)
{
        return lv.path.empty() ? lv.vg + "/" + lv.name : lv.path;
}

std::string describe(const lvm::Lv &lv)
{
        return lv.vg + "/" + lv.name;
}

} // namespace

std::string format_extend_root_record(const ExtendRootRecord &r)
{
        return r.lv_uuid + " " + std::to_string(r.target_bytes) + " " + r.root_size + "\n";
}

std::optional<ExtendRootRecord> parse_extend_root_record(std::string_view text)
{
        std::istringstream in{std::string(text)};
        ExtendRootRecord r;
        if (!(in >> r.lv_uuid >> r.target_bytes >> r.root_size))
                return std::nullopt;
        return r;
}

Result<ExtendRootPlan> plan_extend_root(const Size &size, const lvm::Lv &root, const lvm::Vg &vg,
                                        const std::optional<ExtendRootRecord> &previous)
{
        const std::string &root_size = size.text;
        if (vg.extent_size == 0)
                return Error{"Failed to read the extent size of volume group " + vg.name, EINVAL};

        ExtendRootPlan plan;
        if (!size.grow) {
                // Without '+', lvextend takes N%FREE as the new size: N% of the free extents,
                // rounded up (lvm2 2.03.16: 10%FREE of 923 free extents is 93 extents, and "New
                // size given (93 extents) not larger than existing size" when the LV has more).
                // %PVS with no PV named counts the VG's free extents the same way.
                uint64_t target = size.kind == Size::Kind::absolute ? round_up_to_extents(size.bytes, vg.extent_size)
                                  : size.kind == Size::Kind::percent_vg
                                          ? percent_of_extents(size.percent, vg.extent_count, vg.extent_size)
                                          : percent_of_extents(size.percent, vg.free_count, vg.extent_size);
                if (root.size >= target) {
                        plan.reason = "Root logical volume " + describe(root) + " already has " +
                                      std::to_string(root.size) + " bytes (ROOT_SIZE=" + root_size +
                                      "), nothing to do.";
                        return plan;
                }
                plan.extend = true;
                plan.argv = lvm::lvextend_root(lv_arg(root), size);
                return plan;
        }

        const bool same_setting = previous && previous->lv_uuid == root.uuid && previous->root_size == root_size;
        const bool believed = same_setting && record_follows_root_size(*previous, size, root, vg);
        if (same_setting && !believed)
                log::warning("Ignoring " + std::string(extend_root_record_path) + ": its size " +
                             std::to_string(previous->target_bytes) + " bytes does not follow from ROOT_SIZE=" +
                             root_size + " for " + describe(root) + " (" + std::to_string(root.size) + " bytes now).");
        if (believed) {
                if (root.size >= previous->target_bytes) {
                        plan.reason = "ROOT_SIZE=" + root_size + " was already applied to " + describe(root) +
                                      ", nothing to do.";
                        return plan;
                }
                // Recorded but smaller now: someone shrank it or lvextend -r half failed. Grow to
                // the recorded size, never by ROOT_SIZE again.
                plan.extend = true;
                const std::string recorded = std::to_string(previous->target_bytes) + "b";
                plan.argv = lvm::lvextend_root(lv_arg(root),
                                               Size{Size::Kind::absolute, previous->target_bytes, 0, recorded});
                return plan;
        }

        if (vg.free_count == 0) {
                plan.reason = "Volume group " + vg.name + " has no free space to grow " + describe(root) +
                              " by ROOT_SIZE=" + root_size + ", nothing to do.";
                return plan;
        }
        plan.extend = true;
        plan.argv = lvm::lvextend_root(lv_arg(root), size);
        plan.record = ExtendRootRecord{root.uuid, root_size, 0};
        return plan;
}

namespace {

std::optional<ExtendRootRecord> read_record()
{
        std::ifstream in(paths::host_path(extend_root_record_path));
        if (!in)
                return std::nullopt;
        std::stringstream buffer;
        buffer << in.rdbuf();
        return parse_extend_root_record(buffer.str());
}

// The size the kernel now gives the root device: no second lvm exec needed.
Result<void> save_record(ExtendRootRecord record, const block::BlockDevice &root_device)
{
        Result<uint64_t> size = block::size_bytes(root_device);
        if (!size)
                return size.error();
        record.target_bytes = *size;
        std::string path = paths::host_path(extend_root_record_path);
        std::string dir = path.substr(0, path.rfind('/'));
        if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
                return make_errno_error(errno, "Failed to create directory '" + dir + "'");
        return write_file_atomic(path, format_extend_root_record(record));
}

// The step proper; extend_root() notes its failure for the writer.
int extend_root_once(StepContext &context)
{
        const Config &config = context.config();
        if (!config.root_size) {
                log::debug("ROOT_SIZE is not set, nothing to do.");
                return exit_ok;
        }

        Result<block::BlockDevice> root_device = block::root_device();
        if (!root_device)
                return fail(root_device.error());
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return fail(snapshot.error());
        const lvm::Lv *root = nullptr;
        for (const lvm::Lv &lv : (*snapshot)->lvs)
                if (lv.kernel_major == major(root_device->devnum) && lv.kernel_minor == minor(root_device->devnum))
                        root = &lv;
        if (!root) {
                log::info("The root filesystem is not on LVM: ROOT_SIZE does not apply.");
                return exit_ok;
        }
        const lvm::Vg *vg = (*snapshot)->find_vg(root->vg);
        if (!vg)
                return fail(Error{"Failed to find volume group " + root->vg + " in the LVM report", ENOENT});

        Result<ExtendRootPlan> plan = plan_extend_root(*config.root_size, *root, *vg, read_record());
        if (!plan)
                return fail(plan.error());
        if (!plan->extend) {
                log::info(plan->reason);
                return exit_ok;
        }
        if (Result<void> r = run_lvm_change(context, plan->argv); !r)
                return fail(r.error());
        if (plan->record && !context.dry_run())
                if (Result<void> r = save_record(*plan->record, *root_device); !r)
                        return fail(r.error());
        return exit_ok;
}

} // namespace

int extend_root(StepContext &context)
{
        int rc = extend_root_once(context);
        if (context.dry_run())
                return rc;
        if (rc == exit_ok)
                ::unlink(paths::host_path(extend_root_failed_note).c_str());
        else if (Result<void> r = write_scratch_note(extend_root_failed_note, "1\n"); !r)
                log::warning(r.error().message + ", ignoring.");
        return rc;
}

} // namespace css::steps
