// /api/v1/saved-views: names for list filters, one's own or shared.
#include <algorithm>

#include "api/routes.hpp"
#include "records/workflow.hpp"

namespace unyo::api {
namespace {

bool KnownCollection(const std::string& c) {
    const auto& all = records::Workflows();
    return std::any_of(all.begin(), all.end(), [&](const records::Workflow& w) { return w.collection == c; });
}

Result<http::Response> ListViews(Context& ctx) {
    const auto collection = ctx.QueryString("collection").value_or("");
    if (!collection.empty() && !KnownCollection(collection)) {
        return Fail(Error::Field("collection", "is not a list that has saved views", ErrorCode::kInvalidArgument));
    }
    json::array items;
    for (const auto& v : UNYO_TRY(ctx.services().views.List(ctx.principal(), collection))) {
        items.push_back(records::ToJson(v));
    }
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateView(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"collection", "name", "query", "shared"});
    records::SavedView v;
    v.collection = f.RequiredString("collection", 40);
    v.name = f.RequiredString("name", 300);
    v.query = f.OptionalString("query", 2000).value_or("");
    v.shared = f.OptionalBool("shared").value_or(false);
    if (!v.collection.empty() && !KnownCollection(v.collection)) {
        f.AddError("collection", "is not a list that has saved views");
    }
    UNYO_TRY_VOID(f.Finish());
    const auto created = UNYO_TRY(ctx.services().views.Create(ctx.principal(), std::move(v), ctx.actor()));
    return CreatedResponse(records::ToJson(created), 1, "/api/v1/saved-views/" + std::to_string(created.id));
}

Result<http::Response> DeleteView(Context& ctx) {
    UNYO_TRY_VOID(ctx.services().views.Delete(ctx.principal(), UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

}  // namespace

void AddViewRoutes(http::Router<Route>& router) {
    router.Add({"GET", "/api/v1/saved-views", Access::kSignedIn, 0, false,
                "Saved list views: one's own and the shared ones (collection= to narrow)", "any signed-in user",
                ListViews});
    router.Add({"POST", "/api/v1/saved-views", Access::kSignedIn, 0, false,
                "Save a list view (shared: admin, manager)", "any signed-in user", CreateView});
    router.Add({"DELETE", "/api/v1/saved-views/{id}", Access::kSignedIn, 0, false, "Delete a saved view",
                "its owner, admin", DeleteView});
}

}  // namespace unyo::api
