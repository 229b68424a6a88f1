#pragma once
// Service-level clocks (INC-4, INQ-2): a target says how long after a start instant something
// must happen, counted on a business calendar (or round the clock), paused while the record is in
// given states, with a warning before the deadline. Evaluate() turns a record's history into the
// clock's state at an instant. Pure; safe from any thread.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calendar/business_calendar.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"

namespace unyo::sla {

/// When a target is met: a field gets a value, or the record reaches one of some states.
struct StopCondition {
    std::optional<std::string> field;
    std::vector<std::string> states;
};

struct Target {
    std::string name;           // "notify", "eta", "recovery", "response_start", "first_answer"
    std::string label_ja;       // 「発注者への通知」
    Millis duration = 0;        // budget in calendar time
    std::string start = "recognized_at";  // or "created_at"
    StopCondition stop;
    std::vector<std::string> pause_states;
    int warn_percent = 75;      // a warning once this share of the budget has elapsed
    std::int64_t calendar_id = 0;  // 0: round the clock (24x7)
};

/// Which records a policy covers: a kind, and optionally severities and sources.
struct Policy {
    std::string name;
    std::string kind;
    std::vector<std::string> severities;  // empty: any
    std::vector<std::string> sources;     // empty: any
    std::vector<std::string> not_sources; // excluded sources
    std::vector<Target> targets;
};

/// What the clock needs to know of a record.
struct RecordFacts {
    Millis created_at = 0;
    std::optional<Millis> recognized_at;
    std::string severity;
    std::string source;
    /// Status changes in order: (instant, new status). The first is the initial status at creation.
    std::vector<std::pair<Millis, std::string>> statuses;
    /// When each field first got a value.
    std::map<std::string, Millis> fields_set_at;
};

enum class ClockState { kRunning, kPaused, kMet, kBreached };

struct ClockStatus {
    std::string name;
    std::string label_ja;
    ClockState state = ClockState::kRunning;
    Millis started_at = 0;
    Millis target_at = 0;            // the deadline, shifted by the time spent paused so far
    std::optional<Millis> met_at;    // when the stop condition held (met, or met late = breached)
    Millis remaining_ms = 0;         // business time left (negative once overdue)
    Millis warn_at = 0;              // when the warning is due
    bool warning = false;            // the warning point has passed while not met
};

/// The policies unyo starts with, from seed 003 §5(1): notify 12 h, ETA 12 h, recovery 12 h
/// (critical 24 h); unauthorized access: notify 12 h, response start 1 h; all 24x7. Inquiries:
/// first answer within one business day.
[[nodiscard]] std::vector<Policy> DefaultPolicies();

/// Whether `p` covers a record of `kind` with `severity` and `source`.
[[nodiscard]] bool Covers(const Policy& p, const std::string& kind, const std::string& severity,
                          const std::string& source);

/// The policies of `policies` that cover a record of `kind` with `severity` and `source`.
[[nodiscard]] std::vector<const Policy*> Matching(const std::vector<Policy>& policies, const std::string& kind,
                                                  const std::string& severity, const std::string& source);

/// The clock of `target` for a record with `facts`, at `now`, counting on `calendar`.
[[nodiscard]] ClockStatus Evaluate(const Target& target, const RecordFacts& facts,
                                   const calendar::BusinessCalendar& calendar, Millis now);

[[nodiscard]] std::string_view StateName(ClockState s);
[[nodiscard]] json::object ToJson(const ClockStatus& c);

/// A policy as stored and shown: name, kind, severities, sources, excluded_sources, targets
/// [{name, label, duration_ms, start, stop_field, stop_states, pause_states, warn_percent,
/// calendar_id (null: 24x7)}].
[[nodiscard]] json::object ToJson(const Policy& p);
/// The policy stored as `obj` (written by ToJson).
[[nodiscard]] Policy PolicyFromJson(const json::object& obj);

}  // namespace unyo::sla
