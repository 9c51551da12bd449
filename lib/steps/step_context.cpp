// SPDX-License-Identifier: Apache-2.0
#include "steps/step_context.hpp"

#include "sys/block.hpp"
#include "sys/dm_name.hpp"

#include <cstdio>

namespace css {

Result<process::Outcome> StepContext::run(const process::Command &command)
{
        if (dry_run() && command.mutating)
                return process::pretend(command);
        return process::run(command);
}

Result<process::Outcome> StepContext::run_checked(const process::Command &command)
{
        return process::checked(command, run(command));
}

Result<void> StepContext::write_file(const std::string &path, std::string_view content,
                                     const AtomicWriteOptions &options)
{
        if (!dry_run())
                return write_file_atomic(path, content, options);
        std::string text = "would write " + path + ":\n" + std::string(content);
        if (!content.empty() && content.back() != '\n')
                text += '\n';
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
        return {};
}

Result<const lvm::Snapshot *> StepContext::lvm()
{
        if (!snapshot_) {
                Result<lvm::Snapshot> s = lvm::query();
                if (!s)
                        return s.error();
                snapshot_ = std::move(*s);
                planned_.apply(*snapshot_);
        }
        return &*snapshot_;
}

Result<uint64_t> StepContext::device_bytes(const block::BlockDevice &device) const
{
        if (std::optional<uint64_t> planned = planned_.device_bytes(device.devnum))
                return *planned;
        return block::size_bytes(device);
}

void StepContext::plan_device_growth(const block::BlockDevice &device, uint64_t bytes)
{
        if (dry_run())
                planned_.grow_device(device.devnum, bytes);
}

void StepContext::plan_pv_resize(std::string pv, uint64_t device_bytes)
{
        if (!dry_run())
                return;
        planned_.pv_resizes.push_back({std::move(pv), device_bytes});
        snapshot_.reset();
}

void StepContext::plan_lv_extension(steps::PlannedGrowth::LvExtension extension)
{
        if (!dry_run())
                return;
        planned_.lv_extensions.push_back(std::move(extension));
        snapshot_.reset();
}

Result<std::string> StepContext::effective_vg()
{
        if (!config_.vg.empty())
                return config_.vg;

        // upstream-reference §2.2: the original asked `lvs -o vg_name <root device>`. The root
        // LV's device-mapper name says the same without an lvm run: LVM names the map
        // "<vg>-<lv>" (a '-' inside a name doubled) and renames it with the VG. A root that is
        // not an LV (no "LVM-" dm UUID: a partition, a LUKS or multipath map) has no VG.
        Result<block::BlockDevice> root = block::root_device();
        if (!root)
                return root.error();
        if (!block::dm_uuid(*root).starts_with("LVM-"))
                return std::string();
        const std::string name = block::dm_name(*root);
        Result<dm::SplitName> split = dm::split_lvm_dm_name(name);
        if (!split)
                return Error{"Volume group backing root filesystem could not be determined from its device-mapper "
                             "name '" +
                             name + "'"};
        return split->vg;
}

} // namespace css
