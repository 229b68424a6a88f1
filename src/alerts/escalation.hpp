#pragma once
// The escalation route (体制図, INC-9) as data: ordered levels — 一次対応, 二次対応, 責任者, … —
// each with its organisation, its people (unyo users and outside contacts with phone numbers) and
// how long after the failure was recognised it is to be told while the incident is not yet
// recovered. A route serves a system (configuration item) or all of them, for some severities or
// all; the incident's escalation (alerts/alert_service.cpp) follows it. Kept current: a route not
// confirmed within half a year is due for review. docs/escalation.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "calendar/civil_date.hpp"
#include "cis/partners.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::alerts {

/// A route not confirmed (reviewed_on) or changed within this many days is due for review.
inline constexpr int kRouteReviewDays = 183;

struct EscalationLevel {
    std::string name;  // 一次対応, 二次対応 (ベンダー有識者), 責任者 …
    std::optional<std::int64_t> organization_id;
    std::vector<std::int64_t> user_ids;  // told by mail at their address
    std::vector<cis::Contact> contacts;  // outside people: mailed when they have an address; phoned by hand
    int after_min = 0;                   // told this long after the failure was recognised
};

struct EscalationRoute {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::int64_t> ci_id;    // the system it serves; none: every system
    std::vector<std::string> severities;  // empty: every severity
    std::vector<EscalationLevel> levels;
    std::optional<calendar::Date> reviewed_on;
    std::string note;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

[[nodiscard]] Result<EscalationRoute> RouteFromJson(const json::object& body, EscalationRoute base, bool create);
[[nodiscard]] json::object ToJson(const EscalationRoute& r, Millis now);

/// The route an incident of `severity` about `ci_id` follows: one for its system before one for
/// every system; of those, the first by id whose severities include it. None when none does.
[[nodiscard]] std::optional<EscalationRoute> RouteFor(const std::vector<EscalationRoute>& routes, const std::string& severity,
                                                      std::optional<std::int64_t> ci_id);
/// Every route, by id (what RouteFor chooses from).
[[nodiscard]] Result<std::vector<EscalationRoute>> LoadRoutes(storage::Connection& c);

class EscalationRoutes {
public:
    EscalationRoutes(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<EscalationRoute>> List();
    [[nodiscard]] Result<EscalationRoute> Get(std::int64_t id);
    [[nodiscard]] Result<EscalationRoute> Create(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<EscalationRoute> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                                 const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::alerts
