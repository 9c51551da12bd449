// SPDX-License-Identifier: Apache-2.0
#pragma once

// After a by-hand change of the storage: systemd's unit graph made to follow it.

namespace css::cli {

// The generator wrote the unit graph (and the engines' drop-ins: RequiresMountsFor=, the
// pool's device) from the configuration of the last boot or daemon-reload. After a by-hand
// run the admin starts docker next (the lab does); a reload makes the graph follow the new
// configuration first, so docker does not wait for a mount that was removed. No reload when
// the generator would write what systemd has loaded already, nor without systemd.
void reload_systemd();

} // namespace css::cli
