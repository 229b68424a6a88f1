// /api/v1/tokens — API tokens for machines; the secret is shown once.
#include "api/routes.hpp"

namespace unyo::api {

Result<http::Response> ListTokens(Context& ctx) {
    const auto all = UNYO_TRY(ctx.QueryBool("all")).value_or(false);
    if (all && !ctx.principal().Is(auth::Role::kAdmin)) {
        return Fail(Error::Denied("only an admin may list every user's tokens"));
    }
    const auto tokens = UNYO_TRY(
        ctx.accounts().ListTokens(all ? std::nullopt : std::optional(ctx.principal().user_id)));
    json::array items;
    for (const auto& t : tokens) {
        items.push_back(auth::ToJson(t));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateToken(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"name", "expires_in_days"});
    const auto name = f.RequiredString("name", 100);
    const auto days = f.OptionalInt("expires_in_days", 1, 3650).value_or(365);
    UNYO_TRY_VOID(f.Finish());
    const auto created = UNYO_TRY(
        ctx.accounts().CreateToken(ctx.principal(), name, static_cast<int>(days), ctx.actor()));
    auto json = auth::ToJson(created.token);
    json["secret"] = created.secret;
    auto r = http::Response::Json(201, json);
    r.SetHeader("Location", "/api/v1/tokens/" + std::to_string(created.token.id));
    return r;
}

Result<http::Response> DeleteToken(Context& ctx) {
    UNYO_TRY_VOID(
        ctx.accounts().DeleteToken(UNYO_TRY(ctx.IdParam()), ctx.principal(), ctx.actor()));
    return http::Response::NoContent();
}

}  // namespace unyo::api
