#pragma once
// Stored business calendars: named rule sets kept as JSON, created, changed (optimistic
// concurrency) and deleted with an audit entry in the same transaction. Thread-safe; blocks on
// the database (call from the blocking pool).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "calendar/business_calendar.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::calendar {

struct StoredCalendar {
    std::int64_t id = 0;
    std::string name;
    std::string description;
    CalendarRules rules;
    Millis created_at = 0;
    Millis updated_at = 0;
    std::int64_t version = 1;
};

/// The rules as API JSON: time_zone, weekly {sun…sat: {open, close} | null},
/// national_holidays_closed, year_end_closed, closed_days, open_days, open_day_hours.
[[nodiscard]] json::object RulesToJson(const CalendarRules& rules);
/// Reads rule fields present in `obj` over `base`; errors name each bad field.
[[nodiscard]] Result<CalendarRules> RulesFromJson(const json::object& obj, CalendarRules base);
[[nodiscard]] json::object ToJson(const StoredCalendar& c);
/// {"open": "HH:MM", "close": "HH:MM"}, or null for a closed day.
[[nodiscard]] json::value HoursToJson(const std::optional<Hours>& h);

class CalendarStore {
public:
    CalendarStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<StoredCalendar>> List();
    [[nodiscard]] Result<StoredCalendar> Get(std::int64_t id);
    /// Error::Field("name") on a duplicate (409) or an empty name.
    [[nodiscard]] Result<StoredCalendar> Create(std::string name, std::string description, CalendarRules rules,
                                                const audit::Actor& actor);
    /// kPreconditionFailed when `expected_version` is stale.
    [[nodiscard]] Result<StoredCalendar> Update(std::int64_t id, std::int64_t expected_version,
                                                const std::optional<std::string>& name,
                                                const std::optional<std::string>& description,
                                                const std::optional<CalendarRules>& rules, const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

private:
    Result<StoredCalendar> Load(storage::Connection& c, std::int64_t id);

    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::calendar
