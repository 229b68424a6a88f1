// /api/v1/organizations
#include "api/export.hpp"
#include "api/routes.hpp"

namespace unyo::api {
namespace {

Result<auth::OrganizationInput> ReadOrganization(Context& ctx, bool creating) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"name", "kind", "code", "note", "disabled"});
    auth::OrganizationInput in;
    in.name =
        creating || f.Has("name") ? std::optional(f.RequiredString("name", 200)) : std::nullopt;
    in.kind = f.OptionalString("kind", 20);
    in.code = f.OptionalString("code", 32);
    in.note = f.OptionalString("note", 2000);
    in.disabled = f.OptionalBool("disabled");
    UNYO_TRY_VOID(f.Finish());
    return in;
}

std::string KindTitle(const std::string& kind, reports::Language lang) {
    if (lang == reports::Language::kEnglish) return kind;
    if (kind == "owner") return "発注者";
    if (kind == "vendor") return "事業者";
    return "その他";
}

reports::Table OrganizationsTable(const std::vector<auth::Organization>& orgs,
                                  reports::Language lang) {
    reports::Table t{"organizations",
                     {{"ID", "ID"},
                      {"コード", "Code"},
                      {"名称", "Name"},
                      {"種別", "Kind"},
                      {"備考", "Note"},
                      {"無効", "Disabled"},
                      {"作成日時", "Created"},
                      {"更新日時", "Updated"}},
                     {}};
    for (const auto& o : orgs) {
        t.rows.push_back({o.id, o.code.value_or(""), o.name, KindTitle(o.kind, lang), o.note,
                          o.disabled, reports::Instant{o.created_at},
                          reports::Instant{o.updated_at}});
    }
    return t;
}

}  // namespace

Result<http::Response> ListOrganizations(Context& ctx) {
    auth::OrganizationQuery q;
    q.q = ctx.QueryString("q");
    if (UNYO_TRY(WantsExport(ctx))) {
        const auto all =
            UNYO_TRY(AllPagesOf<auth::Organization>(q, [&](const auth::OrganizationQuery& page) {
                return ctx.accounts().ListOrganizations(page);
            }));
        return ExportResponse(ctx, OrganizationsTable(all, ExportLanguage(ctx)));
    }
    q.after = UNYO_TRY(ctx.QueryInt("cursor", 0, INT64_MAX));
    q.limit = UNYO_TRY(ctx.Limit());
    auto page = UNYO_TRY(ctx.accounts().ListOrganizations(q));
    json::array items;
    for (const auto& o : page.items) {
        items.push_back(auth::ToJson(o));
    }
    return ListResponse(std::move(items), page.next_cursor);
}

Result<http::Response> CreateOrganization(Context& ctx) {
    const auto in = UNYO_TRY(ReadOrganization(ctx, true));
    const auto o = UNYO_TRY(ctx.accounts().CreateOrganization(
        in, ctx.actor(), ctx.IdempotencyHook("/api/v1/organizations/")));
    return CreatedResponse(auth::ToJson(o), o.version,
                           "/api/v1/organizations/" + std::to_string(o.id));
}

Result<http::Response> GetOrganization(Context& ctx) {
    const auto o = UNYO_TRY(ctx.accounts().GetOrganization(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(auth::ToJson(o), o.version);
}

Result<http::Response> UpdateOrganization(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto in = UNYO_TRY(ReadOrganization(ctx, false));
    const auto o = UNYO_TRY(ctx.accounts().UpdateOrganization(id, version, in, ctx.actor()));
    return ResourceResponse(auth::ToJson(o), o.version);
}

Result<http::Response> DeleteOrganization(Context& ctx) {
    UNYO_TRY_VOID(ctx.accounts().DeleteOrganization(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

}  // namespace unyo::api
