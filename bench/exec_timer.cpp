// SPDX-License-Identifier: Apache-2.0
// exec-timer: runs a program N times with fork+exec and reports the distribution of its wall
// time and CPU time (user+system, from wait4's rusage) per run. Cheap enough to time programs
// that run for tens of microseconds: no shell, no per-run process other than the program.
//
// Usage: exec-timer [--runs N] [--clean DIR]... -- PROGRAM [ARGS...]
//   --clean DIR  empty DIR before every run (not timed): generators refuse to overwrite.
// Output, one line: runs failures wall_median_us wall_p10_us wall_p90_us wall_min_us cpu_median_us

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ftw.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

int remove_entry(const char *path, const struct stat *, int, struct FTW *ftw)
{
        if (ftw->level == 0)
                return 0; // keep the directory itself
        return ::remove(path) < 0 ? -1 : 0;
}

void empty_dir(const std::string &dir)
{
        if (::nftw(dir.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0) {
                std::fprintf(stderr, "exec-timer: cannot empty %s: %s\n", dir.c_str(), std::strerror(errno));
                std::exit(2);
        }
}

double percentile(std::vector<double> v, double p)
{
        std::sort(v.begin(), v.end());
        const double idx = p * static_cast<double>(v.size() - 1);
        const size_t lo = static_cast<size_t>(idx);
        const size_t hi = std::min(lo + 1, v.size() - 1);
        return v[lo] + (v[hi] - v[lo]) * (idx - static_cast<double>(lo));
}

double micros(const timeval &t)
{
        return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
}

} // namespace

int main(int argc, char **argv)
{
        int runs = 1000;
        std::vector<std::string> clean;
        int i = 1;
        for (; i < argc; i++) {
                std::string a = argv[i];
                if (a == "--runs" && i + 1 < argc) {
                        runs = std::atoi(argv[++i]);
                } else if (a == "--clean" && i + 1 < argc) {
                        clean.emplace_back(argv[++i]);
                } else if (a == "--") {
                        i++;
                        break;
                } else {
                        std::fprintf(stderr, "Usage: exec-timer [--runs N] [--clean DIR]... -- PROGRAM [ARGS...]\n");
                        return 2;
                }
        }
        if (i >= argc || runs < 1) {
                std::fprintf(stderr, "Usage: exec-timer [--runs N] [--clean DIR]... -- PROGRAM [ARGS...]\n");
                return 2;
        }
        char **child_argv = argv + i;

        std::vector<double> wall, cpu;
        wall.reserve(static_cast<size_t>(runs));
        cpu.reserve(static_cast<size_t>(runs));
        int failures = 0;
        for (int r = 0; r < runs; r++) {
                for (const std::string &d : clean)
                        empty_dir(d);
                timespec t0, t1;
                ::clock_gettime(CLOCK_MONOTONIC, &t0);
                pid_t pid = ::fork();
                if (pid < 0) {
                        std::perror("exec-timer: fork");
                        return 2;
                }
                if (pid == 0) {
                        ::execv(child_argv[0], child_argv);
                        ::_exit(127);
                }
                int status = 0;
                rusage ru{};
                while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
                }
                ::clock_gettime(CLOCK_MONOTONIC, &t1);
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        failures++;
                wall.push_back(static_cast<double>(t1.tv_sec - t0.tv_sec) * 1e6 +
                               static_cast<double>(t1.tv_nsec - t0.tv_nsec) / 1e3);
                cpu.push_back(micros(ru.ru_utime) + micros(ru.ru_stime));
        }
        std::printf("%d %d %.1f %.1f %.1f %.1f %.1f\n", runs, failures, percentile(wall, 0.5), percentile(wall, 0.1),
                    percentile(wall, 0.9), *std::min_element(wall.begin(), wall.end()), percentile(cpu, 0.5));
        return 0;
}
