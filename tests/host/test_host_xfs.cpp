// SPDX-License-Identifier: Apache-2.0
//
// The ftype probe on real mounted filesystems: XFS made with -n ftype=1 (and, where the
// kernel still mounts V4 filesystems, ftype=0), and a non-XFS directory.

#include "host_util.hpp"
#include "sys/xfs.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/mount.h>

using namespace css;
using namespace css::host_test;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

// mkfs.xfs on a loop device, mounted on a directory next to the image.
class MountedXfs {
public:
        explicit MountedXfs(const std::vector<std::string> &mkfs_options)
        {
                loop_ = std::make_unique<LoopDevice>(image_.path());
                if (!loop_->ok())
                        return;
                std::vector<std::string> argv{"mkfs.xfs", "-q", "-f"};
                argv.insert(argv.end(), mkfs_options.begin(), mkfs_options.end());
                argv.push_back(loop_->dev());
                auto r = run(argv);
                if (r.status != 0) {
                        error_ = "mkfs.xfs: " + r.err;
                        return;
                }
                dir_ = image_.dir() + "/mnt";
                std::filesystem::create_directory(dir_);
                if (::mount(loop_->dev().c_str(), dir_.c_str(), "xfs", 0, nullptr) < 0) {
                        error_ = "mount: " + std::string(std::strerror(errno));
                        return;
                }
                mounted_ = true;
                std::filesystem::create_directories(dir_ + "/var/lib/docker");
        }
        ~MountedXfs()
        {
                if (mounted_) {
                        EXPECT_EQ(::umount(dir_.c_str()), 0) << std::strerror(errno);
                }
        }
        bool mounted() const { return mounted_; }
        const std::string &error() const { return error_; }
        const std::string &dir() const { return dir_; }

private:
        ImageFile image_{512 * MiB}; // mkfs.xfs wants at least 300 MB
        std::unique_ptr<LoopDevice> loop_;
        std::string dir_, error_;
        bool mounted_ = false;
};

} // namespace

TEST(HostXfs, FtypeOneIsEnabled)
{
        if (!have_tool("mkfs.xfs"))
                GTEST_SKIP() << "xfsprogs not installed";
        MountedXfs fs({"-n", "ftype=1"});
        ASSERT_TRUE(fs.mounted()) << fs.error();
        for (const std::string &d : {fs.dir(), fs.dir() + "/var/lib/docker"}) {
                auto f = xfs::ftype(d);
                ASSERT_TRUE(f.ok()) << f.error().message;
                EXPECT_EQ(*f, xfs::Ftype::enabled) << d;
        }
}

TEST(HostXfs, FtypeZeroIsDisabled)
{
        if (!have_tool("mkfs.xfs"))
                GTEST_SKIP() << "xfsprogs not installed";
        // ftype=0 exists only on V4 (crc=0) filesystems, which newer kernels may not mount.
        MountedXfs fs({"-m", "crc=0", "-n", "ftype=0"});
        if (!fs.mounted())
                GTEST_SKIP() << "cannot make or mount a V4 XFS here: " << fs.error();
        auto f = xfs::ftype(fs.dir() + "/var/lib/docker");
        ASSERT_TRUE(f.ok()) << f.error().message;
        EXPECT_EQ(*f, xfs::Ftype::disabled);
}

TEST(HostXfs, OtherFilesystemsAreNotXfs)
{
        for (const char *d : {"/proc", "/sys", "/dev"}) {
                auto f = xfs::ftype(d);
                ASSERT_TRUE(f.ok()) << d << ": " << f.error().message;
                EXPECT_EQ(*f, xfs::Ftype::not_xfs) << d;
        }
        EXPECT_FALSE(xfs::ftype("/nonexistent/dir").ok());
}
