#include "alerts/alert_rules.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "monitor/monitor.hpp"

namespace unyo::alerts {
namespace {

constexpr const char* kColumns =
    "id, name, position, match_json, severity, channel_ids, enabled, created_at, updated_at, version";

const std::vector<std::string> kSources{"monitoring", "event", "alertmanager", "engine", "job"};
const std::vector<std::string> kSeverities{"critical", "high", "medium", "low"};
const std::vector<std::string> kStates{"critical", "warning", "unknown", "flapping"};

bool OneOf(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

std::optional<std::vector<std::int64_t>> IdsFromJson(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    std::vector<std::int64_t> out;
    boost::system::error_code ec;
    const auto v = json::parse(*text, ec);
    if (!ec && v.is_array()) {
        for (const auto& x : v.as_array()) {
            if (x.is_int64()) out.push_back(x.as_int64());
        }
    }
    return out;
}

namespace {

AlertRule FromRow(const storage::Row& r) {
    AlertRule rule;
    rule.id = r.Int(0);
    rule.name = r.Text(1);
    rule.position = r.Int(2);
    rule.match = ParseObjectOrEmpty(r.Text(3));
    rule.severity = r.OptText(4);
    rule.channel_ids = IdsFromJson(r.OptText(5));
    rule.enabled = r.Bool(6);
    rule.created_at = r.Int(7);
    rule.updated_at = r.Int(8);
    rule.version = r.Int(9);
    return rule;
}

Result<AlertRule> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM alert_rules WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("alert rule {} does not exist", id)));
    return FromRow(rows.front());
}

// An error on `field` of `f` when row `id` of `table` does not exist.
Result<void> MustExist(storage::Connection& c, std::string_view table, std::string_view noun, std::int64_t id,
                       FieldReader& f, const std::string& field) {
    auto found = UNYO_TRY(c.Query(fmt::format("SELECT 1 FROM {} WHERE id = $1", table), {id}));
    if (found.empty()) f.AddError(field, fmt::format("{} {} does not exist", noun, id));
    return {};
}

// The members of `body` over `rule`, each checked; channel ids checked against the table.
Result<AlertRule> Read(storage::Connection& c, const json::object& body, AlertRule rule, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "position", "match", "severity", "channel_ids", "enabled"});
    if (create || f.Has("name")) rule.name = f.RequiredString("name", 200);
    if (auto p = f.OptionalInt("position", 0, 1'000'000)) rule.position = *p;
    if (auto e = f.OptionalBool("enabled")) rule.enabled = *e;
    if (const auto* m = body.if_contains("match")) {
        if (!m->is_object()) {
            f.AddError("match", "must be an object");
        } else {
            rule.match = m->as_object();
            FieldReader mf(rule.match);
            mf.AllowOnly({"source", "service", "monitor_type", "monitor_ids", "states", "name_contains"});
            if (auto s = mf.OptionalString("source", 40); s && !OneOf(kSources, *s)) {
                mf.AddError("source", "must be monitoring, event, alertmanager, engine or job");
            }
            mf.OptionalString("service", 200);
            if (auto t = mf.OptionalString("monitor_type", 40); t && !OneOf(monitor::Types(), *t)) {
                mf.AddError("monitor_type", fmt::format("'{}' is not a monitor type", *t));
            }
            mf.OptionalString("name_contains", 200);
            if (auto states = mf.OptionalStrings("states")) {
                for (const auto& s : *states) {
                    if (!OneOf(kStates, s)) mf.AddError("states", fmt::format("'{}' is not critical, warning, unknown or flapping", s));
                }
            }
            if (const auto* ids = rule.match.if_contains("monitor_ids");
                ids && !(ids->is_array() && std::all_of(ids->as_array().begin(), ids->as_array().end(),
                                                        [](const json::value& v) { return v.is_int64(); }))) {
                mf.AddError("monitor_ids", "must be an array of monitor ids");
            } else if (ids) {
                for (const auto& v : ids->as_array()) {
                    UNYO_TRY_VOID(MustExist(c, "monitors", "monitor", v.as_int64(), mf, "monitor_ids"));
                }
            }
            if (auto r = mf.Finish(); !r) {
                f.AddErrors("match", r.error());
            }
        }
    } else if (create) {
        f.AddError("match", "is required (an empty object matches every alert)");
    }
    if (const auto* s = body.if_contains("severity")) {
        if (s->is_null()) {
            rule.severity.reset();
        } else if (!s->is_string() || !OneOf(kSeverities, s->as_string())) {
            f.AddError("severity", "must be critical, high, medium, low or null");
        } else {
            rule.severity = std::string(s->as_string());
        }
    }
    if (const auto* ids = body.if_contains("channel_ids")) {
        if (ids->is_null()) {
            rule.channel_ids.reset();
        } else if (!ids->is_array() || ids->as_array().empty()) {
            f.AddError("channel_ids", "must be a non-empty array of channel ids, or null for every channel");
        } else {
            std::vector<std::int64_t> out;
            for (const auto& v : ids->as_array()) {
                if (!v.is_int64()) {
                    f.AddError("channel_ids", "must be an array of channel ids");
                    break;
                }
                UNYO_TRY_VOID(MustExist(c, "notification_channels", "channel", v.as_int64(), f, "channel_ids"));
                out.push_back(v.as_int64());
            }
            rule.channel_ids = std::move(out);
        }
    }
    if (!rule.severity && !rule.channel_ids) f.AddError("severity", "give a severity, channel_ids or both");
    UNYO_TRY_VOID(f.Finish());
    return rule;
}

std::optional<std::string> IdsText(const std::optional<std::vector<std::int64_t>>& ids) {
    if (!ids) return std::nullopt;
    return json::serialize(json::value_from(*ids));
}

}  // namespace

bool AlertRule::Matches(const AlertFacts& f) const {
    if (!enabled) return false;
    auto same = [&](const char* member, const std::string& value) {
        const auto want = StringOf(match, member);
        return want.empty() || want == value;
    };
    if (!same("source", f.source) || !same("service", f.service) || !same("monitor_type", f.monitor_type)) return false;
    if (const auto* ids = match.if_contains("monitor_ids"); ids && ids->is_array()) {
        const auto& a = ids->as_array();
        if (!f.monitor_id || std::none_of(a.begin(), a.end(), [&](const json::value& v) {
                return v.is_int64() && v.as_int64() == *f.monitor_id;
            })) {
            return false;
        }
    }
    if (const auto* states = match.if_contains("states"); states && states->is_array() && !states->as_array().empty()) {
        const auto& a = states->as_array();
        if (std::none_of(a.begin(), a.end(), [&](const json::value& v) { return v.is_string() && v.as_string() == f.state; })) {
            return false;
        }
    }
    const auto part = StringOf(match, "name_contains");
    return part.empty() || f.name.find(part) != std::string::npos;
}

json::object ToJson(const AlertRule& r) {
    json::value ids = nullptr;
    if (r.channel_ids) ids = json::value_from(*r.channel_ids);
    return {{"id", r.id},
            {"name", r.name},
            {"position", r.position},
            {"match", r.match},
            {"severity", OrNull(r.severity)},
            {"channel_ids", ids},
            {"enabled", r.enabled},
            {"created_at", FormatRfc3339(r.created_at)},
            {"updated_at", FormatRfc3339(r.updated_at)},
            {"version", r.version}};
}

Result<std::vector<AlertRule>> AlertRules::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<AlertRule>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM alert_rules ORDER BY position, id", kColumns), {}));
        std::vector<AlertRule> out;
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<AlertRule> AlertRules::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<AlertRule> AlertRules::Create(const json::object& body, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<AlertRule> {
        AlertRule rule = UNYO_TRY(Read(c, body, AlertRule{}, true));
        rule.created_at = rule.updated_at = clock_.Now();
        auto rows = c.Query("INSERT INTO alert_rules (name, position, match_json, severity, channel_ids, enabled, "
                            "created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) RETURNING id",
                            {rule.name, rule.position, json::serialize(rule.match), storage::Nullable(rule.severity),
                             storage::Nullable(IdsText(rule.channel_ids)), std::int64_t{rule.enabled ? 1 : 0},
                             rule.created_at});
        if (!rows && rows.error().code == ErrorCode::kConflict) {
            return Fail(Error::Field("name", fmt::format("a rule named \"{}\" already exists", rule.name), ErrorCode::kConflict));
        }
        rule.id = UNYO_TRY(std::move(rows)).front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"alert_rule.create", "alert_rule", std::to_string(rule.id), nullptr, ToJson(rule)},
                               rule.created_at));
        return rule;
    });
}

Result<AlertRule> AlertRules::Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                     const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<AlertRule> {
        const AlertRule before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("alert rule {} was changed by someone else (now version {})", id, before.version),
                         {}});
        }
        AlertRule after = UNYO_TRY(Read(c, body, before, false));
        after.updated_at = clock_.Now();
        after.version = before.version + 1;
        auto done = c.Exec("UPDATE alert_rules SET name = $1, position = $2, match_json = $3, severity = $4, "
                           "channel_ids = $5, enabled = $6, updated_at = $7, version = $8 WHERE id = $9",
                           {after.name, after.position, json::serialize(after.match), storage::Nullable(after.severity),
                            storage::Nullable(IdsText(after.channel_ids)), std::int64_t{after.enabled ? 1 : 0},
                            after.updated_at, after.version, id});
        if (!done && done.error().code == ErrorCode::kConflict) {
            return Fail(Error::Field("name", fmt::format("a rule named \"{}\" already exists", after.name), ErrorCode::kConflict));
        }
        UNYO_TRY(std::move(done));
        UNYO_TRY(audit::Append(c, actor, {"alert_rule.update", "alert_rule", std::to_string(id), ToJson(before), ToJson(after)},
                               after.updated_at));
        return after;
    });
}

Result<void> AlertRules::Delete(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const AlertRule before = UNYO_TRY(Load(c, id));
        UNYO_TRY(c.Exec("DELETE FROM alert_rules WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"alert_rule.delete", "alert_rule", std::to_string(id), ToJson(before), nullptr},
                               clock_.Now()));
        return {};
    });
}

Result<std::optional<AlertRule>> AlertRules::FirstMatch(storage::Connection& c, const AlertFacts& f) {
    auto rows = UNYO_TRY(c.Query(
        fmt::format("SELECT {} FROM alert_rules WHERE enabled = 1 ORDER BY position, id", kColumns), {}));
    for (const auto& r : rows.rows) {
        auto rule = FromRow(r);
        if (rule.Matches(f)) return std::optional<AlertRule>(std::move(rule));
    }
    return std::optional<AlertRule>{};
}

}  // namespace unyo::alerts
