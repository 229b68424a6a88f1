#include "cis/partners.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "core/choice.hpp"
#include "core/time_format.hpp"

namespace unyo::cis {
namespace {

constexpr const char* kColumns =
    "id, name, department, vendor, ci_id, direction, timing, cycle, protocol, route, resend, resend_note, contacts_json, "
    "inform, note, created_at, updated_at, version";

const std::vector<std::string_view> kDirections{"send", "receive", "both"};
const std::vector<std::string_view> kRoutes{"data_platform", "direct", "media", "other"};
const std::vector<std::string_view> kResends{"required", "not_required", "ask"};

Partner FromRow(const storage::Row& r) {
    Partner p;
    p.id = r.Int(0);
    p.name = r.Text(1);
    p.department = r.Text(2);
    p.vendor = r.Text(3);
    p.ci_id = r.OptInt(4);
    p.direction = r.Text(5);
    p.timing = r.Text(6);
    p.cycle = r.Text(7);
    p.protocol = r.Text(8);
    p.route = r.Text(9);
    p.resend = r.Text(10);
    p.resend_note = r.Text(11);
    p.contacts = ContactsOf(r.Text(12));
    p.inform = r.Bool(13);
    p.note = r.Text(14);
    p.created_at = r.Int(15);
    p.updated_at = r.Int(16);
    p.version = r.Int(17);
    return p;
}

Result<Partner> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM integration_partners WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("integration partner {} does not exist", id)));
    return FromRow(rows.front());
}

Result<void> CheckCi(storage::Connection& c, const Partner& p) {
    if (p.ci_id && UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {*p.ci_id})).empty()) {
        return Fail(Error::Field("ci_id", fmt::format("configuration item {} does not exist", *p.ci_id)));
    }
    return {};
}

std::vector<storage::Value> Values(const Partner& p) {
    return {p.name,     p.department,  p.vendor,          storage::Nullable(p.ci_id),
            p.direction, p.timing,     p.cycle,           p.protocol,
            p.route,    p.resend,      p.resend_note,     json::serialize(ContactsJson(p.contacts)),
            std::int64_t{p.inform ? 1 : 0}, p.note};
}

// A name already taken is a conflict on `name`; other failures pass as they are.
template <typename T>
Result<T> NameTaken(Result<T> r, const Partner& p) {
    if (!r && r.error().code == ErrorCode::kConflict) {
        return Fail(Error::Field("name", fmt::format("a partner named \"{}\" is listed already", p.name), ErrorCode::kConflict));
    }
    return r;
}

}  // namespace

json::array ContactsJson(const std::vector<Contact>& contacts) {
    json::array out;
    for (const auto& c : contacts) {
        out.push_back(json::object{{"name", c.name}, {"role", c.role}, {"email", c.email}, {"phone", c.phone}});
    }
    return out;
}

std::vector<Contact> ContactsOf(std::string_view text) {
    std::vector<Contact> out;
    for (const auto& v : ParseArrayOrEmpty(text)) {
        if (!v.is_object()) continue;
        const auto& o = v.as_object();
        out.push_back({StringOf(o, "name"), StringOf(o, "role"), StringOf(o, "email"), StringOf(o, "phone")});
    }
    return out;
}

std::vector<Contact> ContactsFromJson(FieldReader& f, std::string_view field, const json::value& v) {
    std::vector<Contact> contacts;
    if (!v.is_array() || v.as_array().size() > 20) {
        f.AddError(std::string(field), "must be a list of at most 20 {name, role?, email?, phone?}");
        return contacts;
    }
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
        const auto& item = v.as_array()[i];
        const std::string at = fmt::format("{}[{}]", field, i);
        if (!item.is_object()) {
            f.AddError(at, "must be {name, role?, email?, phone?}");
            continue;
        }
        FieldReader cf(item.as_object());
        cf.AllowOnly({"name", "role", "email", "phone"});
        Contact c;
        c.name = cf.RequiredString("name", 200);
        c.role = cf.OptionalString("role", 200).value_or("");
        c.email = cf.OptionalString("email", 254).value_or("");
        c.phone = cf.OptionalString("phone", 40).value_or("");
        if (!c.email.empty() && (c.email.find('@') == std::string::npos || c.email.find_first_of(" \t\r\n,;<>") != std::string::npos)) {
            cf.AddError("email", "must be one e-mail address");
        }
        if (auto done = cf.Finish(); !done) f.AddErrors(at, done.error());
        contacts.push_back(std::move(c));
    }
    return contacts;
}

Result<Partner> PartnerFromJson(const json::object& body, Partner p, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "department", "vendor", "ci_id", "direction", "timing", "cycle", "protocol", "route", "resend",
                 "resend_note", "contacts", "inform", "note"});
    if (create || f.Has("name")) p.name = f.RequiredString("name", 200);
    const auto text = [&](const char* name, std::string& out, std::size_t max) {
        if (auto v = f.OptionalString(name, max)) out = *v;
    };
    text("department", p.department, 200);
    text("vendor", p.vendor, 200);
    text("timing", p.timing, 200);
    text("cycle", p.cycle, 200);
    text("protocol", p.protocol, 200);
    text("resend_note", p.resend_note, 2000);
    text("note", p.note, 4000);
    if (const auto* v = body.if_contains("ci_id")) {
        if (v->is_null()) {
            p.ci_id.reset();
        } else if (!v->is_int64() || v->as_int64() <= 0) {
            f.AddError("ci_id", "must be a configuration item's id or null");
        } else {
            p.ci_id = v->as_int64();
        }
    }
    ReadChoice(f, "direction", kDirections, p.direction);
    ReadChoice(f, "route", kRoutes, p.route);
    ReadChoice(f, "resend", kResends, p.resend);
    if (auto i = f.OptionalBool("inform")) p.inform = *i;
    if (const auto* v = body.if_contains("contacts")) p.contacts = ContactsFromJson(f, "contacts", *v);
    UNYO_TRY_VOID(f.Finish());
    return p;
}

json::object ToJson(const Partner& p) {
    return {{"id", p.id},
            {"name", p.name},
            {"department", p.department},
            {"vendor", p.vendor},
            {"ci_id", OrNull(p.ci_id)},
            {"direction", p.direction},
            {"timing", p.timing},
            {"cycle", p.cycle},
            {"protocol", p.protocol},
            {"route", p.route},
            {"resend", p.resend},
            {"resend_note", p.resend_note},
            {"contacts", ContactsJson(p.contacts)},
            {"inform", p.inform},
            {"note", p.note},
            {"created_at", FormatRfc3339(p.created_at)},
            {"updated_at", FormatRfc3339(p.updated_at)},
            {"version", p.version}};
}

Result<std::vector<AffectedPartner>> AffectedPartners(storage::Connection& c, std::int64_t ci_id) {
    auto impact = UNYO_TRY(ImpactOf(c, ci_id));
    auto self = UNYO_TRY(c.Query("SELECT name FROM cis WHERE id = $1", {ci_id}));
    std::map<std::int64_t, Impact> items{{ci_id, Impact{ci_id, self.front().Text(0), "", 0}}};
    for (auto& i : impact) items.emplace(i.ci_id, std::move(i));
    std::vector<AffectedPartner> out;
    for (const auto& r : UNYO_TRY(c.Query(
                             fmt::format("SELECT {} FROM integration_partners WHERE inform = 1 AND ci_id IS NOT NULL", kColumns), {}))
                             .rows) {
        auto p = FromRow(r);
        if (const auto it = items.find(*p.ci_id); it != items.end()) out.push_back({std::move(p), it->second});
    }
    std::sort(out.begin(), out.end(), [](const AffectedPartner& a, const AffectedPartner& b) {
        return std::tie(a.via.depth, a.partner.name) < std::tie(b.via.depth, b.partner.name);
    });
    return out;
}

Result<std::vector<Partner>> PartnerStore::List(std::optional<std::int64_t> ci_id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Partner>> {
        std::vector<Partner> out;
        auto rows = ci_id ? UNYO_TRY(c.Query(fmt::format("SELECT {} FROM integration_partners WHERE ci_id = $1 ORDER BY name", kColumns),
                                             {*ci_id}))
                          : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM integration_partners ORDER BY name", kColumns), {}));
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<Partner> PartnerStore::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<Partner> PartnerStore::Create(const json::object& body, const audit::Actor& actor) {
    Partner p = UNYO_TRY(PartnerFromJson(body, Partner{}, true));
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Partner> {
        UNYO_TRY_VOID(CheckCi(c, p));
        auto values = Values(p);
        values.emplace_back(now);
        auto rows = UNYO_TRY(NameTaken(
            c.Query("INSERT INTO integration_partners (name, department, vendor, ci_id, direction, timing, cycle, protocol, "
                    "route, resend, resend_note, contacts_json, inform, note, created_at, updated_at, version) VALUES ($1, $2, "
                    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 1) RETURNING id",
                    values),
            p));
        p.id = rows.front().Int(0);
        p.created_at = p.updated_at = now;
        UNYO_TRY(audit::Append(c, actor, {"partner.create", "integration_partner", std::to_string(p.id), nullptr, ToJson(p)}, now));
        return p;
    });
}

Result<Partner> PartnerStore::Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                     const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Partner> {
        const Partner before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail(Error{ErrorCode::kPreconditionFailed,
                              fmt::format("partner \"{}\" was changed by someone else (now version {}); reload and retry",
                                          before.name, before.version),
                              {}});
        }
        Partner p = UNYO_TRY(PartnerFromJson(body, before, false));
        UNYO_TRY_VOID(CheckCi(c, p));
        p.updated_at = now;
        p.version = before.version + 1;
        auto values = Values(p);
        values.insert(values.end(), {storage::Value(now), storage::Value(p.version), storage::Value(id)});
        UNYO_TRY(NameTaken(c.Exec("UPDATE integration_partners SET name = $1, department = $2, vendor = $3, ci_id = $4, "
                                  "direction = $5, timing = $6, cycle = $7, protocol = $8, route = $9, resend = $10, "
                                  "resend_note = $11, contacts_json = $12, inform = $13, note = $14, updated_at = $15, "
                                  "version = $16 WHERE id = $17",
                                  values),
                           p));
        UNYO_TRY(audit::Append(c, actor, {"partner.update", "integration_partner", std::to_string(id), ToJson(before), ToJson(p)}, now));
        return p;
    });
}

Result<void> PartnerStore::Delete(std::int64_t id, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const Partner before = UNYO_TRY(Load(c, id));
        UNYO_TRY(c.Exec("DELETE FROM integration_partners WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"partner.delete", "integration_partner", std::to_string(id), ToJson(before), nullptr}, now));
        return {};
    });
}

}  // namespace unyo::cis
