// The request pipeline: early-return guards in front of the route handlers.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/routes.hpp"
#include "core/crypto.hpp"
#include "http/problem.hpp"

namespace unyo::api {
namespace {

constexpr std::string_view kSessionCookie = "unyo_session";

Result<void> CheckContentType(const http::Request& req) {
    if (!req.IsUnsafe() || req.body.empty()) {
        return {};
    }
    const auto ct = req.Header("content-type").value_or("");
    if (ct.starts_with("application/json")) {
        return {};
    }
    return Fail(
        {ErrorCode::kUnsupportedMediaType,
         fmt::format("send the body as application/json (got \"{}\")", ct.empty() ? "nothing" : ct),
         {}});
}

}  // namespace

Result<auth::Principal> Authenticate(Services& s, const http::Request& req) {
    if (auto h = req.Header("authorization")) {
        if (!h->starts_with("Bearer ")) {
            return Fail(
                Error{ErrorCode::kUnauthenticated, "use Authorization: Bearer <token>", {}});
        }
        return s.accounts.AuthenticateToken(std::string(h->substr(7)));
    }
    if (auto cookie = req.Cookie(kSessionCookie)) {
        return s.accounts.AuthenticateSession(*cookie);
    }
    return Fail(Error{ErrorCode::kUnauthenticated,
                      "sign in first (POST /api/v1/session) or send an API token",
                      {}});
}

namespace {

// Sessions ride on a cookie that the browser sends by itself, so every unsafe request must also
// prove it came from our page: the CSRF token returned at sign-in, in a header.
Result<void> CheckCsrf(const auth::Principal& p, const http::Request& req) {
    if (p.via_token || !req.IsUnsafe()) {
        return {};
    }
    const auto sent = req.Header("x-csrf-token").value_or("");
    if (!sent.empty() && ConstantTimeEquals(sent, p.csrf_token)) {
        return {};
    }
    return Fail(Error::Denied(
        "the X-CSRF-Token header is missing or wrong; reload the page and sign in again"));
}

Result<void> CheckRoles(const Route& route, const auth::Principal& p) {
    if (route.roles == 0 || (route.roles & p.roles) != 0) {
        return {};
    }
    return Fail(Error::Denied(
        fmt::format("this needs the role {}; you have {}", route.roles_note,
                    auth::FormatRoles(p.roles).empty() ? "none" : auth::FormatRoles(p.roles))));
}

// A user whose password was set by an administrator must change it before anything else.
Result<void> CheckPasswordChange(const Route& route, const auth::Principal& p) {
    if (!p.must_change_password || route.pattern == "/api/v1/me" ||
        route.pattern == "/api/v1/me/password" || route.pattern == "/api/v1/session") {
        return {};
    }
    return Fail(Error::Denied("change your password first (POST /api/v1/me/password)"));
}

struct StoredResponse {
    std::string request_hash;
    int status;
    std::string body, location, etag;
};

Result<std::optional<StoredResponse>> FindIdempotent(Services& s, std::int64_t user,
                                                     const std::string& key) {
    return s.db.Read([&](storage::Connection& c) -> Result<std::optional<StoredResponse>> {
        auto rows =
            UNYO_TRY(c.Query("SELECT request_hash, status, body, location, etag FROM "
                             "idempotency_keys WHERE user_id = $1 AND key = $2",
                             {user, key}));
        if (rows.empty()) {
            return std::optional<StoredResponse>{};
        }
        const auto& r = rows.front();
        return std::optional<StoredResponse>{
            StoredResponse{r.Text(0), static_cast<int>(r.Int(1)), r.Text(2), r.Text(3), r.Text(4)}};
    });
}

Result<http::Response> Replay(const StoredResponse& stored, const std::string& request_hash) {
    if (stored.request_hash != request_hash) {
        return Fail(
            Error::Field("Idempotency-Key", "was already used with a different request body"));
    }
    http::Response r;
    r.status = stored.status;
    r.body = stored.body;
    r.SetHeader("Idempotent-Replayed", "true");
    if (!stored.location.empty()) {
        r.SetHeader("Location", stored.location);
    }
    if (!stored.etag.empty()) {
        r.SetHeader("ETag", stored.etag);
    }
    return r;
}

Result<http::Response> RunGuardsAndHandler(const http::Router<Route>& router, const Route& route,
                                           Services& s, Context& ctx, http::Response& out) {
    const auto& req = ctx.request();
    if (!route.raw_body) {
        UNYO_TRY_VOID(CheckContentType(req));
    }
    if (route.access != Access::kPublic) {
        auto p = UNYO_TRY(Authenticate(s, req));
        UNYO_TRY_VOID(CheckCsrf(p, req));
        UNYO_TRY_VOID(CheckRoles(route, p));
        UNYO_TRY_VOID(CheckPasswordChange(route, p));
        out.actor = p.login;
        ctx.set_principal(std::move(p));
    }
    std::optional<std::string> key;
    std::string request_hash;
    if (route.idempotent && req.method == "POST") {
        if (auto k = req.Header("idempotency-key")) {
            if (k->empty() || k->size() > 200) {
                return Fail(Error::Field("Idempotency-Key", "must be 1 to 200 characters",
                                         ErrorCode::kInvalidArgument));
            }
            key = std::string(*k);
            request_hash = Sha256Hex(req.method + " " + req.path + "\n" + req.body);
            if (auto stored = UNYO_TRY(FindIdempotent(s, ctx.principal().user_id, *key))) {
                return Replay(*stored, request_hash);
            }
            ctx.set_idempotency(*key, request_hash);
        }
    }
    if (!route.handler) {
        return http::Response::Json(200, OpenApiDocument(router));
    }
    auto result = route.handler(ctx);
    if (!result && key && !result.error().fields.empty() &&
        result.error().fields.front().field == "Idempotency-Key" &&
        result.error().code == ErrorCode::kConflict) {
        // Lost the race to a concurrent retry with the same key: answer as it did.
        if (auto stored = UNYO_TRY(FindIdempotent(s, ctx.principal().user_id, *key))) {
            return Replay(*stored, request_hash);
        }
    }
    return result;
}

}  // namespace

http::Response Dispatch(const http::Router<Route>& router, Services& services,
                        http::Request& request) {
    auto match = router.Find(request.method, request.path);
    if (match.route == nullptr) {
        if (match.path_known) {
            auto r = http::ProblemResponse(
                {ErrorCode::kMethodNotAllowed,
                 fmt::format("{} is not allowed here; use {}", request.method, match.allow),
                 {}});
            r.SetHeader("Allow", match.allow);
            return r;
        }
        if (request.method == "GET" && !request.path.starts_with("/api/")) {
            if (const auto* file = http::FindStaticFile(services.console_files, request.path)) {
                auto r = http::StaticResponse(*file);
                r.route = "(console)";
                return r;
            }
        }
        if (!request.path.starts_with("/api/") && services.console_files.empty()) {
            return http::ProblemResponse(
                Error::NotFound("this unyo was built without the web console; build it with `make "
                                "build` (npm run build in web/)"));
        }
        return http::ProblemResponse(
            Error::NotFound(fmt::format("there is nothing at {}", request.path)));
    }
    request.params = std::move(match.params);
    Context ctx(services, request);
    http::Response out;
    auto result = RunGuardsAndHandler(router, *match.route, services, ctx, out);
    http::Response response;
    if (result) {
        response = std::move(*result);
    } else {
        if (result.error().code == ErrorCode::kInternal) {
            spdlog::error("{} {} failed: {}", request.method, request.path, result.error().message);
        }
        response = http::ProblemResponse(result.error());
        if (result.error().code == ErrorCode::kUnauthenticated) {
            response.SetHeader("WWW-Authenticate", "Bearer realm=\"unyo\"");
        }
    }
    response.route = match.route->pattern;
    response.actor = std::move(out.actor);
    return response;
}

}  // namespace unyo::api
