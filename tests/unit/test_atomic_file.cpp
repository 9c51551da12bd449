// SPDX-License-Identifier: Apache-2.0
#include "sys/atomic_file.hpp"

#include "sys/process.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace css;
namespace fs = std::filesystem;

namespace {

class AtomicFile : public ::testing::Test {
protected:
        void SetUp() override
        {
                std::string t = ::testing::TempDir() + "css-atomic-XXXXXX";
                ASSERT_NE(::mkdtemp(t.data()), nullptr);
                dir = t;
        }
        void TearDown() override
        {
                ::chmod(dir.c_str(), 0755);
                fs::remove_all(dir);
        }

        std::string read(const std::string &path)
        {
                std::ifstream in(path);
                std::stringstream ss;
                ss << in.rdbuf();
                return ss.str();
        }

        // Everything in the directory, to prove no temp file is left behind.
        std::vector<std::string> entries()
        {
                std::vector<std::string> names;
                for (const auto &e : fs::directory_iterator(dir))
                        names.push_back(e.path().filename().string());
                std::sort(names.begin(), names.end());
                return names;
        }

        mode_t mode_of(const std::string &path)
        {
                struct stat st {};
                EXPECT_EQ(::stat(path.c_str(), &st), 0);
                return st.st_mode & 07777;
        }

        std::string dir;
};

} // namespace

TEST_F(AtomicFile, WritesContentAndMode)
{
        std::string p = dir + "/docker-storage";
        mode_t old_umask = ::umask(077); // the requested mode wins over the umask
        Result<void> r = write_file_atomic(p, "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n", {0644, false});
        ::umask(old_umask);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(read(p), "DOCKER_STORAGE_OPTIONS=\"--storage-driver overlay2 \"\n");
        EXPECT_EQ(mode_of(p), 0644u);
        EXPECT_EQ(entries(), std::vector<std::string>{"docker-storage"});
}

TEST_F(AtomicFile, ReplacesExistingFileAndItsMode)
{
        std::string p = dir + "/f";
        std::ofstream(p) << "old content that is longer than the new one";
        ::chmod(p.c_str(), 0600);
        ASSERT_TRUE(write_file_atomic(p, "new", {0640, false}));
        EXPECT_EQ(read(p), "new");
        EXPECT_EQ(mode_of(p), 0640u);
        EXPECT_EQ(entries(), std::vector<std::string>{"f"});
}

TEST_F(AtomicFile, EmptyAndLargeContent)
{
        ASSERT_TRUE(write_file_atomic(dir + "/empty", ""));
        EXPECT_EQ(read(dir + "/empty"), "");
        std::string big(5 << 20, 'x');
        ASSERT_TRUE(write_file_atomic(dir + "/big", big));
        EXPECT_EQ(read(dir + "/big"), big);
}

TEST_F(AtomicFile, NoReplaceRefusesAnExistingTarget)
{
        std::string p = dir + "/profile";
        std::ofstream(p) << "keep me";
        Result<void> r = write_file_atomic(p, "new", {0644, true});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().errno_value, EEXIST);
        EXPECT_EQ(read(p), "keep me");
        EXPECT_EQ(entries(), std::vector<std::string>{"profile"}); // the temp file is gone
}

TEST_F(AtomicFile, NoReplaceCreatesAMissingTarget)
{
        std::string p = dir + "/profile";
        ASSERT_TRUE(write_file_atomic(p, "fresh", {0644, true}));
        EXPECT_EQ(read(p), "fresh");
        EXPECT_EQ(entries(), std::vector<std::string>{"profile"});
}

TEST_F(AtomicFile, RemovesTempFilesOfAnInterruptedWrite)
{
        // What a power cut between the fsync and the rename leaves; other files stay.
        std::string p = dir + "/docker-storage";
        std::ofstream(dir + "/.docker-storage.Ab12Cd") << "interrupted";
        std::ofstream(dir + "/.docker-storage.keep") << "not ours: 4 characters";
        std::ofstream(dir + "/.other.Ab12Cd") << "another file's";
        fs::create_directories(dir + "/.docker-storage.Dir123");
        ASSERT_TRUE(write_file_atomic(p, "new", {0644, true}));
        EXPECT_EQ(read(p), "new");
        EXPECT_EQ(entries(), (std::vector<std::string>{".docker-storage.Dir123", ".docker-storage.keep",
                                                       ".other.Ab12Cd", "docker-storage"}));
}

TEST_F(AtomicFile, FailureLeavesNoTempAndKeepsTheTarget)
{
        // The target is a non-empty directory: rename() fails after the temp was written.
        fs::create_directories(dir + "/target/sub");
        Result<void> r = write_file_atomic(dir + "/target", "data");
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().message.find("Failed to write '" + dir + "/target'"), std::string::npos)
                << r.error().message;
        EXPECT_EQ(entries(), std::vector<std::string>{"target"});
        EXPECT_TRUE(fs::is_directory(dir + "/target/sub"));
}

TEST_F(AtomicFile, MissingDirectoryIsAClearError)
{
        Result<void> r = write_file_atomic(dir + "/no/such/dir/file", "x");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().errno_value, ENOENT);
        EXPECT_EQ(r.error().message, "Failed to open directory '" + dir + "/no/such/dir': No such file or directory");
}
