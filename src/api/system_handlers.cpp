// Health, readiness and metrics.
#include <fmt/format.h>

#include "api/routes.hpp"

namespace unyo::api {

Result<http::Response> Healthz(Context&) {
    return http::Response::Json(200, json::object{{"status", "ok"}});
}

Result<http::Response> Readyz(Context& ctx) {
    auto r = ctx.services().db.Read([](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Query("SELECT 1"));
        return {};
    });
    if (!r) {
        return Fail(
            {ErrorCode::kUnavailable, "the database does not answer: " + r.error().message, {}});
    }
    return http::Response::Json(200, json::object{{"status", "ready"}, {"database", "ok"}});
}

Result<http::Response> MetricsText(Context& ctx) {
    const auto stats = ctx.services().db.Stats();
    std::string body = ctx.services().metrics.Render();
    body += "# HELP unyo_db_writer_queue_depth Write jobs waiting for the database writer.\n";
    body += "# TYPE unyo_db_writer_queue_depth gauge\n";
    body += fmt::format("unyo_db_writer_queue_depth {}\n", stats.writer_queue_depth);
    body +=
        "# HELP unyo_db_write_batches_total Write transactions committed (group commit batches).\n";
    body += "# TYPE unyo_db_write_batches_total counter\n";
    body += fmt::format("unyo_db_write_batches_total {}\n", stats.write_batches);
    body += "# HELP unyo_db_write_jobs_total Write jobs run.\n";
    body += "# TYPE unyo_db_write_jobs_total counter\n";
    body += fmt::format("unyo_db_write_jobs_total {}\n", stats.write_jobs);
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = std::move(body);
    return r;
}

}  // namespace unyo::api
