#pragma once
// The monitoring engine (MON-1, MON-5, MON-8): runs every enabled monitor's check on its own
// io_context thread, spread over the interval by the monitor's id (no thundering herd), feeds the
// results through the soft/hard state machine, turns a child's failure into `unreachable` while a
// parent is down (re-checking a parent whose last result is older than the failure first), and
// hands each hard change to `on_change` on a worker thread (which may block on the database).
// Reload() re-reads the monitors keeping each one's next due time: an edit makes no gap or burst.
// Asio stays inside engine.cpp.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "monitor/monitor_store.hpp"
#include "monitor/state_machine.hpp"

namespace unyo::monitor {

struct LiveStatus {
    std::int64_t monitor_id = 0;
    State soft = State::kOk;
    std::optional<State> hard;  // nullopt until decided
    int attempts = 0;
    std::optional<Millis> last_check_at;
    std::optional<double> last_value;
    std::string message;
};

[[nodiscard]] json::object ToJson(const LiveStatus& s);

struct EngineStats {
    std::uint64_t checks = 0;
    std::uint64_t late_checks = 0;     // started more than 1 s after their due time
    Millis max_lateness_ms = 0;
    std::size_t monitors = 0;
};

class Engine {
public:
    using ChangeHandler = std::function<void(const Monitor&, const HardChange&)>;

    Engine(const Clock& clock, MonitorStore& store, ChangeHandler on_change);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Loads the monitors and their stored hard states and starts checking.
    [[nodiscard]] Result<void> Start();
    /// Re-reads the monitors (after a create, change or delete). Thread-safe.
    void Reload();
    /// Stops checking (checks in flight are cancelled) and waits for the threads. Idempotent.
    void Stop();
    /// A passive heartbeat of monitor `id` arrived now (MON-5). Thread-safe.
    void Heartbeat(std::int64_t id);
    /// Each monitor's live state. Thread-safe.
    [[nodiscard]] std::vector<LiveStatus> Snapshot();
    [[nodiscard]] EngineStats Stats();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace unyo::monitor
