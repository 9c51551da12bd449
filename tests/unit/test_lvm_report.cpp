// SPDX-License-Identifier: Apache-2.0
// The LVM report parser on output lvm2 2.03.16 produced (tests/unit/data/lvm/README.md).

#include "lvm/report.hpp"
#include "sys/process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace css;
namespace fs = std::filesystem;

namespace {

// The samples live next to this file: under CSS_TEST_SOURCE_DIR when the build defines it, else
// found from __FILE__, as given or from the build directory (two levels above the binary).
std::string sample(const std::string &name)
{
        fs::path here = fs::path(__FILE__).parent_path();
        std::vector<fs::path> candidates{here / "data/lvm" / name};
#ifdef CSS_TEST_SOURCE_DIR
        candidates.insert(candidates.begin(), fs::path(CSS_TEST_SOURCE_DIR) / "tests/unit/data/lvm" / name);
#endif
        std::error_code ec;
        fs::path exe = fs::read_symlink("/proc/self/exe", ec);
        if (!ec)
                candidates.push_back(exe.parent_path().parent_path().parent_path() / here / "data/lvm" / name);
        for (const fs::path &p : candidates) {
                std::ifstream in(p);
                if (in) {
                        std::stringstream ss;
                        ss << in.rdbuf();
                        return ss.str();
                }
        }
        ADD_FAILURE() << "sample not found: " << name;
        return {};
}

lvm::Snapshot parse(const std::string &name)
{
        Result<lvm::Snapshot> r = lvm::parse_report(sample(name));
        EXPECT_TRUE(r) << name << ": " << (r ? "" : r.error().message);
        return r ? *r : lvm::Snapshot{};
}

} // namespace

TEST(LvmReport, QueryIsOneFullreportWithJsonBytes)
{
        std::vector<std::string> a = lvm::report_argv();
        ASSERT_GE(a.size(), 7u);
        EXPECT_EQ(a[0], "lvm");
        EXPECT_EQ(a[1], "fullreport");
        std::string joined;
        for (const std::string &s : a)
                joined += s + " ";
        EXPECT_NE(joined.find("--reportformat json --units b --nosuffix "), std::string::npos) << joined;
        // Every field the parser reads is asked for.
        for (const char *f :
             {"vg_free_count", "pv_major", "lv_kernel_minor", "lv_dm_path", "lv_profile", "pool_lv", "lv_tags"})
                EXPECT_NE(joined.find(f), std::string::npos) << f;
}

TEST(LvmReport, EmptySystem)
{
        lvm::Snapshot s = parse("fullreport-empty.json");
        EXPECT_TRUE(s.vgs.empty());
        EXPECT_TRUE(s.pvs.empty());
        EXPECT_TRUE(s.lvs.empty());
        EXPECT_EQ(s.find_vg("docker-vg"), nullptr);
}

TEST(LvmReport, NewVgWithoutLvs)
{
        lvm::Snapshot s = parse("fullreport-new-vg.json");
        ASSERT_EQ(s.vgs.size(), 1u);
        const lvm::Vg *vg = s.find_vg("data-vg");
        ASSERT_NE(vg, nullptr);
        EXPECT_EQ(vg->size, 62914560u);
        EXPECT_EQ(vg->free, 62914560u);
        EXPECT_EQ(vg->extent_size, 4194304u);
        EXPECT_EQ(vg->extent_count, 15u);
        EXPECT_EQ(vg->pv_count, 1u);
        EXPECT_EQ(vg->lv_count, 0u);
        EXPECT_TRUE(s.lvs.empty());
        ASSERT_EQ(s.pvs_of_vg("data-vg").size(), 1u);
        EXPECT_EQ(s.pvs_of_vg("data-vg")[0]->name, "/dev/loop3");
}

TEST(LvmReport, ThinPoolVgWithOrphanPv)
{
        lvm::Snapshot s = parse("fullreport-thinpool-inactive.json");
        ASSERT_EQ(s.vgs.size(), 1u);
        const lvm::Vg &vg = s.vgs[0];
        EXPECT_EQ(vg.name, "docker-vg");
        EXPECT_EQ(vg.attr, "wz--n-");
        EXPECT_EQ(vg.size, 1602224128u);
        EXPECT_EQ(vg.free, 650117120u);
        EXPECT_EQ(vg.free_count, 155u);
        EXPECT_EQ(vg.free, vg.free_count * vg.extent_size);
        EXPECT_EQ(vg.pv_count, 2u);
        EXPECT_EQ(vg.lv_count, 3u);

        // Two PVs in the VG, one orphan from the second report object.
        ASSERT_EQ(s.pvs.size(), 3u);
        EXPECT_EQ(s.pvs_of_vg("docker-vg").size(), 2u);
        EXPECT_EQ(s.vg_of_pv("/dev/loop0"), "docker-vg");
        EXPECT_EQ(s.vg_of_pv("/dev/loop2"), "");
        EXPECT_EQ(s.vg_of_pv("/dev/sdz"), std::nullopt);
        const lvm::Pv *pv = s.find_pv(7, 1);
        ASSERT_NE(pv, nullptr);
        EXPECT_EQ(pv->name, "/dev/loop1");
        EXPECT_EQ(pv->size, 532676608u);
        EXPECT_EQ(pv->dev_size, 536870912u);
        EXPECT_EQ(s.find_pv(8, 0), nullptr);

        // Only public LVs: the pool's hidden _tdata/_tmeta are not listed by fullreport.
        ASSERT_EQ(s.lvs.size(), 3u);
        const lvm::Lv *pool = s.find_thin_pool("docker-vg", "docker-pool");
        ASSERT_NE(pool, nullptr);
        EXPECT_EQ(pool->attr, "twi---t---");
        EXPECT_EQ(pool->size, 419430400u);
        EXPECT_EQ(pool->metadata_size, 4194304u);
        EXPECT_EQ(pool->data_lv, "[docker-pool_tdata]");
        EXPECT_EQ(pool->profile, "docker-vg--docker-pool-extend");
        EXPECT_EQ(pool->dm_path, "/dev/mapper/docker--vg-docker--pool");
        EXPECT_EQ(pool->path, "");
        EXPECT_EQ(pool->layout, "thin,pool");
        EXPECT_EQ(pool->tags, (std::vector<std::string>{"css_grow_vg1073741824_lv419430400", "admin"}));
        EXPECT_FALSE(pool->active);
        EXPECT_FALSE(pool->kernel_major); // "-1": not active
        EXPECT_FALSE(pool->kernel_minor);

        const lvm::Lv *root = s.find_lv("docker-vg", "root");
        ASSERT_NE(root, nullptr);
        EXPECT_FALSE(root->is_thin_pool());
        EXPECT_EQ(s.find_thin_pool("docker-vg", "root"), nullptr);
        EXPECT_EQ(root->path, "/dev/docker-vg/root");
        EXPECT_FALSE(root->metadata_size);
        EXPECT_EQ(root->profile, "");
        EXPECT_EQ(s.find_lv("docker-vg", "container-root-lv")->dm_path, "/dev/mapper/docker--vg-container--root--lv");
        EXPECT_EQ(s.find_lv("other-vg", "root"), nullptr);
}

TEST(LvmReport, ActiveLvsHaveKernelNumbers)
{
        lvm::Snapshot s = parse("fullreport-thinpool-active.json");
        const lvm::Lv *pool = s.find_thin_pool("docker-vg", "docker-pool");
        ASSERT_NE(pool, nullptr);
        EXPECT_TRUE(pool->active);
        EXPECT_EQ(pool->attr, "twi-aotz--");
        EXPECT_EQ(pool->kernel_major, 253u);
        EXPECT_EQ(pool->kernel_minor, 3u);
        EXPECT_EQ(s.find_lv("docker-vg", "root")->kernel_minor, 0u);
}

TEST(LvmReport, MalformedReportsAreErrors)
{
        auto error_of = [](std::string_view json) {
                Result<lvm::Snapshot> r = lvm::parse_report(json);
                EXPECT_FALSE(r) << json;
                return r ? std::string() : r.error().message;
        };
        EXPECT_NE(error_of("").find("Invalid JSON"), std::string::npos);
        EXPECT_NE(error_of("{}").find("no \"report\" array"), std::string::npos);
        EXPECT_NE(error_of(R"({"report": [{"vg": {}}]})").find("\"vg\" is not an array"), std::string::npos);
        EXPECT_NE(error_of(R"({"report": [{"vg": [{"vg_name": "x"}]}]})").find("vg field 'vg_uuid' is missing"),
                  std::string::npos);
        std::string pv =
                R"({"report": [{"pv": [{"pv_name":"/dev/a", "vg_name":"", "pv_uuid":"u", "pv_size":"12x",
                          "pv_free":"0", "dev_size":"0", "pv_major":"8", "pv_minor":"0"}]}]})";
        EXPECT_EQ(error_of(pv), "Failed to parse the LVM report: pv field 'pv_size' is not a number: '12x'");
        // Sizes with a unit suffix mean the query lost --units b --nosuffix: refuse them.
        std::string suffixed = pv;
        suffixed.replace(suffixed.find("12x"), 3, "10.00g");
        EXPECT_NE(error_of(suffixed).find("not a number"), std::string::npos);
}

TEST(LvmReport, InstalledLvmKnowsEveryField)
{
        // fullreport does not check field names when there is nothing to report, so each list
        // from report_argv() is also given to vgs/pvs/lvs, which reject an unknown field even
        // on an empty system. Then the real query runs and its output must parse.
        if (!process::find_program("lvm"))
                GTEST_SKIP() << "lvm2 is not installed";
        if (::geteuid() != 0)
                GTEST_SKIP() << "lvm reports need root";
        std::vector<std::string> a = lvm::report_argv();
        int checked = 0;
        for (size_t i = 0; i + 3 < a.size(); i++) {
                if (a[i] != "--configreport" || a[i + 2] != "-o" ||
                    (a[i + 1] != "vg" && a[i + 1] != "pv" && a[i + 1] != "lv"))
                        continue;
                process::Command c;
                c.argv = {a[i + 1] + "s", "--reportformat", "json", "-o", a[i + 3]};
                c.extra_env = {"LVM_SUPPRESS_FD_WARNINGS=1"};
                c.forward_stderr = false;
                Result<process::Outcome> r = process::run(c);
                ASSERT_TRUE(r) << r.error().message;
                EXPECT_TRUE(r->success()) << process::format_argv(c.argv) << ": " << r->err;
                checked++;
        }
        EXPECT_EQ(checked, 3);
        Result<lvm::Snapshot> s = lvm::query();
        ASSERT_TRUE(s) << s.error().message;
        for (const lvm::Lv &lv : s->lvs)
                EXPECT_NE(s->find_vg(lv.vg), nullptr) << lv.vg << "/" << lv.name;
}
