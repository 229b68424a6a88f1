#include "api/context.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::api {
namespace {

std::optional<std::int64_t> ToInt(std::string_view s) {
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) {
        return std::nullopt;
    }
    return n;
}

Error BadQuery(std::string_view name, std::string message) {
    return Error::Field(std::string(name), std::move(message), ErrorCode::kInvalidArgument);
}

}  // namespace

audit::Actor Context::actor() const {
    audit::Actor a;
    if (principal_) {
        a.id = principal_->user_id;
        a.login = principal_->login;
    } else {
        a.login = "anonymous";
    }
    a.address = request_.remote_address;
    return a;
}

Result<std::int64_t> Context::IdParam(std::string_view name) const {
    auto n = ToInt(request_.Param(name));
    if (!n || *n <= 0) {
        return Fail(
            Error::NotFound(fmt::format("no resource has the id \"{}\"", request_.Param(name))));
    }
    return *n;
}

Result<std::optional<std::int64_t>> Context::QueryInt(std::string_view name, std::int64_t min,
                                                      std::int64_t max) const {
    auto raw = request_.Query(name);
    if (!raw || raw->empty()) {
        return std::optional<std::int64_t>{};
    }
    auto n = ToInt(*raw);
    if (!n) {
        return Fail(BadQuery(name, "must be an integer"));
    }
    if (*n < min || *n > max) {
        return Fail(BadQuery(name, fmt::format("must be between {} and {}", min, max)));
    }
    return std::optional<std::int64_t>{*n};
}

std::optional<std::string> Context::QueryString(std::string_view name) const {
    auto raw = request_.Query(name);
    if (!raw || raw->empty()) {
        return std::nullopt;
    }
    return std::string(*raw);
}

Result<std::optional<Millis>> Context::QueryTime(std::string_view name) const {
    auto raw = request_.Query(name);
    if (!raw || raw->empty()) {
        return std::optional<Millis>{};
    }
    auto t = ParseRfc3339(*raw);
    if (!t) {
        return Fail(BadQuery(
            name, "must be an RFC 3339 time such as 2026-04-01T09:00:00+09:00, or a date"));
    }
    return std::optional<Millis>{*t};
}

Result<std::optional<bool>> Context::QueryBool(std::string_view name) const {
    auto raw = request_.Query(name);
    if (!raw || raw->empty()) {
        return std::optional<bool>{};
    }
    if (*raw == "true" || *raw == "1") {
        return std::optional<bool>{true};
    }
    if (*raw == "false" || *raw == "0") {
        return std::optional<bool>{false};
    }
    return Fail(BadQuery(name, "must be true or false"));
}

Result<int> Context::Limit() const {
    auto n = UNYO_TRY(QueryInt("limit", 1, 500));
    return static_cast<int>(n.value_or(50));
}

Result<std::int64_t> Context::IfMatchVersion() const {
    auto raw = request_.Header("if-match");
    if (!raw || raw->empty()) {
        return Fail(
            {ErrorCode::kPreconditionRequired,
             "send If-Match with the ETag you read, so that a concurrent change is not overwritten",
             {{"If-Match", "is required"}}});
    }
    std::string_view v = *raw;
    if (v.starts_with("W/")) {
        v.remove_prefix(2);
    }
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        v = v.substr(1, v.size() - 2);
    }
    auto n = ToInt(v);
    if (!n) {
        return Fail({ErrorCode::kPreconditionFailed,
                     "If-Match does not match the resource's current ETag",
                     {}});
    }
    return *n;
}

auth::TxHook Context::IdempotencyHook(std::string location_prefix) const {
    if (idempotency_key_.empty() || !principal_) {
        return {};
    }
    return [key = idempotency_key_, hash = request_hash_, user = principal_->user_id,
            prefix = std::move(location_prefix), now = services_.clock.Now()](
               storage::Connection& c, const json::object& resource) -> Result<void> {
        const std::string id = std::to_string(resource.at("id").as_int64());
        const std::string etag = ETag(resource.at("version").as_int64());
        const auto n =
            UNYO_TRY(c.Exec("INSERT INTO idempotency_keys (user_id, key, request_hash, status, "
                            "body, location, etag, created_at) "
                            "VALUES ($1, $2, $3, 201, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                            {user, key, hash, json::serialize(resource), prefix + id, etag, now}));
        if (n == 0) {
            // A concurrent request with the same key won; the pipeline replays its answer.
            return Fail(Error::Field("Idempotency-Key",
                                     "a request with this key is being processed",
                                     ErrorCode::kConflict));
        }
        return {};
    };
}

std::string ETag(std::int64_t version) { return fmt::format("\"{}\"", version); }

http::Response ResourceResponse(const json::object& body, std::int64_t version, int status) {
    auto r = http::Response::Json(status, body);
    r.SetHeader("ETag", ETag(version));
    return r;
}

http::Response CreatedResponse(const json::object& body, std::int64_t version,
                               const std::string& location) {
    auto r = ResourceResponse(body, version, 201);
    r.SetHeader("Location", location);
    return r;
}

http::Response ListResponse(json::array items, std::optional<std::int64_t> next_cursor) {
    return http::Response::Json(
        200, json::object{{"items", std::move(items)},
                          {"next_cursor", next_cursor ? json::value(std::to_string(*next_cursor))
                                                      : json::value(nullptr)}});
}

}  // namespace unyo::api
