// SPDX-License-Identifier: Apache-2.0
#include "steps/pool_size.hpp"

#include "lvm/profile.hpp"

#include <cerrno>
#include <limits>

namespace css::steps {

uint64_t size_in_bytes(const Size &size, const lvm::Vg &vg)
{
        unsigned __int128 base = 0;
        switch (size.kind) {
        case Size::Kind::percent_free:
                base = vg.free;
                break;
        case Size::Kind::percent_vg:
                base = vg.size;
                break;
        case Size::Kind::percent_pvs: // not a data size
        case Size::Kind::absolute:
                return size.bytes;
        }
        unsigned __int128 v = base * size.percent / 100;
        return v > std::numeric_limits<uint64_t>::max() ? std::numeric_limits<uint64_t>::max()
                                                        : static_cast<uint64_t>(v);
}

std::string pool_metadata_size(const Config &config, const lvm::Vg &vg)
{
        if (config.pool_meta_size)
                return config.pool_meta_size->text;
        return std::to_string(vg.size / 512 / 1000 + 1) + "s";
}

Result<DataSizeDecision> decide_data_size(const Config &config, const lvm::Vg &vg, const Stripes *stripes)
{
        if (!config.data_size)
                return Error{"DATA_SIZE not specified.", EINVAL};
        DataSizeDecision d{*config.data_size, {}};
        if (config.min_data_size) {
                const Size &min = *config.min_data_size;
                uint64_t min_bytes = size_in_bytes(min, vg);
                if (vg.free < min_bytes)
                        return Error{"There is not enough free space in volume group " + vg.name +
                                             " to create data volume of size MIN_DATA_SIZE=" + min.text + ".",
                                     ENOSPC};
                if (stripes && stripes->capacity < min_bytes)
                        return Error{"There is not enough free space on the DEVS disks to create data volume of size "
                                     "MIN_DATA_SIZE=" +
                                             min.text + " striped across " + std::to_string(stripes->striping.stripes) +
                                             " of them: " +
                                             stripes_too_small(*stripes, "MIN_DATA_SIZE=" + min.text, min_bytes),
                                     ENOSPC};
                if (size_in_bytes(d.size, vg) < min_bytes) {
                        d.info = "DATA_SIZE=" + d.size.text + " is smaller than MIN_DATA_SIZE=" + min.text +
                                 ". Will create data volume of size specified by MIN_DATA_SIZE.";
                        d.size = min;
                }
        }
        if (stripes)
                if (std::string why =
                            stripes_too_small(*stripes, "DATA_SIZE=" + d.size.text, size_in_bytes(d.size, vg));
                    !why.empty())
                        return Error{why, ENOSPC};
        return d;
}

lvm::ThinPoolSpec thin_pool_spec(const Config &config, const lvm::Vg &vg, const DataSizeDecision &data,
                                 const Stripes *stripes)
{
        lvm::ThinPoolSpec s;
        s.vg = vg.name;
        s.pool = config.container_thinpool;
        s.data_size = data.size;
        s.metadata_size = pool_metadata_size(config, vg);
        s.chunk_size = config.chunk_size.value_or("");
        if (config.auto_extend_pool)
                s.profile = lvm::autoextend_profile_name(vg.name, config.container_thinpool);
        if (stripes)
                s.striping = stripes->striping;
        return s;
}

} // namespace css::steps
