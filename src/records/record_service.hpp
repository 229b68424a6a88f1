#pragma once
// RecordService: the ledger (管理台帳) of every kind — create, read, list, change fields, move
// through the workflow, comment, link — each write in one transaction with its timeline entry and
// audit entry; and the SLA clocks of each record, with warnings and breaches written to the
// timeline once each by Sweep(). Who sees what (ACC-3): admin, manager, operator and viewer see
// every record; a vendor sees its organisation's records and those assigned to or raised by it;
// a requester sees what it raised. Thread-safe; call from the blocking pool.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "auth/accounts.hpp"
#include "calendar/calendar_store.hpp"
#include "records/record.hpp"
#include "records/sla_policy_store.hpp"
#include "sla/sla_clock.hpp"
#include "storage/sql/database.hpp"

namespace unyo::records {

/// Fields of a create, a change or a transition. Absent members are left as they are; in
/// `fields`, a null value clears the field.
struct RecordInput {
    std::optional<std::string> title, description, severity;
    std::optional<std::optional<std::int64_t>> organization_id, assignee_id;
    json::object fields;
};

struct RecordQuery {
    std::vector<std::string> statuses;
    std::optional<std::string> severity;
    std::optional<std::int64_t> organization_id, assignee_id;
    std::optional<std::string> q;  // text in the title, description, text fields or comments
    std::optional<bool> open;      // true: not in a closed state
    std::optional<Millis> from, to;  // created
    std::optional<std::int64_t> before_id;  // cursor
    int limit = 50;
};

struct RecordLink {
    std::int64_t other_id = 0;
    std::string other_key;
    std::string other_kind;
    std::string other_title;
    std::string relation;
};

struct Attachment {
    std::int64_t id = 0;
    std::int64_t record_id = 0;
    std::string sha256;
    std::string file_name;
    std::string content_type;
    std::int64_t size = 0;
    std::string uploader;
    Millis created_at = 0;
};

[[nodiscard]] json::object ToJson(const Attachment& a);

struct Watcher {
    std::int64_t user_id = 0;
    std::string login;
    std::string display_name;
    Millis added_at = 0;
};

[[nodiscard]] json::object ToJson(const Watcher& w);

/// At most this many bytes in one attachment.
constexpr std::size_t kMaxAttachmentBytes = 10 * 1024 * 1024;

struct TimeEntry {
    std::int64_t id = 0;
    std::int64_t record_id = 0;
    std::string record_key;
    std::string record_title;
    std::string user_login;
    std::string work_date;  // YYYY-MM-DD
    int minutes = 0;
    std::string note;
};

/// The month's maintenance support hours (ISS-2): budget, used, and what used them.
struct SupportHours {
    std::string month;  // YYYY-MM
    int budget_minutes = 0;
    int used_minutes = 0;
    std::vector<TimeEntry> entries;
};

[[nodiscard]] json::object ToJson(const TimeEntry& t);

/// Default monthly budget of minor-fix support: 5 hours (seed 003 §11).
constexpr int kDefaultSupportMinutes = 5 * 60;

class RecordService {
public:
    /// `attachments_dir` holds attachment bytes by SHA-256 (created when needed).
    RecordService(storage::Database& db, const Clock& clock, calendar::CalendarStore& calendars,
                  SlaPolicyStore& policies, std::filesystem::path attachments_dir);

    /// Error::Field naming each invalid or missing field (422); 403 when the principal may not raise it.
    [[nodiscard]] Result<Record> Create(const Workflow& w, const RecordInput& in, const auth::Principal& who,
                                        const audit::Actor& actor, const auth::TxHook& hook = {});
    /// 404 also when the principal may not see it.
    [[nodiscard]] Result<Record> Get(const Workflow& w, std::int64_t id, const auth::Principal& who);
    [[nodiscard]] Result<std::vector<Record>> List(const Workflow& w, const RecordQuery& q, const auth::Principal& who);
    /// kPreconditionFailed when `expected_version` is stale. Status changes go through Transition.
    [[nodiscard]] Result<Record> Update(const Workflow& w, std::int64_t id, std::int64_t expected_version,
                                        const RecordInput& in, const auth::Principal& who, const audit::Actor& actor);
    /// 409 when the workflow has no move from the current state to `to` or its guard refuses;
    /// 422 naming a required field still empty; 403 when the principal's roles may not make it.
    [[nodiscard]] Result<Record> Transition(const Workflow& w, std::int64_t id, const std::string& to,
                                            const RecordInput& in, const auth::Principal& who,
                                            const audit::Actor& actor);
    [[nodiscard]] Result<TimelineEntry> Comment(const Workflow& w, std::int64_t id, const std::string& body,
                                                const auth::Principal& who, const audit::Actor& actor);
    [[nodiscard]] Result<void> Link(const Workflow& w, std::int64_t id, const std::string& other_key,
                                    const std::string& relation, const auth::Principal& who,
                                    const audit::Actor& actor);
    [[nodiscard]] Result<std::vector<RecordLink>> Links(std::int64_t id);
    /// Up to `limit` other records of the kind most alike to `r` in their words (INC-7): SQLite
    /// ranks shared trigrams with bm25, PostgreSQL by pg_trgm similarity.
    [[nodiscard]] Result<std::vector<Record>> Similar(const Workflow& w, const Record& r, const auth::Principal& who,
                                                      int limit = 5);
    [[nodiscard]] Result<std::vector<TimelineEntry>> Timeline(std::int64_t id);
    /// The SLA clocks of `r` now (empty for kinds without a policy).
    [[nodiscard]] Result<std::vector<sla::ClockStatus>> Clocks(const Record& r);
    /// Writes SLA warnings and breaches that have come due to the timelines, once each; returns
    /// how many it wrote. Looks only at records whose next SLA instant has come (`sla_next_at`,
    /// set by every change of a record and by the sweep itself), at most `max_records` of them.
    [[nodiscard]] Result<int> Sweep(int max_records = 20000);
    /// Makes the next sweep look at every record not closed of a kind with clocks: after a policy or
    /// calendar change.
    [[nodiscard]] Result<void> RescheduleSla();
    /// Called inside the sweep's transaction for each warning or breach it writes (app wires the
    /// notification outbox here).
    using SlaListener = std::function<Result<void>(storage::Connection&, const Record&, const sla::ClockStatus&,
                                                   const std::string& event, Millis at)>;
    void OnSlaEvent(SlaListener f) { on_sla_ = std::move(f); }
    /// Called inside the transaction of a create, change or move that gives a record an assignee
    /// other than the one acting (INQ-2: the assignee is told on receipt; app enqueues a mail).
    using AssignListener = std::function<Result<void>(storage::Connection&, const Record&, Millis at)>;
    void OnAssigned(AssignListener f) { on_assigned_ = std::move(f); }
    /// A record was routed by a work item (ORG-3): `routing` as its timeline entry says it.
    using RouteListener = std::function<Result<void>(storage::Connection&, const Record&, const json::object& routing, Millis at)>;
    void OnRouted(RouteListener f) { on_routed_ = std::move(f); }
    /// A record was raised about configuration item `ci_id`, or changed to be about it (app
    /// informs the integration partners an incident affects: INC-11).
    using CiListener = std::function<Result<void>(storage::Connection&, const Record&, std::int64_t ci_id, Millis at)>;
    void OnCiNamed(CiListener f) { on_ci_ = std::move(f); }
    /// Appends an entry by the system (`type` e.g. "monitoring") to a record's timeline inside `c`.
    [[nodiscard]] static Result<std::int64_t> AppendSystemEntry(storage::Connection& c, std::int64_t record_id,
                                                                const std::string& type, const json::object& body,
                                                                Millis at);

    /// Who watches a record (the one who raised it, from the start).
    [[nodiscard]] Result<std::vector<Watcher>> Watchers(const Workflow& w, std::int64_t id,
                                                        const auth::Principal& who);
    /// Adds `user_id` (the principal when absent) to the watchers; true when newly added. Only
    /// admins, managers and operators may add someone else; 422 naming user_id when unknown or
    /// unable to see the record.
    [[nodiscard]] Result<bool> Watch(const Workflow& w, std::int64_t id, std::optional<std::int64_t> user_id,
                                     const auth::Principal& who, const audit::Actor& actor);
    /// Removes `user_id`; oneself, or anyone by admins, managers and operators. 404 when not watching.
    [[nodiscard]] Result<void> Unwatch(const Workflow& w, std::int64_t id, std::int64_t user_id,
                                       const auth::Principal& who, const audit::Actor& actor);

    /// Stores `bytes` under their SHA-256 and attaches them. Error::Field("content_type") when
    /// the type is not allowed or the bytes are not of that type; ("file") when empty or too large.
    [[nodiscard]] Result<Attachment> Attach(const Workflow& w, std::int64_t id, const std::string& file_name,
                                            const std::string& content_type, const std::string& bytes,
                                            const auth::Principal& who, const audit::Actor& actor);
    [[nodiscard]] Result<std::vector<Attachment>> Attachments(std::int64_t record_id);
    /// The attachment and its bytes; 404 when it is not the record's.
    [[nodiscard]] Result<std::pair<Attachment, std::string>> ReadAttachment(std::int64_t record_id,
                                                                            std::int64_t attachment_id);

    /// Records time spent on an issue. Error::Field on a bad date or minutes (1–1440).
    [[nodiscard]] Result<TimeEntry> AddTime(const Workflow& w, std::int64_t id, const std::string& work_date,
                                            int minutes, const std::string& note, const auth::Principal& who,
                                            const audit::Actor& actor);
    [[nodiscard]] Result<std::vector<TimeEntry>> TimeEntries(std::int64_t record_id);
    /// `month` as YYYY-MM; Error::Field("month") otherwise.
    [[nodiscard]] Result<SupportHours> SupportHoursOf(const std::string& month, int budget_minutes);

    [[nodiscard]] SlaPolicyStore& policies() { return policies_; }
    [[nodiscard]] bool CanSee(const auth::Principal& who, const Record& r) const;
    [[nodiscard]] bool CanEdit(const auth::Principal& who, const Record& r) const;

private:
    Result<Record> Load(storage::Connection& c, const Workflow& w, std::int64_t id);
    /// Whether any policy (in any version) covers records of `kind`.
    [[nodiscard]] bool HasClocks(const std::string& kind) const;
    /// Applies `in` to `r` — core members, references, the kind's fields — collecting problems.
    Result<void> ApplyInput(storage::Connection& c, const Workflow& w, const RecordInput& in, Record& r,
                            std::vector<FieldError>& errors);
    /// The fields of `in` that are valid; a problem with each other one appended to `errors`.
    Result<json::object> ValidateFields(storage::Connection& c, const Workflow& w, const json::object& in,
                                        std::vector<FieldError>& errors);
    Result<std::vector<sla::ClockStatus>> ClocksFrom(const Record& r, const std::vector<TimelineEntry>& timeline);
    /// Calls the assign listener when `r` has an assignee other than `before` and other than `who`.
    Result<void> TellAssignee(storage::Connection& c, std::optional<std::int64_t> before, const Record& r,
                              const auth::Principal& who, Millis now);

    storage::Database& db_;
    const Clock& clock_;
    calendar::CalendarStore& calendars_;
    SlaPolicyStore& policies_;
    SlaListener on_sla_;
    AssignListener on_assigned_;
    RouteListener on_routed_;
    CiListener on_ci_;
    std::filesystem::path attachments_dir_;
};

}  // namespace unyo::records
