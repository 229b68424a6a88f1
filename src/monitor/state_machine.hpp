#pragma once
// Soft and hard states (like Nagios/Icinga): a failing result is soft until `retries` results in a
// row have failed, then the state is hard and alerts; a good result makes the state hard ok at once.
// Pure: the engine feeds results and acts on the transitions returned.

#include <cstdint>
#include <optional>
#include <string>

#include "monitor/monitor.hpp"

namespace unyo::monitor {

struct CheckResult {
    State state = State::kUnknown;
    std::optional<double> value;  // the measured value (ms for tcp/http)
    std::string message;
    Millis at = 0;                // when the check finished
};

/// What the engine remembers of a monitor between results.
struct Runtime {
    bool known = false;         // a hard state has been decided
    State hard = State::kUnknown;
    Millis hard_since = 0;
    State soft = State::kOk;
    int attempts = 0;           // failures in a row
    Millis episode_start = 0;   // the first failure of the current run of failures
    Millis last_check_at = 0;
    std::optional<double> last_value;
    std::string last_message;
    // Flapping: whether each of the last results changed the state, newest in bit 0.
    std::uint32_t flap_bits = 0;
    int flap_results = 0;  // results recorded (at most kFlapWindow + 1)
    State last_result = State::kOk;
    bool flapping = false;
    double flap_percent = 0;
};

struct HardChange {
    State from = State::kUnknown;
    State to = State::kUnknown;
    Millis at = 0;           // when the state became hard
    Millis detected_at = 0;  // when the first failure of the episode was seen (= at for recoveries)
    /// When the new state began in fact: the first failure of the episode when coming from ok (the
    /// soft retries were down time too), else `at`. State history and availability use it.
    Millis began_at = 0;
    std::string message;
    /// Alerts are not acted on for this change: the monitor is flapping (or just stopped, and the
    /// end of flapping settles the alert). The change is still recorded.
    bool flapping = false;
};

/// Flapping detection like Icinga 2: of the last kFlapWindow results, the weighted share that
/// changed the state (newer weigh more, 0.8 to 1.2). Flapping starts above `high` percent and
/// stops below `low`; it is judged once the window is full.
inline constexpr int kFlapWindow = 20;
struct FlapChange {
    bool flapping = false;
    double percent = 0;
};
[[nodiscard]] std::optional<FlapChange> TrackFlapping(Runtime& rt, State result, double low = 25, double high = 30);

/// Applies `r` to `rt`; the hard change it makes, if any.
[[nodiscard]] std::optional<HardChange> Apply(Runtime& rt, const CheckResult& r, int retries);

/// Whether `s` counts as a failure.
[[nodiscard]] inline bool IsProblem(State s) { return s != State::kOk; }

}  // namespace unyo::monitor
