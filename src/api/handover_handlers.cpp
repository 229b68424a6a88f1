// /api/v1/handovers: the handover ledger for confidential data and media (issue 7: SEC-4) —
// 機密情報と個人情報の授受: the date, the people on both sides, the content, the means, the
// manager's prior consent, and the return (or erasure) with its date; what is still out past its
// return date listed. docs/handovers.md.
#include <limits>

#include <fmt/format.h>

#include "api/routes.hpp"
#include "calendar/date_member.hpp"
#include "core/choice.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

constexpr const char* kColumns =
    "id, handed_on, direction, classification, content, means, medium_id, from_person, from_organization, to_person, "
    "to_organization, approved_by, due_back_on, returned_on, return_received_by, disposition, return_note, note, created_by, "
    "created_at, updated_at, version";
const std::vector<std::string_view> kDirections{"out", "in"};
const std::vector<std::string_view> kClassifications{"personal", "confidential", "personal_confidential"};
const std::vector<std::string_view> kDispositions{"returned", "erased", "destroyed"};

struct Handover {
    std::int64_t id = 0;
    std::optional<calendar::Date> handed_on, due_back_on, returned_on;
    std::string direction = "out", classification = "personal";
    std::string content, means, medium_id, from_person, from_organization, to_person, to_organization, approved_by;
    std::string return_received_by, disposition, return_note, note, created_by;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

json::value DateJson(const std::optional<calendar::Date>& d) { return d ? json::value(d->ToString()) : json::value(nullptr); }
storage::Value DateValue(const std::optional<calendar::Date>& d) {
    return d ? storage::Value(d->ToString()) : storage::Value(std::monostate{});
}
std::optional<calendar::Date> DateOf(const std::optional<std::string>& s) { return s ? calendar::Date::Parse(*s) : std::nullopt; }

json::object ToJson(const Handover& h, const calendar::Date& today) {
    const bool out = !h.returned_on && h.due_back_on;
    return {{"id", h.id},
            {"handed_on", DateJson(h.handed_on)},
            {"direction", h.direction},
            {"classification", h.classification},
            {"content", h.content},
            {"means", h.means},
            {"medium_id", h.medium_id},
            {"from_person", h.from_person},
            {"from_organization", h.from_organization},
            {"to_person", h.to_person},
            {"to_organization", h.to_organization},
            {"approved_by", h.approved_by},
            {"due_back_on", DateJson(h.due_back_on)},
            {"returned_on", DateJson(h.returned_on)},
            {"return_received_by", h.return_received_by},
            {"disposition", h.disposition},
            {"return_note", h.return_note},
            {"note", h.note},
            {"outstanding", out},
            {"overdue", out && *h.due_back_on < today},
            {"created_by", h.created_by},
            {"created_at", FormatRfc3339(h.created_at)},
            {"updated_at", FormatRfc3339(h.updated_at)},
            {"version", h.version}};
}

Handover FromRow(const storage::Row& r) {
    Handover h;
    h.id = r.Int(0);
    h.handed_on = DateOf(r.OptText(1));
    h.direction = r.Text(2);
    h.classification = r.Text(3);
    h.content = r.Text(4);
    h.means = r.Text(5);
    h.medium_id = r.Text(6);
    h.from_person = r.Text(7);
    h.from_organization = r.Text(8);
    h.to_person = r.Text(9);
    h.to_organization = r.Text(10);
    h.approved_by = r.Text(11);
    h.due_back_on = DateOf(r.OptText(12));
    h.returned_on = DateOf(r.OptText(13));
    h.return_received_by = r.Text(14);
    h.disposition = r.Text(15);
    h.return_note = r.Text(16);
    h.note = r.Text(17);
    h.created_by = r.Text(18);
    h.created_at = r.Int(19);
    h.updated_at = r.Int(20);
    h.version = r.Int(21);
    return h;
}

// The handover's members of `body` over `h` (the return is recorded by its own action).
Result<Handover> FromJson(const json::object& body, Handover h, bool create) {
    FieldReader f(body);
    f.AllowOnly({"handed_on", "direction", "classification", "content", "means", "medium_id", "from_person", "from_organization",
                 "to_person", "to_organization", "approved_by", "due_back_on", "note"});
    if (create || f.Has("content")) h.content = f.RequiredString("content", 2000);
    if (create || f.Has("means")) h.means = f.RequiredString("means", 200);
    if (create || f.Has("from_person")) h.from_person = f.RequiredString("from_person", 200);
    if (create || f.Has("to_person")) h.to_person = f.RequiredString("to_person", 200);
    if (create || f.Has("approved_by")) h.approved_by = f.RequiredString("approved_by", 200);  // the prior consent
    const auto text = [&](const char* name, std::string& out, std::size_t max) {
        if (auto v = f.OptionalString(name, max)) out = *v;
    };
    text("medium_id", h.medium_id, 100);
    text("from_organization", h.from_organization, 200);
    text("to_organization", h.to_organization, 200);
    text("note", h.note, 4000);
    ReadChoice(f, "direction", kDirections, h.direction);
    ReadChoice(f, "classification", kClassifications, h.classification);
    ReadOptionalDate(f, body, "handed_on", h.handed_on);
    ReadOptionalDate(f, body, "due_back_on", h.due_back_on);
    if (!h.handed_on && (!body.contains("handed_on") || body.at("handed_on").is_null())) {
        f.AddError("handed_on", "is required: the date of the handover");
    }
    if (h.handed_on && h.due_back_on && *h.due_back_on < *h.handed_on) f.AddError("due_back_on", "must not be before handed_on");
    UNYO_TRY_VOID(f.Finish());
    return h;
}

Result<Handover> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM handovers WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("handover {} does not exist", id)));
    return FromRow(rows.front());
}

Result<void> Save(storage::Connection& c, const Handover& h, std::int64_t expected) {
    const auto n = UNYO_TRY(c.Exec(
        "UPDATE handovers SET handed_on = $1, direction = $2, classification = $3, content = $4, means = $5, medium_id = $6, "
        "from_person = $7, from_organization = $8, to_person = $9, to_organization = $10, approved_by = $11, due_back_on = $12, "
        "returned_on = $13, return_received_by = $14, disposition = $15, return_note = $16, note = $17, updated_at = $18, "
        "version = $19 WHERE id = $20 AND version = $21",
        {DateValue(h.handed_on), h.direction, h.classification, h.content, h.means, h.medium_id, h.from_person,
         h.from_organization, h.to_person, h.to_organization, h.approved_by, DateValue(h.due_back_on), DateValue(h.returned_on),
         h.return_received_by, h.disposition, h.return_note, h.note, h.updated_at, h.version, h.id, expected}));
    if (n == 0) return Fail(Error{ErrorCode::kPreconditionFailed, fmt::format("handover {} was changed by someone else; reload and retry", h.id), {}});
    return {};
}

calendar::Date Today(Context& ctx) { return calendar::Date::FromInstant(ctx.services().clock.Now()); }

Result<http::Response> ListHandovers(Context& ctx) {
    const bool outstanding = UNYO_TRY(ctx.QueryBool("outstanding")).value_or(false);
    const bool overdue = UNYO_TRY(ctx.QueryBool("overdue")).value_or(false);
    const auto today = Today(ctx);
    auto rows = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) {
        return c.Query(fmt::format("SELECT {} FROM handovers ORDER BY handed_on DESC, id DESC", kColumns), {});
    }));
    json::array items;
    for (const auto& r : rows.rows) {
        auto o = ToJson(FromRow(r), today);
        if (outstanding && !o.at("outstanding").as_bool()) continue;
        if (overdue && !o.at("overdue").as_bool()) continue;
        items.push_back(std::move(o));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateHandover(Context& ctx) {
    Handover h = UNYO_TRY(FromJson(UNYO_TRY(ctx.Body()), Handover{}, true));
    const Millis now = ctx.services().clock.Now();
    h.created_by = ctx.actor().login;
    h.created_at = h.updated_at = now;
    h = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<Handover> {
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO handovers (handed_on, direction, classification, content, means, medium_id, from_person, "
            "from_organization, to_person, to_organization, approved_by, due_back_on, note, created_by, created_at, updated_at, "
            "version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 1) RETURNING id",
            {DateValue(h.handed_on), h.direction, h.classification, h.content, h.means, h.medium_id, h.from_person,
             h.from_organization, h.to_person, h.to_organization, h.approved_by, DateValue(h.due_back_on), h.note, h.created_by,
             now}));
        h.id = rows.front().Int(0);
        UNYO_TRY(audit::Append(c, ctx.actor(), {"handover.create", "handover", std::to_string(h.id), nullptr, ToJson(h, Today(ctx))}, now));
        return h;
    }));
    return CreatedResponse(ToJson(h, Today(ctx)), h.version, "/api/v1/handovers/" + std::to_string(h.id));
}

Result<http::Response> GetHandover(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto h = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return Load(c, id); }));
    return ResourceResponse(ToJson(h, Today(ctx)), h.version);
}

// A change of the entry (If-Match), or its return: `{returned_on, received_by, disposition, note?}`.
Result<http::Response> ChangeHandover(Context& ctx, bool returning) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto expected = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    const Millis now = ctx.services().clock.Now();
    const auto today = Today(ctx);
    const auto changed = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<Handover> {
        const Handover before = UNYO_TRY(Load(c, id));
        if (before.version != expected) {
            return Fail(Error{ErrorCode::kPreconditionFailed,
                              fmt::format("handover {} was changed by someone else (now version {}); reload and retry", id, before.version),
                              {}});
        }
        Handover h = before;
        if (returning) {
            if (before.returned_on) return Fail(Error::Conflict(fmt::format("handover {} was returned on {}", id, before.returned_on->ToString())));
            FieldReader f(body);
            f.AllowOnly({"returned_on", "received_by", "disposition", "note"});
            ReadOptionalDate(f, body, "returned_on", h.returned_on);
            if (!h.returned_on) f.AddError("returned_on", "is required: the date it came back (or was erased)");
            if (h.returned_on && h.handed_on && *h.returned_on < *h.handed_on) f.AddError("returned_on", "must not be before handed_on");
            if (h.returned_on && today < *h.returned_on) f.AddError("returned_on", "must not be in the future");
            h.return_received_by = f.RequiredString("received_by", 200);
            h.disposition = "returned";
            ReadChoice(f, "disposition", kDispositions, h.disposition);
            h.return_note = f.OptionalString("note", 4000).value_or("");
            UNYO_TRY_VOID(f.Finish());
        } else {
            h = UNYO_TRY(FromJson(body, before, false));
        }
        h.updated_at = now;
        h.version = before.version + 1;
        UNYO_TRY_VOID(Save(c, h, expected));
        UNYO_TRY(audit::Append(c, ctx.actor(), {returning ? "handover.return" : "handover.update", "handover", std::to_string(id),
                                                ToJson(before, today), ToJson(h, today)},
                               now));
        return h;
    }));
    return ResourceResponse(ToJson(changed, today), changed.version);
}

Result<http::Response> UpdateHandover(Context& ctx) { return ChangeHandover(ctx, false); }
Result<http::Response> ReturnHandover(Context& ctx) { return ChangeHandover(ctx, true); }

}  // namespace

void AddHandoverRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const auth::RoleSet readers = kStaff | auth::Bit(auth::Role::kViewer) | auth::Bit(auth::Role::kVendor);
    const auth::RoleSet writers = kStaff | auth::Bit(auth::Role::kVendor);
    const std::string reader_note = "admin, manager, operator, viewer, vendor";
    const std::string writer_note = "admin, manager, operator, vendor";
    r.Add({"GET", "/api/v1/handovers", in, readers, false,
           "The handover ledger of confidential data and media (outstanding=true: not returned; overdue=true: past its return date)",
           reader_note, ListHandovers});
    r.Add({"POST", "/api/v1/handovers", in, writers, true, "Record a handover", writer_note, CreateHandover});
    r.Add({"GET", "/api/v1/handovers/{id}", in, readers, false, "One handover", reader_note, GetHandover});
    r.Add({"PATCH", "/api/v1/handovers/{id}", in, writers, false, "Correct a handover (If-Match)", writer_note, UpdateHandover});
    r.Add({"POST", "/api/v1/handovers/{id}/return", in, writers, false,
           "Record its return or erasure {returned_on, received_by, disposition?, note?} (If-Match)", writer_note, ReturnHandover});
}

}  // namespace unyo::api
