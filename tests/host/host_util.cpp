// SPDX-License-Identifier: Apache-2.0
#include "host_util.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace css::host_test {

namespace {

uint8_t pattern_byte(uint64_t i, uint32_t seed)
{
        uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ULL ^ seed;
        x ^= x >> 29;
        return static_cast<uint8_t>(x);
}

std::string basename_of(const std::string &p)
{
        return p.substr(p.rfind('/') + 1);
}

} // namespace

ToolResult run(const std::vector<std::string> &argv, const std::string &input)
{
        ToolResult r;
        int in[2], out[2], err[2];
        if (::pipe2(in, O_CLOEXEC) < 0 || ::pipe2(out, O_CLOEXEC) < 0 || ::pipe2(err, O_CLOEXEC) < 0)
                return r;
        pid_t pid = ::fork();
        if (pid == 0) {
                ::dup2(in[0], 0);
                ::dup2(out[1], 1);
                ::dup2(err[1], 2);
                std::vector<char *> args;
                for (const auto &a : argv)
                        args.push_back(const_cast<char *>(a.c_str()));
                args.push_back(nullptr);
                ::execvp(args[0], args.data());
                ::_exit(127);
        }
        ::close(in[0]);
        ::close(out[1]);
        ::close(err[1]);
        if (pid < 0) {
                ::close(in[1]);
                ::close(out[0]);
                ::close(err[0]);
                return r;
        }
        // Inputs are small (sfdisk scripts): they fit in the pipe buffer.
        if (!input.empty() && ::write(in[1], input.data(), input.size()) < 0)
                ADD_FAILURE() << "writing stdin of " << argv[0] << ": " << std::strerror(errno);
        ::close(in[1]);
        struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        int open_fds = 2;
        while (open_fds > 0) {
                if (::poll(fds, 2, -1) < 0 && errno != EINTR)
                        break;
                for (auto &f : fds) {
                        if (f.fd < 0 || !f.revents)
                                continue;
                        char buf[4096];
                        ssize_t n = ::read(f.fd, buf, sizeof buf);
                        if (n > 0) {
                                (f.fd == out[0] ? r.out : r.err).append(buf, static_cast<size_t>(n));
                        } else {
                                ::close(f.fd);
                                f.fd = -1;
                                open_fds--;
                        }
                }
        }
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return r;
}

bool have_tool(const std::string &name)
{
        for (const char *dir : {"/usr/sbin", "/usr/bin", "/sbin", "/bin"})
                if (::access((std::string(dir) + "/" + name).c_str(), X_OK) == 0)
                        return true;
        return false;
}

ImageFile::ImageFile(uint64_t bytes)
{
        std::string t = (std::filesystem::temp_directory_path() / "css-host.XXXXXX").string();
        if (!::mkdtemp(t.data())) {
                ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
                return;
        }
        dir_ = t;
        path_ = dir_ + "/disk.img";
        std::ofstream(path_).close();
        resize(bytes);
}

ImageFile::~ImageFile()
{
        if (!dir_.empty())
                std::filesystem::remove_all(dir_);
}

void ImageFile::resize(uint64_t bytes)
{
        EXPECT_EQ(::truncate(path_.c_str(), static_cast<off_t>(bytes)), 0) << std::strerror(errno);
}

LoopDevice::LoopDevice(const std::string &image)
{
        auto r = run({"losetup", "-fP", "--show", image});
        if (r.status != 0) {
                ADD_FAILURE() << "losetup: " << r.err;
                return;
        }
        dev_ = r.out.substr(0, r.out.find('\n'));
        // losetup -P has the kernel parse the table, but a kernel built without the dos/gpt
        // parsers (this test host's) finds nothing: partx adds the partitions with BLKPG.
        sync_partitions();
}

void LoopDevice::sync_partitions()
{
        // partx exits non-zero when there is no table at all; that is a fine state here.
        run({"partx", "-u", dev_});
}

LoopDevice::~LoopDevice()
{
        if (!dev_.empty()) {
                auto r = run({"losetup", "-d", dev_});
                EXPECT_EQ(r.status, 0) << "losetup -d " << dev_ << ": " << r.err;
        }
}

void LoopDevice::refresh_capacity()
{
        auto r = run({"losetup", "-c", dev_});
        EXPECT_EQ(r.status, 0) << r.err;
}

uint64_t LoopDevice::sysfs_sectors(unsigned partition) const
{
        std::ifstream in("/sys/class/block/" + basename_of(part(partition)) + "/size");
        uint64_t v = 0;
        in >> v;
        return in ? v : 0;
}

void write_pattern(const std::string &dev, uint64_t offset, size_t len, uint32_t seed)
{
        std::vector<uint8_t> buf(len);
        for (size_t i = 0; i < len; i++)
                buf[i] = pattern_byte(offset + i, seed);
        int fd = ::open(dev.c_str(), O_WRONLY | O_CLOEXEC);
        ASSERT_GE(fd, 0) << dev << ": " << std::strerror(errno);
        EXPECT_EQ(::pwrite(fd, buf.data(), len, static_cast<off_t>(offset)), static_cast<ssize_t>(len));
        EXPECT_EQ(::fsync(fd), 0);
        ::close(fd);
}

std::vector<uint8_t> read_bytes(const std::string &dev, uint64_t offset, size_t len)
{
        std::vector<uint8_t> buf(len);
        int fd = ::open(dev.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                ADD_FAILURE() << dev << ": " << std::strerror(errno);
                return {};
        }
        // Bypass stale page cache: the partition nodes may have been read before a change.
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ssize_t n = ::pread(fd, buf.data(), len, static_cast<off_t>(offset));
        ::close(fd);
        if (n != static_cast<ssize_t>(len))
                buf.clear();
        return buf;
}

bool pattern_intact(const std::string &dev, uint64_t offset, size_t len, uint32_t seed)
{
        auto buf = read_bytes(dev, offset, len);
        if (buf.size() != len)
                return false;
        for (size_t i = 0; i < len; i++)
                if (buf[i] != pattern_byte(offset + i, seed))
                        return false;
        return true;
}

SfdiskTable sfdisk_dump(const std::string &dev)
{
        SfdiskTable t;
        auto r = run({"sfdisk", "--json", dev});
        if (r.status != 0) {
                ADD_FAILURE() << "sfdisk --json " << dev << ": " << r.err;
                return t;
        }
        nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
        if (doc.is_discarded()) {
                ADD_FAILURE() << "sfdisk --json " << dev << " printed no JSON: " << r.out;
                return t;
        }
        auto pt = doc.find("partitiontable");
        if (pt == doc.end())
                return t;
        auto num = [](const nlohmann::json &o, const char *key) {
                auto f = o.find(key);
                return f != o.end() && f->is_number_unsigned() ? f->get<unsigned long long>() : 0ULL;
        };
        auto str = [](const nlohmann::json &o, const char *key) {
                auto f = o.find(key);
                return f != o.end() && f->is_string() ? f->get<std::string>() : std::string();
        };
        t.label = str(*pt, "label");
        t.firstlba = num(*pt, "firstlba");
        t.lastlba = num(*pt, "lastlba");
        if (auto parts = pt->find("partitions"); parts != pt->end() && parts->is_array())
                for (const nlohmann::json &p : *parts)
                        t.partitions.push_back({str(p, "node"), num(p, "start"), num(p, "size"), str(p, "type")});
        t.ok = true;
        return t;
}

} // namespace css::host_test
