#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# Writes an md 1.2 RAID1 member superblock 4 KiB into the image file argv[1], as
# tests/unit/test_partition_images.hpp md12_superblock() does: the host kernel has no md
# driver, so mdadm --create cannot make one. libblkid and wipefs report it as
# linux_raid_member at 0x1000; the checksum is md's calc_sb_1_csum (the little-endian
# 32-bit sum over the superblock and its dev_roles, folded to 32 bits).
import struct
import sys

MAX_DEV = 2
sb = bytearray(1024)
struct.pack_into("<II", sb, 0, 0xA92B4EFC, 1)   # magic, major_version
sb[16:32] = b"\x11" * 16                          # set_uuid
sb[32:42] = b"css-test:0"                         # set_name
struct.pack_into("<I", sb, 72, 1)                 # level: raid1
struct.pack_into("<Q", sb, 80, 100000)            # size
struct.pack_into("<I", sb, 92, 2)                 # raid_disks
struct.pack_into("<QQQ", sb, 128, 2048, 100000, 8)  # data_offset, data_size, super_offset
sb[168:184] = b"\x22" * 16                        # device_uuid
struct.pack_into("<I", sb, 220, MAX_DEV)          # max_dev
sb[256 + 2] = 1                                   # dev_roles = [0, 1]
size = 256 + MAX_DEV * 2
total = sum(struct.unpack_from("<I", sb, i)[0] for i in range(0, size - size % 4, 4))
if size % 4 == 2:
    total += struct.unpack_from("<H", sb, size - 2)[0]
struct.pack_into("<I", sb, 216, ((total & 0xFFFFFFFF) + (total >> 32)) & 0xFFFFFFFF)

with open(sys.argv[1], "r+b") as image:
    image.seek(4096)
    image.write(sb)
