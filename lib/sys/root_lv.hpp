// SPDX-License-Identifier: Apache-2.0
#pragma once

// The logical volume holding "/", told from files alone (no lvm, no device I/O): the
// generator needs it before anything may run, and the provisioned-state record
// (steps/provisioned.hpp) must see it exactly as the generator does.

#include <optional>
#include <string>

namespace css {

struct RootLv {
        std::string devnum; // "MAJ:MIN" of the dm device: changes from boot to boot
        std::string vg;     // its volume group
        std::string lv;     // its name in the VG
};

// The root's device (sys/root_mount.hpp), then /sys/dev/block/MAJ:MIN/dm/uuid ("LVM-..." for logical volumes) and
// dm/name, which LVM sets to
// "<vg>-<lv>" with every '-' inside a name doubled. nullopt when "/" is not an LVM logical
// volume or cannot be told. All reads go through CSS_ROOT.
std::optional<RootLv> root_logical_volume();

} // namespace css
