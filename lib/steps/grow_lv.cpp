// SPDX-License-Identifier: Apache-2.0
#include "steps/grow_lv.hpp"

#include "core/log.hpp"
#include "lvm/commands.hpp"
#include "steps/step_util.hpp"
#include "sys/block.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace css::steps {

namespace {

constexpr std::string_view tag_prefix = "css_grow_vg";

bool parse_number(std::string_view text, uint64_t &out)
{
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return !text.empty() && ec == std::errc() && p == text.data() + text.size();
}

std::optional<GrowthMark> parse_tag(std::string_view tag)
{
        if (!tag.starts_with(tag_prefix))
                return std::nullopt;
        tag.remove_prefix(tag_prefix.size());
        size_t sep = tag.find("_lv");
        GrowthMark m;
        if (sep == std::string_view::npos || !parse_number(tag.substr(0, sep), m.vg_bytes) ||
            !parse_number(tag.substr(sep + 3), m.lv_bytes))
                return std::nullopt;
        return m;
}

// The LV's growth tag, "" when it has none: the one scan that growth_mark() parses.
std::string growth_tag_of(const lvm::Lv &lv)
{
        auto it = std::ranges::find_if(lv.tags, [](const std::string &t) { return parse_tag(t).has_value(); });
        return it == lv.tags.end() ? std::string() : *it;
}

} // namespace

std::string growth_tag(const GrowthMark &mark)
{
        return std::string(tag_prefix) + std::to_string(mark.vg_bytes) + "_lv" + std::to_string(mark.lv_bytes);
}

std::optional<GrowthMark> growth_mark(const lvm::Lv &lv)
{
        return parse_tag(growth_tag_of(lv));
}

LvGrowth plan_lv_growth(const Size &size, const lvm::Lv &lv, const lvm::Vg &vg, const Stripes *stripes)
{
        LvGrowth g;
        const std::string name = lv.vg + "/" + lv.name;
        if (!size.is_percent()) {
                g.message = "The size of " + name + " is absolute (" + size.text +
                            "): it does not grow with its volume group.";
                return g;
        }
        g.old_tag = growth_tag_of(lv);
        std::optional<GrowthMark> mark = parse_tag(g.old_tag);
        const GrowthMark now{vg.size, lv.size};
        if (!mark) {
                g.new_tag = growth_tag(now);
                g.message = "Recording the sizes of " + name + " and its volume group (" + gib_text(lv.size) + " of " +
                            gib_text(vg.size) + "): it takes its share of what the volume group gains from now on.";
                return g;
        }
        if (vg.size == mark->vg_bytes) {
                g.old_tag.clear();
                g.message = "Volume group " + lv.vg + " has not grown since " + name +
                            "'s size was decided: nothing to do.";
                return g;
        }
        if (vg.size < mark->vg_bytes) {
                g.new_tag = growth_tag(now);
                g.message = "Volume group " + lv.vg + " is smaller than when " + name +
                            "'s size was decided: recording today's sizes.";
                return g;
        }
        const uint64_t gained = vg.size - mark->vg_bytes;
        const uint64_t extent = std::max<uint64_t>(vg.extent_size, 1);
        uint64_t target = mark->lv_bytes + gained / 100 * size.percent + gained % 100 * size.percent / 100;
        target -= target % extent;
        if (stripes)
                target = std::min(target, lv.size + stripes->capacity / extent * extent);
        if (target <= lv.size) {
                g.new_tag = growth_tag(now);
                g.message = "Volume group " + lv.vg + " gained " + gib_text(gained) + "; " + name + " (" +
                            gib_text(lv.size) + ") already holds its share (" + size.text +
                            "): recording today's sizes.";
                return g;
        }
        g.extend_to = target;
        g.new_tag = growth_tag({vg.size, target});
        g.message = "Volume group " + lv.vg + " gained " + gib_text(gained) + ": extending " + name + " from " +
                    gib_text(lv.size) + " to " + gib_text(target) + ", its share (" + size.text + ").";
        return g;
}

Result<void> grow_lv(StepContext &context, std::string_view vg, std::string_view lv, const Size &size)
{
        const Config &config = context.config();
        if (!config.grow_devs)
                return {};
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return snapshot.error();
        const lvm::Vg *v = (*snapshot)->find_vg(vg);
        const lvm::Lv *l = (*snapshot)->find_lv(vg, lv);
        if (!v || !l) {
                if (context.dry_run())
                        return {}; // the lvcreate before this was only printed
                return Error{"Failed to find " + std::string(vg) + "/" + std::string(lv) + " in the LVM report"};
        }
        Result<std::vector<std::string>> pvs = devs_pvs(config, **snapshot);
        if (!pvs)
                return pvs.error();
        Result<std::optional<Stripes>> stripes = plan_stripes(config, **snapshot, vg, *pvs);
        if (!stripes)
                return stripes.error();
        LvGrowth g = plan_lv_growth(size, *l, *v, *stripes ? &**stripes : nullptr);
        if (!g.extend_to && g.new_tag.empty()) {
                log::debug(g.message);
                return {};
        }
        log::info(g.message);
        if (g.extend_to) {
                std::vector<std::string> on = *stripes ? (*stripes)->striping.pvs : std::vector<std::string>{};
                const std::string device = l->path; // the snapshot goes away with lvm_changed()
                if (Result<void> r = run_lvm_change(context, lvm::lvextend_to(vg, lv, *g.extend_to, on)); !r)
                        return r;
                // A dry run goes on as if it was extended: css-growfs then plans xfs_growfs.
                if (context.dry_run()) {
                        if (Result<block::BlockDevice> d = block::from_path(device))
                                context.plan_device_growth(*d, *g.extend_to);
                        context.plan_lv_extension({std::string(vg), std::string(lv), *g.extend_to, std::move(on)});
                }
        }
        return run_lvm_change(context, lvm::lvchange_retag(vg, lv, g.old_tag, g.new_tag));
}

} // namespace css::steps
