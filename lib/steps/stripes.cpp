// SPDX-License-Identifier: Apache-2.0
#include "steps/stripes.hpp"

#include "steps/vg.hpp"
#include "sys/block.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <functional>

namespace css::steps {

unsigned stripe_count(const Config &config)
{
        unsigned count = 0;
        if (config.stripes == "auto")
                count = static_cast<unsigned>(config.devs.size());
        else
                std::from_chars(config.stripes.data(), config.stripes.data() + config.stripes.size(), count);
        return count >= 2 ? count : 0;
}

Result<std::vector<std::string>> devs_pvs(const Config &config, const lvm::Snapshot &snapshot)
{
        std::vector<std::string> out;
        if (stripe_count(config) == 0)
                return out;
        for (const std::string &dev : config.devs) {
                Result<block::BlockDevice> disk = block::resolve_whole_disk(dev);
                if (!disk)
                        return disk.error();
                Result<std::vector<block::BlockDevice>> parts = block::partitions(*disk);
                if (!parts)
                        return parts.error();
                if (parts->empty())
                        continue;
                const lvm::Pv *pv = pv_of_device(snapshot, parts->front());
                // Two DEVS spellings of one disk give one PV.
                if (pv && std::find(out.begin(), out.end(), pv->name) == out.end())
                        out.push_back(pv->name);
        }
        return out;
}

Result<std::optional<Stripes>> plan_stripes(const Config &config, const lvm::Snapshot &snapshot, std::string_view vg,
                                            const std::vector<std::string> &pvs)
{
        const unsigned count = stripe_count(config);
        if (count == 0)
                return std::optional<Stripes>{};
        Stripes s;
        s.striping.stripes = count;
        s.striping.stripe_size = config.stripe_size;
        std::vector<uint64_t> free;
        for (const std::string &name : pvs) {
                const lvm::Pv *pv = snapshot.find_pv(name);
                if (!pv || pv->vg != vg)
                        continue;
                s.striping.pvs.push_back(pv->name);
                free.push_back(pv->free);
        }
        if (free.size() < count)
                return Error{"STRIPES=" + config.stripes + " needs " + std::to_string(count) +
                                     " physical volumes on the DEVS disks in volume group " + std::string(vg) +
                                     "; there are " + std::to_string(free.size()) + ".",
                             EINVAL};
        // Each stripe takes the same share of its PV: the count-th largest free space bounds them.
        std::nth_element(free.begin(), free.begin() + (count - 1), free.end(), std::greater<>());
        s.capacity = free[count - 1] * count;
        return std::optional<Stripes>{std::move(s)};
}

std::string stripes_too_small(const Stripes &stripes, std::string_view what, uint64_t bytes)
{
        if (bytes <= stripes.capacity)
                return {};
        return std::string(what) + " is " + gib_text(bytes) + ", more than " +
               std::to_string(stripes.striping.stripes) + " stripes on the DEVS disks hold (" +
               gib_text(stripes.capacity) + ": " + std::to_string(stripes.striping.stripes) +
               " times the free space of the smallest of them).";
}

} // namespace css::steps
