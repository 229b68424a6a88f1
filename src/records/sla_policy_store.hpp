#pragma once
// Stored SLA policies (INC-4): policies are data in the database, versioned. A change makes a new
// version in force from a given instant (now by default, never earlier); a record's clocks follow
// the version in force when its clock started, so changing a contract's hours never rewrites the
// verdicts of records already running or closed. The store seeds the defaults into an empty
// database and keeps every version in memory (a handful of policies); readers take a snapshot.
// Thread-safe; writes block on the database (call from the blocking pool).

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "calendar/calendar_store.hpp"
#include "sla/sla_clock.hpp"
#include "storage/sql/database.hpp"

namespace unyo::records {

struct PolicyVersion {
    std::int64_t version = 1;
    Millis valid_from = 0;
    std::string changed_by;
    Millis changed_at = 0;
    sla::Policy policy;
};

struct StoredPolicy {
    std::int64_t id = 0;
    std::int64_t version = 1;  // the newest version's number
    Millis updated_at = 0;
    std::vector<PolicyVersion> versions;  // oldest first; never empty

    /// The version in force at `at` (the oldest one when `at` precedes them all).
    [[nodiscard]] const PolicyVersion& InForceAt(Millis at) const;
    [[nodiscard]] const PolicyVersion& Newest() const { return versions.back(); }
};

/// The newest version with id, version, valid_from and the history of versions.
[[nodiscard]] json::object ToJson(const StoredPolicy& p);

/// A change to one target of a policy, named by `name`.
struct TargetChange {
    std::string name;
    std::optional<std::string> label;
    std::optional<Millis> duration;
    std::optional<int> warn_percent;
    std::optional<std::int64_t> calendar_id;  // 0: round the clock
};

using PolicySnapshot = std::shared_ptr<const std::vector<StoredPolicy>>;

class SlaPolicyStore {
public:
    /// Loads the stored policies, first seeding `defaults` (in force since forever) when there
    /// are none.
    [[nodiscard]] static Result<std::unique_ptr<SlaPolicyStore>> Open(storage::Database& db, const Clock& clock,
                                                                      calendar::CalendarStore& calendars,
                                                                      const std::vector<sla::Policy>& defaults);

    [[nodiscard]] PolicySnapshot All() const;
    /// 404 when there is no such policy.
    [[nodiscard]] Result<StoredPolicy> Get(std::int64_t id) const;
    /// The policies that cover a record of `kind`, `severity` and `source` whose clocks start at
    /// `start`, each in the version in force then. Pointers stay valid while `snapshot` lives.
    [[nodiscard]] static std::vector<const sla::Policy*> Matching(const PolicySnapshot& snapshot,
                                                                  const std::string& kind,
                                                                  const std::string& severity,
                                                                  const std::string& source, Millis start);
    /// A new version with `changes` applied, in force from `valid_from` (default now).
    /// kPreconditionFailed when `expected_version` is stale; Error::Field naming each bad change
    /// (`targets[i].name` unknown, duration 1 minute–366 days, warn_percent 1–99, calendar unknown,
    /// valid_from in the past).
    [[nodiscard]] Result<StoredPolicy> Update(std::int64_t id, std::int64_t expected_version,
                                              const std::vector<TargetChange>& changes,
                                              std::optional<Millis> valid_from, const audit::Actor& actor);

private:
    SlaPolicyStore(storage::Database& db, const Clock& clock, calendar::CalendarStore& calendars)
        : db_(db), clock_(clock), calendars_(calendars) {}
    Result<void> Reload();

    storage::Database& db_;
    const Clock& clock_;
    calendar::CalendarStore& calendars_;
    mutable std::mutex mutex_;
    PolicySnapshot snapshot_;
};

}  // namespace unyo::records
