// /api/v1/stream: Server-Sent Events for live screens. The stream reads what has committed (the
// audit log's newest seq), so it never shows a change that was rolled back, and it works the same
// when several nodes share one PostgreSQL database.
#include <charconv>

#include <fmt/format.h>

#include "api/routes.hpp"

namespace unyo::api {
namespace {

// Re-check the credential this often (in polls, about seconds), so that a signed-out or disabled
// user stops receiving events.
constexpr int kReauthEvery = 30;

}  // namespace

Result<http::Response> EventStream(Context& ctx) {
    const auto topics = ctx.QueryString("topics").value_or("audit");
    if (topics != "audit") {
        return Fail(Error::Field("topics", "must be audit (the only topic so far)",
                                 ErrorCode::kInvalidArgument));
    }
    Services* services = &ctx.services();
    // Only the credential headers are kept for re-authentication, not the whole request.
    http::Request credential;
    for (const auto& [k, v] : ctx.request().headers) {
        if (k == "cookie" || k == "authorization") {
            credential.headers.emplace_back(k, v);
        }
    }
    // A reconnecting EventSource sends the last id it saw: resume after it so that nothing
    // committed in between is lost. Otherwise start at the present.
    std::int64_t last = UNYO_TRY(audit::HeadSeq(services->db));
    if (auto resume = ctx.request().Header("last-event-id")) {
        std::int64_t seq = 0;
        auto [p, ec] = std::from_chars(resume->data(), resume->data() + resume->size(), seq);
        if (ec == std::errc{} && p == resume->data() + resume->size() && seq >= 0 && seq <= last) {
            last = seq;
        }
    }
    int polls = 0;
    http::Response r;
    r.event_poll = [services, credential = std::move(credential), last,
                    polls]() mutable -> std::optional<std::string> {
        if (++polls % kReauthEvery == 0) {
            auto p = Authenticate(*services, credential);
            if (!p || !p->Is(auth::Role::kAdmin)) {
                return std::nullopt;
            }
        }
        audit::Filter f;
        f.after_seq = last;
        f.limit = 200;
        auto entries = audit::List(services->db, f);
        if (!entries) {
            return std::string();  // a passing database error: try again next second
        }
        std::string out;
        for (const auto& e : *entries) {
            out += fmt::format("event: audit\nid: {}\ndata: {}\n\n", e.seq,
                               json::serialize(audit::ToJson(e)));
            last = e.seq;
        }
        return out;
    };
    return r;
}

}  // namespace unyo::api
