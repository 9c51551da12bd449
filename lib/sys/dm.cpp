// SPDX-License-Identifier: Apache-2.0
#include "sys/dm.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <libdevmapper.h>
#include <memory>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace css::dm {

namespace {

// libdevmapper prints to stderr by default; its errors become ours (one clear message per
// failed call), its chatter goes to debug.
void dm_log(int level, const char *file, int line, int dm_errno_or_class, const char *f, ...)
{
        (void)file;
        (void)line;
        (void)dm_errno_or_class;
        (void)level;
        char buf[512];
        va_list ap;
        va_start(ap, f);
        std::vsnprintf(buf, sizeof buf, f, ap);
        va_end(ap);
        log::debug(std::string("libdevmapper: ") + buf);
}

struct TaskDeleter {
        void operator()(dm_task *t) const { dm_task_destroy(t); }
};
using Task = std::unique_ptr<dm_task, TaskDeleter>;

Error dm_error(std::string_view what, std::string_view name)
{
        return Error{"Failed to " + std::string(what) + " of device-mapper device '" + std::string(name) + "'", EIO};
}

// Creates a task; the name may be empty for DM_DEVICE_LIST and for lookups by number.
Result<Task> make_task(int type, std::string_view name)
{
        if (!available())
                return Error{"Failed to query device-mapper: /dev/mapper/control does not exist "
                             "(no device-mapper support in this kernel?)",
                             ENODEV};
        static const bool log_installed = [] {
                dm_log_with_errno_init(dm_log);
                return true;
        }();
        (void)log_installed;
        // libdevmapper checks the kernel driver here: a control node without a driver behind
        // it (lvm creates the node on demand) ends in this error, not in a crash.
        Task t{dm_task_create(type)};
        if (!t)
                return Error{"Failed to query device-mapper: libdevmapper could not talk to the kernel driver", EIO};
        if (!name.empty() && !dm_task_set_name(t.get(), std::string(name).c_str()))
                return dm_error("set the name", name);
        return t;
}

// Runs an INFO/STATUS/TABLE task and checks that the device exists.
Result<dm_info> run_for_device(dm_task *t, std::string_view name, std::string_view what)
{
        if (!dm_task_run(t))
                return dm_error(what, name);
        dm_info info{};
        if (!dm_task_get_info(t, &info))
                return dm_error(what, name);
        if (!info.exists)
                return Error{"Failed to " + std::string(what) + " of device-mapper device '" + std::string(name) +
                                     "': no such device",
                             ENXIO};
        return info;
}

} // namespace

bool available()
{
        return ::access(paths::host_path("/dev/mapper/control").c_str(), F_OK) == 0;
}

Result<std::string> name_of(unsigned major, unsigned minor)
{
        std::string label = std::to_string(major) + ":" + std::to_string(minor);
        Result<Task> t = make_task(DM_DEVICE_INFO, {});
        if (!t)
                return t.error();
        if (!dm_task_set_major(t->get(), static_cast<int>(major)) ||
            !dm_task_set_minor(t->get(), static_cast<int>(minor)))
                return dm_error("set the number", label);
        Result<dm_info> info = run_for_device(t->get(), label, "get the name");
        if (!info)
                return info.error();
        const char *name = dm_task_get_name(t->get());
        if (!name)
                return dm_error("get the name", label);
        return std::string(name);
}

Result<bool> exists(std::string_view name)
{
        Result<Task> t = make_task(DM_DEVICE_INFO, name);
        if (!t)
                return t.error();
        if (!dm_task_run(t->get()))
                return dm_error("get information", name);
        dm_info info{};
        if (!dm_task_get_info(t->get(), &info))
                return dm_error("get information", name);
        return info.exists != 0;
}

Result<std::string> uuid_of(std::string_view name)
{
        Result<Task> t = make_task(DM_DEVICE_INFO, name);
        if (!t)
                return t.error();
        Result<dm_info> info = run_for_device(t->get(), name, "get the uuid");
        if (!info)
                return info.error();
        const char *uuid = dm_task_get_uuid(t->get());
        return std::string(uuid ? uuid : "");
}

namespace {

struct Target {
        std::string type;
        std::string params;
};

Result<Target> first_target(int task_type, std::string_view name, std::string_view what)
{
        Result<Task> t = make_task(task_type, name);
        if (!t)
                return t.error();
        Result<dm_info> info = run_for_device(t->get(), name, what);
        if (!info)
                return info.error();
        uint64_t start = 0, length = 0;
        char *type = nullptr, *params = nullptr;
        (void)dm_get_next_target(t->get(), nullptr, &start, &length, &type, &params);
        if (!type)
                return Error{"Failed to " + std::string(what) + " of device-mapper device '" + std::string(name) +
                                     "': no live table",
                             ENODATA};
        return Target{type, params ? params : ""};
}

} // namespace

Result<std::string> target_type(std::string_view name)
{
        Result<Target> t = first_target(DM_DEVICE_TABLE, name, "read the table");
        if (!t)
                return t.error();
        return std::move(t->type);
}

Result<ThinPoolStatus> thin_pool_status(std::string_view name)
{
        Result<Target> t = first_target(DM_DEVICE_STATUS, name, "read the status");
        if (!t)
                return t.error();
        if (t->type != "thin-pool")
                return Error{"Device-mapper device '" + std::string(name) + "' is a " + t->type +
                                     " target, not a thin-pool",
                             EINVAL};
        return parse_thin_pool_status(t->params);
}

Result<std::vector<Device>> list_devices()
{
        Result<Task> t = make_task(DM_DEVICE_LIST, {});
        if (!t)
                return t.error();
        if (!dm_task_run(t->get()))
                return Error{"Failed to list device-mapper devices", EIO};
        dm_names *names = dm_task_get_names(t->get());
        std::vector<Device> devices;
        if (!names || names->dev == 0)
                return devices;
        for (;;) {
                dev_t dev = static_cast<dev_t>(names->dev);
                devices.push_back(Device{names->name, ::major(dev), ::minor(dev)});
                if (!names->next)
                        break;
                names = reinterpret_cast<dm_names *>(reinterpret_cast<char *>(names) + names->next);
        }
        return devices;
}

} // namespace css::dm
