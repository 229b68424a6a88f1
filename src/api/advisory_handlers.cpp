// /api/v1/advisories: security advisories (issue 7: SEC-1) — recorded or imported (MyJVN XML,
// JSON), matched against the configuration items, and followed to a security-patch procedure.
// docs/advisories.md.
#include <limits>

#include <fmt/format.h>

#include "api/routes.hpp"
#include "cis/advisories.hpp"
#include "procedures/procedures.hpp"

namespace unyo::api {
namespace {

cis::AdvisoryStore Store(Context& ctx) { return {ctx.services().db, ctx.services().clock}; }
procedures::ProcedureStore Procedures(Context& ctx) { return {ctx.services().db, ctx.services().clock}; }

// The advisory as JSON with its matches against `items`, and its procedure's state: a patch whose
// procedure has completed is `patched`.
Result<json::object> WithMatches(Context& ctx, const cis::Advisory& a, const std::vector<cis::Ci>& items, bool list) {
    auto o = cis::ToJson(a);
    const auto matches = cis::Match(a, items);
    json::array m;
    int affected = 0, unknown = 0;
    for (const auto& x : matches) {
        affected += x.verdict == "affected";
        unknown += x.verdict == "unknown";
        if (!list) m.push_back(cis::ToJson(x));
    }
    o["affected_count"] = affected;
    o["unknown_count"] = unknown;
    if (!list) o["matches"] = std::move(m);
    o["procedure"] = nullptr;
    if (a.procedure_run_id) {
        const auto run = UNYO_TRY(Procedures(ctx).GetRun(*a.procedure_run_id));
        o["procedure"] = json::object{{"id", run.id}, {"name", run.name}, {"status", run.status}};
        if (a.status == "patching" && run.status == "completed") o["status"] = "patched";
    }
    return o;
}

Result<std::vector<cis::Ci>> Items(Context& ctx) { return cis::CiStore(ctx.services().db, ctx.services().clock).List(); }

Result<http::Response> ListAdvisories(Context& ctx) {
    const auto status = ctx.QueryString("status");
    const bool affected_only = UNYO_TRY(ctx.QueryBool("affected")).value_or(false);
    const auto items = UNYO_TRY(Items(ctx));
    json::array out;
    for (const auto& a : UNYO_TRY(Store(ctx).List(std::nullopt))) {
        auto o = UNYO_TRY(WithMatches(ctx, a, items, true));
        if (status && o.at("status").as_string() != *status) continue;
        if (affected_only && o.at("affected_count").as_int64() == 0 && o.at("unknown_count").as_int64() == 0) continue;
        out.push_back(std::move(o));
    }
    return ListResponse(std::move(out), std::nullopt);
}

Result<http::Response> CreateAdvisory(Context& ctx) {
    const auto a = UNYO_TRY(Store(ctx).Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(UNYO_TRY(WithMatches(ctx, a, UNYO_TRY(Items(ctx)), false)), a.version,
                           "/api/v1/advisories/" + std::to_string(a.id));
}

Result<http::Response> GetAdvisory(Context& ctx) {
    const auto a = UNYO_TRY(Store(ctx).Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(UNYO_TRY(WithMatches(ctx, a, UNYO_TRY(Items(ctx)), false)), a.version);
}

Result<http::Response> UpdateAdvisory(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto a = UNYO_TRY(Store(ctx).Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(UNYO_TRY(WithMatches(ctx, a, UNYO_TRY(Items(ctx)), false)), a.version);
}

Result<http::Response> ImportAdvisories(Context& ctx) {
    const bool dry_run = UNYO_TRY(ctx.QueryBool("dry_run")).value_or(false);
    auto read = cis::ReadAdvisories(ctx.request().body);
    if (!read) return Fail(Error::Field("file", read.error().message));
    const auto r = UNYO_TRY(Store(ctx).Import(std::move(*read), dry_run, ctx.actor()));
    const auto items = UNYO_TRY(Items(ctx));
    json::array advisories;
    for (const auto& a : r.advisories) advisories.push_back(UNYO_TRY(WithMatches(ctx, a, items, true)));
    return http::Response::Json(dry_run ? 200 : 201, json::object{{"dry_run", dry_run},
                                                                  {"created", r.created},
                                                                  {"updated", r.updated},
                                                                  {"unchanged", r.unchanged},
                                                                  {"advisories", std::move(advisories)}});
}

// The first `max` characters of UTF-8 `s`.
std::string Head(const std::string& s, std::size_t max) {
    std::size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == max) break;
    }
    return s.substr(0, i);
}

// Opens the security-patch procedure for an advisory: the template given, or the shipped one
// (the emergency one when asked or when the advisory is critical).
Result<http::Response> OpenProcedure(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"template_id", "emergency"});
    auto template_id = f.OptionalInt("template_id", 1, std::numeric_limits<std::int64_t>::max());
    const auto emergency = f.OptionalBool("emergency");
    UNYO_TRY_VOID(f.Finish());
    const auto a = UNYO_TRY(Store(ctx).Get(id));
    if (a.procedure_run_id) {
        return Fail(Error::Conflict(fmt::format("advisory {} has its procedure already (run {})", a.ref, *a.procedure_run_id)));
    }
    if (a.status == "not_affected" || a.status == "accepted") {
        return Fail(Error::Conflict(fmt::format("advisory {} is {}: no patch to apply", a.ref, a.status)));
    }
    if (!template_id) {
        const std::string kind = emergency.value_or(a.severity == "critical") ? "security_patch_emergency" : "security_patch";
        for (const auto& t : UNYO_TRY(Procedures(ctx).Templates())) {
            if (t.kind == kind) {
                template_id = t.id;
                break;
            }
        }
        if (!template_id) {
            return Fail(Error::Conflict(fmt::format("there is no procedure template of kind {}: install the shipped ones "
                                                    "(POST /api/v1/procedure-templates/defaults) or give template_id",
                                                    kind)));
        }
    }
    const auto run = UNYO_TRY(Procedures(ctx).Start(*template_id, Head(fmt::format("{} {}", a.ref, a.title), 190), std::nullopt,
                                                    ctx.actor()));
    const auto linked = UNYO_TRY(Store(ctx).LinkProcedure(id, run.id, ctx.actor()));
    return http::Response::Json(201, json::object{{"advisory", UNYO_TRY(WithMatches(ctx, linked, UNYO_TRY(Items(ctx)), false))},
                                                  {"run", procedures::ToJson(run)}});
}

}  // namespace

void AddAdvisoryRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const auth::RoleSet readers = kStaff | auth::Bit(auth::Role::kViewer) | auth::Bit(auth::Role::kVendor);
    const auth::RoleSet writers = kStaff | auth::Bit(auth::Role::kVendor);
    const std::string reader_note = "admin, manager, operator, viewer, vendor";
    const std::string writer_note = "admin, manager, operator, vendor";
    r.Add({"GET", "/api/v1/advisories", in, readers, false,
           "Security advisories with how many configuration items each affects (status=; affected=true)", reader_note,
           ListAdvisories});
    r.Add({"POST", "/api/v1/advisories", in, writers, true, "Record an advisory", writer_note, CreateAdvisory});
    Route import{"POST", "/api/v1/advisories/import", in, writers, false,
                 "Read advisories from a file: MyJVN VULDEF or JVNRSS XML, or JSON (dry_run=true: only say what it reads)",
                 writer_note, ImportAdvisories};
    import.raw_body = true;
    r.Add(std::move(import));
    r.Add({"GET", "/api/v1/advisories/{id}", in, readers, false, "One advisory with the configuration items it names", reader_note,
           GetAdvisory});
    r.Add({"PATCH", "/api/v1/advisories/{id}", in, writers, false, "Change an advisory, e.g. its status (If-Match)", writer_note,
           UpdateAdvisory});
    r.Add({"POST", "/api/v1/advisories/{id}/procedure", in, kStaff, false,
           "Open the security-patch procedure for it ({template_id?, emergency?})", "admin, manager, operator", OpenProcedure});
}

}  // namespace unyo::api
