#pragma once
// The monitoring engine (MON-1, MON-5, MON-8): runs every enabled monitor's check on its own
// io_context thread, spread over the interval by the monitor's id on a 20 ms grid (no thundering
// herd; checks due in the same 20 ms share one wake), sets aside a failure seen while its own loop
// ran late (the timeout may be the engine's: at most three in a row, then believed), feeds the
// results through the soft/hard state machine, turns a child's failure into `unreachable` while a
// parent is down (re-checking a parent whose last result is older than the failure first), and
// hands each hard change to `on_change` on a worker thread (which may block on the database).
// Reload() re-reads the monitors keeping each one's next due time: an edit makes no gap or burst.
// Asio stays inside engine.cpp.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "monitor/monitor_store.hpp"
#include "monitor/results.hpp"
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
    /// Lateness of check starts (seconds), upper bounds of the histogram buckets.
    static constexpr std::array<double, 7> kLatenessBuckets = {0.01, 0.1, 0.5, 1, 5, 10, 60};
    struct PerType {
        std::uint64_t checks = 0, failures = 0;  // failures: results other than ok
        double duration_s = 0;                   // sum of check durations
    };
    std::uint64_t checks = 0;
    std::uint64_t late_checks = 0;  // started more than 1 s after their due time
    /// Failures set aside because the engine's own loop ran late while the check ran (a timeout or
    /// a slow answer may be the engine's, not the target's): the check is repeated at its next turn.
    std::uint64_t inconclusive_checks = 0;
    Millis max_loop_lag_ms = 0;  // the largest delay of the engine's loop seen, since start
    Millis max_lateness_ms = 0;     // since start
    std::array<std::uint64_t, kLatenessBuckets.size()> lateness_buckets{};  // cumulative counts
    double lateness_sum_s = 0;
    std::uint64_t lateness_count = 0;  // check starts observed
    std::map<std::string, PerType> by_type;
    std::size_t monitors = 0;
    std::uint64_t results_written = 0;
    std::uint64_t syslog_messages = 0;  // received by the syslog receiver
    Millis since_tick_ms = 0;  // since the engine's own loop last ran (MON-8: it never stops silently)
};

class Engine {
public:
    using ChangeHandler = std::function<void(const Monitor&, const HardChange&)>;

    using ResultHandler = std::function<void(const std::vector<ResultRow>&)>;
    /// A monitor started or stopped flapping; `hard` is its hard state now.
    using FlapHandler = std::function<void(const Monitor&, const FlapChange&, State hard)>;
    /// Monitors whose first state ever is ok (nothing to alert on), written together.
    using SettledHandler = std::function<void(const std::vector<std::pair<std::int64_t, HardChange>>&)>;

    Engine(const Clock& clock, MonitorStore& store, ChangeHandler on_change);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Receives every check result, in batches about once a second, on the worker thread (set
    /// before Start).
    void OnResults(ResultHandler f);
    /// Receives the start and end of flapping, on the worker thread after the change of the same
    /// result (set before Start). While flapping, hard changes come with `flapping` set.
    void OnFlapping(FlapHandler f);
    /// Receives, in batches with the results, the first hard state of monitors that start ok, on
    /// the worker thread (set before Start; without it they go to the change handler one by one).
    void OnSettled(SettledHandler f);
    /// Receives syslog over UDP and TCP (RFC 5424 and 3164; octet-counted or line framing) on
    /// HOST:PORT for the log monitors whose source is syslog (set before Start). The address
    /// bound (port 0 picks one); Error::Field("monitoring.syslog_listen", …) when it cannot be.
    [[nodiscard]] Result<std::string> ListenSyslog(const std::string& address);
    /// Loads the monitors and their stored hard states and starts checking.
    [[nodiscard]] Result<void> Start();
    /// Re-reads the monitors (after a create, change or delete). Thread-safe.
    void Reload();
    /// Stops checking (checks in flight are abandoned; the results gathered are written) and waits
    /// for the threads. Idempotent.
    void Stop();
    /// A passive heartbeat of monitor `id` arrived now (MON-5). Thread-safe.
    void Heartbeat(std::int64_t id);
    /// Each monitor's live state. Thread-safe.
    [[nodiscard]] std::vector<LiveStatus> Snapshot();
    /// The counters; those kept on the engine's thread as of its last turn (about a second ago), so
    /// that a busy engine still reports. Never waits.
    [[nodiscard]] EngineStats Stats();
    /// For tests: blocks the engine's loop for `d` (as an overloaded machine would) and returns
    /// when it has.
    void StallForTest(std::chrono::milliseconds d);
    /// The largest lateness of a check start since the last call (the self-watch reads it).
    [[nodiscard]] Millis TakeRecentMaxLateness();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace unyo::monitor
