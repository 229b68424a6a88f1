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

namespace {

// A metric of one value: its HELP and TYPE lines and the value.
void Single(std::string& out, std::string_view name, std::string_view kind, std::string_view help,
            const std::string& value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n{0} {3}\n", name, help, kind, value);
}

std::string Seconds(Millis ms) { return fmt::format("{:.3f}", static_cast<double>(ms) / 1000.0); }

// The monitoring engine watched from outside (MON-8): checks, their lateness and durations.
std::string EngineMetrics(const monitor::EngineStats& e) {
    std::string b;
    b += "# HELP unyo_monitor_checks_total Checks run, by monitor type.\n# TYPE unyo_monitor_checks_total counter\n";
    for (const auto& [type, t] : e.by_type) b += fmt::format("unyo_monitor_checks_total{{type=\"{}\"}} {}\n", type, t.checks);
    b += "# HELP unyo_monitor_check_failures_total Checks whose result was not ok, by monitor type.\n"
         "# TYPE unyo_monitor_check_failures_total counter\n";
    for (const auto& [type, t] : e.by_type) {
        b += fmt::format("unyo_monitor_check_failures_total{{type=\"{}\"}} {}\n", type, t.failures);
    }
    b += "# HELP unyo_monitor_check_duration_seconds_sum Time spent in checks, by monitor type.\n"
         "# TYPE unyo_monitor_check_duration_seconds_sum counter\n";
    for (const auto& [type, t] : e.by_type) {
        b += fmt::format("unyo_monitor_check_duration_seconds_sum{{type=\"{}\"}} {:.6f}\n", type, t.duration_s);
    }
    b += "# HELP unyo_monitor_check_lateness_seconds How late checks started after their due time.\n"
         "# TYPE unyo_monitor_check_lateness_seconds histogram\n";
    for (std::size_t i = 0; i < e.kLatenessBuckets.size(); ++i) {
        b += fmt::format("unyo_monitor_check_lateness_seconds_bucket{{le=\"{}\"}} {}\n", e.kLatenessBuckets[i],
                         e.lateness_buckets[i]);
    }
    b += fmt::format("unyo_monitor_check_lateness_seconds_bucket{{le=\"+Inf\"}} {}\n", e.lateness_count);
    b += fmt::format("unyo_monitor_check_lateness_seconds_sum {:.6f}\n", e.lateness_sum_s);
    b += fmt::format("unyo_monitor_check_lateness_seconds_count {}\n", e.lateness_count);
    Single(b, "unyo_monitor_checks_late_total", "counter", "Checks that started more than 1 s late.",
           std::to_string(e.late_checks));
    Single(b, "unyo_monitor_checks_inconclusive_total", "counter",
           "Failures set aside because the engine's loop ran late.", std::to_string(e.inconclusive_checks));
    Single(b, "unyo_monitor_loop_lag_max_seconds", "gauge", "The largest delay of the engine's loop since start.",
           Seconds(e.max_loop_lag_ms));
    Single(b, "unyo_monitor_monitors", "gauge", "Monitors being checked.", std::to_string(e.monitors));
    Single(b, "unyo_monitor_results_written_total", "counter", "Check results written to the database.",
           std::to_string(e.results_written));
    Single(b, "unyo_monitor_syslog_messages_total", "counter", "Messages the syslog receiver took.",
           std::to_string(e.syslog_messages));
    Single(b, "unyo_monitor_engine_loop_age_seconds", "gauge",
           "Since the engine's loop last ran (stalled when large).", Seconds(e.since_tick_ms));
    return b;
}

}  // namespace

Result<http::Response> MetricsText(Context& ctx) {
    const auto stats = ctx.services().db.Stats();
    std::string body = ctx.services().metrics.Render();
    Single(body, "unyo_db_writer_queue_depth", "gauge", "Write jobs waiting for the database writer.",
           std::to_string(stats.writer_queue_depth));
    Single(body, "unyo_db_write_batches_total", "counter", "Write transactions committed (group commit batches).",
           std::to_string(stats.write_batches));
    Single(body, "unyo_db_write_jobs_total", "counter", "Write jobs run.", std::to_string(stats.write_jobs));
    body += EngineMetrics(ctx.services().monitoring.engine.Stats());
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = std::move(body);
    return r;
}

}  // namespace unyo::api
