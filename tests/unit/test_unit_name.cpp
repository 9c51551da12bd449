// SPDX-License-Identifier: Apache-2.0
// Unit-name escaping: systemd's own test vectors (src/test/test-unit-name.c), then the real
// systemd-escape over a generated set of awkward paths, which is the definition we must match.

#include "systemd/unit_name.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace css {
namespace {

std::string path_escape_ok(std::string_view path)
{
        Result<std::string> r = unit_name::path_escape(path);
        EXPECT_TRUE(r.ok()) << path;
        return r ? *r : std::string("<error>");
}

TEST(UnitName, EscapeLikeSystemd)
{
        EXPECT_EQ(unit_name::escape("ab+-c.a/bc@foo.service"), "ab\\x2b\\x2dc.a-bc\\x40foo.service");
        EXPECT_EQ(unit_name::escape(".foo"), "\\x2efoo");
        EXPECT_EQ(unit_name::escape("a.b"), "a.b");
        EXPECT_EQ(unit_name::escape("a\\b"), "a\\x5cb");
        EXPECT_EQ(unit_name::escape("über"), "\\xc3\\xbcber");
        EXPECT_EQ(unit_name::escape(""), "");
        EXPECT_EQ(unit_name::escape(std::string_view("a\0b", 3)), "a\\x00b");
}

TEST(UnitName, PathEscapeLikeSystemd)
{
        EXPECT_EQ(path_escape_ok("/waldo"), "waldo");
        EXPECT_EQ(path_escape_ok("/waldo/"), "waldo");
        EXPECT_EQ(path_escape_ok("/waldo/quux"), "waldo-quux");
        EXPECT_EQ(path_escape_ok("/waldo//quux///"), "waldo-quux");
        EXPECT_EQ(path_escape_ok("/./waldo/./quux/."), "waldo-quux");
        EXPECT_EQ(path_escape_ok("/"), "-");
        EXPECT_EQ(path_escape_ok("//"), "-");
        EXPECT_EQ(path_escape_ok(""), "-");
        EXPECT_EQ(path_escape_ok("/.waldo"), "\\x2ewaldo");
        EXPECT_EQ(path_escape_ok("/foo/.bar"), "foo-.bar");
        EXPECT_EQ(path_escape_ok("/var/lib/docker"), "var-lib-docker");
        EXPECT_EQ(path_escape_ok("/dev/disk/by-id/virtio-x"), "dev-disk-by\\x2did-virtio\\x2dx");
        EXPECT_EQ(path_escape_ok("/a b/100%"), "a\\x20b-100\\x25");

        EXPECT_FALSE(unit_name::path_escape("/a/../b").ok());
        EXPECT_FALSE(unit_name::path_escape("/..").ok());
        EXPECT_FALSE(unit_name::path_escape(".").ok());
        EXPECT_FALSE(unit_name::path_escape(std::string(5000, 'a')).ok());
}

TEST(UnitName, FromPathAndInstances)
{
        Result<std::string> m = unit_name::from_path("/var/lib/docker/", "mount");
        ASSERT_TRUE(m.ok());
        EXPECT_EQ(*m, "var-lib-docker.mount");
        EXPECT_FALSE(unit_name::from_path("/" + std::string(250, 'x'), "mount").ok());
        EXPECT_TRUE(unit_name::from_path("/" + std::string(249, 'x'), "mount").ok());

        Result<std::string> i = unit_name::instantiate("css-prepare-disk@.service", "dev-vdb");
        ASSERT_TRUE(i.ok());
        EXPECT_EQ(*i, "css-prepare-disk@dev-vdb.service");
        EXPECT_FALSE(unit_name::instantiate("plain.service", "x").ok());
        EXPECT_FALSE(unit_name::instantiate("foo@bar.service", "x").ok());
        EXPECT_FALSE(unit_name::instantiate("css@.service", "").ok());
}

// Runs systemd-escape with `args` (no shell) and returns its stdout; nullopt when it is missing
// or fails.
std::optional<std::string> run_systemd_escape(const std::vector<std::string> &args)
{
        std::vector<char *> argv;
        std::string program = "systemd-escape";
        argv.push_back(program.data());
        std::vector<std::string> copy = args;
        for (std::string &a : copy)
                argv.push_back(a.data());
        argv.push_back(nullptr);

        int out[2];
        if (pipe2(out, O_CLOEXEC) < 0)
                return std::nullopt;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        pid_t pid;
        int r = posix_spawnp(&pid, "systemd-escape", &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        if (r != 0) {
                close(out[0]);
                return std::nullopt;
        }
        std::string data;
        char buf[65536];
        ssize_t n;
        while ((n = read(out[0], buf, sizeof buf)) > 0)
                data.append(buf, static_cast<size_t>(n));
        close(out[0]);
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return std::nullopt;
        while (!data.empty() && data.back() == '\n')
                data.pop_back();
        return data;
}

std::vector<std::string> split_spaces(const std::string &s)
{
        std::vector<std::string> out;
        size_t i = 0;
        while (i <= s.size()) {
                size_t j = s.find(' ', i);
                if (j == std::string::npos)
                        j = s.size();
                out.push_back(s.substr(i, j - i));
                i = j + 1;
        }
        return out;
}

// Fixed hand-picked paths plus pseudo-random ones built from the characters that matter.
std::vector<std::string> tricky_paths()
{
        std::vector<std::string> paths = {
                "/",
                "//",
                "///",
                "/a",
                "/a/",
                "/a//b",
                "/a/./b/.",
                "/.hidden",
                "/.",
                "/-",
                "/-a-/-b-",
                "/a\\b",
                "/a\\x2db",
                "/über/ö",
                "/日本語/パス",
                "/with space",
                "/ leading",
                "/trailing ",
                "/tab\there",
                "/new\nline",
                "/100%",
                "/a:b_c.d",
                "/a@b",
                "/a~b",
                "/a+b=c",
                "/\xff\xfe",
                "/var/lib/docker",
                "/dev/disk/by-id/virtio-data-2",
                "/dev/mapper/docker--vg-docker--pool",
                "/srv/my containers/-data-/ünïcödé 100%",
                "/a/b/c/d/e/f/g/h",
                "/..a/b..",
                "/a/.../b",
        };
        static const std::vector<std::string> pieces = {
                "/", "/", "/", "/.", ".", "-", "\\", " ", "ü", "%", ":", "_", "a", "Z", "0", "@", "x2d", "\xe2\x82\xac",
        };
        uint32_t state = 12345;
        auto next = [&] {
                state = state * 1103515245u + 12345u;
                return (state >> 16) & 0x7fff;
        };
        for (int i = 0; i < 300; i++) {
                std::string p = "/";
                const unsigned len = 1 + next() % 12;
                for (unsigned k = 0; k < len; k++)
                        p += pieces[next() % pieces.size()];
                paths.push_back(p);
        }
        return paths;
}

TEST(UnitName, MatchesRealSystemdEscape)
{
        if (!run_systemd_escape({"--", "probe"}))
                GTEST_SKIP() << "systemd-escape is not available";

        std::vector<std::string> accepted;
        for (const std::string &p : tricky_paths()) {
                if (unit_name::path_escape(p).ok()) {
                        accepted.push_back(p);
                } else {
                        // Whatever we refuse, systemd-escape must refuse too.
                        EXPECT_FALSE(run_systemd_escape({"--path", "--", p}).has_value()) << "[" << p << "]";
                }
        }
        ASSERT_GT(accepted.size(), 250u);

        // One call per mode for all accepted paths: escaped names never hold a space.
        std::vector<std::string> args = {"--path", "--"};
        args.insert(args.end(), accepted.begin(), accepted.end());
        std::optional<std::string> out = run_systemd_escape(args);
        ASSERT_TRUE(out.has_value());
        std::vector<std::string> theirs = split_spaces(*out);
        ASSERT_EQ(theirs.size(), accepted.size());
        for (size_t i = 0; i < accepted.size(); i++)
                EXPECT_EQ(*unit_name::path_escape(accepted[i]), theirs[i]) << "--path [" << accepted[i] << "]";

        args = {"--"};
        args.insert(args.end(), accepted.begin(), accepted.end());
        out = run_systemd_escape(args);
        ASSERT_TRUE(out.has_value());
        theirs = split_spaces(*out);
        ASSERT_EQ(theirs.size(), accepted.size());
        for (size_t i = 0; i < accepted.size(); i++)
                EXPECT_EQ(unit_name::escape(accepted[i]), theirs[i]) << "plain [" << accepted[i] << "]";

        // --template with --path: what the generator does for css-prepare-disk@.service. Skip
        // names over the length limit, which systemd-escape refuses as we do.
        std::vector<std::string> short_paths;
        for (const std::string &p : accepted)
                if (unit_name::instantiate("css-prepare-disk@.service", *unit_name::path_escape(p)).ok() &&
                    p.find_first_not_of('/') != std::string::npos)
                        short_paths.push_back(p);
        args = {"--template=css-prepare-disk@.service", "--path", "--"};
        args.insert(args.end(), short_paths.begin(), short_paths.end());
        out = run_systemd_escape(args);
        ASSERT_TRUE(out.has_value());
        theirs = split_spaces(*out);
        ASSERT_EQ(theirs.size(), short_paths.size());
        for (size_t i = 0; i < short_paths.size(); i++)
                EXPECT_EQ(*unit_name::instantiate("css-prepare-disk@.service", *unit_name::path_escape(short_paths[i])),
                          theirs[i])
                        << "--template [" << short_paths[i] << "]";
}

} // namespace
} // namespace css
