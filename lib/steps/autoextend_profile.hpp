// SPDX-License-Identifier: Apache-2.0
#pragma once

// The thin pool's auto-extend lvm profile (upstream-reference §2.6): written and attached when
// AUTO_EXTEND_POOL=yes, detached and removed otherwise. Used by css-thinpool at every boot and
// by css-reset. Nothing is written and lvm is not run when the state already matches.

#include "core/result.hpp"
#include "lvm/report.hpp"
#include "steps/step_context.hpp"

#include <string>
#include <string_view>

namespace css::steps {

// lvm's profile directory. The original asked `lvm dumpconfig` every time (an exec). lvm only
// looks anywhere but /etc/lvm/profile when config/profile_dir is set in lvm.conf or
// lvmlocal.conf, so `lvmconfig` runs only when one of them mentions profile_dir.
Result<std::string> lvm_profile_dir();

// True when some non-comment line of an lvm config file sets profile_dir.
bool lvm_conf_sets_profile_dir(std::string_view lvm_conf);

// Writes the profile file when its content differs (atomically, replacing it).
Result<void> write_autoextend_profile(StepContext &context, const std::string &profile_dir, std::string_view vg,
                                      std::string_view pool, unsigned threshold, unsigned percent);

// Brings an existing pool in line with AUTO_EXTEND_POOL: profile file and attachment.
// Runs lvchange only when the attachment must change. `pool` is taken by value: an lvm change
// drops the snapshot it points into.
Result<void> apply_autoextend(StepContext &context, lvm::Lv pool);

// Removes the profile file of vg/pool if present (dry run: prints what it would remove).
Result<void> remove_autoextend_profile(StepContext &context, const std::string &profile_dir, std::string_view vg,
                                       std::string_view pool);

} // namespace css::steps
