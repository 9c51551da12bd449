// SPDX-License-Identifier: Apache-2.0
// The query lvm::query() runs and the Snapshot's look-ups; the parsing is report_parse.cpp.
#include "lvm/report.hpp"

#include "lvm/commands.hpp"
#include "sys/process.hpp"

namespace css::lvm {

namespace {

// Only what the helpers use (report_parse.cpp reads each); every extra column costs lvm time on each boot.
constexpr std::string_view vg_fields = "vg_name,vg_uuid,vg_attr,vg_size,vg_free,vg_extent_size,vg_extent_"
                                       "count,vg_free_count,pv_count,lv_count,"
                                       "vg_profile";
constexpr std::string_view pv_fields = "pv_name,vg_name,pv_uuid,pv_size,pv_free,dev_size,pv_major,pv_minor,pe_start";
constexpr std::string_view lv_fields =
        "lv_name,vg_name,lv_full_name,lv_uuid,lv_attr,lv_size,lv_metadata_size,pool_lv,data_lv,metadata_lv,"
        "lv_active,lv_kernel_major,lv_kernel_minor,lv_path,lv_dm_path,lv_profile,lv_layout,lv_role,lv_tags";

} // namespace

std::vector<std::string> report_argv()
{
        std::vector<std::string> a{"lvm", "fullreport", "--reportformat", "json", "--units", "b", "--nosuffix"};
        auto subreport = [&a](const char *name, std::string_view fields, const char *selection) {
                a.insert(a.end(), {"--configreport", name, "-o", std::string(fields)});
                if (selection)
                        a.insert(a.end(), {"-S", selection});
        };
        subreport("vg", vg_fields, nullptr);
        subreport("pv", pv_fields, nullptr);
        subreport("lv", lv_fields, nullptr);
        // pvseg and seg cannot be left out of fullreport; the always-false selections keep
        // them empty so lvm does not format a row per segment.
        subreport("pvseg", "pvseg_start", "pvseg_size<0");
        subreport("seg", "segtype", "seg_size<0");
        return a;
}

Result<Snapshot> query()
{
        process::Command c = make_command(report_argv(), false);
        Result<process::Outcome> o = process::run_checked(c);
        if (!o)
                return o.error();
        return parse_report(o->out);
}

const Vg *Snapshot::find_vg(std::string_view name) const
{
        for (const Vg &vg : vgs)
                if (vg.name == name)
                        return &vg;
        return nullptr;
}

const Lv *Snapshot::find_lv(std::string_view vg, std::string_view name) const
{
        for (const Lv &lv : lvs)
                if (lv.vg == vg && lv.name == name)
                        return &lv;
        return nullptr;
}

const Lv *Snapshot::find_thin_pool(std::string_view vg, std::string_view name) const
{
        const Lv *lv = find_lv(vg, name);
        return lv && lv->is_thin_pool() ? lv : nullptr;
}

const Pv *Snapshot::find_pv(std::string_view name) const
{
        for (const Pv &pv : pvs)
                if (pv.name == name)
                        return &pv;
        return nullptr;
}

const Pv *Snapshot::find_pv(unsigned major, unsigned minor) const
{
        for (const Pv &pv : pvs)
                if (pv.major == major && pv.minor == minor)
                        return &pv;
        return nullptr;
}

std::vector<const Pv *> Snapshot::pvs_of_vg(std::string_view vg) const
{
        std::vector<const Pv *> out;
        for (const Pv &pv : pvs)
                if (pv.vg == vg)
                        out.push_back(&pv);
        return out;
}

std::optional<std::string> Snapshot::vg_of_pv(std::string_view name) const
{
        const Pv *pv = find_pv(name);
        if (!pv)
                return std::nullopt;
        return pv->vg;
}

} // namespace css::lvm
