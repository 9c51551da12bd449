// SPDX-License-Identifier: Apache-2.0
#pragma once

// argv for every LVM change the helpers make. Pure functions: each is the original's exact
// command (upstream-reference §2), so a test can hold them side by side. Sizes are passed
// as the admin wrote them: a percentage to -l (extents), anything else to -L.

#include "config/size.hpp"
#include "sys/process.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css::lvm {

using Argv = std::vector<std::string>;

Argv pvcreate(std::string_view device);
Argv vgcreate(std::string_view vg, const std::vector<std::string> &pvs);
Argv vgextend(std::string_view vg, const std::vector<std::string> &pvs);
Argv pvresize(std::string_view pv);
// lvextend -r (resize the filesystem too) of the root LV by ROOT_SIZE.
Argv lvextend_root(std::string_view root_device, const Size &root_size);

// A striped LV (STRIPES; steps/stripes.hpp): `--stripes N [--stripesize S]`, and the PVs that
// lvcreate may use, named after the VG. No stripes: a linear LV on any PV of the VG, as the
// original made.
struct Striping {
        unsigned stripes = 0;    // 0: not striped
        std::string stripe_size; // "" = LVM's default
        std::vector<std::string> pvs;
};

struct ThinPoolSpec {
        std::string vg;
        std::string pool;
        Size data_size;            // DATA_SIZE (after the MIN_DATA_SIZE rule)
        std::string metadata_size; // --poolmetadatasize value, e.g. "3130s"
        std::string chunk_size;    // "" = let lvm choose (no -c)
        std::string profile;       // "" = none; else attached at creation (--metadataprofile)
        Striping striping;
};
Argv lvcreate_thin_pool(const ThinPoolSpec &spec);

// `lvcreate -y -l|-L SIZE -n NAME VG`: CONTAINER_ROOT_LV_NAME and docker-root-lv; striped
// when `striping` says so.
Argv lvcreate_lv(std::string_view vg, std::string_view name, const Size &size, const Striping &striping = {});

// `lvextend -L <bytes>b VG/LV [PVS...]`: an absolute target (GROW_DEVS, steps/grow_lv.hpp), so that
// running it again after a power cut changes nothing. A striped LV keeps its stripes; `pvs` are
// the PVs its new extents may use (the DEVS PVs), empty for any PV of the VG.
Argv lvextend_to(std::string_view vg, std::string_view lv, uint64_t bytes, const std::vector<std::string> &pvs = {});
// `lvchange [--deltag OLD] --addtag NEW VG/LV`: one metadata commit.
Argv lvchange_retag(std::string_view vg, std::string_view lv, std::string_view old_tag, std::string_view new_tag);

Argv lvchange_metadataprofile(std::string_view vg, std::string_view lv, std::string_view profile);
Argv lvchange_detachprofile(std::string_view vg, std::string_view lv);
Argv lvchange_activate(std::string_view vg, std::string_view lv);
Argv lvchange_deactivate(std::string_view vg, std::string_view lv);
Argv lvremove(std::string_view vg, std::string_view lv);

// A Command for the process runner with LVM's environment: LVM_SUPPRESS_FD_WARNINGS=1 (so a
// lock fd held by the CLI does not make lvm complain), stdout passed through for changes (the
// journal shows lvm's `Logical volume "docker-pool" created.`) and captured for queries, and the
// runner's default timeout for changes, its query_timeout for queries.
process::Command make_command(Argv argv, bool mutating);

} // namespace css::lvm
