// Login history, account inventory and the audit log (ACC-4, ACC-5, X-3).
#include "api/export.hpp"
#include "api/routes.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

std::string ReasonTitle(const std::string& reason, reports::Language lang) {
    if (lang == reports::Language::kEnglish) return reason;
    if (reason == "ok") return "成功";
    if (reason == "bad_credentials") return "ログイン名またはパスワードの誤り";
    if (reason == "locked") return "ロック中";
    if (reason == "disabled") return "無効なアカウント";
    return reason;
}

reports::Table LoginEventsTable(const std::vector<auth::LoginEvent>& events,
                                reports::Language lang) {
    reports::Table t{"login-history",
                     {{"日時", "Time"},
                      {"ログイン名", "Login"},
                      {"利用者ID", "User ID"},
                      {"成功", "Success"},
                      {"理由", "Reason"},
                      {"接続元", "Address"},
                      {"ブラウザ", "User agent"}},
                     {}};
    for (const auto& e : events) {
        t.rows.push_back({reports::Instant{e.at}, e.login,
                          e.user_id ? reports::Cell(*e.user_id) : reports::Cell{}, e.success,
                          ReasonTitle(e.reason, lang), e.address, e.user_agent});
    }
    return t;
}

reports::Table InventoryTable(const std::vector<auth::InventoryItem>& items,
                              reports::Language lang) {
    reports::Table t{"account-inventory",
                     {{"利用者ID", "User ID"},
                      {"ログイン名", "Login"},
                      {"表示名", "Display name"},
                      {"組織ID", "Organization ID"},
                      {"ロール", "Roles"},
                      {"無効", "Disabled"},
                      {"ロック中", "Locked"},
                      {"最終ログイン", "Last sign-in"},
                      {"未ログイン日数", "Days since sign-in"},
                      {"休眠", "Dormant"}},
                     {}};
    for (const auto& i : items) {
        std::string roles;
        for (const auto& r : auth::RoleNames(i.user.roles)) {
            roles += roles.empty() ? "" : "・";
            roles += RoleTitle(r, lang);
        }
        t.rows.push_back(
            {i.user.id, i.user.login, i.user.display_name, i.user.organization_id, roles,
             i.user.disabled, i.locked,
             i.user.last_login_at ? reports::Cell(reports::Instant{*i.user.last_login_at})
                                  : reports::Cell{},
             i.days_since_login ? reports::Cell(*i.days_since_login) : reports::Cell{}, i.dormant});
    }
    return t;
}

reports::Table AuditTable(const std::vector<audit::Entry>& entries) {
    reports::Table t{"audit-log",
                     {{"連番", "Seq"},
                      {"日時", "Time"},
                      {"操作者", "Actor"},
                      {"操作", "Action"},
                      {"対象種別", "Entity type"},
                      {"対象ID", "Entity ID"},
                      {"接続元", "Address"},
                      {"変更前", "Before"},
                      {"変更後", "After"},
                      {"ハッシュ", "Hash"}},
                     {}};
    for (const auto& e : entries) {
        t.rows.push_back({e.seq, reports::Instant{e.at}, e.actor_login, e.action, e.entity_type,
                          e.entity_id, e.address,
                          e.before.is_null() ? std::string() : json::serialize(e.before),
                          e.after.is_null() ? std::string() : json::serialize(e.after), e.hash});
    }
    return t;
}

}  // namespace

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
    if (UNYO_TRY(WantsExport(ctx))) {
        const auto all = UNYO_TRY(AllNewestFirst<auth::LoginEvent>(
            q, &auth::LoginEventQuery::before_id,
            [&](const auth::LoginEventQuery& page) { return ctx.accounts().ListLoginEvents(page); },
            [](const auth::LoginEvent& e) { return e.id; }));
        return ExportResponse(ctx, LoginEventsTable(all, ExportLanguage(ctx)));
    }
    const auto events = UNYO_TRY(ctx.accounts().ListLoginEvents(q));
    json::array items;
    for (const auto& e : events) {
        items.push_back(
            json::object{{"id", e.id},
                         {"at", FormatRfc3339(e.at)},
                         {"user_id", OrNull(e.user_id)},
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
    if (UNYO_TRY(WantsExport(ctx))) {
        return ExportResponse(ctx, InventoryTable(inventory, ExportLanguage(ctx)));
    }
    json::array items;
    for (const auto& i : inventory) {
        auto user = auth::ToJson(i.user);
        items.push_back(
            json::object{{"user_id", i.user.id},
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
    return http::Response::Json(
        200, json::object{{"generated_at", FormatRfc3339(ctx.services().clock.Now())},
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
    if (UNYO_TRY(WantsExport(ctx))) {
        const auto all = UNYO_TRY(AllNewestFirst<audit::Entry>(
            f, &audit::Filter::before_seq,
            [&](const audit::Filter& page) { return audit::List(ctx.services().db, page); },
            [](const audit::Entry& e) { return e.seq; }));
        return ExportResponse(ctx, AuditTable(all));
    }
    const auto entries = UNYO_TRY(audit::List(ctx.services().db, f));
    json::array items;
    for (const auto& e : entries) {
        items.push_back(audit::ToJson(e));
    }
    const bool full = static_cast<int>(entries.size()) == f.limit;
    return ListResponse(std::move(items), full ? std::optional(entries.back().seq) : std::nullopt);
}

}  // namespace unyo::api
