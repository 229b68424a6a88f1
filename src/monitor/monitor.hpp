#pragma once
// A monitor (MON-1..8): what to check, how often, how many soft failures before the state is hard,
// the thresholds of a measured value, the parents it depends on. Pure definitions and their JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"

namespace unyo::monitor {

/// ok < warning < critical; unknown when the check could not decide; unreachable when a parent is
/// down (it does not alert).
enum class State { kOk, kWarning, kCritical, kUnknown, kUnreachable };

[[nodiscard]] std::string_view StateName(State s);
[[nodiscard]] std::optional<State> ParseState(std::string_view name);
/// 正常, 警告, 異常, 不明, 到達不能.
[[nodiscard]] std::string_view StateLabelJa(State s);

struct Monitor {
    std::int64_t id = 0;
    std::string name;
    std::string type;        // one of Types()
    json::object target;     // type-specific, e.g. {host, port} for tcp (docs/api.md lists them)
    std::string service;     // a grouping for the status board and availability (業務システム名)
    int interval_s = 60;
    int timeout_ms = 5000;
    int retries = 3;         // consecutive failures before the state is hard (1: at once)
    std::optional<double> warning, critical;  // thresholds of the value (http: response ms)
    std::vector<std::int64_t> parent_ids;
    std::string severity = "high";  // of the incident an alert opens
    bool enabled = true;
    std::optional<std::int64_t> ci_id;  // the configuration item it watches: its incidents are about it
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

/// Whether a lower value is the worse one (tls_cert: days left), for thresholds.
[[nodiscard]] bool LowerIsWorse(std::string_view type);

/// The types this build checks.
[[nodiscard]] const std::vector<std::string>& Types();

/// Reads the members of `body` present over `base` (all of them for a create), validating each;
/// Error::Field naming every bad one.
[[nodiscard]] Result<Monitor> MonitorFromJson(const json::object& body, Monitor base, bool create);
[[nodiscard]] json::object ToJson(const Monitor& m);

}  // namespace unyo::monitor
