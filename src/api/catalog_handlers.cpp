// /api/v1/catalog: the service catalogue (issue 7: CAT-1, REQ-1). Each service says what it is,
// who may request it, the form a request fills in (fields as data), the work item of the role
// division matrix that routes it and its target lead time; a request made from it is a `request`
// record routed by that work item (ORG-3). docs/catalog.md.
#include <fmt/format.h>

#include "api/routes.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"
#include "records/workflow.hpp"

namespace unyo::api {
namespace {

constexpr const char* kColumns =
    "id, name, description, request_type, requester_roles, work_item_id, lead_time_days, form_json, enabled, created_at, "
    "updated_at, version";

struct Service {
    std::int64_t id = 0;
    std::string name, description, request_type = "other";
    std::vector<std::string> requester_roles{"requester", "operator", "manager", "admin"};
    std::optional<std::int64_t> work_item_id;
    int lead_time_days = 5;
    json::array form;  // [{name, label, type: text|long_text|date|enum, options?, required?}]
    bool enabled = true;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

json::object ToJson(const Service& s) {
    return {{"id", s.id},
            {"name", s.name},
            {"description", s.description},
            {"request_type", s.request_type},
            {"requester_roles", json::value_from(s.requester_roles)},
            {"work_item_id", OrNull(s.work_item_id)},
            {"lead_time_days", s.lead_time_days},
            {"form", s.form},
            {"enabled", s.enabled},
            {"created_at", FormatRfc3339(s.created_at)},
            {"updated_at", FormatRfc3339(s.updated_at)},
            {"version", s.version}};
}

Service FromRow(const storage::Row& r) {
    Service s;
    s.id = r.Int(0);
    s.name = r.Text(1);
    s.description = r.Text(2);
    s.request_type = r.Text(3);
    s.requester_roles = ParseStringArray(r.Text(4));
    s.work_item_id = r.OptInt(5);
    s.lead_time_days = static_cast<int>(r.Int(6));
    s.form = ParseArrayOrEmpty(r.Text(7));
    s.enabled = r.Bool(8);
    s.created_at = r.Int(9);
    s.updated_at = r.Int(10);
    s.version = r.Int(11);
    return s;
}

// The service's members of `body` over `s`; every bad one named (`form[1].type`).
Result<Service> ServiceFromJson(const json::object& body, Service s, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "description", "request_type", "requester_roles", "work_item_id", "lead_time_days", "form", "enabled"});
    if (create || f.Has("name")) s.name = f.RequiredString("name", 200);
    if (auto d = f.OptionalString("description", 4000)) s.description = *d;
    if (auto t = f.OptionalString("request_type", 40)) {
        const auto* w = records::WorkflowByKind("request");
        const auto* def = w ? w->Field("request_type") : nullptr;
        if (def && std::find(def->options.begin(), def->options.end(), *t) == def->options.end()) {
            f.AddError("request_type", "must be one of the request types (printer, terminal, link_change, …)");
        } else {
            s.request_type = *t;
        }
    }
    if (auto roles = f.OptionalStrings("requester_roles")) {
        for (const auto& r : *roles) {
            if (!auth::ParseRole(r)) f.AddError("requester_roles", fmt::format("'{}' is not a role", r));
        }
        s.requester_roles = *roles;
    }
    if (const auto* w = body.if_contains("work_item_id")) {
        if (w->is_null()) {
            s.work_item_id.reset();
        } else if (!w->is_int64()) {
            f.AddError("work_item_id", "must be a work item's id or null");
        } else {
            s.work_item_id = w->as_int64();
        }
    }
    if (auto l = f.OptionalInt("lead_time_days", 0, 365)) s.lead_time_days = static_cast<int>(*l);
    if (auto e = f.OptionalBool("enabled")) s.enabled = *e;
    if (const auto* form = body.if_contains("form")) {
        if (!form->is_array() || form->as_array().size() > 30) {
            f.AddError("form", "must be a list of at most 30 fields");
        } else {
            for (std::size_t i = 0; i < form->as_array().size(); ++i) {
                const auto& v = form->as_array()[i];
                const std::string at = fmt::format("form[{}]", i);
                if (!v.is_object()) {
                    f.AddError(at, "must be {name, label, type, options?, required?}");
                    continue;
                }
                FieldReader ff(v.as_object());
                ff.AllowOnly({"name", "label", "type", "options", "required"});
                ff.RequiredString("name", 64);
                ff.RequiredString("label", 200);
                const auto type = ff.OptionalString("type", 20).value_or("text");
                if (type != "text" && type != "long_text" && type != "date" && type != "enum") {
                    ff.AddError("type", "must be text, long_text, date or enum");
                }
                if (type == "enum" && ff.OptionalStrings("options").value_or(std::vector<std::string>{}).empty()) {
                    ff.AddError("options", "an enum needs its options");
                }
                ff.OptionalBool("required");
                if (auto done = ff.Finish(); !done) f.AddErrors(at, done.error());
            }
            s.form = form->as_array();
        }
    }
    UNYO_TRY_VOID(f.Finish());
    return s;
}

bool MayRequest(const Service& s, const auth::Principal& p) {
    return std::any_of(s.requester_roles.begin(), s.requester_roles.end(), [&](const std::string& r) {
        const auto role = auth::ParseRole(r);
        return role && p.Is(*role);
    });
}

Result<Service> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM catalog_services WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("catalogue service {} does not exist", id)));
    return FromRow(rows.front());
}

Result<void> CheckWorkItem(storage::Connection& c, const Service& s) {
    if (!s.work_item_id) return {};
    auto rows = UNYO_TRY(c.Query("SELECT section FROM raci_items WHERE id = $1", {*s.work_item_id}));
    if (rows.empty()) return Fail(Error::Field("work_item_id", fmt::format("work item {} does not exist", *s.work_item_id)));
    if (rows.front().Bool(0)) return Fail(Error::Field("work_item_id", "a heading routes nothing: choose a work item under it"));
    return {};
}

Result<http::Response> ListServices(Context& ctx) {
    const bool all = ctx.principal().Is(auth::Role::kAdmin) || ctx.principal().Is(auth::Role::kManager);
    auto rows = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) {
        return c.Query(fmt::format("SELECT {} FROM catalog_services ORDER BY name", kColumns), {});
    }));
    json::array items;
    for (const auto& r : rows.rows) {
        const auto s = FromRow(r);
        // A requester's portal shows what they may request; admins and managers see everything.
        if (all || (s.enabled && MayRequest(s, ctx.principal()))) items.push_back(ToJson(s));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateService(Context& ctx) {
    Service s = UNYO_TRY(ServiceFromJson(UNYO_TRY(ctx.Body()), Service{}, true));
    const Millis now = ctx.services().clock.Now();
    s = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<Service> {
        UNYO_TRY_VOID(CheckWorkItem(c, s));
        auto rows = c.Query("INSERT INTO catalog_services (name, description, request_type, requester_roles, work_item_id, "
                            "lead_time_days, form_json, enabled, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, "
                            "$6, $7, $8, $9, $9, 1) RETURNING id",
                            {s.name, s.description, s.request_type, json::serialize(json::value_from(s.requester_roles)),
                             storage::Nullable(s.work_item_id), std::int64_t{s.lead_time_days}, json::serialize(s.form),
                             std::int64_t{s.enabled ? 1 : 0}, now});
        if (!rows && rows.error().code == ErrorCode::kConflict) {
            return Fail(Error::Field("name", fmt::format("a service named \"{}\" already exists", s.name), ErrorCode::kConflict));
        }
        s.id = UNYO_TRY(std::move(rows)).front().Int(0);
        s.created_at = s.updated_at = now;
        UNYO_TRY(audit::Append(c, ctx.actor(), {"catalog.create", "catalog_service", std::to_string(s.id), nullptr, ToJson(s)}, now));
        return s;
    }));
    return CreatedResponse(ToJson(s), s.version, "/api/v1/catalog/" + std::to_string(s.id));
}

// A service changed (If-Match); `enabled: false` withdraws it from the portal, its past requests kept.
Result<http::Response> UpdateService(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto expected = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    const Millis now = ctx.services().clock.Now();
    const auto changed = UNYO_TRY(ctx.services().db.Write([&](storage::Connection& c) -> Result<Service> {
        const auto before = UNYO_TRY(Load(c, id));
        if (before.version != expected) {
            return Fail(Error{ErrorCode::kPreconditionFailed,
                              fmt::format("service \"{}\" was changed by someone else (now version {}); reload and retry",
                                          before.name, before.version),
                              {}});
        }
        Service s = UNYO_TRY(ServiceFromJson(body, before, false));
        UNYO_TRY_VOID(CheckWorkItem(c, s));
        s.updated_at = now;
        s.version = before.version + 1;
        auto n = c.Exec("UPDATE catalog_services SET name = $1, description = $2, request_type = $3, requester_roles = $4, "
                        "work_item_id = $5, lead_time_days = $6, form_json = $7, enabled = $8, updated_at = $9, version = $10 "
                        "WHERE id = $11 AND version = $12",
                        {s.name, s.description, s.request_type, json::serialize(json::value_from(s.requester_roles)),
                         storage::Nullable(s.work_item_id), std::int64_t{s.lead_time_days}, json::serialize(s.form),
                         std::int64_t{s.enabled ? 1 : 0}, now, s.version, id, expected});
        if (!n && n.error().code == ErrorCode::kConflict) {
            return Fail(Error::Field("name", fmt::format("a service named \"{}\" already exists", s.name), ErrorCode::kConflict));
        }
        UNYO_TRY(std::move(n));
        UNYO_TRY(audit::Append(c, ctx.actor(), {"catalog.update", "catalog_service", std::to_string(id), ToJson(before), ToJson(s)}, now));
        return s;
    }));
    return ResourceResponse(ToJson(changed), changed.version);
}

Result<http::Response> GetService(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto s = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return Load(c, id); }));
    return ResourceResponse(ToJson(s), s.version);
}

// A request from the catalogue: the form's answers checked, a `request` record made (routed by
// the service's work item), its needed-by date the lead time from today.
Result<http::Response> RequestService(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto s = UNYO_TRY(ctx.services().db.Read([&](storage::Connection& c) { return Load(c, id); }));
    if (!s.enabled) return Fail(Error::Conflict(fmt::format("service \"{}\" is not offered now", s.name)));
    if (!MayRequest(s, ctx.principal())) return Fail(Error::Denied(fmt::format("your roles may not request \"{}\"", s.name)));
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"title", "answers"});
    const auto title = f.OptionalString("title", 200).value_or("");
    json::object answers;
    if (const auto* a = body.if_contains("answers"); a && !a->is_object()) {
        f.AddError("answers", "must be an object of field name: answer");
    } else if (a) {
        answers = a->as_object();
    }
    std::string description = s.description.empty() ? "" : s.description + "\n\n";
    for (const auto& fv : s.form) {
        const auto& field = fv.as_object();
        const std::string name = StringOf(field, "name"), label = StringOf(field, "label"), type = StringOf(field, "type", "text");
        const auto* v = answers.if_contains(name);
        const bool empty = !v || v->is_null() || (v->is_string() && v->as_string().empty());
        if (empty) {
            if (const auto* r = field.if_contains("required"); r && r->is_bool() && r->as_bool()) {
                f.AddError("answers." + name, "is required");
            }
            continue;
        }
        if (!v->is_string()) {
            f.AddError("answers." + name, "must be text");
            continue;
        }
        const std::string text(v->as_string());
        if (type == "date" && !calendar::Date::Parse(text)) f.AddError("answers." + name, "must be a date YYYY-MM-DD");
        if (type == "enum") {
            const auto* options = field.if_contains("options");
            const bool offered = options && options->is_array() &&
                                 std::any_of(options->as_array().begin(), options->as_array().end(),
                                             [&](const json::value& o) { return o.is_string() && o.as_string() == text; });
            if (!offered) {
                f.AddError("answers." + name, "must be one of the field's options");
            }
        }
        description += fmt::format("{}: {}\n", label.empty() ? name : label, text);
    }
    for (const auto& [k, v] : answers) {
        const bool known = std::any_of(s.form.begin(), s.form.end(), [&](const json::value& fv) {
            return StringOf(fv.as_object(), "name") == std::string_view(k);
        });
        if (!known) f.AddError("answers." + std::string(k), "is not a field of this service's form");
    }
    UNYO_TRY_VOID(f.Finish());
    const auto* w = records::WorkflowByKind("request");
    records::RecordInput in;
    in.title = title.empty() ? s.name : fmt::format("{}: {}", s.name, title);
    in.description = description;
    in.fields["request_type"] = s.request_type;
    in.fields["requester"] = ctx.principal().display_name.empty() ? ctx.principal().login : ctx.principal().display_name;
    in.fields["needed_by"] =
        calendar::Date::FromInstant(ctx.services().clock.Now()).AddDays(s.lead_time_days).ToString();
    if (s.work_item_id) in.fields["work_item_id"] = *s.work_item_id;
    const auto r = UNYO_TRY(ctx.services().records.Create(*w, in, ctx.principal(), ctx.actor()));
    return http::Response::Json(201, records::ToJson(r, *w));
}

}  // namespace

void AddCatalogRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    r.Add({"GET", "/api/v1/catalog", in, 0, false, "The services one may request (admins and managers: all)",
           "any signed-in user", ListServices});
    r.Add({"POST", "/api/v1/catalog", in, kPlanners, true, "Offer a service", "admin, manager", CreateService});
    r.Add({"GET", "/api/v1/catalog/{id}", in, 0, false, "One service", "any signed-in user", GetService});
    r.Add({"PATCH", "/api/v1/catalog/{id}", in, kPlanners, false, "Change a service (If-Match; enabled=false withdraws it)",
           "admin, manager", UpdateService});
    r.Add({"POST", "/api/v1/catalog/{id}/requests", in, 0, true,
           "Request the service: {title?, answers}; a request record routed by its work item", "its requester roles",
           RequestService});
}

}  // namespace unyo::api
