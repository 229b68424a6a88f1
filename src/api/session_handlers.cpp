// Sign-in, sign-out, the signed-in user and their own password.
#include <fmt/format.h>

#include "api/routes.hpp"

namespace unyo::api {
namespace {

json::object MeBody(Context& ctx, const auth::User& user, const std::string& csrf) {
    json::object body{{"user", auth::ToJson(user)}};
    auto org = ctx.accounts().GetOrganization(user.organization_id);
    body["organization"] = org ? json::value(auth::ToJson(*org)) : json::value(nullptr);
    if (!csrf.empty()) {
        body["csrf_token"] = csrf;
    }
    return body;
}

}  // namespace

Result<http::Response> Login(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    const auto login = f.RequiredString("login", 64);
    const auto password = f.RequiredSecret("password");
    UNYO_TRY_VOID(f.Finish());
    const auto& req = ctx.request();
    auto result = UNYO_TRY(ctx.accounts().Login(
        login, password, req.remote_address, std::string(req.Header("user-agent").value_or(""))));
    auto r = http::Response::Json(200, MeBody(ctx, result.user, result.csrf_token));
    r.SetHeader(
        "Set-Cookie",
        fmt::format("unyo_session={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                    result.session_token, ctx.accounts().config().session_max_hours * 3600));
    r.actor = result.user.login;
    return r;
}

Result<http::Response> Logout(Context& ctx) {
    if (!ctx.principal().via_token) {
        UNYO_TRY_VOID(ctx.accounts().Logout(ctx.principal(), ctx.actor()));
    }
    auto r = http::Response::NoContent();
    r.SetHeader("Set-Cookie", "unyo_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
}

Result<http::Response> Me(Context& ctx) {
    const auto user = UNYO_TRY(ctx.accounts().GetUser(ctx.principal().user_id));
    auto body = MeBody(ctx, user, ctx.principal().csrf_token);
    // True also when the password has expired: the console then asks for a new one first.
    body["must_change_password"] = ctx.principal().must_change_password;
    return ResourceResponse(body, user.version);
}

Result<http::Response> ChangeMyPassword(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"current_password", "new_password"});
    const auto current = f.RequiredSecret("current_password");
    const auto next = f.RequiredSecret("new_password");
    UNYO_TRY_VOID(f.Finish());
    UNYO_TRY_VOID(
        ctx.accounts().ChangeOwnPassword(ctx.principal().user_id, current, next, ctx.actor()));
    return http::Response::NoContent();
}

}  // namespace unyo::api
