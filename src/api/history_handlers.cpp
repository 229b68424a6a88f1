// Login history, account inventory and the audit log (ACC-4, ACC-5, X-3).
#include "api/routes.hpp"
#include "core/time_format.hpp"

namespace unyo::api {

Result<http::Response> ListLoginHistory(Context& ctx) {
    auth::LoginEventQuery q;
    q.user_id = UNYO_TRY(ctx.QueryInt("user_id", 1, INT64_MAX));
    q.login = ctx.QueryString("login");
    q.success = UNYO_TRY(ctx.QueryBool("success"));
    q.from = UNYO_TRY(ctx.QueryTime("from"));
    q.to = UNYO_TRY(ctx.QueryTime("to"));
    q.before_id = UNYO_TRY(ctx.QueryInt("cursor", 1, INT64_MAX));
    q.limit = UNYO_TRY(ctx.Limit());
    const auto& p = ctx.principal();
    if (!p.Is(auth::Role::kAdmin)) {
        if ((q.user_id && *q.user_id != p.user_id) || (q.login && *q.login != p.login)) {
            return Fail(Error::Denied("you may see your own sign-in history only"));
        }
        q.user_id = p.user_id;
    }
    const auto events = UNYO_TRY(ctx.accounts().ListLoginEvents(q));
    json::array items;
    for (const auto& e : events) {
        items.push_back(json::object{{"id", e.id},
                                     {"at", FormatRfc3339(e.at)},
                                     {"user_id", e.user_id ? json::value(*e.user_id) : json::value(nullptr)},
                                     {"login", e.login},
                                     {"success", e.success},
                                     {"reason", e.reason},
                                     {"address", e.address},
                                     {"user_agent", e.user_agent}});
    }
    const bool full = static_cast<int>(events.size()) == q.limit;
    return ListResponse(std::move(items), full ? std::optional(events.back().id) : std::nullopt);
}

Result<http::Response> AccountInventory(Context& ctx) {
    const auto dormant_days = UNYO_TRY(ctx.QueryInt("dormant_days", 1, 3650))
                                  .value_or(ctx.accounts().config().dormant_days);
    const auto inventory = UNYO_TRY(ctx.accounts().Inventory(static_cast<int>(dormant_days)));
    json::array items;
    for (const auto& i : inventory) {
        auto user = auth::ToJson(i.user);
        items.push_back(json::object{{"user_id", i.user.id},
                                     {"login", i.user.login},
                                     {"display_name", i.user.display_name},
                                     {"organization_id", i.user.organization_id},
                                     {"roles", user["roles"]},
                                     {"disabled", i.user.disabled},
                                     {"locked", i.locked},
                                     {"last_login_at", user["last_login_at"]},
                                     {"days_since_login", i.days_since_login ? json::value(*i.days_since_login)
                                                                             : json::value(nullptr)},
                                     {"dormant", i.dormant}});
    }
    return http::Response::Json(200, json::object{{"generated_at", FormatRfc3339(ctx.services().clock.Now())},
                                                  {"dormant_days", dormant_days},
                                                  {"items", std::move(items)}});
}

Result<http::Response> ListAudit(Context& ctx) {
    audit::Filter f;
    f.actor = ctx.QueryString("actor");
    f.action = ctx.QueryString("action");
    f.entity_type = ctx.QueryString("entity_type");
    f.entity_id = ctx.QueryString("entity_id");
    f.from = UNYO_TRY(ctx.QueryTime("from"));
    f.to = UNYO_TRY(ctx.QueryTime("to"));
    f.before_seq = UNYO_TRY(ctx.QueryInt("cursor", 1, INT64_MAX));
    f.limit = UNYO_TRY(ctx.Limit());
    const auto entries = UNYO_TRY(audit::List(ctx.services().db, f));
    json::array items;
    for (const auto& e : entries) {
        items.push_back(audit::ToJson(e));
    }
    const bool full = static_cast<int>(entries.size()) == f.limit;
    return ListResponse(std::move(items), full ? std::optional(entries.back().seq) : std::nullopt);
}

}  // namespace unyo::api
