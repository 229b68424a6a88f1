#pragma once
// Planned stops (計画停止, PLN-1..3, SLM-2): regular (定期点検, 予防保守) or ad hoc (セキュリティ保守,
// サービス機能保守, システム外要因), for everything, some services or some monitors. One announced
// less than the notice period ahead (14 days by default, seed 003 §5(1)) needs a stated reason,
// kept with it. During a stop, alerts of what it covers are suppressed and the maintenance page
// says so; availability leaves its time out. Approval announces it to the channels of the
// planned_stops topic, and cancelling an announced one tells them too (PLN-3). Thread-safe; blocks on the database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::opscal {

struct PlannedStop {
    std::int64_t id = 0;
    std::string kind;    // inspection | preventive | security | function | external
    std::string title;
    std::string reason;
    std::string scope = "all";  // all | services | monitors
    std::vector<std::string> services;
    std::vector<std::int64_t> monitor_ids;
    Millis starts_at = 0, ends_at = 0;
    std::optional<std::string> short_notice_reason;
    std::optional<std::string> approved_by;
    std::optional<Millis> approved_at;
    std::string created_by;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;

    /// Whether its scope takes in a monitor of `service`, at any time.
    [[nodiscard]] bool Covers(std::int64_t monitor_id, const std::string& service) const;
    /// Whether it covers a monitor of `service` at `at`.
    [[nodiscard]] bool Covers(std::int64_t monitor_id, const std::string& service, Millis at) const {
        return at >= starts_at && at < ends_at && Covers(monitor_id, service);
    }
};

[[nodiscard]] json::object ToJson(const PlannedStop& s);
/// 定期点検, 予防保守, セキュリティ保守, サービス機能保守, システム外要因.
[[nodiscard]] std::string_view KindLabelJa(std::string_view kind);

class PlannedStops {
public:
    PlannedStops(storage::Database& db, const Clock& clock, int notice_days = 14)
        : db_(db), clock_(clock), notice_days_(notice_days) {}

    /// Those that overlap [from, to), by start.
    [[nodiscard]] Result<std::vector<PlannedStop>> List(Millis from, Millis to);
    [[nodiscard]] Result<PlannedStop> Get(std::int64_t id);
    /// Validates `body` ({kind, title, reason?, scope?, services?, monitor_ids?, starts_at, ends_at,
    /// short_notice_reason?}); Error::Field naming each bad member, and `short_notice_reason` when
    /// the start is less than the notice period ahead and none is given.
    [[nodiscard]] Result<PlannedStop> Create(const json::object& body, const audit::Actor& actor);
    /// Changes a stop not yet over (If-Match); a new time or scope clears its approval, so that it
    /// is approved and announced again.
    [[nodiscard]] Result<PlannedStop> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                             const audit::Actor& actor);
    /// Approval by an admin or manager (the API checks the role); announces the stop to the
    /// channels of the planned_stops topic (PLN-3).
    [[nodiscard]] Result<PlannedStop> Approve(std::int64_t id, std::int64_t expected_version, const audit::Actor& actor);
    /// Cancels it; an approved stop not yet over is announced as cancelled.
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

    /// The stop covering a monitor of `service` at `at`, if any.
    [[nodiscard]] Result<std::optional<PlannedStop>> Active(std::int64_t monitor_id, const std::string& service,
                                                            Millis at);
    [[nodiscard]] int notice_days() const { return notice_days_; }
    /// The console's address, for the maintenance page named in notices.
    void set_console_url(std::string url) { console_url_ = std::move(url); }

private:
    /// The members of `body` over `s` (all required ones for a create), each checked.
    [[nodiscard]] Result<PlannedStop> Read(const json::object& body, PlannedStop s, bool create) const;
    /// Enqueues the notice of `s` (or of its cancellation) to the channels of the planned_stops
    /// topic (PLN-3), inside the caller's transaction.
    [[nodiscard]] Result<void> Announce(storage::Connection& c, const PlannedStop& s, bool cancelled) const;

    storage::Database& db_;
    const Clock& clock_;
    int notice_days_;
    std::string console_url_;
};

}  // namespace unyo::opscal
