// SPDX-License-Identifier: Apache-2.0
#include "lvm/commands.hpp"

namespace css::lvm {

namespace {

std::string vg_lv(std::string_view vg, std::string_view lv)
{
        std::string s{vg};
        s += '/';
        s += lv;
        return s;
}

// The original's `== *%*` test, on the parsed size.
std::string size_flag(const Size &size)
{
        return size.is_percent() ? "-l" : "-L";
}

// `--stripes N [--stripesize S]` before the name; the PVs go after the VG (add_pvs).
void add_stripes(Argv &a, const Striping &striping)
{
        if (striping.stripes == 0)
                return;
        a.emplace_back("--stripes");
        a.push_back(std::to_string(striping.stripes));
        if (!striping.stripe_size.empty()) {
                a.emplace_back("--stripesize");
                a.push_back(striping.stripe_size);
        }
}

void add_pvs(Argv &a, const Striping &striping)
{
        if (striping.stripes != 0)
                a.insert(a.end(), striping.pvs.begin(), striping.pvs.end());
}

} // namespace

Argv pvcreate(std::string_view device)
{
        // Deliberately not -f (upstream #124): refuse to overwrite something we did not expect.
        return {"pvcreate", std::string(device)};
}

Argv vgcreate(std::string_view vg, const std::vector<std::string> &pvs)
{
        Argv a{"vgcreate", std::string(vg)};
        a.insert(a.end(), pvs.begin(), pvs.end());
        return a;
}

Argv vgextend(std::string_view vg, const std::vector<std::string> &pvs)
{
        Argv a{"vgextend", std::string(vg)};
        a.insert(a.end(), pvs.begin(), pvs.end());
        return a;
}

Argv pvresize(std::string_view pv)
{
        return {"pvresize", std::string(pv)};
}

Argv lvextend_root(std::string_view root_device, const Size &root_size)
{
        return {"lvextend", "-r", size_flag(root_size), root_size.text, std::string(root_device)};
}

Argv lvcreate_thin_pool(const ThinPoolSpec &spec)
{
        Argv a{"lvcreate", "-y", "--type", "thin-pool", "--zero", "n"};
        if (!spec.chunk_size.empty()) {
                a.emplace_back("-c");
                a.push_back(spec.chunk_size);
        }
        a.emplace_back("--poolmetadatasize");
        a.push_back(spec.metadata_size);
        a.push_back(size_flag(spec.data_size));
        a.push_back(spec.data_size.text);
        // Ours, beyond the original: attaching the profile at creation saves an lvchange.
        if (!spec.profile.empty()) {
                a.emplace_back("--metadataprofile");
                a.push_back(spec.profile);
        }
        add_stripes(a, spec.striping);
        a.emplace_back("-n");
        a.push_back(spec.pool);
        a.push_back(spec.vg);
        add_pvs(a, spec.striping);
        return a;
}

Argv lvcreate_lv(std::string_view vg, std::string_view name, const Size &size, const Striping &striping)
{
        Argv a{"lvcreate", "-y", size_flag(size), size.text};
        add_stripes(a, striping);
        a.insert(a.end(), {"-n", std::string(name), std::string(vg)});
        add_pvs(a, striping);
        return a;
}

Argv lvextend_to(std::string_view vg, std::string_view lv, uint64_t bytes, const std::vector<std::string> &pvs)
{
        Argv a{"lvextend", "-L", std::to_string(bytes) + "b", vg_lv(vg, lv)};
        a.insert(a.end(), pvs.begin(), pvs.end());
        return a;
}

Argv lvchange_retag(std::string_view vg, std::string_view lv, std::string_view old_tag, std::string_view new_tag)
{
        Argv a{"lvchange"};
        if (!old_tag.empty())
                a.insert(a.end(), {"--deltag", std::string(old_tag)});
        a.insert(a.end(), {"--addtag", std::string(new_tag), vg_lv(vg, lv)});
        return a;
}

Argv lvchange_metadataprofile(std::string_view vg, std::string_view lv, std::string_view profile)
{
        return {"lvchange", "--metadataprofile", std::string(profile), vg_lv(vg, lv)};
}

Argv lvchange_detachprofile(std::string_view vg, std::string_view lv)
{
        return {"lvchange", "--detachprofile", vg_lv(vg, lv)};
}

Argv lvchange_activate(std::string_view vg, std::string_view lv)
{
        return {"lvchange", "-ay", vg_lv(vg, lv)};
}

Argv lvchange_deactivate(std::string_view vg, std::string_view lv)
{
        return {"lvchange", "-an", vg_lv(vg, lv)};
}

Argv lvremove(std::string_view vg, std::string_view lv)
{
        return {"lvremove", vg_lv(vg, lv)};
}

process::Command make_command(Argv argv, bool mutating)
{
        process::Command c;
        c.argv = std::move(argv);
        c.extra_env = {"LVM_SUPPRESS_FD_WARNINGS=1"};
        c.mutating = mutating;
        c.stdout_mode = mutating ? process::Stdout::pass_through : process::Stdout::capture;
        c.timeout = mutating ? process::default_timeout : process::query_timeout;
        return c;
}

} // namespace css::lvm
