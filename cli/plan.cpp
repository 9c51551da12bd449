// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup plan [--json]` (also `--dry-run`): every setup step compat mode
// would run, in order, with the exact commands and files, changing nothing. The steps run
// for real in the process runner's dry-run mode: probes (lvm reports, libblkid, sysfs) run,
// so the plan decides as a real run would, and every mutating command or file write prints
// "would run: ..." / "would write ...:" instead. No lock: nothing is changed.

#include "arguments.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "session.hpp"
#include "setup_steps.hpp"

#include "core/log.hpp"
#include "sys/process.hpp"

#include <cstdio>
#include <sys/mman.h>
#include <unistd.h>

namespace css::cli {

namespace {

constexpr OptionSpec plan_options[] = {{"json", 0, false}};

constexpr CommandSyntax plan_syntax{
        "plan",
        "plan [--json]",
        "Print every setup step that running container-storage-setup with no command would take,\n"
        "with the exact commands and files, and change nothing. Also: --dry-run.\n\n"
        "Options:\n"
        "  -h --help    Show this help\n"
        "     --json    One JSON object: the steps, each with its commands and output\n\n"
        "Exit status: 0 every step would succeed, 1 a step would fail (the plan stops there,\n"
        "as a real run would), 2 usage error.\n",
        plan_options,
        0,
        0,
};

// Runs one step with our stdout (and its children's) sent to a memory file.
Result<std::string> run_captured(const SetupStep &step, StepContext &context, int *status)
{
        std::fflush(stdout);
        int memfd = ::memfd_create("css-plan", MFD_CLOEXEC);
        if (memfd < 0)
                return make_errno_error(errno, "Failed to create a memory file");
        int saved = ::dup(STDOUT_FILENO);
        if (saved < 0 || ::dup2(memfd, STDOUT_FILENO) < 0) {
                int e = errno;
                ::close(memfd);
                if (saved >= 0)
                        ::close(saved);
                return make_errno_error(e, "Failed to redirect stdout");
        }
        *status = step.run(context) == 0 ? 0 : 1;
        std::fflush(stdout);
        ::dup2(saved, STDOUT_FILENO);
        ::close(saved);

        std::string text;
        char buf[4096];
        ssize_t n;
        ::lseek(memfd, 0, SEEK_SET);
        while ((n = ::read(memfd, buf, sizeof buf)) > 0)
                text.append(buf, static_cast<size_t>(n));
        ::close(memfd);
        return text;
}

std::vector<std::string> lines_of(const std::string &text)
{
        std::vector<std::string> lines;
        size_t start = 0;
        while (start < text.size()) {
                size_t end = text.find('\n', start);
                if (end == std::string::npos)
                        end = text.size();
                lines.push_back(text.substr(start, end - start));
                start = end + 1;
        }
        return lines;
}

int plan_text(const Config &config)
{
        StepContext context(config, RunMode::dry_run);
        StepHooks hooks;
        hooks.before = [](const SetupStep &step) {
                if (step.unit.empty())
                        std::printf("== %s\n", step.name.c_str());
                else
                        std::printf("== %s (%s)\n", step.name.c_str(), step.unit.c_str());
                std::fflush(stdout);
        };
        return run_setup_steps(context, setup_steps(config), hooks);
}

int plan_json(const Config &config)
{
        StepContext context(config, RunMode::dry_run);
        JsonDocument steps = JsonDocument::array();
        int result = 0;
        for (const SetupStep &step : setup_steps(config)) {
                int status = 0;
                Result<std::string> output = run_captured(step, context, &status);
                if (!output)
                        return fail(output.error());
                std::vector<std::string> lines = lines_of(*output);
                JsonDocument commands = JsonDocument::array();
                for (const std::string &l : lines)
                        if (l.starts_with("would run: "))
                                commands.push_back(l.substr(11));
                steps.push_back({{"name", step.name},
                                 {"unit", step.unit},
                                 {"result", status == 0 ? "ok" : "failed"},
                                 {"commands", std::move(commands)},
                                 {"output", lines}});
                if (status != 0) {
                        result = 1;
                        break;
                }
        }
        JsonDocument doc = {{"steps", std::move(steps)}, {"result", result == 0 ? "ok" : "failed"}};
        if (!write_stdout(json_text(doc)))
                return exit_failure;
        return result;
}

} // namespace

int run_plan(std::span<char *const> args)
{
        int exit = 0;
        std::optional<Arguments> parsed = parse_command(plan_syntax, args, &exit);
        if (!parsed)
                return exit;
        std::optional<Config> config = load_reported(default_load_options());
        if (!config)
                return exit_failure;
        return parsed->has("json") ? plan_json(*config) : plan_text(*config);
}

} // namespace css::cli
