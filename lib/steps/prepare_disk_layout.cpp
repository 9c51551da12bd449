// SPDX-License-Identifier: Apache-2.0
#include "steps/prepare_disk_layout.hpp"

#include "core/paths.hpp"
#include "sys/partition.hpp"

#include <algorithm>
#include <blkid/blkid.h>
#include <cctype>
#include <cstdio>
#include <memory>

namespace css::disk_plan {

namespace {

struct ProbeDeleter {
        void operator()(blkid_probe pr) const { blkid_free_probe(pr); }
};

std::string upper(std::string s)
{
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
        return s;
}

std::string dos_type(int code)
{
        char buf[8];
        std::snprintf(buf, sizeof buf, "0x%x", static_cast<unsigned>(code));
        return buf;
}

// create_lvm_partition() lets the partition run to the last usable sector; GPT keeps its
// backup entries behind it and libfdisk may align the end down to its 1 MiB grain. Anything
// within this much of the end still counts as "to the end of the disk".
constexpr uint64_t end_slack_bytes = 2 * 1024 * 1024;

std::string unreported_pv_message(const std::string &disk, const std::string &node)
{
        std::string what = node == disk ? "Device " + disk : "Partition " + node + " of device " + disk;
        return what + " has an LVM physical volume label that lvm does not report (an lvm devices file, a filter "
                      "or a foreign system ID hides it); not wiping it, even with WIPE_SIGNATURES=true "
                      "(lvmdevices --adddev lets lvm see it; wipefs -a removes it)";
}

} // namespace

Result<PartitionTable> read_partition_table(std::string_view disk)
{
        std::string path = paths::host_path(disk);
        std::unique_ptr<std::remove_pointer_t<blkid_probe>, ProbeDeleter> pr(
                blkid_new_probe_from_filename(path.c_str()));
        if (!pr)
                return Error{"Failed to open '" + std::string(disk) + "' to read its partition table"};
        blkid_probe_enable_superblocks(pr.get(), 0);
        blkid_probe_enable_partitions(pr.get(), 1);
        blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_ENTRY_DETAILS);

        PartitionTable table;
        blkid_partlist list = blkid_probe_get_partitions(pr.get());
        if (!list)
                return table;
        blkid_parttable root = blkid_partlist_get_table(list);
        if (!root)
                return table;
        if (const char *type = blkid_parttable_get_type(root))
                table.label = type;
        int n = blkid_partlist_numof_partitions(list);
        for (int i = 0; i < n; i++) {
                blkid_partition par = blkid_partlist_get_partition(list, i);
                if (!par)
                        continue;
                PartitionEntry e;
                e.number = static_cast<unsigned>(std::max(0, blkid_partition_get_partno(par)));
                e.start = static_cast<uint64_t>(blkid_partition_get_start(par));
                e.size = static_cast<uint64_t>(blkid_partition_get_size(par));
                if (table.label == "gpt") {
                        const char *guid = blkid_partition_get_type_string(par);
                        e.type = upper(guid ? guid : "");
                } else {
                        e.type = dos_type(blkid_partition_get_type(par));
                }
                table.entries.push_back(std::move(e));
        }
        return table;
}

bool has_lvm_label(const std::vector<blkid::Signature> &signatures)
{
        return std::any_of(signatures.begin(), signatures.end(),
                           [](const blkid::Signature &s) { return s.type == "LVM2_member"; });
}

// A disk is "ours, half-prepared" when ALL of these hold:
//   - its partition table (dos or gpt) has exactly one entry, partition 1;
//   - that partition starts at logical sector 2048 and runs to the end of the disk (within
//     end_slack_bytes), with the Linux LVM type (dos 0x8e, gpt E6D6D379-...);
//   - the whole disk carries no signature but that partition table (a protective MBR
//     included): no RAID superblock at the end, no filesystem beside the table;
//   - the kernel shows the partition.
// That is exactly what create_lvm_partition() leaves. The caller adds the condition on the
// partition's content: no signature at all (we stopped before pvcreate) or a PV in no VG
// (we stopped before vgcreate/vgextend). Someone's data cannot match: any filesystem, RAID
// member, crypto header, swap or PV of a VG inside the partition is a signature; an empty
// LVM-typed partition holds nothing LVM would consider in use; and the admin listed the
// disk in DEVS. The original refused such a disk forever (#63, #150).
bool is_our_layout(const DiskFacts &facts)
{
        const PartitionTable &t = facts.table;
        if (facts.first_partition.empty() || (t.label != "dos" && t.label != "gpt") || t.entries.size() != 1)
                return false;
        const PartitionEntry &e = t.entries.front();
        if (e.number != 1 || e.start != 2048ULL * facts.sector_size / 512)
                return false;
        bool lvm_type = t.label == "gpt" ? e.type == partition::lvm_gpt_type_guid
                                         : e.type == dos_type(partition::lvm_dos_type_code);
        if (!lvm_type)
                return false;
        uint64_t disk_sectors = facts.disk_bytes / 512;
        uint64_t end = e.start + e.size;
        if (end > disk_sectors || (disk_sectors - end) * 512 > end_slack_bytes)
                return false;
        return std::all_of(facts.disk_signatures.begin(), facts.disk_signatures.end(), [&](const blkid::Signature &s) {
                return s.partition_table && (s.type == t.label || (t.label == "gpt" && s.type == "PMBR"));
        });
}

Decision decide(const DiskFacts &facts, std::string_view vg, bool wipe_signatures)
{
        const std::string &disk = facts.disk;
        const std::string vg_name(vg);
        // The original's idempotency rule: the first partition is already a PV of the VG.
        if (!facts.first_partition.empty() && facts.first_partition_vg && *facts.first_partition_vg == vg_name)
                return {Action::in_vg,
                        "Device " + disk + " is already partitioned and is part of volume group " + vg_name};
        if (is_our_layout(facts)) {
                if (facts.first_partition_signatures.empty())
                        return {Action::finish_pvcreate,
                                "Device " + disk + " holds the LVM partition " + facts.first_partition +
                                        " of an earlier run that stopped before pvcreate; finishing it"};
                if (facts.first_partition_signatures.size() == 1 && has_lvm_label(facts.first_partition_signatures) &&
                    facts.first_partition_vg && facts.first_partition_vg->empty())
                        return {Action::prepared, "Device " + disk + " is already prepared: " + facts.first_partition +
                                                          " is a physical volume in no volume group yet"};
        }
        // A PV that lvm does not show us may be anyone's, ours from an earlier boot included
        // (its VG not active yet, the devices file lost the disk): the one thing
        // WIPE_SIGNATURES=true does not wipe. The original wiped it.
        if (!facts.unreported_pv_labels.empty())
                return {Action::refuse, unreported_pv_message(disk, facts.unreported_pv_labels.front())};
        // WIPE_SIGNATURES=true: even a partitioned disk is treated as new (the original's rule).
        if (wipe_signatures)
                return {Action::prepare, ""};
        if (!facts.first_partition.empty() || !facts.table.entries.empty())
                return {Action::refuse,
                        "Device " + disk + " is already partitioned and cannot be added to volume group " + vg_name};
        if (!facts.disk_signatures.empty())
                return {Action::refuse, blkid::refusal_message(facts.disk_signatures.front(), disk)};
        return {Action::prepare, ""};
}

std::string partition_node(std::string_view disk, unsigned number)
{
        std::string node(disk);
        if (!node.empty() && std::isdigit(static_cast<unsigned char>(node.back())))
                node += 'p';
        return node + std::to_string(number);
}

} // namespace css::disk_plan
