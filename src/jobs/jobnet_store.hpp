#pragma once
// Stored jobnets: created, changed (optimistic concurrency) and deleted with an audit entry in the
// same transaction; references to calendars and heartbeat monitors checked. Each keeps the next
// scheduled start not yet made into a run (`next_start_at`), which the runner advances.
// Thread-safe; blocks on the database.

#include <cstdint>
#include <vector>

#include "audit/audit_log.hpp"
#include "calendar/calendar_store.hpp"
#include "jobs/jobnet.hpp"
#include "storage/sql/database.hpp"

namespace unyo::jobs {

/// A planned start for the schedule preview.
struct PlannedStart {
    Millis at = 0;
    calendar::Date business_day;
    std::optional<calendar::Date> shifted_from;  // the day the rule chose, when closed and shifted
};

class JobnetStore {
public:
    JobnetStore(storage::Database& db, const Clock& clock, calendar::CalendarStore& calendars)
        : db_(db), clock_(clock), calendars_(calendars) {}

    [[nodiscard]] Result<std::vector<Jobnet>> List();
    [[nodiscard]] Result<Jobnet> Get(std::int64_t id);
    /// Error::Field naming each bad member; 409 on a name in use.
    [[nodiscard]] Result<Jobnet> Create(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<Jobnet> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                        const audit::Actor& actor);
    /// 409 while the jobnet has runs: their history stays; disable it instead.
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

    /// The business calendar of `n` (its stored one, or the default: Mon–Fri, holidays closed).
    [[nodiscard]] Result<calendar::BusinessCalendar> CalendarOf(const Jobnet& n);
    /// The planned starts of `n` in [from, to) on its calendar `cal` (CalendarOf).
    [[nodiscard]] static std::vector<PlannedStart> Planned(const Jobnet& n, const calendar::BusinessCalendar& cal,
                                                           Millis from, Millis to);
    /// The first planned start of `n` on `cal` after `after` (within 400 days), if any.
    [[nodiscard]] static std::optional<Millis> NextStart(const Jobnet& n, const calendar::BusinessCalendar& cal,
                                                         Millis after);

    /// Every jobnet as a YAML document `jobnets: [...]`, by name (definitions only: a file means
    /// the same in any installation, but calendar and monitor ids are this one's).
    /// `name`: that jobnet only (404 when there is none).
    [[nodiscard]] Result<std::string> ExportYaml(const std::string& name = {});
    struct ImportSummary {
        int created = 0, updated = 0, unchanged = 0;
    };
    /// Creates or updates jobnets by name from `yaml`; every entry is checked before anything is
    /// written, and errors name the entry (`jobnets[2].jobs[0].after`). `dry_run`: only the summary.
    [[nodiscard]] Result<ImportSummary> ImportYaml(std::string_view yaml, const audit::Actor& actor, bool dry_run);

    /// Inside `c`: the jobnet row `id`.
    [[nodiscard]] static Result<Jobnet> Load(storage::Connection& c, std::int64_t id);
    /// Inside `c`: `n` with its nested jobnets expanded as they are stored now (ExpandNested).
    [[nodiscard]] static Result<Jobnet> Expand(storage::Connection& c, const Jobnet& n,
                                               std::vector<std::string>* problems = nullptr);
    /// Inside `c`: moves `next_start_at` of `id` from `expected` to `next` (false when it had moved).
    [[nodiscard]] static Result<bool> AdvanceNextStart(storage::Connection& c, std::int64_t id, Millis expected,
                                                       std::optional<Millis> next);

private:
    Result<void> CheckReferences(storage::Connection& c, const Jobnet& n);

    storage::Database& db_;
    const Clock& clock_;
    calendar::CalendarStore& calendars_;
};

}  // namespace unyo::jobs
