#include "records/sla_policy_store.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::records {
namespace {

constexpr Millis kMaxDuration = 366 * 24 * kHourMs;

json::object VersionJson(const PolicyVersion& v) {
    return {{"version", v.version},
            {"valid_from", FormatRfc3339(v.valid_from)},
            {"changed_by", v.changed_by},
            {"changed_at", FormatRfc3339(v.changed_at)}};
}

}  // namespace

const PolicyVersion& StoredPolicy::InForceAt(Millis at) const {
    const PolicyVersion* found = &versions.front();
    for (const auto& v : versions) {
        if (v.valid_from <= at && v.valid_from >= found->valid_from) found = &v;
    }
    return *found;
}

json::object ToJson(const StoredPolicy& p) {
    json::object out = sla::ToJson(p.Newest().policy);
    out["id"] = p.id;
    out["version"] = p.version;
    out["valid_from"] = FormatRfc3339(p.Newest().valid_from);
    out["updated_at"] = FormatRfc3339(p.updated_at);
    json::array versions;
    for (const auto& v : p.versions) versions.push_back(VersionJson(v));
    out["versions"] = std::move(versions);
    return out;
}

Result<std::unique_ptr<SlaPolicyStore>> SlaPolicyStore::Open(storage::Database& db, const Clock& clock,
                                                             calendar::CalendarStore& calendars,
                                                             const std::vector<sla::Policy>& defaults) {
    std::unique_ptr<SlaPolicyStore> store(new SlaPolicyStore(db, clock, calendars));
    UNYO_TRY_VOID(db.Write([&](storage::Connection& c) -> Result<void> {
        const auto n = UNYO_TRY(c.Query("SELECT COUNT(*) FROM sla_policies", {}));
        if (n.rows.front().Int(0) > 0) {
            return {};
        }
        const Millis now = clock.Now();
        for (const auto& p : defaults) {
            auto rows = UNYO_TRY(c.Query("INSERT INTO sla_policies (name, version, updated_at) VALUES ($1, 1, $2) "
                                         "RETURNING id",
                                         {p.name, now}));
            UNYO_TRY(c.Exec("INSERT INTO sla_policy_versions (policy_id, version, valid_from, body_json, changed_by, "
                            "changed_at) VALUES ($1, 1, 0, $2, 'system', $3)",
                            {rows.rows.front().Int(0), json::serialize(sla::ToJson(p)), now}));
        }
        return {};
    }));
    UNYO_TRY_VOID(store->Reload());
    return store;
}

Result<void> SlaPolicyStore::Reload() {
    auto loaded = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<StoredPolicy>> {
        auto policies = UNYO_TRY(c.Query("SELECT id, version, updated_at FROM sla_policies ORDER BY id", {}));
        auto versions = UNYO_TRY(
            c.Query("SELECT policy_id, version, valid_from, changed_by, changed_at, body_json FROM sla_policy_versions "
                    "ORDER BY policy_id, version",
                    {}));
        std::map<std::int64_t, std::vector<PolicyVersion>> by_policy;
        for (const auto& r : versions.rows) {
            by_policy[r.Int(0)].push_back(
                {r.Int(1), r.Int(2), r.Text(3), r.Int(4), sla::PolicyFromJson(ParseObjectOrEmpty(r.Text(5)))});
        }
        std::vector<StoredPolicy> out;
        for (const auto& r : policies.rows) {
            auto it = by_policy.find(r.Int(0));
            if (it == by_policy.end() || it->second.empty()) continue;
            out.push_back({r.Int(0), r.Int(1), r.Int(2), std::move(it->second)});
        }
        return out;
    }));
    auto snapshot = std::make_shared<const std::vector<StoredPolicy>>(std::move(loaded));
    std::lock_guard lock(mutex_);
    snapshot_ = std::move(snapshot);
    return {};
}

PolicySnapshot SlaPolicyStore::All() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

Result<StoredPolicy> SlaPolicyStore::Get(std::int64_t id) const {
    const auto all = All();
    for (const auto& p : *all) {
        if (p.id == id) return p;
    }
    return Fail(Error::NotFound(fmt::format("no SLA policy {}", id)));
}

std::vector<const sla::Policy*> SlaPolicyStore::Matching(const PolicySnapshot& snapshot, const std::string& kind,
                                                         const std::string& severity, const std::string& source,
                                                         Millis start) {
    std::vector<const sla::Policy*> out;
    for (const auto& stored : *snapshot) {
        const auto& p = stored.InForceAt(start).policy;
        if (sla::Covers(p, kind, severity, source)) out.push_back(&p);
    }
    return out;
}

Result<StoredPolicy> SlaPolicyStore::Update(std::int64_t id, std::int64_t expected_version,
                                            const std::vector<TargetChange>& changes,
                                            std::optional<Millis> valid_from, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    StoredPolicy before = UNYO_TRY(Get(id));
    sla::Policy policy = before.Newest().policy;
    std::vector<FieldError> errors;
    // A minute's grace, so that a form filled in with "now" is not refused a moment later.
    if (valid_from && *valid_from < now - kMinuteMs) {
        errors.push_back({"valid_from", "must not be in the past"});
    }
    if (changes.empty()) {
        errors.push_back({"targets", "must list at least one change"});
    }
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const auto& ch = changes[i];
        const std::string at = fmt::format("targets[{}].", i);
        auto t = std::find_if(policy.targets.begin(), policy.targets.end(),
                              [&](const sla::Target& x) { return x.name == ch.name; });
        if (t == policy.targets.end()) {
            errors.push_back({at + "name", fmt::format("policy {} has no target named '{}'", id, ch.name)});
            continue;
        }
        if (ch.label) {
            if (ch.label->empty()) errors.push_back({at + "label", "must not be empty"});
            t->label_ja = *ch.label;
        }
        if (ch.duration) {
            if (*ch.duration < kMinuteMs || *ch.duration > kMaxDuration) {
                errors.push_back({at + "duration_ms", "must be between 1 minute and 366 days"});
            }
            t->duration = *ch.duration;
        }
        if (ch.warn_percent) {
            if (*ch.warn_percent < 1 || *ch.warn_percent > 99) {
                errors.push_back({at + "warn_percent", "must be between 1 and 99"});
            }
            t->warn_percent = *ch.warn_percent;
        }
        if (ch.calendar_id) {
            if (*ch.calendar_id != 0 && !calendars_.Get(*ch.calendar_id)) {
                errors.push_back({at + "calendar_id", fmt::format("no calendar {}", *ch.calendar_id)});
            }
            t->calendar_id = *ch.calendar_id;
        }
    }
    if (!errors.empty()) {
        return Fail(Error::Validation(std::move(errors)));
    }
    const PolicyVersion next{before.version + 1, valid_from ? std::max(*valid_from, now) : now, actor.login, now,
                             std::move(policy)};
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        const auto n = UNYO_TRY(c.Exec("UPDATE sla_policies SET version = $1, updated_at = $2 WHERE id = $3 AND "
                                       "version = $4",
                                       {next.version, now, id, expected_version}));
        if (n == 0) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("SLA policy {} was changed by someone else (now version {}); reload and retry",
                                     id, before.version),
                         {}});
        }
        UNYO_TRY(c.Exec("INSERT INTO sla_policy_versions (policy_id, version, valid_from, body_json, changed_by, "
                        "changed_at) VALUES ($1, $2, $3, $4, $5, $6)",
                        {id, next.version, next.valid_from, json::serialize(sla::ToJson(next.policy)), actor.login,
                         now}));
        json::object after = sla::ToJson(next.policy);
        after["valid_from"] = FormatRfc3339(next.valid_from);
        UNYO_TRY(audit::Append(c, actor,
                               {"sla_policy.update", "sla_policy", std::to_string(id),
                                sla::ToJson(before.Newest().policy), std::move(after)},
                               now));
        return {};
    }));
    UNYO_TRY_VOID(Reload());
    return Get(id);
}

}  // namespace unyo::records
