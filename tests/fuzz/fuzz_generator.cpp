// SPDX-License-Identifier: Apache-2.0
// libFuzzer target, differential (issue 15, item 2): whatever configuration the validator
// accepts, the generator can write. The bytes go through load_config() (fuzz_load.hpp); a valid
// configuration then goes through emit_host_units() for three hosts (root on LVM; root not on
// LVM with cloud-init; already provisioned with a pool) and emit_initrd_units(), each committed
// into a scratch directory on tmpfs. Built and run by tests/fuzz/run.sh.
//
// Invariants beyond "no crash, no sanitizer report":
//   - writing succeeds: the generator never falls back to the failing units for a valid config;
//   - every name in the tree is a unit name systemd accepts (its unit_name_is_valid() rules,
//     written out here independently of lib/systemd), or one with ".d", ".wants", ".requires";
//   - every line is one line of a unit file: no control character, no trailing backslash;
//   - a mount unit's Where=, read as systemd reads it, is the path its name unescapes to, that
//     path is normalized, and the engines' RequiresMountsFor= names it;
//   - the css-prepare-disk@ instances unescape to normalized paths, exactly the DEVS disks;
//   - each `--step` of docker-storage-setup.service's ExecStart is a unit it wants, and no
//     `--generator-error` is written.

#include "fuzz_load.hpp"

#include "core/log.hpp"
#include "generator/unit_graph.hpp"
#include "systemd/unit_path.hpp"
#include "systemd/unit_writer.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using fuzz::fail;

const css::generator::InstallDirs dirs{"/usr/libexec/container-storage-setup", "/usr/bin"};

// --- systemd's rules, written from src/basic/unit-name.c and path-util.c (systemd 252) ---

bool valid_unit_name(const std::string &n)
{
        static const std::set<std::string> types = {"service", "mount", "device", "target", "path"};
        if (n.empty() || n.size() >= 256)
                return false;
        const size_t dot = n.rfind('.');
        if (dot == std::string::npos || dot == 0 || !types.count(n.substr(dot + 1)))
                return false;
        size_t at = std::string::npos;
        for (size_t i = 0; i < dot; i++) {
                const char c = n[i];
                if (c == '@' && at == std::string::npos)
                        at = i;
                const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                c == ':' || c == '-' || c == '_' || c == '.' || c == '\\' || c == '@';
                if (!ok)
                        return false;
        }
        return at != 0;
}

bool is_hex(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool normalized_absolute(const std::string &p)
{
        if (p.empty() || p[0] != '/')
                return false;
        if (p == "/")
                return true;
        if (p.back() == '/' || p.find("//") != std::string::npos)
                return false;
        std::stringstream parts(p.substr(1));
        std::string part;
        while (std::getline(parts, part, '/'))
                if (part == "." || part == "..")
                        return false;
        return true;
}

// unit_name_path_unescape(): "-" is "/", else '-' is '/' and \xNN a byte, with a '/' in front.
std::string path_unescape(const std::string &s)
{
        if (s == "-")
                return "/";
        std::string out = "/";
        for (size_t i = 0; i < s.size(); i++) {
                if (s[i] == '-') {
                        out += '/';
                } else if (s[i] == '\\') {
                        if (i + 3 >= s.size() || s[i + 1] != 'x' || !is_hex(s[i + 2]) || !is_hex(s[i + 3]))
                                fail("a bad escape in a unit name", s);
                        out += static_cast<char>(std::stoi(s.substr(i + 2, 2), nullptr, 16));
                        i += 3;
                } else {
                        out += s[i];
                }
        }
        if (out.size() > 1 && (out[1] == '/' || out.back() == '/'))
                fail("a unit name unescapes to a path with a leading or trailing slash", s);
        return out;
}

// A setting's value as the unit file parser and specifier expansion leave it: outer blanks gone,
// "%%" read as '%'; any other specifier would expand, which the generator never means.
std::string setting_value(const std::string &raw, const std::string &where)
{
        const size_t b = raw.find_first_not_of(" \t");
        const size_t e = raw.find_last_not_of(" \t");
        std::string v = b == std::string::npos ? "" : raw.substr(b, e - b + 1);
        std::string out;
        for (size_t i = 0; i < v.size(); i++) {
                if (v[i] != '%') {
                        out += v[i];
                } else if (i + 1 < v.size() && v[i + 1] == '%') {
                        out += '%';
                        i++;
                } else {
                        fail("a specifier in a value", where + ": " + raw);
                }
        }
        return out;
}

// Words of a setting as extract_first_word() splits them: quotes, backslash escapes (C escapes
// when `c_unescape`, ExecStart=), then "%%" -> '%'.
std::vector<std::string> words(const std::string &raw, bool c_unescape, const std::string &where)
{
        std::vector<std::string> out;
        size_t i = 0;
        while (true) {
                while (i < raw.size() && (raw[i] == ' ' || raw[i] == '\t'))
                        i++;
                if (i >= raw.size())
                        break;
                std::string w;
                char quote = 0;
                for (; i < raw.size(); i++) {
                        const char c = raw[i];
                        if (!quote && (c == ' ' || c == '\t'))
                                break;
                        if (c == '"' || c == '\'') {
                                if (!quote)
                                        quote = c;
                                else if (quote == c)
                                        quote = 0;
                                else
                                        w += c;
                                continue;
                        }
                        if (c != '\\') {
                                w += c;
                                continue;
                        }
                        if (++i >= raw.size())
                                fail("a word ends in a backslash", where + ": " + raw);
                        const char n = raw[i];
                        if (c_unescape && n == 'x') {
                                if (i + 2 >= raw.size() || !is_hex(raw[i + 1]) || !is_hex(raw[i + 2]))
                                        fail("a bad \\x escape", where + ": " + raw);
                                w += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
                                i += 2;
                        } else if (c_unescape && n == 'n') {
                                w += '\n';
                        } else if (c_unescape && n == 't') {
                                w += '\t';
                        } else {
                                w += n;
                        }
                }
                if (quote)
                        fail("an unterminated quote", where + ": " + raw);
                out.push_back(setting_value(w, where));
        }
        return out;
}

// --- the tree ---

struct Tree {
        std::map<std::string, std::vector<std::pair<std::string, std::string>>> settings; // file -> key, value
        std::map<std::string, std::set<std::string>> links;                               // "<unit>.wants" -> names
};

Tree read_tree(const fs::path &dir)
{
        Tree t;
        for (const fs::directory_entry &e : fs::recursive_directory_iterator(dir)) {
                const std::string rel = fs::relative(e.path(), dir).string();
                const std::string name = e.path().filename().string();
                const std::string parent = fs::relative(e.path().parent_path(), dir).string();
                if (e.is_directory()) {
                        const size_t dot = name.rfind('.');
                        const std::string kind = dot == std::string::npos ? "" : name.substr(dot);
                        if ((kind != ".d" && kind != ".wants" && kind != ".requires") ||
                            !valid_unit_name(name.substr(0, dot)))
                                fail("a directory that is no unit's", rel);
                        continue;
                }
                if (e.is_symlink()) {
                        if (!valid_unit_name(name))
                                fail("a link that is no unit name", rel);
                        t.links[parent].insert(name);
                        continue;
                }
                if (parent == ".") {
                        if (!valid_unit_name(name))
                                fail("a file that is no unit name", rel);
                } else if (!name.ends_with(".conf")) {
                        fail("a drop-in that is no .conf", rel);
                }
                std::ifstream in(e.path(), std::ios::binary);
                std::string line;
                while (std::getline(in, line)) {
                        for (char c : line) {
                                const auto u = static_cast<unsigned char>(c);
                                if (u < 0x20 || u == 0x7f)
                                        fail("a control character in a unit file", rel + ": " + line);
                        }
                        if (line.ends_with("\\"))
                                fail("a line continued by a trailing backslash", rel + ": " + line);
                        if (line.empty() || line[0] == '#' || line[0] == '[')
                                continue;
                        const size_t eq = line.find('=');
                        if (eq == std::string::npos)
                                fail("a line that is no setting", rel + ": " + line);
                        t.settings[rel].emplace_back(line.substr(0, eq), line.substr(eq + 1));
                }
        }
        return t;
}

void check_tree(const Tree &t, const css::Config &config, bool initrd)
{
        std::set<std::string> where;
        for (const auto &[file, settings] : t.settings) {
                for (const auto &[key, value] : settings) {
                        if (key == "Where") {
                                if (!file.ends_with(".mount") || file.find('/') != std::string::npos)
                                        fail("Where= outside a mount unit", file);
                                const std::string w = setting_value(value, file);
                                if (!normalized_absolute(w))
                                        fail("Where= is not a normalized absolute path", file + ": " + value);
                                if (path_unescape(file.substr(0, file.size() - 6)) != w)
                                        fail("Where= is not the path the mount unit is named after",
                                             file + ": " + value);
                                where.insert(w);
                        }
                }
        }
        for (const auto &[file, settings] : t.settings)
                for (const auto &[key, value] : settings)
                        if (key == "RequiresMountsFor")
                                for (const std::string &w : words(value, false, file))
                                        if (!where.count(w))
                                                fail("RequiresMountsFor= names no mount of ours", file + ": " + value);

        if (initrd)
                return;
        // The disks: one step instance each, named after the DEVS path.
        std::set<std::string> want, have;
        for (const std::string &dev : config.devs)
                want.insert(css::unit_path::device_path(dev));
        const auto umbrella = t.links.find("docker-storage-setup.service.wants");
        const std::set<std::string> none;
        const std::set<std::string> &members = umbrella == t.links.end() ? none : umbrella->second;
        const std::string prefix = "css-prepare-disk@";
        for (const std::string &m : members) {
                if (!m.starts_with(prefix))
                        continue;
                const std::string p = path_unescape(m.substr(prefix.size(), m.size() - prefix.size() - 8));
                if (!normalized_absolute(p))
                        fail("a disk step's instance is no normalized path", m);
                have.insert(p);
        }
        if (!have.empty() && have != want)
                fail("the disk steps are not the DEVS disks", config.devs.empty() ? "" : config.devs.front());

        const auto umbrella_file = t.settings.find("docker-storage-setup.service");
        if (umbrella_file == t.settings.end())
                fail("no docker-storage-setup.service", "");
        for (const auto &[key, value] : umbrella_file->second) {
                if (key != "ExecStart")
                        continue;
                const std::vector<std::string> w = words(value, true, "docker-storage-setup.service");
                for (size_t i = 0; i < w.size(); i++) {
                        if (w[i] == "--generator-error")
                                fail("the failing units for a valid configuration", value);
                        if (w[i] == "--step" && (i + 1 >= w.size() || !members.count(w[i + 1])))
                                fail("a --step that is not a wanted unit", value);
                }
        }
}

fs::path scratch_root()
{
        static const fs::path root = [] {
                std::string templ = (fs::exists("/dev/shm") ? "/dev/shm" : "/tmp") + std::string("/fuzz-gen-XXXXXX");
                if (!::mkdtemp(templ.data())) {
                        std::perror("mkdtemp");
                        std::abort();
                }
                return fs::path(templ);
        }();
        return root;
}

template <typename Emit> void write_and_check(const css::Config &config, bool initrd, Emit emit)
{
        const fs::path dir = scratch_root() / "out";
        fs::remove_all(dir);
        fs::create_directory(dir);
        css::Result<css::UnitWriter> w = css::UnitWriter::begin(dir.string(), "container-storage-setup-generator");
        if (!w)
                fail("cannot begin", w.error().message);
        if (css::Result<void> r = emit(*w); !r)
                fail("the generator cannot write the units of a valid configuration", r.error().message);
        if (css::Result<void> r = w->commit(); !r)
                fail("the generator cannot commit the units of a valid configuration", r.error().message);
        check_tree(read_tree(dir), config, initrd);
        fs::remove_all(dir);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
        css::log::set_max_level(css::log::Level::err);
        return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        css::LoadedConfig loaded = fuzz::load_bytes(data, size, css::ConfigMode::compat);
        if (!loaded.valid())
                return 0;
        const css::Config &c = loaded.config;

        css::generator::HostFacts lvm_root;
        lvm_root.root_vg = "atomicos";
        css::generator::HostFacts plain_root;
        plain_root.cloud_init_unit = "cloud-init-network.service";
        css::generator::HostFacts provisioned = lvm_root;
        provisioned.provisioned = true;
        provisioned.provisioned_thinpool = "docker--vg-docker--pool";
        for (const css::generator::HostFacts &facts : {lvm_root, plain_root, provisioned})
                write_and_check(c, false, [&](css::UnitWriter &w) {
                        css::Result<void> r = css::generator::emit_host_units(w, c, facts, dirs);
                        if (r && facts.cloud_init_unit)
                                r = css::generator::emit_cloud_init_units(w, *facts.cloud_init_unit);
                        return r;
                });
        write_and_check(c, true, [&](css::UnitWriter &w) { return css::generator::emit_initrd_units(w, c, dirs); });
        return 0;
}
