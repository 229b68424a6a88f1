#include "alerts/escalation.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "calendar/date_member.hpp"
#include "core/time_format.hpp"

namespace unyo::alerts {
namespace {

constexpr const char* kColumns = "id, name, ci_id, severities_json, levels_json, reviewed_on, note, created_at, updated_at, version";
const std::vector<std::string> kSeverities{"critical", "high", "medium", "low"};

json::object LevelJson(const EscalationLevel& l) {
    json::array users;
    for (auto u : l.user_ids) users.push_back(u);
    return {{"name", l.name},
            {"organization_id", OrNull(l.organization_id)},
            {"user_ids", std::move(users)},
            {"contacts", cis::ContactsJson(l.contacts)},
            {"after_min", l.after_min}};
}

EscalationLevel LevelOf(const json::object& o) {
    EscalationLevel l;
    l.name = StringOf(o, "name");
    if (const auto* org = o.if_contains("organization_id"); org && org->is_int64()) l.organization_id = org->as_int64();
    if (const auto* users = o.if_contains("user_ids"); users && users->is_array()) {
        for (const auto& u : users->as_array()) {
            if (u.is_int64()) l.user_ids.push_back(u.as_int64());
        }
    }
    if (const auto* contacts = o.if_contains("contacts")) l.contacts = cis::ContactsOf(json::serialize(*contacts));
    l.after_min = static_cast<int>(IntOf(o, "after_min", 0));
    return l;
}

EscalationRoute FromRow(const storage::Row& r) {
    EscalationRoute route;
    route.id = r.Int(0);
    route.name = r.Text(1);
    route.ci_id = r.OptInt(2);
    route.severities = ParseStringArray(r.Text(3));
    for (const auto& l : ParseArrayOrEmpty(r.Text(4))) {
        if (l.is_object()) route.levels.push_back(LevelOf(l.as_object()));
    }
    route.reviewed_on = r.OptText(5) ? calendar::Date::Parse(*r.OptText(5)) : std::nullopt;
    route.note = r.Text(6);
    route.created_at = r.Int(7);
    route.updated_at = r.Int(8);
    route.version = r.Int(9);
    return route;
}

json::array LevelsJson(const EscalationRoute& r) {
    json::array out;
    for (const auto& l : r.levels) out.push_back(LevelJson(l));
    return out;
}

std::vector<storage::Value> Values(const EscalationRoute& r) {
    return {r.name, storage::Nullable(r.ci_id), json::serialize(json::value_from(r.severities)), json::serialize(LevelsJson(r)),
            r.reviewed_on ? storage::Value(r.reviewed_on->ToString()) : storage::Value(std::monostate{}), r.note};
}

Result<EscalationRoute> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM escalation_routes WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("escalation route {} does not exist", id)));
    return FromRow(rows.front());
}

// Every organisation, user and configuration item named exists; each missing one named.
Result<void> CheckReferences(storage::Connection& c, const EscalationRoute& r) {
    std::vector<FieldError> errors;
    if (r.ci_id && UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {*r.ci_id})).empty()) {
        errors.push_back({"ci_id", fmt::format("configuration item {} does not exist", *r.ci_id)});
    }
    for (std::size_t i = 0; i < r.levels.size(); ++i) {
        const auto& l = r.levels[i];
        if (l.organization_id && UNYO_TRY(c.Query("SELECT 1 FROM organizations WHERE id = $1", {*l.organization_id})).empty()) {
            errors.push_back({fmt::format("levels[{}].organization_id", i), fmt::format("organization {} does not exist", *l.organization_id)});
        }
        for (auto u : l.user_ids) {
            if (UNYO_TRY(c.Query("SELECT 1 FROM users WHERE id = $1", {u})).empty()) {
                errors.push_back({fmt::format("levels[{}].user_ids", i), fmt::format("user {} does not exist", u)});
            }
        }
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    return {};
}

// A confirmation is of a day that has come (a future one would hide the review for long).
Result<void> CheckReviewed(const EscalationRoute& r, Millis now) {
    if (r.reviewed_on && calendar::Date::FromInstant(now) < *r.reviewed_on) {
        return Fail(Error::Field("reviewed_on", "must not be in the future"));
    }
    return {};
}

template <typename T>
Result<T> NameTaken(Result<T> r, const EscalationRoute& route) {
    if (!r && r.error().code == ErrorCode::kConflict) {
        return Fail(Error::Field("name", fmt::format("a route named \"{}\" exists already", route.name), ErrorCode::kConflict));
    }
    return r;
}

}  // namespace

Result<EscalationRoute> RouteFromJson(const json::object& body, EscalationRoute r, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "ci_id", "severities", "levels", "reviewed_on", "note"});
    if (create || f.Has("name")) r.name = f.RequiredString("name", 200);
    if (auto n = f.OptionalString("note", 4000)) r.note = *n;
    if (const auto* v = body.if_contains("ci_id")) {
        if (v->is_null()) {
            r.ci_id.reset();
        } else if (!v->is_int64() || v->as_int64() <= 0) {
            f.AddError("ci_id", "must be a configuration item's id or null (every system)");
        } else {
            r.ci_id = v->as_int64();
        }
    }
    if (auto sev = f.OptionalStrings("severities")) {
        for (const auto& s : *sev) {
            if (std::find(kSeverities.begin(), kSeverities.end(), s) == kSeverities.end()) {
                f.AddError("severities", fmt::format("'{}' is not a severity (critical, high, medium, low)", s));
            }
        }
        r.severities = *sev;
    }
    ReadOptionalDate(f, body, "reviewed_on", r.reviewed_on);
    if (const auto* v = body.if_contains("levels")) {
        if (!v->is_array() || v->as_array().empty() || v->as_array().size() > 10) {
            f.AddError("levels", "must be a list of 1 to 10 {name, organization_id?, user_ids?, contacts?, after_min}");
        } else {
            r.levels.clear();
            int previous = -1;
            for (std::size_t i = 0; i < v->as_array().size(); ++i) {
                const auto& item = v->as_array()[i];
                const std::string at = fmt::format("levels[{}]", i);
                if (!item.is_object()) {
                    f.AddError(at, "must be {name, organization_id?, user_ids?, contacts?, after_min}");
                    continue;
                }
                const auto& o = item.as_object();
                FieldReader lf(o);
                lf.AllowOnly({"name", "organization_id", "user_ids", "contacts", "after_min"});
                EscalationLevel l;
                l.name = lf.RequiredString("name", 200);
                l.organization_id = lf.OptionalInt("organization_id", 1, std::numeric_limits<std::int64_t>::max());
                l.after_min = static_cast<int>(lf.OptionalInt("after_min", 0, 7 * 24 * 60).value_or(0));
                if (const auto* users = o.if_contains("user_ids")) {
                    if (!users->is_array()) {
                        lf.AddError("user_ids", "must be a list of user ids");
                    } else {
                        for (const auto& u : users->as_array()) {
                            if (!u.is_int64() || u.as_int64() <= 0) {
                                lf.AddError("user_ids", "must be a list of user ids");
                                break;
                            }
                            l.user_ids.push_back(u.as_int64());
                        }
                    }
                }
                if (const auto* contacts = o.if_contains("contacts")) l.contacts = cis::ContactsFromJson(lf, "contacts", *contacts);
                if (l.after_min < previous) lf.AddError("after_min", "must not be before the level above it");
                previous = std::max(previous, l.after_min);
                if (auto done = lf.Finish(); !done) f.AddErrors(at, done.error());
                r.levels.push_back(std::move(l));
            }
        }
    } else if (create) {
        f.AddError("levels", "is required: the levels from the first responders up");
    }
    UNYO_TRY_VOID(f.Finish());
    return r;
}

json::object ToJson(const EscalationRoute& r, Millis now) {
    const auto since = r.reviewed_on.value_or(calendar::Date::FromInstant(r.updated_at));
    return {{"id", r.id},
            {"name", r.name},
            {"ci_id", OrNull(r.ci_id)},
            {"severities", json::value_from(r.severities)},
            {"levels", LevelsJson(r)},
            {"reviewed_on", r.reviewed_on ? json::value(r.reviewed_on->ToString()) : json::value(nullptr)},
            {"review_due", since < calendar::Date::FromInstant(now).AddDays(-kRouteReviewDays)},
            {"note", r.note},
            {"created_at", FormatRfc3339(r.created_at)},
            {"updated_at", FormatRfc3339(r.updated_at)},
            {"version", r.version}};
}

std::optional<EscalationRoute> RouteFor(const std::vector<EscalationRoute>& routes, const std::string& severity,
                                        std::optional<std::int64_t> ci_id) {
    const EscalationRoute* general = nullptr;
    for (const auto& r : routes) {
        if (!r.severities.empty() && std::find(r.severities.begin(), r.severities.end(), severity) == r.severities.end()) continue;
        if (r.ci_id && ci_id && *r.ci_id == *ci_id) return r;
        if (!r.ci_id && !general) general = &r;
    }
    return general ? std::optional(*general) : std::nullopt;
}

Result<std::vector<EscalationRoute>> LoadRoutes(storage::Connection& c) {
    std::vector<EscalationRoute> out;
    for (const auto& row : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM escalation_routes ORDER BY id", kColumns), {})).rows) {
        out.push_back(FromRow(row));
    }
    return out;
}

Result<std::vector<EscalationRoute>> EscalationRoutes::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<EscalationRoute>> {
        std::vector<EscalationRoute> out;
        for (const auto& r : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM escalation_routes ORDER BY name", kColumns), {})).rows) {
            out.push_back(FromRow(r));
        }
        return out;
    });
}

Result<EscalationRoute> EscalationRoutes::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<EscalationRoute> EscalationRoutes::Create(const json::object& body, const audit::Actor& actor) {
    EscalationRoute r = UNYO_TRY(RouteFromJson(body, EscalationRoute{}, true));
    const Millis now = clock_.Now();
    UNYO_TRY_VOID(CheckReviewed(r, now));
    return db_.Write([&](storage::Connection& c) -> Result<EscalationRoute> {
        UNYO_TRY_VOID(CheckReferences(c, r));
        auto values = Values(r);
        values.emplace_back(now);
        auto rows = UNYO_TRY(NameTaken(c.Query("INSERT INTO escalation_routes (name, ci_id, severities_json, levels_json, reviewed_on, "
                                               "note, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) "
                                               "RETURNING id",
                                               values),
                                       r));
        r.id = rows.front().Int(0);
        r.created_at = r.updated_at = now;
        UNYO_TRY(audit::Append(c, actor, {"escalation_route.create", "escalation_route", std::to_string(r.id), nullptr, ToJson(r, now)}, now));
        return r;
    });
}

Result<EscalationRoute> EscalationRoutes::Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                                 const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<EscalationRoute> {
        const auto before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail(Error{ErrorCode::kPreconditionFailed,
                              fmt::format("escalation route \"{}\" was changed by someone else (now version {}); reload and retry",
                                          before.name, before.version),
                              {}});
        }
        auto r = UNYO_TRY(RouteFromJson(body, before, false));
        UNYO_TRY_VOID(CheckReviewed(r, now));
        UNYO_TRY_VOID(CheckReferences(c, r));
        r.updated_at = now;
        r.version = before.version + 1;
        auto values = Values(r);
        values.insert(values.end(), {storage::Value(now), storage::Value(r.version), storage::Value(id)});
        UNYO_TRY(NameTaken(c.Exec("UPDATE escalation_routes SET name = $1, ci_id = $2, severities_json = $3, levels_json = $4, "
                                  "reviewed_on = $5, note = $6, updated_at = $7, version = $8 WHERE id = $9",
                                  values),
                           r));
        UNYO_TRY(audit::Append(c, actor, {"escalation_route.update", "escalation_route", std::to_string(id), ToJson(before, now),
                                          ToJson(r, now)},
                               now));
        return r;
    });
}

Result<void> EscalationRoutes::Delete(std::int64_t id, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const auto before = UNYO_TRY(Load(c, id));
        UNYO_TRY(c.Exec("DELETE FROM escalation_routes WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"escalation_route.delete", "escalation_route", std::to_string(id), ToJson(before, now), nullptr}, now));
        return {};
    });
}

}  // namespace unyo::alerts
