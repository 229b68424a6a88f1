// /api/v1/users — organisation-scoped for everyone but admins (ACC-3).
#include <map>

#include <fmt/format.h>

#include "api/export.hpp"
#include "api/routes.hpp"

namespace unyo::api {
namespace {

using auth::Role;

Result<auth::UserInput> ReadUser(Context& ctx, bool creating) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    auth::UserInput in;
    if (creating) {
        f.AllowOnly(
            {"login", "display_name", "email", "organization_id", "roles", "password", "disabled"});
        in.login = f.RequiredString("login", 64);
        in.display_name = f.RequiredString("display_name", 100);
        in.password = f.RequiredSecret("password");
        in.organization_id = f.OptionalInt("organization_id", 1, INT64_MAX);
        if (!f.Has("organization_id")) {
            f.AddError("organization_id", "is required");
        }
        in.roles = f.OptionalStrings("roles");
        if (!f.Has("roles")) {
            f.AddError("roles", "is required");
        }
    } else {
        f.AllowOnly({"display_name", "email", "organization_id", "roles", "disabled"});
        if (f.Has("display_name")) {
            in.display_name = f.RequiredString("display_name", 100);
        }
        in.organization_id = f.OptionalInt("organization_id", 1, INT64_MAX);
        in.roles = f.OptionalStrings("roles");
    }
    in.email = f.OptionalString("email", 254);
    in.disabled = f.OptionalBool("disabled");
    UNYO_TRY_VOID(f.Finish());
    return in;
}

// Non-admins see users of their own organisation only; others are reported as absent.
Result<auth::User> VisibleUser(Context& ctx, std::int64_t id) {
    auto u = UNYO_TRY(ctx.accounts().GetUser(id));
    const auto& p = ctx.principal();
    if (!p.Is(Role::kAdmin) && u.organization_id != p.organization_id) {
        return Fail(Error::NotFound(fmt::format("user {} does not exist", id)));
    }
    return u;
}

std::string RoleTitles(auth::RoleSet roles, reports::Language lang) {
    std::string out;
    for (const auto& r : auth::RoleNames(roles)) {
        out += out.empty() ? "" : "・";
        out += RoleTitle(r, lang);
    }
    return out;
}

reports::Table UsersTable(Context& ctx, const std::vector<auth::User>& users,
                          reports::Language lang) {
    // Organisation names make the sheet readable without a lookup.
    std::map<std::int64_t, std::string> org_names;
    for (const auto& u : users) {
        if (!org_names.contains(u.organization_id)) {
            auto o = ctx.accounts().GetOrganization(u.organization_id);
            org_names[u.organization_id] = o ? o->name : "";
        }
    }
    const Millis now = ctx.services().clock.Now();
    reports::Table t{"users",
                     {{"ID", "ID"},
                      {"ログイン名", "Login"},
                      {"表示名", "Display name"},
                      {"メール", "E-mail"},
                      {"組織ID", "Organization ID"},
                      {"組織", "Organization"},
                      {"ロール", "Roles"},
                      {"無効", "Disabled"},
                      {"ロック中", "Locked"},
                      {"最終ログイン", "Last sign-in"},
                      {"作成日時", "Created"}},
                     {}};
    for (const auto& u : users) {
        t.rows.push_back(
            {u.id, u.login, u.display_name, u.email, u.organization_id,
             org_names[u.organization_id], RoleTitles(u.roles, lang), u.disabled,
             u.locked_until && *u.locked_until > now,
             u.last_login_at ? reports::Cell(reports::Instant{*u.last_login_at}) : reports::Cell{},
             reports::Instant{u.created_at}});
    }
    return t;
}

}  // namespace

Result<http::Response> ListUsers(Context& ctx) {
    auth::UserQuery q;
    q.organization_id = UNYO_TRY(ctx.QueryInt("organization_id", 1, INT64_MAX));
    const auto& p = ctx.principal();
    if (!p.Is(Role::kAdmin)) {
        if (q.organization_id && *q.organization_id != p.organization_id) {
            return Fail(Error::Denied("you may list the users of your own organisation only"));
        }
        q.organization_id = p.organization_id;
    }
    q.q = ctx.QueryString("q");
    q.role = ctx.QueryString("role");
    if (q.role && !auth::ParseRole(*q.role)) {
        return Fail(Error::Field(
            "role", "must be one of admin, manager, operator, vendor, requester, viewer",
            ErrorCode::kInvalidArgument));
    }
    q.status = ctx.QueryString("status");
    if (q.status && *q.status != "active" && *q.status != "disabled" && *q.status != "locked") {
        return Fail(Error::Field("status", "must be active, disabled or locked",
                                 ErrorCode::kInvalidArgument));
    }
    if (UNYO_TRY(WantsExport(ctx))) {
        const auto all = UNYO_TRY(AllPagesOf<auth::User>(
            q, [&](const auth::UserQuery& page) { return ctx.accounts().ListUsers(page); }));
        return ExportResponse(ctx, UsersTable(ctx, all, ExportLanguage(ctx)));
    }
    q.after = UNYO_TRY(ctx.QueryInt("cursor", 0, INT64_MAX));
    q.limit = UNYO_TRY(ctx.Limit());
    auto page = UNYO_TRY(ctx.accounts().ListUsers(q));
    json::array items;
    for (const auto& u : page.items) {
        items.push_back(auth::ToJson(u));
    }
    return ListResponse(std::move(items), page.next_cursor);
}

Result<http::Response> CreateUser(Context& ctx) {
    const auto in = UNYO_TRY(ReadUser(ctx, true));
    const auto u =
        UNYO_TRY(ctx.accounts().CreateUser(in, ctx.actor(), ctx.IdempotencyHook("/api/v1/users/")));
    return CreatedResponse(auth::ToJson(u), u.version, "/api/v1/users/" + std::to_string(u.id));
}

Result<http::Response> GetUser(Context& ctx) {
    const auto u = UNYO_TRY(VisibleUser(ctx, UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(auth::ToJson(u), u.version);
}

Result<http::Response> UpdateUser(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto in = UNYO_TRY(ReadUser(ctx, false));
    const auto u = UNYO_TRY(ctx.accounts().UpdateUser(id, version, in, ctx.actor()));
    return ResourceResponse(auth::ToJson(u), u.version);
}

Result<http::Response> DeleteUser(Context& ctx) {
    UNYO_TRY_VOID(ctx.accounts().DeleteUser(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> ResetUserPassword(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"password"});
    const auto password = f.RequiredSecret("password");
    UNYO_TRY_VOID(f.Finish());
    UNYO_TRY_VOID(ctx.accounts().ResetPassword(id, password, ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> UnlockUser(Context& ctx) {
    const auto u = UNYO_TRY(ctx.accounts().Unlock(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return ResourceResponse(auth::ToJson(u), u.version);
}

}  // namespace unyo::api
