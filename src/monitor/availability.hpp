#pragma once
// Availability (稼働率, SLM-1): over a period, the time a monitor was up (ok or warning) against the
// time it was down (critical or unreachable), to the millisecond, with planned stops taken out and
// the time nothing was known (before the first result) shown apart. Pure.

#include <optional>
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
    std::optional<double> ratio;  // up / (up + down); nullopt when nothing was measured
    double target = 0.999;
    Millis budget_ms = 0;        // allowed downtime in the period (planned stops out) at the target
    Millis remaining_budget_ms = 0;
};

/// `changes` in time order (those before `from` give the state at `from`); `excluded` the
/// planned stops (may overlap).
[[nodiscard]] Availability Compute(const std::vector<StateChange>& changes, Millis from, Millis to,
                                   const std::vector<Interval>& excluded, double target);

/// One monitor of a service, for the service's availability.
struct MonitorTimeline {
    std::vector<StateChange> changes;  // in time order, as for Compute
    std::vector<Interval> ignored;     // planned stops covering it, and the time before it existed
};

/// A service as one timeline (SLM-1): down while any of its monitors is down (critical or
/// unreachable), else unknown while any is unknown, else up; a monitor counts nowhere while it is
/// ignored, and the service is excluded while all of them are. The result goes to Compute.
struct Combined {
    std::vector<StateChange> changes;
    std::vector<Interval> excluded;
};
[[nodiscard]] Combined CombineService(const std::vector<MonitorTimeline>& monitors, Millis from, Millis to);

[[nodiscard]] json::object ToJson(const Availability& a);

}  // namespace unyo::monitor
