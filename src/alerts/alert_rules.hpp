#pragma once
// Alert rules (MON-7, INC-2): which severity a new alert gets and which operator channels hear of
// it. Rules are tried in `position` order; the first enabled one whose match fits decides. A rule
// matches on any of source, service, monitor type, monitor ids, state and a part of the name (all
// given must fit), and sets a severity, channel_ids, or both. Without a matching rule an alert
// keeps its monitor's severity and goes to every channel of the alerts topic.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::alerts {

/// What a rule is matched against.
struct AlertFacts {
    std::string source;        // monitoring | event | alertmanager | engine
    std::string service;
    std::string monitor_type;  // empty when not from a monitor
    std::optional<std::int64_t> monitor_id;
    std::string state;         // critical, warning, unknown, flapping …
    std::string name;
};

struct AlertRule {
    std::int64_t id = 0;
    std::string name;
    std::int64_t position = 100;
    json::object match;  // {source?, service?, monitor_type?, monitor_ids?, states?, name_contains?}
    std::optional<std::string> severity;
    std::optional<std::vector<std::int64_t>> channel_ids;
    bool enabled = true;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;

    [[nodiscard]] bool Matches(const AlertFacts& f) const;
};

[[nodiscard]] json::object ToJson(const AlertRule& r);
/// The ids of a JSON array text (a rule's channel_ids, an alert's route); nullopt for null.
[[nodiscard]] std::optional<std::vector<std::int64_t>> IdsFromJson(const std::optional<std::string>& text);

class AlertRules {
public:
    AlertRules(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<AlertRule>> List();
    [[nodiscard]] Result<AlertRule> Get(std::int64_t id);
    /// Error::Field naming each bad member; channel ids must exist.
    [[nodiscard]] Result<AlertRule> Create(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<AlertRule> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                           const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

    /// Inside the caller's transaction: the first enabled rule that matches, if any.
    [[nodiscard]] static Result<std::optional<AlertRule>> FirstMatch(storage::Connection& c, const AlertFacts& f);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::alerts
