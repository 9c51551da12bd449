// SPDX-License-Identifier: Apache-2.0
#include "unit_status.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <systemd/sd-bus.h>

namespace css::cli {

namespace {

constexpr const char *destination = "org.freedesktop.systemd1";

struct BusUnref {
        void operator()(sd_bus *b) const { sd_bus_flush_close_unref(b); }
};
struct MessageUnref {
        void operator()(sd_bus_message *m) const { sd_bus_message_unref(m); }
};
using Bus = std::unique_ptr<sd_bus, BusUnref>;
using Message = std::unique_ptr<sd_bus_message, MessageUnref>;

Error bus_error(int r, const std::string &what, const sd_bus_error *e = nullptr)
{
        std::string message = what + ": " + (e && e->message ? e->message : std::strerror(-r));
        return Error{message, -r};
}

Result<std::string> string_property(sd_bus *bus, const char *path, const char *interface, const char *name)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        char *value = nullptr;
        int r = sd_bus_get_property_string(bus, destination, path, interface, name, &e, &value);
        if (r < 0) {
                Error err = bus_error(r, std::string("Failed to get ") + name + " of " + path, &e);
                sd_bus_error_free(&e);
                return err;
        }
        std::string s = value;
        free(value);
        return s;
}

Result<int> int_property(sd_bus *bus, const char *path, const char *interface, const char *name)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = nullptr;
        int r = sd_bus_get_property(bus, destination, path, interface, name, &e, &reply, "i");
        Message owned(reply);
        if (r < 0) {
                Error err = bus_error(r, std::string("Failed to get ") + name + " of " + path, &e);
                sd_bus_error_free(&e);
                return err;
        }
        int32_t value = 0;
        r = sd_bus_message_read(reply, "i", &value);
        if (r < 0)
                return bus_error(r, std::string("Failed to read ") + name);
        return static_cast<int>(value);
}

Result<Message> list_units(sd_bus *bus, const std::vector<std::string> &patterns)
{
        sd_bus_message *call = nullptr;
        int r = sd_bus_message_new_method_call(bus, &call, destination, "/org/freedesktop/systemd1",
                                               "org.freedesktop.systemd1.Manager", "ListUnitsByPatterns");
        Message owned_call(call);
        if (r < 0)
                return bus_error(r, "Failed to build the ListUnitsByPatterns call");
        std::vector<const char *> words;
        for (const std::string &p : patterns)
                words.push_back(p.c_str());
        words.push_back(nullptr);
        char *no_states[] = {nullptr};
        if ((r = sd_bus_message_append_strv(call, no_states)) < 0 ||
            (r = sd_bus_message_append_strv(call, const_cast<char **>(words.data()))) < 0)
                return bus_error(r, "Failed to build the ListUnitsByPatterns call");
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = nullptr;
        r = sd_bus_call(bus, call, 0, &e, &reply);
        if (r < 0) {
                Error err = bus_error(r, "Failed to list units", &e);
                sd_bus_error_free(&e);
                return err;
        }
        return Message(reply);
}

} // namespace

std::vector<std::string> status_unit_patterns(const std::vector<std::string> &step_units)
{
        std::vector<std::string> p = {"css-prepare-disk@*.service"};
        for (const std::string &u : step_units)
                if (!u.empty() && !u.starts_with("css-prepare-disk@"))
                        p.push_back(u);
        p.push_back("css-cloud-init.service");
        p.push_back("docker-storage-setup.service");
        return p;
}

Result<std::vector<UnitState>> query_units(const std::vector<std::string> &patterns)
{
        sd_bus *raw = nullptr;
        int r = sd_bus_open_system(&raw);
        Bus bus(raw);
        if (r < 0)
                return bus_error(r, "System bus not available");

        Result<Message> reply = list_units(bus.get(), patterns);
        if (!reply)
                return reply.error();
        sd_bus_message *m = reply->get();
        if ((r = sd_bus_message_enter_container(m, 'a', "(ssssssouso)")) < 0)
                return bus_error(r, "Failed to read the unit list");
        std::vector<UnitState> units;
        std::vector<std::string> object_paths;
        const char *name, *description, *load, *active, *sub, *following, *path, *job_type, *job_path;
        uint32_t job_id;
        while ((r = sd_bus_message_read(m, "(ssssssouso)", &name, &description, &load, &active, &sub, &following,
                                        &path, &job_id, &job_type, &job_path)) > 0) {
                units.push_back(UnitState{name, load, active, sub, "", std::nullopt});
                object_paths.emplace_back(path);
        }
        if (r < 0)
                return bus_error(r, "Failed to read the unit list");

        for (size_t i = 0; i < units.size(); i++) {
                const char *p = object_paths[i].c_str();
                bool service = units[i].name.ends_with(".service");
                const char *interface = service ? "org.freedesktop.systemd1.Service" : "org.freedesktop.systemd1.Mount";
                if (Result<std::string> result = string_property(bus.get(), p, interface, "Result"))
                        units[i].result = *result;
                if (service)
                        if (Result<int> status = int_property(bus.get(), p, interface, "ExecMainStatus"))
                                units[i].exec_main_status = *status;
        }
        std::sort(units.begin(), units.end(), [](const UnitState &a, const UnitState &b) { return a.name < b.name; });
        return units;
}

} // namespace css::cli
