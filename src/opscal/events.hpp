#pragma once
// The operation calendar (JOB-1, SLM-3): one list of what is planned — events of the operation
// plan (maintenance windows, inspections, power outages, patch windows, meetings), once or
// recurring on a day rule of a business calendar; planned stops; jobnet starts — and its
// iCalendar (RFC 5545) form for Outlook and other calendar clients. A maintenance window given
// without a time recurs by default monthly on a business day (the last one) 18:00–08:00 (seed 003
// §5(1): 月1回、平日18:00~翌8:00). Thread-safe; blocks on the database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "calendar/calendar_store.hpp"
#include "jobs/schedule.hpp"
#include "storage/sql/database.hpp"

namespace unyo::opscal {

struct Recurrence {
    jobs::DayRule days;
    int from_minutes = 18 * 60, to_minutes = 8 * 60;  // to ≤ from: the next morning
    std::optional<calendar::Date> until;
};

struct OpsEvent {
    std::int64_t id = 0;
    std::string kind;  // maintenance | inspection | power_outage | patch | meeting | other
    std::string title, note, service;
    Millis starts_at = 0, ends_at = 0;  // a recurring event: from when it recurs (ends_at unused)
    std::optional<Recurrence> recurrence;
    std::optional<std::int64_t> calendar_id;
    std::string created_by;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

[[nodiscard]] json::object ToJson(const OpsEvent& e);

/// One entry of the merged calendar.
struct CalendarItem {
    std::string uid;     // stable across feeds: "event-3-20261231T090000Z@unyo"
    std::string source;  // event | planned_stop | jobnet
    std::string kind;
    std::string title, note, service;
    Millis starts_at = 0, ends_at = 0;  // equal: a moment (a jobnet's start)
    std::int64_t ref_id = 0;            // the event, stop or jobnet
};

[[nodiscard]] json::object ToJson(const CalendarItem& i);
/// 保守作業, 点検, 停電, パッチ適用, 会議, その他, 計画停止, ジョブネット.
[[nodiscard]] std::string_view KindLabel(std::string_view source, std::string_view kind);
/// The items as an iCalendar document (CRLF lines folded at 75 octets, text escaped, UTC times).
[[nodiscard]] std::string ToICalendar(const std::vector<CalendarItem>& items, Millis now, const std::string& name);

class OpsEvents {
public:
    OpsEvents(storage::Database& db, const Clock& clock, calendar::CalendarStore& calendars)
        : db_(db), clock_(clock), calendars_(calendars) {}

    /// The occurrences of every event overlapping [from, to), by start.
    [[nodiscard]] Result<std::vector<CalendarItem>> Occurrences(Millis from, Millis to);
    [[nodiscard]] Result<std::vector<OpsEvent>> List();
    [[nodiscard]] Result<OpsEvent> Get(std::int64_t id);
    /// {kind, title, note?, service?, starts_at, ends_at?, recurrence?: {days, from, to, until?},
    /// calendar_id?}; Error::Field naming each bad member.
    [[nodiscard]] Result<OpsEvent> Create(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<OpsEvent> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                          const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

    /// A new feed secret for `user_id` (the old one stops working); shown once.
    [[nodiscard]] Result<std::string> NewFeedToken(std::int64_t user_id, const audit::Actor& actor);
    /// The active user a feed secret belongs to; kUnauthenticated otherwise.
    [[nodiscard]] Result<std::int64_t> FeedUser(const std::string& token);

private:
    Result<OpsEvent> Read(const json::object& body, OpsEvent e, bool create);

    storage::Database& db_;
    const Clock& clock_;
    calendar::CalendarStore& calendars_;
};

}  // namespace unyo::opscal
