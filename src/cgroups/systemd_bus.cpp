// libdbus-1 as a plain blocking client: one private connection, method calls with a reply,
// and the JobRemoved signals of systemd's manager read off the same connection.
#include "cgroups/systemd_bus.hpp"

#include <dbus/dbus.h>
#include <time.h>

#include <cstdlib>
#include <iterator>
#include <variant>

#include "hull/error.hpp"
#include "linux/files.hpp"

namespace hull::cgroups {
namespace {

constexpr const char* kService = "org.freedesktop.systemd1";
constexpr const char* kObject = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
// systemd answers and finishes a scope's job in milliseconds when idle, but a loaded or
// still-booting manager (seen in the UML guest) takes far longer than libdbus's 25 s default:
// give calls and jobs two minutes before giving up with the unit's name.
constexpr int kCallTimeoutMs = 120000;
constexpr long kJobWaitMs = 120000;

struct BusError {
  DBusError e;
  BusError() { dbus_error_init(&e); }
  ~BusError() { dbus_error_free(&e); }
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
  std::string text() const {
    return std::string(e.message ? e.message : "unknown error") + " (" + (e.name ? e.name : "?") +
           ")";
  }
};

struct MessageUnref {
  void operator()(DBusMessage* m) const { dbus_message_unref(m); }
};
using Message = std::unique_ptr<DBusMessage, MessageUnref>;

Message method(const char* member) {
  Message m(dbus_message_new_method_call(kService, kObject, kManager, member));
  if (!m) throw Error("D-Bus: out of memory building " + std::string(member));
  return m;
}

void oom() {
  throw Error("D-Bus: out of memory building a message");
}

void append_string(DBusMessageIter* it, const std::string& s) {
  const char* p = s.c_str();
  if (!dbus_message_iter_append_basic(it, DBUS_TYPE_STRING, &p)) oom();
}

// Opens a container, runs fill inside it and closes it.
template <typename F>
void container(DBusMessageIter* it, int type, const char* sig, F&& fill) {
  DBusMessageIter sub;
  if (!dbus_message_iter_open_container(it, type, sig, &sub)) oom();
  fill(&sub);
  if (!dbus_message_iter_close_container(it, &sub)) oom();
}

template <typename T>
void append_pairs(DBusMessageIter* it, const std::vector<std::pair<std::string, T>>& v,
                  const char* sig) {
  container(it, DBUS_TYPE_ARRAY, sig, [&](DBusMessageIter* arr) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    for (const auto& pair : v) {
      container(arr, DBUS_TYPE_STRUCT, nullptr, [&](DBusMessageIter* st) {
        append_string(st, pair.first);
        if constexpr (std::is_same_v<T, std::string>) {
          append_string(st, pair.second);
        } else {
          dbus_uint64_t n = pair.second;
          if (!dbus_message_iter_append_basic(st, DBUS_TYPE_UINT64, &n)) oom();
        }
      });
    }
  });
}

void append_value(DBusMessageIter* it, const PropertyValue& value) {
  static const char* const kSignatures[] = {"b", "s", "t", "au", "ay", "a(ss)", "a(st)", "as"};
  static_assert(std::size(kSignatures) == std::variant_size_v<PropertyValue>);
  container(it, DBUS_TYPE_VARIANT, kSignatures[value.index()], [&](DBusMessageIter* var) {
    if (auto* b = std::get_if<bool>(&value)) {
      dbus_bool_t v = *b;
      if (!dbus_message_iter_append_basic(var, DBUS_TYPE_BOOLEAN, &v)) oom();
    } else if (auto* s = std::get_if<std::string>(&value)) {
      append_string(var, *s);
    } else if (auto* n = std::get_if<uint64_t>(&value)) {
      dbus_uint64_t v = *n;
      if (!dbus_message_iter_append_basic(var, DBUS_TYPE_UINT64, &v)) oom();
    } else if (auto* pids = std::get_if<std::vector<uint32_t>>(&value)) {
      container(var, DBUS_TYPE_ARRAY, "u", [&](DBusMessageIter* arr) {
        for (dbus_uint32_t p : *pids) {
          if (!dbus_message_iter_append_basic(arr, DBUS_TYPE_UINT32, &p)) oom();
        }
      });
    } else if (auto* bytes = std::get_if<std::vector<uint8_t>>(&value)) {
      container(var, DBUS_TYPE_ARRAY, "y", [&](DBusMessageIter* arr) {
        const unsigned char* p = bytes->data();
        if (!dbus_message_iter_append_fixed_array(arr, DBUS_TYPE_BYTE, &p,
                                                  static_cast<int>(bytes->size()))) {
          oom();
        }
      });
    } else if (auto* names = std::get_if<std::vector<std::string>>(&value)) {
      container(var, DBUS_TYPE_ARRAY, "s", [&](DBusMessageIter* arr) {
        for (const auto& n : *names) append_string(arr, n);
      });
    } else if (auto* paths = std::get_if<DevicePaths>(&value)) {
      append_pairs(var, *paths, "(ss)");
    } else {
      append_pairs(var, std::get<DeviceLimits>(value), "(st)");
    }
  });
}

void append_properties(DBusMessageIter* it, const std::vector<Property>& props) {
  container(it, DBUS_TYPE_ARRAY, "(sv)", [&](DBusMessageIter* arr) {
    for (const auto& p : props) {
      container(arr, DBUS_TYPE_STRUCT, nullptr, [&](DBusMessageIter* st) {
        append_string(st, p.name);
        append_value(st, p.value);
      });
    }
  });
}

std::string unit_context(const std::string& unit, const char* what) {
  return "systemd unit " + unit + ": " + what;
}

long now_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

SystemdBus::SystemdBus() {
  // sd_booted()'s test, which runc makes too: without it there is no manager to talk to.
  if (!linux_::exists("/run/systemd/system")) {
    throw Error("--systemd-cgroup: systemd is not running on this host (no /run/systemd/system)");
  }
  BusError err;
  // The system bus, as runc: systemd's private socket (/run/systemd/private, which systemctl
  // uses as root) never answered libdbus's calls in the systemd guest (NoReply after the full
  // timeout, every time), while the bus did at once.
  const char* env = std::getenv("DBUS_SYSTEM_BUS_ADDRESS");
  std::string where = env && *env ? env : "unix:path=/run/dbus/system_bus_socket";
  conn_ = dbus_bus_get_private(DBUS_BUS_SYSTEM, &err.e);
  if (!conn_) {
    throw Error("--systemd-cgroup: cannot reach systemd on the system bus at " + where + ": " +
                err.text());
  }
  // libdbus would _exit() the process when systemd goes away: report it as an error instead.
  dbus_connection_set_exit_on_disconnect(conn_, FALSE);
  try {
    // On the bus, signals reach us only through a match.
    dbus_bus_add_match(conn_,
                       "type='signal',sender='org.freedesktop.systemd1',"
                       "interface='org.freedesktop.systemd1.Manager',member='JobRemoved',"
                       "path='/org/freedesktop/systemd1'",
                       &err.e);
    if (dbus_error_is_set(&err.e)) {
      throw Error("--systemd-cgroup: subscribing to systemd's jobs on " + where + ": " +
                  err.text());
    }
    // systemd sends job signals to subscribers only.
    Message m = method("Subscribe");
    Message reply(
        dbus_connection_send_with_reply_and_block(conn_, m.get(), kCallTimeoutMs, &err.e));
    if (!reply) {
      throw Error("--systemd-cgroup: systemd does not answer at " + where + ": " + err.text());
    }
  } catch (...) {
    dbus_connection_close(conn_);
    dbus_connection_unref(conn_);
    throw;
  }
}

SystemdBus::~SystemdBus() {
  dbus_connection_close(conn_);
  dbus_connection_unref(conn_);
}

void SystemdBus::wait_job(const std::string& unit, const std::string& job, const char* what) {
  long deadline = now_ms() + kJobWaitMs;
  for (;;) {
    Message m(dbus_connection_pop_message(conn_));
    if (!m) {
      long left = deadline - now_ms();
      if (left <= 0) {
        throw Error(unit_context(unit, what) + ": systemd did not finish job " + job + " in " +
                    std::to_string(kJobWaitMs / 1000) + " s");
      }
      if (!dbus_connection_read_write(conn_, static_cast<int>(left))) {
        throw Error(unit_context(unit, what) + ": the system bus closed while waiting for job " +
                    job);
      }
      continue;
    }
    if (!dbus_message_is_signal(m.get(), kManager, "JobRemoved")) continue;
    BusError err;
    dbus_uint32_t id = 0;
    const char *path = nullptr, *name = nullptr, *result = nullptr;
    if (!dbus_message_get_args(m.get(), &err.e, DBUS_TYPE_UINT32, &id, DBUS_TYPE_OBJECT_PATH, &path,
                               DBUS_TYPE_STRING, &name, DBUS_TYPE_STRING, &result,
                               DBUS_TYPE_INVALID)) {
      continue;
    }
    if (job != path) continue;
    if (std::string(result) != "done") {
      throw Error(unit_context(unit, what) + ": systemd's job ended \"" + result +
                  "\" (see journalctl -u " + unit + ")");
    }
    return;
  }
}

void SystemdBus::start_unit(const std::string& unit, const std::vector<Property>& props) {
  Message m = method("StartTransientUnit");
  DBusMessageIter it;
  dbus_message_iter_init_append(m.get(), &it);
  append_string(&it, unit);
  append_string(&it, "replace");
  append_properties(&it, props);
  container(&it, DBUS_TYPE_ARRAY, "(sa(sv))", [](DBusMessageIter*) {});
  BusError err;
  Message reply(dbus_connection_send_with_reply_and_block(conn_, m.get(), kCallTimeoutMs, &err.e));
  if (!reply) throw Error(unit_context(unit, "starting") + ": " + err.text());
  const char* job = nullptr;
  if (!dbus_message_get_args(reply.get(), &err.e, DBUS_TYPE_OBJECT_PATH, &job, DBUS_TYPE_INVALID)) {
    throw Error(unit_context(unit, "starting") + ": unexpected reply: " + err.text());
  }
  try {
    wait_job(unit, job, "starting");
  } catch (const Error&) {
    // A failed transient unit stays loaded as "failed" and would block the next start.
    Message reset = method("ResetFailedUnit");
    dbus_message_iter_init_append(reset.get(), &it);
    append_string(&it, unit);
    dbus_connection_send(conn_, reset.get(), nullptr);
    dbus_connection_flush(conn_);
    throw;
  }
}

void SystemdBus::set_properties(const std::string& unit, const std::vector<Property>& props) {
  Message m = method("SetUnitProperties");
  DBusMessageIter it;
  dbus_message_iter_init_append(m.get(), &it);
  append_string(&it, unit);
  dbus_bool_t runtime = TRUE;
  if (!dbus_message_iter_append_basic(&it, DBUS_TYPE_BOOLEAN, &runtime)) oom();
  append_properties(&it, props);
  BusError err;
  Message reply(dbus_connection_send_with_reply_and_block(conn_, m.get(), kCallTimeoutMs, &err.e));
  if (!reply) throw Error(unit_context(unit, "setting properties") + ": " + err.text());
}

void SystemdBus::stop_unit(const std::string& unit) {
  Message m = method("StopUnit");
  DBusMessageIter it;
  dbus_message_iter_init_append(m.get(), &it);
  append_string(&it, unit);
  append_string(&it, "replace");
  BusError err;
  Message reply(dbus_connection_send_with_reply_and_block(conn_, m.get(), kCallTimeoutMs, &err.e));
  if (!reply) {
    if (dbus_error_has_name(&err.e, "org.freedesktop.systemd1.NoSuchUnit")) return;
    throw Error(unit_context(unit, "stopping") + ": " + err.text());
  }
  const char* job = nullptr;
  if (!dbus_message_get_args(reply.get(), &err.e, DBUS_TYPE_OBJECT_PATH, &job, DBUS_TYPE_INVALID)) {
    throw Error(unit_context(unit, "stopping") + ": unexpected reply: " + err.text());
  }
  wait_job(unit, job, "stopping");
}

}  // namespace hull::cgroups
