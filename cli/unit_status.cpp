// SPDX-License-Identifier: Apache-2.0
#include "unit_status.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>
#include <systemd/sd-bus.h>
#include <unistd.h>

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

// A property of org.freedesktop.systemd1.Unit of a fixed-size D-Bus type ('b': int, 't': uint64_t).
template <typename T> Result<T> unit_property(sd_bus *bus, const char *path, const char *name, char type)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        T value{};
        int r = sd_bus_get_property_trivial(bus, destination, path, "org.freedesktop.systemd1.Unit", name, &e, type,
                                            &value);
        if (r < 0) {
                Error err = bus_error(r, std::string("Failed to get ") + name + " of " + path, &e);
                sd_bus_error_free(&e);
                return err;
        }
        return value;
}

// InvocationID: 16 bytes, written as the journal writes _SYSTEMD_INVOCATION_ID.
Result<std::string> invocation_id_property(sd_bus *bus, const char *path)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = nullptr;
        int r = sd_bus_get_property(bus, destination, path, "org.freedesktop.systemd1.Unit", "InvocationID", &e, &reply,
                                    "ay");
        Message owned(reply);
        if (r < 0) {
                Error err = bus_error(r, std::string("Failed to get InvocationID of ") + path, &e);
                sd_bus_error_free(&e);
                return err;
        }
        const void *bytes = nullptr;
        size_t size = 0;
        if ((r = sd_bus_message_read_array(reply, 'y', &bytes, &size)) < 0)
                return bus_error(r, "Failed to read InvocationID");
        static constexpr char hex[] = "0123456789abcdef";
        std::string id;
        for (size_t i = 0; i < size; i++) {
                const auto b = static_cast<const unsigned char *>(bytes)[i];
                id += hex[b >> 4];
                id += hex[b & 0xf];
        }
        return id;
}

Result<std::string> load_unit(sd_bus *bus, const std::string &name)
{
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = nullptr;
        int r = sd_bus_call_method(bus, destination, "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                                   "LoadUnit", &e, &reply, "s", name.c_str());
        Message owned(reply);
        if (r < 0) {
                Error err = bus_error(r, "Failed to load " + name, &e);
                sd_bus_error_free(&e);
                return err;
        }
        const char *path = nullptr;
        if ((r = sd_bus_message_read(reply, "o", &path)) < 0)
                return bus_error(r, "Failed to read the unit path of " + name);
        return std::string(path);
}

// Result and ExecMainStatus, which live on the unit type's own interface.
void add_type_properties(sd_bus *bus, const char *path, UnitState &unit)
{
        const bool service = unit.name.ends_with(".service");
        const char *interface = service ? "org.freedesktop.systemd1.Service" : "org.freedesktop.systemd1.Mount";
        if (Result<std::string> result = string_property(bus, path, interface, "Result"))
                unit.result = *result;
        if (service)
                if (Result<int> status = int_property(bus, path, interface, "ExecMainStatus"))
                        unit.exec_main_status = *status;
}

// systemd itself, as systemctl reaches it: root talks to PID 1's private socket, which needs
// no D-Bus daemon (a minimal host may have none, and docker-storage-setup.service must not fail
// for that); anyone else, or root where that socket is missing, goes through the system bus.
Result<Bus> open_systemd_bus()
{
        if (::geteuid() == 0) {
                sd_bus *raw = nullptr;
                if (sd_bus_new(&raw) >= 0) {
                        Bus bus(raw);
                        if (sd_bus_set_address(raw, "unix:path=/run/systemd/private") >= 0 && sd_bus_start(raw) >= 0)
                                return bus;
                }
        }
        sd_bus *raw = nullptr;
        int r = sd_bus_open_system(&raw);
        Bus bus(raw);
        if (r < 0)
                return bus_error(r, "System bus not available");
        return bus;
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
        Result<Bus> bus = open_systemd_bus();
        if (!bus)
                return bus.error();

        Result<Message> reply = list_units(bus->get(), patterns);
        if (!reply)
                return reply.error();
        sd_bus_message *m = reply->get();
        int r = sd_bus_message_enter_container(m, 'a', "(ssssssouso)");
        if (r < 0)
                return bus_error(r, "Failed to read the unit list");
        std::vector<UnitState> units;
        std::vector<std::string> object_paths;
        const char *name, *description, *load, *active, *sub, *following, *path, *job_type, *job_path;
        uint32_t job_id;
        while ((r = sd_bus_message_read(m, "(ssssssouso)", &name, &description, &load, &active, &sub, &following, &path,
                                        &job_id, &job_type, &job_path)) > 0) {
                UnitState u;
                u.name = name;
                u.load_state = load;
                u.active_state = active;
                u.sub_state = sub;
                units.push_back(std::move(u));
                object_paths.emplace_back(path);
        }
        if (r < 0)
                return bus_error(r, "Failed to read the unit list");

        for (size_t i = 0; i < units.size(); i++)
                add_type_properties(bus->get(), object_paths[i].c_str(), units[i]);
        std::sort(units.begin(), units.end(), [](const UnitState &a, const UnitState &b) { return a.name < b.name; });
        return units;
}

Result<std::vector<UnitState>> query_units_by_name(const std::vector<std::string> &names)
{
        Result<Bus> bus = open_systemd_bus();
        if (!bus)
                return bus.error();
        sd_bus *b = bus->get();
        std::vector<UnitState> units;
        for (const std::string &name : names) {
                Result<std::string> path = load_unit(b, name);
                if (!path)
                        return path.error();
                const char *p = path->c_str();
                UnitState u;
                u.name = name;
                for (auto [field, property] : {std::pair{&u.load_state, "LoadState"},
                                               {&u.active_state, "ActiveState"},
                                               {&u.sub_state, "SubState"}}) {
                        Result<std::string> value = string_property(b, p, "org.freedesktop.systemd1.Unit", property);
                        if (!value)
                                return value.error();
                        *field = *value;
                }
                add_type_properties(b, p, u);
                // ConditionResult is false also for a unit never started: only a condition tested
                // (a timestamp) and found false means "skipped".
                Result<int> condition = unit_property<int>(b, p, "ConditionResult", 'b');
                Result<uint64_t> tested = unit_property<uint64_t>(b, p, "ConditionTimestampMonotonic", 't');
                u.skipped_by_condition = condition && tested && !*condition && *tested != 0;
                if (Result<std::string> id = invocation_id_property(b, p))
                        u.invocation_id = *id;
                units.push_back(std::move(u));
        }
        return units;
}

} // namespace css::cli
