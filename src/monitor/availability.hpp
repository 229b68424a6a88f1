#pragma once
// Availability (稼働率, SLM-1): over a period, the time a monitor was up (ok or warning) against the
// time it was down (critical or unreachable), to the millisecond, with planned stops taken out and
// the time nothing was known (before the first result) shown apart. Pure.

#include <vector>

#include "monitor/monitor.hpp"

namespace unyo::monitor {

struct Interval {
    Millis from = 0, to = 0;
};

struct StateChange {
    Millis at = 0;
    State to = State::kUnknown;
};

struct Availability {
    Millis from = 0, to = 0;
    Millis up_ms = 0, down_ms = 0, unknown_ms = 0, excluded_ms = 0;
    double ratio = 1.0;          // up / (up + down); 1 when nothing was measured
    double target = 0.999;
    Millis budget_ms = 0;        // allowed downtime in the period (planned stops out) at the target
    Millis remaining_budget_ms = 0;
};

/// `changes` in time order (those before `from` give the state at `from`); `excluded` the
/// planned stops (may overlap).
[[nodiscard]] Availability Compute(const std::vector<StateChange>& changes, Millis from, Millis to,
                                   const std::vector<Interval>& excluded, double target);

[[nodiscard]] json::object ToJson(const Availability& a);

}  // namespace unyo::monitor
