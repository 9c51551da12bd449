// SPDX-License-Identifier: Apache-2.0
#pragma once

// The typed, validated configuration. Everything after parsing works on this struct and never
// re-parses strings. Built by load_config() (config_load.hpp) from the defaults file and the
// admin's file layered over it, exactly as the original sourced them (upstream-reference §0/§1).

#include "config/size.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace css {

enum class StorageDriver { none, devicemapper, overlay, overlay2 };

// DOCKER_STORAGE_CONFIG: auto, sysconfig, daemon-json.
enum class DockerStorageConfig { automatic, sysconfig, daemon_json };

// Which of the original's two modes the file is read in (upstream-reference §0, §3).
//   compat: /etc/sysconfig/docker-storage-setup, CONTAINER_THINPOOL defaults to docker-pool,
//           DOCKER_ROOT_VOLUME allowed (deprecated).
//   named:  `container-storage-setup create NAME INFILE`: no pool default, DOCKER_ROOT_VOLUME fatal.
enum class ConfigMode { compat, named };

struct Config {
        StorageDriver storage_driver = StorageDriver::devicemapper;
        std::string extra_storage_options; // collapsed as the original's echo did
        std::vector<std::string> devs;     // as written (resolved by the prepare-disk step)
        std::string vg;                    // "" = the VG holding the root LV

        std::optional<Size> root_size; // for lvextend: may grow (+), and take %PVS
        // nullopt: set empty (an error for devicemapper).
        std::optional<Size> data_size = Size{Size::Kind::percent_free, 0, 40, "40%FREE"};
        // nullopt: set empty, the free-space check is skipped.
        std::optional<Size> min_data_size = Size{Size::Kind::absolute, uint64_t{2} << 30, 0, "2G"};
        std::optional<Size> pool_meta_size;             // unset: computed from the VG size (§2.6)
        std::optional<std::string> chunk_size = "512K"; // nullopt: let lvm choose
        // Ours: the thin pool and the container LV striped across the DEVS disks (lvcreate
        // --stripes; steps/stripes.hpp). "" = not striped, as the original; "auto" = one stripe
        // per DEVS disk; else a count from 1 to 128 (1 = not striped) that DEVS can satisfy.
        std::string stripes;
        std::string stripe_size; // --stripesize as written ("" = LVM's default, 64K)
        bool growpart = false;
        bool auto_extend_pool = true;
        unsigned pool_autoextend_threshold = 60;
        unsigned pool_autoextend_percent = 20;
        unsigned device_wait_timeout = 60; // seconds; 0 = do not wait
        bool wipe_signatures = false;
        // Ours: the DEVS disks may come back blank (a cloud instance's instance store after a stop
        // and start). A thin pool the output file names that is gone is then built again, and
        // docker's state that refers to it is moved aside (steps/thinpool.hpp).
        bool ephemeral_storage = false;
        // Ours: a DEVS disk that grew (a resized cloud volume) has its partition and PV grown, and
        // the thin pool or the container LV takes its share of what its VG gained, the LV's XFS
        // grown with it (steps/grow_lv.hpp, steps/growfs.hpp).
        bool grow_devs = false;

        std::string container_thinpool = "docker-pool"; // the compat preset; no default in named mode
        std::string container_root_lv_name;
        std::string container_root_lv_mount_path;
        Size container_root_lv_size = Size{Size::Kind::percent_free, 0, 40, "40%FREE"};
        bool docker_root_volume = false; // deprecated; implies docker-root-lv on the graph dir
        Size docker_root_volume_size = Size{Size::Kind::percent_free, 0, 40, "40%FREE"};

        // Ours, beyond the original: also write a containers-storage (podman/CRI-O) drop-in.
        // See docs and docker-storage-setup(5).
        bool containers_storage_conf = false;

        // Ours: where docker's storage settings go. auto: /etc/sysconfig/docker-storage when
        // docker.service reads it (EL7/Atomic) or no docker.service is installed, else
        // /etc/docker/daemon.json (steps/engine_output.hpp).
        DockerStorageConfig docker_storage_config = DockerStorageConfig::automatic;

        // A default-constructed Config holds the built-in compat-mode defaults.
        bool operator==(const Config &) const = default;
};

const char *to_string(StorageDriver driver);
const char *to_string(DockerStorageConfig output);

} // namespace css
