#include "cis/cis.hpp"

#include <algorithm>
#include <deque>
#include <map>

#include <fmt/format.h>

#include "calendar/date_member.hpp"
#include "core/time_format.hpp"

namespace unyo::cis {
namespace {

const std::vector<std::string> kTypes{"application", "software",         "middleware", "licence", "hardware", "network",
                                      "facility",    "managed_service", "environment", "terminal", "vdi",      "printer"};
const std::vector<std::string> kEnvironments{"production", "staging", "integration", "development"};
const std::vector<std::string> kKinds{"runs_on", "depends_on", "connects_to", "part_of"};
constexpr const char* kColumns =
    "id, name, type, version, environment, organization_id, attributes_json, released_on, end_of_sales, end_of_support, "
    "end_of_life, licence_count, licence_expiry, note, created_at, updated_at, row_version";

bool OneOf(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::optional<calendar::Date> DateOrNone(const std::optional<std::string>& s) {
    return s ? calendar::Date::Parse(*s) : std::nullopt;
}

storage::Value DateValue(const std::optional<calendar::Date>& d) {
    return d ? storage::Value(d->ToString()) : storage::Value(std::monostate{});
}

json::value DateJson(const std::optional<calendar::Date>& d) { return d ? json::value(d->ToString()) : json::value(nullptr); }

Ci FromRow(const storage::Row& r) {
    Ci c;
    c.id = r.Int(0);
    c.name = r.Text(1);
    c.type = r.Text(2);
    c.version = r.Text(3);
    c.environment = r.Text(4);
    c.organization_id = r.OptInt(5);
    c.attributes = ParseObjectOrEmpty(r.Text(6));
    c.released_on = DateOrNone(r.OptText(7));
    c.end_of_sales = DateOrNone(r.OptText(8));
    c.end_of_support = DateOrNone(r.OptText(9));
    c.end_of_life = DateOrNone(r.OptText(10));
    c.licence_count = r.OptInt(11);
    c.licence_expiry = DateOrNone(r.OptText(12));
    c.note = r.Text(13);
    c.created_at = r.Int(14);
    c.updated_at = r.Int(15);
    c.version_no = r.Int(16);
    return c;
}

Result<Ci> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM cis WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("configuration item {} does not exist", id)));
    return FromRow(rows.front());
}

std::vector<storage::Value> Values(const Ci& c) {
    return {c.name,
            c.type,
            c.version,
            c.environment,
            storage::Nullable(c.organization_id),
            json::serialize(c.attributes),
            DateValue(c.released_on),
            DateValue(c.end_of_sales),
            DateValue(c.end_of_support),
            DateValue(c.end_of_life),
            storage::Nullable(c.licence_count),
            DateValue(c.licence_expiry),
            c.note};
}

Result<void> CheckOrganization(storage::Connection& c, const Ci& ci) {
    if (ci.organization_id && UNYO_TRY(c.Query("SELECT 1 FROM organizations WHERE id = $1", {*ci.organization_id})).empty()) {
        return Fail(Error::Field("organization_id", fmt::format("organization {} does not exist", *ci.organization_id)));
    }
    return {};
}

}  // namespace

Result<Ci> CiFromJson(const json::object& body, Ci c, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "type", "version", "environment", "organization_id", "attributes", "released_on", "end_of_sales",
                 "end_of_support", "end_of_life", "licence_count", "licence_expiry", "note"});
    if (create || f.Has("name")) c.name = f.RequiredString("name", 200);
    if (create || f.Has("type")) {
        c.type = f.RequiredString("type", 40);
        if (!c.type.empty() && !OneOf(kTypes, c.type)) {
            f.AddError("type", "must be application, software, middleware, licence, hardware, network, facility, "
                               "managed_service, environment, terminal, vdi or printer");
        }
    }
    if (auto v = f.OptionalString("version", 100)) c.version = *v;
    if (auto e = f.OptionalString("environment", 20)) {
        if (!OneOf(kEnvironments, *e)) {
            f.AddError("environment", "must be production, staging, integration or development");
        } else {
            c.environment = *e;
        }
    }
    if (const auto* o = body.if_contains("organization_id")) {
        if (o->is_null()) {
            c.organization_id.reset();
        } else if (!o->is_int64()) {
            f.AddError("organization_id", "must be an organization's id or null");
        } else {
            c.organization_id = o->as_int64();
        }
    }
    if (const auto* a = body.if_contains("attributes")) {
        if (!a->is_object()) {
            f.AddError("attributes", "must be an object of name: value");
        } else {
            c.attributes = a->as_object();
        }
    }
    const auto date = [&](const char* name, std::optional<calendar::Date>& out) { ReadOptionalDate(f, body, name, out); };
    date("released_on", c.released_on);
    date("end_of_sales", c.end_of_sales);
    date("end_of_support", c.end_of_support);
    date("end_of_life", c.end_of_life);
    date("licence_expiry", c.licence_expiry);
    if (const auto* n = body.if_contains("licence_count")) {
        if (n->is_null()) {
            c.licence_count.reset();
        } else if (!n->is_int64() || n->as_int64() < 0) {
            f.AddError("licence_count", "must be a number of licences (0 or more) or null");
        } else {
            c.licence_count = n->as_int64();
        }
    }
    if (auto n = f.OptionalString("note", 4000)) c.note = *n;
    if (c.end_of_support && c.end_of_life && *c.end_of_life < *c.end_of_support) {
        f.AddError("end_of_life", "must not be before end_of_support");
    }
    UNYO_TRY_VOID(f.Finish());
    return c;
}

json::object ToJson(const Ci& c) {
    return {{"id", c.id},
            {"name", c.name},
            {"type", c.type},
            {"version", c.version},
            {"environment", c.environment},
            {"organization_id", OrNull(c.organization_id)},
            {"attributes", c.attributes},
            {"released_on", DateJson(c.released_on)},
            {"end_of_sales", DateJson(c.end_of_sales)},
            {"end_of_support", DateJson(c.end_of_support)},
            {"end_of_life", DateJson(c.end_of_life)},
            {"licence_count", OrNull(c.licence_count)},
            {"licence_expiry", DateJson(c.licence_expiry)},
            {"note", c.note},
            {"created_at", FormatRfc3339(c.created_at)},
            {"updated_at", FormatRfc3339(c.updated_at)},
            {"version_no", c.version_no}};
}

json::object ToJson(const Milestone& m) {
    return {{"ci_id", m.ci_id}, {"ci_name", m.ci_name}, {"milestone", m.milestone}, {"date", m.date.ToString()},
            {"days_left", m.days_left}};
}

json::object ToJson(const Impact& i) {
    return {{"ci_id", i.ci_id}, {"ci_name", i.ci_name}, {"via", i.via}, {"depth", i.depth}};
}

Result<std::vector<Ci>> CiStore::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Ci>> {
        std::vector<Ci> out;
        for (const auto& r : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM cis ORDER BY name, id", kColumns), {})).rows) {
            out.push_back(FromRow(r));
        }
        return out;
    });
}

Result<Ci> CiStore::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<Ci> CiStore::Create(const json::object& body, const audit::Actor& actor) {
    Ci ci = UNYO_TRY(CiFromJson(body, Ci{}, true));
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Ci> {
        UNYO_TRY_VOID(CheckOrganization(c, ci));
        auto values = Values(ci);
        values.emplace_back(now);
        auto rows = UNYO_TRY(c.Query("INSERT INTO cis (name, type, version, environment, organization_id, attributes_json, "
                                     "released_on, end_of_sales, end_of_support, end_of_life, licence_count, licence_expiry, "
                                     "note, created_at, updated_at, row_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                     "$10, $11, $12, $13, $14, $14, 1) RETURNING id",
                                     values));
        ci.id = rows.front().Int(0);
        ci.created_at = ci.updated_at = now;
        UNYO_TRY(audit::Append(c, actor, {"ci.create", "ci", std::to_string(ci.id), nullptr, ToJson(ci)}, now));
        return ci;
    });
}

Result<Ci> CiStore::Update(std::int64_t id, std::int64_t expected_version, const json::object& body, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Ci> {
        const Ci before = UNYO_TRY(Load(c, id));
        if (before.version_no != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("configuration item {} was changed by someone else (now version {})", id, before.version_no), {}});
        }
        Ci after = UNYO_TRY(CiFromJson(body, before, false));
        UNYO_TRY_VOID(CheckOrganization(c, after));
        auto values = Values(after);
        values.emplace_back(now);
        values.emplace_back(id);
        values.emplace_back(expected_version);
        UNYO_TRY(c.Exec("UPDATE cis SET name = $1, type = $2, version = $3, environment = $4, organization_id = $5, "
                        "attributes_json = $6, released_on = $7, end_of_sales = $8, end_of_support = $9, end_of_life = $10, "
                        "licence_count = $11, licence_expiry = $12, note = $13, updated_at = $14, row_version = row_version + 1 "
                        "WHERE id = $15 AND row_version = $16",
                        values));
        after.updated_at = now;
        after.version_no = before.version_no + 1;
        UNYO_TRY(audit::Append(c, actor, {"ci.update", "ci", std::to_string(id), ToJson(before), ToJson(after)}, now));
        return after;
    });
}

Result<void> CiStore::Delete(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const Ci before = UNYO_TRY(Load(c, id));
        // What would lose its meaning without the item keeps it (409 saying what); links just go.
        if (const auto n = UNYO_TRY(c.Query("SELECT COUNT(*) FROM managed_accounts WHERE ci_id = $1", {id})).front().Int(0); n > 0) {
            return Fail(Error::Conflict(fmt::format("configuration item {} has {} account(s) on it: remove or move them first", id, n)));
        }
        if (auto r = UNYO_TRY(c.Query("SELECT name FROM escalation_routes WHERE ci_id = $1", {id})); !r.empty()) {
            return Fail(Error::Conflict(fmt::format("the escalation route \"{}\" serves configuration item {}: change it first", r.front().Text(0), id)));
        }
        UNYO_TRY(c.Exec("DELETE FROM ci_relations WHERE from_id = $1 OR to_id = $1", {id}));
        // A partner stays listed without it (connected to nothing until someone says to what).
        UNYO_TRY(c.Exec("UPDATE integration_partners SET ci_id = NULL WHERE ci_id = $1", {id}));
        UNYO_TRY(c.Exec("UPDATE monitors SET ci_id = NULL WHERE ci_id = $1", {id}));
        UNYO_TRY(c.Exec("DELETE FROM document_cis WHERE ci_id = $1", {id}));
        UNYO_TRY(c.Exec("DELETE FROM cis WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"ci.delete", "ci", std::to_string(id), ToJson(before), nullptr}, clock_.Now()));
        return {};
    });
}

Result<std::vector<Relation>> CiStore::Relations(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Relation>> {
        UNYO_TRY(Load(c, id));
        std::vector<Relation> out;
        for (const auto& r : UNYO_TRY(c.Query("SELECT from_id, to_id, kind FROM ci_relations WHERE from_id = $1 OR to_id = $1 "
                                              "ORDER BY from_id, to_id, kind",
                                              {id}))
                                 .rows) {
            out.push_back({r.Int(0), r.Int(1), r.Text(2)});
        }
        return out;
    });
}

Result<void> CiStore::Relate(const Relation& rel, const audit::Actor& actor) {
    if (!OneOf(kKinds, rel.kind)) return Fail(Error::Field("kind", "must be runs_on, depends_on, connects_to or part_of"));
    if (rel.from_id == rel.to_id) return Fail(Error::Field("to_id", "a configuration item cannot relate to itself"));
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(Load(c, rel.from_id));
        if (auto to = Load(c, rel.to_id); !to) return Fail(Error::Field("to_id", to.error().message));
        UNYO_TRY(c.Exec("INSERT INTO ci_relations (from_id, to_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                        {rel.from_id, rel.to_id, rel.kind}));
        UNYO_TRY(audit::Append(c, actor, {"ci.relate", "ci", std::to_string(rel.from_id), nullptr,
                                          json::object{{"to_id", rel.to_id}, {"kind", rel.kind}}},
                               clock_.Now()));
        return {};
    });
}

Result<void> CiStore::Unrelate(const Relation& rel, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const auto n = UNYO_TRY(c.Exec("DELETE FROM ci_relations WHERE from_id = $1 AND to_id = $2 AND kind = $3",
                                       {rel.from_id, rel.to_id, rel.kind}));
        if (n == 0) return Fail(Error::NotFound("no such relation"));
        UNYO_TRY(audit::Append(c, actor, {"ci.unrelate", "ci", std::to_string(rel.from_id),
                                          json::object{{"to_id", rel.to_id}, {"kind", rel.kind}}, nullptr},
                               clock_.Now()));
        return {};
    });
}

Result<std::vector<Impact>> ImpactOf(storage::Connection& c, std::int64_t id) {
    UNYO_TRY(Load(c, id));
    std::multimap<std::int64_t, std::pair<std::int64_t, std::string>> affects;  // failed → (affected, via)
    for (const auto& r : UNYO_TRY(c.Query("SELECT from_id, to_id, kind FROM ci_relations", {})).rows) {
        const auto from = r.Int(0), to = r.Int(1);
        const auto kind = r.Text(2);
        if (kind == "runs_on" || kind == "depends_on") {
            affects.emplace(to, std::pair{from, kind});  // what runs on / depends on `to`
        } else if (kind == "part_of") {
            affects.emplace(from, std::pair{to, kind});  // the whole a part belongs to
        } else {
            affects.emplace(from, std::pair{to, kind});
            affects.emplace(to, std::pair{from, kind});
        }
    }
    std::map<std::int64_t, Impact> seen;
    std::deque<std::pair<std::int64_t, int>> queue{{id, 0}};
    while (!queue.empty()) {
        const auto [at, depth] = queue.front();
        queue.pop_front();
        const auto [b, e] = affects.equal_range(at);
        for (auto it = b; it != e; ++it) {
            const auto [next, via] = it->second;
            if (next == id || !seen.emplace(next, Impact{next, "", via, depth + 1}).second) continue;
            // A connection is told, not followed further: what runs behind it is its own matter.
            if (via != "connects_to") queue.emplace_back(next, depth + 1);
        }
    }
    std::map<std::int64_t, std::string> names;
    if (!seen.empty()) {
        for (const auto& r : UNYO_TRY(c.Query("SELECT id, name FROM cis", {})).rows) names.emplace(r.Int(0), r.Text(1));
    }
    std::vector<Impact> out;
    for (auto& [cid, impact] : seen) {
        impact.ci_name = names[cid];
        out.push_back(std::move(impact));
    }
    std::sort(out.begin(), out.end(), [](const Impact& a, const Impact& b) {
        return std::tie(a.depth, a.ci_name) < std::tie(b.depth, b.ci_name);
    });
    return out;
}

Result<std::vector<Impact>> CiStore::ImpactOf(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return cis::ImpactOf(c, id); });
}

Result<std::vector<Milestone>> CiStore::Lifecycle(int days) {
    const auto today = calendar::Date::FromInstant(clock_.Now());
    const auto horizon = today.AddDays(days);
    std::vector<Milestone> out;
    for (const auto& ci : UNYO_TRY(List())) {
        const std::pair<const char*, const std::optional<calendar::Date>*> dates[] = {
            {"end_of_sales", &ci.end_of_sales},
            {"end_of_support", &ci.end_of_support},
            {"end_of_life", &ci.end_of_life},
            {"licence_expiry", &ci.licence_expiry}};
        for (const auto& [what, d] : dates) {
            if (*d && **d <= horizon) out.push_back({ci.id, ci.name, what, **d, today.DaysUntil(**d)});
        }
    }
    std::sort(out.begin(), out.end(), [](const Milestone& a, const Milestone& b) {
        return std::tie(a.date, a.ci_name) < std::tie(b.date, b.ci_name);
    });
    return out;
}

}  // namespace unyo::cis
