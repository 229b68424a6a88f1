#pragma once
// Stored monitors (CRUD with optimistic concurrency and audit), the hard state of each, and the
// history of hard state changes. Thread-safe; blocks on the database.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "audit/audit_log.hpp"
#include "monitor/availability.hpp"
#include "monitor/monitor.hpp"
#include "monitor/state_machine.hpp"
#include "storage/sql/database.hpp"

namespace unyo::monitor {

struct StoredState {
    std::int64_t monitor_id = 0;
    State state = State::kUnknown;
    Millis since = 0;
    std::optional<Millis> last_check_at;
    std::string message;
};

[[nodiscard]] json::object ToJson(const StoredState& s);

struct MonitorEvent {
    std::int64_t id = 0;
    std::int64_t monitor_id = 0;
    Millis at = 0;
    State from = State::kUnknown, to = State::kUnknown;
    std::string message;
};

[[nodiscard]] json::object ToJson(const MonitorEvent& e);

class MonitorStore {
public:
    MonitorStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<Monitor>> List();
    [[nodiscard]] Result<Monitor> Get(std::int64_t id);
    /// Error::Field("name") when taken; ("parent_ids") when a parent does not exist.
    [[nodiscard]] Result<Monitor> Create(Monitor m, const audit::Actor& actor);
    [[nodiscard]] Result<Monitor> Update(std::int64_t id, std::int64_t expected_version, const json::object& patch,
                                         const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

    [[nodiscard]] Result<std::vector<StoredState>> States();
    /// Changes whenever a monitor is created, changed or deleted, by anyone (count, ids, versions).
    [[nodiscard]] Result<std::string> Fingerprint();
    /// Writes a hard change inside `c` (the caller's transaction): the current state and the history.
    [[nodiscard]] static Result<void> WriteChange(storage::Connection& c, std::int64_t monitor_id, State from, State to,
                                                  Millis at, const std::string& message);
    /// Writes the first states of many monitors (at a start, thousands) in one transaction, or one
    /// transaction each when that fails, so that a monitor deleted meanwhile loses no other's.
    void WriteFirstStates(const std::vector<std::pair<std::int64_t, HardChange>>& batch);
    /// Hard changes of a monitor up to `to`, oldest first, starting with the last one before `from`.
    [[nodiscard]] Result<std::vector<MonitorEvent>> Events(std::int64_t monitor_id, Millis from, Millis to);

    /// Called after every successful create, update or delete (the engine reloads).
    void OnChange(std::function<void()> f) { on_change_ = std::move(f); }

private:
    Result<Monitor> Load(storage::Connection& c, std::int64_t id);
    Result<void> CheckParents(storage::Connection& c, const Monitor& m);
    void Changed() {
        if (on_change_) on_change_();
    }

    storage::Database& db_;
    const Clock& clock_;
    std::function<void()> on_change_;
};

}  // namespace unyo::monitor
