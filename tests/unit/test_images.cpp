// SPDX-License-Identifier: Apache-2.0
//
// export-images / import-images (issue 17): what is asked of the engine, the manifest, and
// where an export may go. The engines themselves run in the VM scenario 50-export-import.

#include "images/archive.hpp"
#include "images/engine_cli.hpp"
#include "sys/process.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace css;
using namespace css::images;
namespace fs = std::filesystem;

TEST(Images, ImageListGroupsTagsByIdAndLeavesOutNone)
{
        auto images = parse_image_list("sha256:aa\tbusybox:latest\n"
                                       "sha256:aa\tregistry.local:5000/busybox:1.36\n"
                                       "sha256:bb\t<none>:<none>\n"
                                       "sha256:cc\tapp:<none>\n");
        ASSERT_TRUE(images.ok()) << images.error().message;
        ASSERT_EQ(images->size(), 3u);
        EXPECT_EQ((*images)[0].tags, (std::vector<std::string>{"busybox:latest", "registry.local:5000/busybox:1.36"}));
        EXPECT_TRUE((*images)[1].tags.empty());
        EXPECT_TRUE((*images)[2].tags.empty());
        EXPECT_EQ(save_references(*images),
                  (std::vector<std::string>{"busybox:latest", "registry.local:5000/busybox:1.36", "sha256:bb",
                                            "sha256:cc"}));
        EXPECT_FALSE(parse_image_list("no tab here\n").ok());
        EXPECT_TRUE(parse_image_list("")->empty());
}

TEST(Images, EngineCommands)
{
        EXPECT_EQ(process::format_argv(save_argv(Engine::docker, "/x/images.tar", {"a:1", "b:2"})),
                  "docker save --output /x/images.tar a:1 b:2");
        EXPECT_EQ(process::format_argv(save_argv(Engine::podman, "/x/images.tar", {"a:1"})),
                  "podman save --output /x/images.tar --multi-image-archive a:1");
        EXPECT_EQ(process::format_argv(load_argv(Engine::docker, "/x/images.tar")),
                  "docker load --input /x/images.tar");
        EXPECT_EQ(process::format_argv(data_root_argv(Engine::podman)), "podman info --format '{{.Store.GraphRoot}}'");
        EXPECT_EQ(*parse_total_size("100\n23\n"), 123u);
        EXPECT_FALSE(parse_total_size("12 MB\n").ok());
        EXPECT_EQ(parse_engine("podman"), Engine::podman);
        EXPECT_FALSE(parse_engine("containerd"));
}

TEST(Images, ManifestRoundTripsAndRefusesWhatIsNotAnExport)
{
        Manifest m;
        m.engine = Engine::podman;
        m.images = {Image{"sha256:aa", {"busybox:latest"}}, Image{"sha256:bb", {}}};
        m.volumes = {"data"};
        m.files = {ArchiveFile{"images.tar", std::string(64, 'a'), 10},
                   ArchiveFile{"volumes/data.tar", std::string(64, 'b'), 20}};
        Result<Manifest> back = parse_manifest(render_manifest(m));
        ASSERT_TRUE(back.ok()) << back.error().message;
        EXPECT_EQ(back->engine, Engine::podman);
        EXPECT_EQ(back->images[0].tags, m.images[0].tags);
        EXPECT_EQ(back->volumes, m.volumes);
        EXPECT_EQ(back->files[1].path, "volumes/data.tar");
        EXPECT_EQ(back->files[1].bytes, 20u);

        EXPECT_FALSE(parse_manifest("{").ok());
        EXPECT_FALSE(parse_manifest("[]").ok());
        std::string escaping = render_manifest(m);
        escaping.replace(escaping.find("volumes/data.tar"), 16, "../../etc/passwd");
        EXPECT_FALSE(parse_manifest(escaping).ok());
        EXPECT_FALSE(valid_volume_name("../x"));
        EXPECT_FALSE(valid_volume_name(".hidden"));
        EXPECT_TRUE(valid_volume_name("my_vol-1.0"));
}

TEST(Images, Sha256sumOfRealFiles)
{
        fs::path dir = fs::temp_directory_path() / "css-images-sha";
        fs::create_directories(dir);
        std::ofstream(dir / "a") << "abc";
        std::ofstream(dir / "b name") << "";
        process::Command c;
        c.argv = sha256sum_argv({(dir / "a").string(), (dir / "b name").string()});
        Result<process::Outcome> o = process::run_checked(c);
        ASSERT_TRUE(o) << o.error().message;
        auto sums = parse_sha256sum(o->out);
        fs::remove_all(dir);
        ASSERT_TRUE(sums.ok()) << sums.error().message;
        ASSERT_EQ(sums->size(), 2u);
        EXPECT_EQ((*sums)[0].first, (dir / "a").string());
        EXPECT_EQ((*sums)[0].second, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        EXPECT_EQ((*sums)[1].second, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        EXPECT_FALSE(parse_sha256sum("xyz *file\n").ok());
}

TEST(Images, AnExportMayNotGoWhereTheChangeRemovesIt)
{
        fs::path base = fs::temp_directory_path() / "css-images-target";
        fs::create_directories(base / "data-root");
        const std::string root = (base / "data-root").string();

        Result<void> inside = check_export_target(root + "/not/yet/made", root, {});
        ASSERT_FALSE(inside.ok());
        EXPECT_NE(inside.error().message.find("inside the engine's data root"), std::string::npos);
        // Beside the data root, on a filesystem nothing removes: fine.
        EXPECT_TRUE(check_export_target((base / "export").string(), root, {}).ok());
        // A changing path that is not a mount point takes nothing with it (docker's data root on
        // the root filesystem); one that is, takes its filesystem (here /proc stands in).
        EXPECT_TRUE(check_export_target((base / "export").string(), root, {root}).ok());
        Result<void> same_fs = check_export_target("/proc/sys/no-such-export", "", {"/proc"});
        ASSERT_FALSE(same_fs.ok());
        EXPECT_NE(same_fs.error().message.find("on the filesystem mounted at /proc, which the change removes"),
                  std::string::npos)
                << same_fs.error().message;

        EXPECT_TRUE(check_room(base.string(), 1).ok());
        Result<void> room = check_room((base / "export").string(), uint64_t(1) << 62);
        ASSERT_FALSE(room.ok());
        EXPECT_EQ(room.error().errno_value, ENOSPC);
        EXPECT_NE(room.error().message.find("it needs up to 4194304.0 TiB"), std::string::npos) << room.error().message;

        std::ofstream(base / "data-root" / "f") << std::string(10000, 'x');
        Result<uint64_t> used = disk_usage(root);
        ASSERT_TRUE(used.ok());
        EXPECT_GE(*used, 10000u);
        fs::remove_all(base);
}
