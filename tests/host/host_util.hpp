// SPDX-License-Identifier: Apache-2.0
#pragma once

// Shared pieces of the loop-device tests: sparse image files, loop devices that detach
// themselves, running the standard tools (sfdisk, sgdisk, wipefs, mkfs.*) to set up and to
// verify, and reading/writing test patterns through device nodes.

#include <cstdint>
#include <string>
#include <vector>

namespace css::host_test {

struct ToolResult {
        int status = -1; // exit status, or -1 when it could not run / was killed
        std::string out;
        std::string err;
};

// fork + execvp with `input` on stdin; stdout and stderr captured.
ToolResult run(const std::vector<std::string> &argv, const std::string &input = "");
bool have_tool(const std::string &name);

// A sparse file in a fresh temp directory, removed with it.
class ImageFile {
public:
        explicit ImageFile(uint64_t bytes);
        ~ImageFile();
        ImageFile(const ImageFile &) = delete;
        ImageFile &operator=(const ImageFile &) = delete;
        const std::string &path() const { return path_; }
        const std::string &dir() const { return dir_; }
        void resize(uint64_t bytes);

private:
        std::string dir_, path_;
};

// losetup -fP --show; detached in the destructor.
class LoopDevice {
public:
        explicit LoopDevice(const std::string &image);
        ~LoopDevice();
        LoopDevice(const LoopDevice &) = delete;
        LoopDevice &operator=(const LoopDevice &) = delete;
        bool ok() const { return !dev_.empty(); }
        const std::string &dev() const { return dev_; } // "/dev/loop3"
        std::string part(unsigned n) const { return dev_ + "p" + std::to_string(n); }
        void refresh_capacity(); // losetup -c after the image grew
        // partx -u: brings the kernel's partitions in line with the table on disk. Needed after
        // writing a table with a tool (sfdisk) on a kernel built without the dos/gpt parsers
        // (this test host's: its re-read finds nothing), harmless elsewhere.
        void sync_partitions();
        uint64_t sysfs_sectors(unsigned partition) const; // 0 when the kernel has no such partition

private:
        std::string dev_;
};

// A deterministic byte pattern (seeded) written to / compared against a device region.
void write_pattern(const std::string &dev, uint64_t offset, size_t len, uint32_t seed);
bool pattern_intact(const std::string &dev, uint64_t offset, size_t len, uint32_t seed);
std::vector<uint8_t> read_bytes(const std::string &dev, uint64_t offset, size_t len);

// `sfdisk --json <dev>`, parsed: the independent view of what is on disk.
struct SfdiskPartition {
        std::string node;
        uint64_t start = 0, size = 0;
        std::string type;
};
struct SfdiskTable {
        bool ok = false;
        std::string label;
        uint64_t firstlba = 0, lastlba = 0; // GPT only
        std::vector<SfdiskPartition> partitions;
};
SfdiskTable sfdisk_dump(const std::string &dev);

} // namespace css::host_test
