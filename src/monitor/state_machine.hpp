#pragma once
// Soft and hard states (like Nagios/Icinga): a failing result is soft until `retries` results in a
// row have failed, then the state is hard and alerts; a good result makes the state hard ok at once.
// Pure: the engine feeds results and acts on the transitions returned.

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
};

struct HardChange {
    State from = State::kUnknown;
    State to = State::kUnknown;
    Millis at = 0;           // when the state became hard
    Millis detected_at = 0;  // when the first failure of the episode was seen (= at for recoveries)
    std::string message;
};

/// Applies `r` to `rt`; the hard change it makes, if any.
[[nodiscard]] std::optional<HardChange> Apply(Runtime& rt, const CheckResult& r, int retries);

/// Whether `s` counts as a failure.
[[nodiscard]] inline bool IsProblem(State s) { return s != State::kOk; }

}  // namespace unyo::monitor
