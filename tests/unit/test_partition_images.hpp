// SPDX-License-Identifier: Apache-2.0
#pragma once

// Disk image files for the blkid and partition tests: sparse files in a temp dir, raw byte
// access for checking on-disk structures independently of the code under test, and the
// on-disk formats we write by hand (an LVM2 label, an md 1.2 superblock, MBR entries).

#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace css::test {

class Image {
public:
        explicit Image(uint64_t bytes)
        {
                std::string t = (std::filesystem::temp_directory_path() / "css-image.XXXXXX").string();
                int fd = ::mkstemp(t.data());
                EXPECT_GE(fd, 0);
                path_ = t;
                if (fd >= 0) {
                        EXPECT_EQ(::ftruncate(fd, static_cast<off_t>(bytes)), 0);
                        ::close(fd);
                }
        }
        ~Image() { ::unlink(path_.c_str()); }
        Image(const Image &) = delete;
        Image &operator=(const Image &) = delete;

        const std::string &path() const { return path_; }

        uint64_t size() const
        {
                struct stat st;
                return ::stat(path_.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
        }

        void resize(uint64_t bytes) { EXPECT_EQ(::truncate(path_.c_str(), static_cast<off_t>(bytes)), 0); }

        std::vector<uint8_t> read(uint64_t offset, size_t len) const
        {
                std::vector<uint8_t> buf(len);
                int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
                EXPECT_GE(fd, 0);
                EXPECT_EQ(::pread(fd, buf.data(), len, static_cast<off_t>(offset)), static_cast<ssize_t>(len));
                ::close(fd);
                return buf;
        }

        void write(uint64_t offset, const void *data, size_t len)
        {
                int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
                EXPECT_GE(fd, 0);
                EXPECT_EQ(::pwrite(fd, data, len, static_cast<off_t>(offset)), static_cast<ssize_t>(len));
                ::close(fd);
        }
        void write(uint64_t offset, const std::vector<uint8_t> &data) { write(offset, data.data(), data.size()); }

        void fill(uint64_t offset, size_t len, uint8_t byte) { write(offset, std::vector<uint8_t>(len, byte)); }

private:
        std::string path_;
};

inline uint32_t le32(const std::vector<uint8_t> &b, size_t at)
{
        return uint32_t(b[at]) | uint32_t(b[at + 1]) << 8 | uint32_t(b[at + 2]) << 16 | uint32_t(b[at + 3]) << 24;
}

inline uint64_t le64(const std::vector<uint8_t> &b, size_t at)
{
        return uint64_t(le32(b, at)) | uint64_t(le32(b, at + 4)) << 32;
}

inline void put_le32(std::vector<uint8_t> &b, size_t at, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

inline void put_le64(std::vector<uint8_t> &b, size_t at, uint64_t v)
{
        put_le32(b, at, static_cast<uint32_t>(v));
        put_le32(b, at + 4, static_cast<uint32_t>(v >> 32));
}

// An LVM2 PV label in sector 1, as pvcreate writes it (lvm2 lib/label/label.h): "LABELONE",
// the sector number, a CRC over the rest of the sector, offset 32 to the PV header, "LVM2 001",
// then the PV uuid. The CRC is lvm's: reflected CRC-32 (0xedb88320) seeded with 0xf597a6cf,
// no final xor. libblkid reports the magic at 0x218.
inline std::vector<uint8_t> lvm2_label_sector(char uuid_fill = 'A')
{
        std::vector<uint8_t> s(512, 0);
        std::memcpy(s.data(), "LABELONE", 8);
        put_le64(s, 8, 1);   // sector_xl
        put_le32(s, 20, 32); // offset_xl
        std::memcpy(s.data() + 24, "LVM2 001", 8);
        std::memset(s.data() + 32, uuid_fill, 32); // pv uuid
        put_le64(s, 64, 64 << 20);                 // device size
        uint32_t crc = 0xf597a6cf;
        for (size_t i = 20; i < 512; i++) {
                crc ^= s[i];
                for (int k = 0; k < 8; k++)
                        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
        put_le32(s, 16, crc);
        return s;
}

// An md 1.2 superblock (4 KiB from the start), with a correct checksum (md's calc_sb_1_csum:
// the little-endian 32-bit sum over the superblock and its dev_roles, folded to 32 bits).
// libblkid reports linux_raid_member at 0x1000.
inline std::vector<uint8_t> md12_superblock()
{
        const uint32_t max_dev = 2;
        std::vector<uint8_t> s(1024, 0);
        put_le32(s, 0, 0xa92b4efc);                   // magic
        put_le32(s, 4, 1);                            // major_version
        std::memset(s.data() + 16, 0x11, 16);         // set_uuid
        std::memcpy(s.data() + 32, "css-test:0", 10); // set_name
        put_le32(s, 72, 1);                           // level: raid1
        put_le64(s, 80, 100000);                      // size
        put_le32(s, 92, 2);                           // raid_disks
        put_le64(s, 128, 2048);                       // data_offset
        put_le64(s, 136, 100000);                     // data_size
        put_le64(s, 144, 8);                          // super_offset, in sectors: 4096 / 512
        std::memset(s.data() + 168, 0x22, 16);        // device_uuid
        put_le32(s, 220, max_dev);
        // dev_roles[0] = 0, dev_roles[1] = 1
        s[256 + 2] = 1;
        uint64_t sum = 0;
        size_t size = 256 + max_dev * 2;
        for (size_t i = 0; i + 4 <= size; i += 4)
                sum += le32(s, i);
        if (size % 4 == 2)
                sum += uint32_t(s[size - 2]) | uint32_t(s[size - 1]) << 8;
        uint32_t csum = static_cast<uint32_t>((sum & 0xffffffff) + (sum >> 32));
        put_le32(s, 216, csum);
        return s;
}

// A primary MBR entry (slot 0-3) and the boot signature.
inline void write_mbr_entry(Image &image, unsigned slot, uint8_t type, uint32_t start, uint32_t sectors)
{
        std::vector<uint8_t> e(16, 0);
        e[4] = type;
        put_le32(e, 8, start);
        put_le32(e, 12, sectors);
        image.write(446 + 16 * slot, e);
        const uint8_t sig[2] = {0x55, 0xaa};
        image.write(510, sig, 2);
}

} // namespace css::test
