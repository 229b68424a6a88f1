// /api/v1/monitors, /alerts, /notification-channels, /notifications, /planned-stops,
// /availability and the public /maintenance page.
#include <algorithm>

#include <fmt/format.h>

#include "api/routes.hpp"
#include "core/time_format.hpp"
#include "reports/operation_report.hpp"

namespace unyo::api {
namespace {

MonitoringServices& M(Context& ctx) { return ctx.services().monitoring; }

json::object WithLive(const monitor::Monitor& m, const std::vector<monitor::LiveStatus>& live) {
    json::object out = monitor::ToJson(m);
    out["status"] = nullptr;
    for (const auto& s : live) {
        if (s.monitor_id == m.id) out["status"] = monitor::ToJson(s);
    }
    return out;
}

// A command monitor runs a program on the unyo host as unyo's user: only an admin may add one,
// change or delete one, or turn another monitor into one.
Result<void> MayRunCommands(Context& ctx, std::string_view type) {
    if (type != "command" || ctx.principal().Is(auth::Role::kAdmin)) return {};
    return Fail(Error::Denied("only an admin may add, change or delete a command monitor (it runs a program on the unyo host)"));
}

Result<http::Response> ListMonitors(Context& ctx) {
    const auto live = M(ctx).engine.Snapshot();
    json::array items;
    for (const auto& m : UNYO_TRY(M(ctx).monitors.List())) items.push_back(WithLive(m, live));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateMonitor(Context& ctx) {
    auto m = UNYO_TRY(monitor::MonitorFromJson(UNYO_TRY(ctx.Body()), monitor::Monitor{}, true));
    UNYO_TRY_VOID(MayRunCommands(ctx, m.type));
    const auto created = UNYO_TRY(M(ctx).monitors.Create(std::move(m), ctx.actor()));
    return CreatedResponse(monitor::ToJson(created), created.version, "/api/v1/monitors/" + std::to_string(created.id));
}

Result<http::Response> GetMonitor(Context& ctx) {
    const auto m = UNYO_TRY(M(ctx).monitors.Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(WithLive(m, M(ctx).engine.Snapshot()), m.version);
}

Result<http::Response> UpdateMonitor(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto body = UNYO_TRY(ctx.Body());
    UNYO_TRY_VOID(MayRunCommands(ctx, UNYO_TRY(M(ctx).monitors.Get(id)).type));
    UNYO_TRY_VOID(MayRunCommands(ctx, StringOf(body, "type")));
    const auto m = UNYO_TRY(M(ctx).monitors.Update(id, version, body, ctx.actor()));
    return ResourceResponse(monitor::ToJson(m), m.version);
}

Result<http::Response> DeleteMonitor(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    UNYO_TRY_VOID(MayRunCommands(ctx, UNYO_TRY(M(ctx).monitors.Get(id)).type));
    UNYO_TRY_VOID(M(ctx).monitors.Delete(id, ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> MonitorHeartbeat(Context& ctx) {
    const auto m = UNYO_TRY(M(ctx).monitors.Get(UNYO_TRY(ctx.IdParam())));
    if (m.type != "heartbeat") {
        return Fail(Error::Conflict(fmt::format("monitor {} is a {} monitor, not a heartbeat", m.id, m.type)));
    }
    M(ctx).engine.Heartbeat(m.id);
    return http::Response::NoContent();
}

Result<std::pair<Millis, Millis>> Period(Context& ctx, Millis default_span) {
    const Millis now = ctx.services().clock.Now();
    const auto to = UNYO_TRY(ctx.QueryTime("to")).value_or(now);
    const auto from = UNYO_TRY(ctx.QueryTime("from")).value_or(to - default_span);
    if (from >= to) return Fail(Error::Field("from", "must be before to", ErrorCode::kInvalidArgument));
    return std::pair{from, to};
}

Result<http::Response> MonitorEvents(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    UNYO_TRY(M(ctx).monitors.Get(id));
    const auto [from, to] = UNYO_TRY(Period(ctx, 30 * 24 * kHourMs));
    json::array items;
    for (const auto& e : UNYO_TRY(M(ctx).monitors.Events(id, from, to))) items.push_back(monitor::ToJson(e));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> MonitorResults(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto watched = UNYO_TRY(M(ctx).monitors.Get(id));
    const auto [from, to] = UNYO_TRY(Period(ctx, 24 * kHourMs));
    const Millis now = ctx.services().clock.Now();
    auto step = monitor::AutoStep(from, to, now, M(ctx).results.retention());
    if (const auto asked = ctx.QueryString("step"); asked && *asked != "auto") {
        const auto parsed = monitor::ParseStep(*asked);
        if (!parsed) return Fail(Error::Field("step", "must be raw, 1m, 1h or auto", ErrorCode::kInvalidArgument));
        step = *parsed;
    }
    // Raw results: at most ~50,000 points in one answer (a 1-second monitor gives that in 14 hours).
    constexpr Millis kMaxRawPoints = 50'000;
    const Millis expected = (to - from) / (watched.interval_s * 1000LL);
    if (step == monitor::Step::kRaw && expected > kMaxRawPoints) {
        return Fail(Error::Field("step",
                                 fmt::format("raw results over this period would be about {} points (at most {}); use "
                                             "1m or 1h, or a shorter period",
                                             expected, kMaxRawPoints),
                                 ErrorCode::kInvalidArgument));
    }
    json::array items;
    for (const auto& p : UNYO_TRY(M(ctx).results.Query(id, from, to, step))) items.push_back(monitor::ToJson(p, step));
    return http::Response::Json(200, json::object{{"monitor_id", id},
                                                  {"step", monitor::StepName(step)},
                                                  {"from", FormatRfc3339(from)},
                                                  {"to", FormatRfc3339(to)},
                                                  {"items", std::move(items)}});
}

Result<http::Response> Availability(Context& ctx) {
    const auto [from, to] = UNYO_TRY(Period(ctx, 30 * 24 * kHourMs));
    const auto monitor_id = UNYO_TRY(ctx.QueryInt("monitor_id", 1, std::numeric_limits<std::int64_t>::max()));
    const auto service = ctx.QueryString("service");
    double target = 0.999;
    if (auto t = ctx.QueryString("target")) {
        try {
            target = std::stod(*t);
        } catch (const std::exception&) {
            target = -1;
        }
        if (target <= 0 || target >= 1) {
            return Fail(Error::Field("target", "must be a ratio between 0 and 1 (0.999)", ErrorCode::kInvalidArgument));
        }
    }
    if (!monitor_id && !service) {
        return Fail(Error::Field("monitor_id", "give monitor_id or service", ErrorCode::kInvalidArgument));
    }
    std::vector<monitor::Monitor> chosen;
    for (auto& m : UNYO_TRY(M(ctx).monitors.List())) {
        if ((monitor_id && m.id == *monitor_id) || (service && m.service == *service)) chosen.push_back(std::move(m));
    }
    if (chosen.empty()) return Fail(Error::NotFound("no such monitor or service"));
    const auto stops = UNYO_TRY(M(ctx).stops.List(from, to));
    json::array items;
    std::vector<reports::WatchedMonitor> watched;
    for (const auto& m : chosen) {
        auto w = UNYO_TRY(reports::Watch(M(ctx).monitors, m, stops, from, to));
        auto a = monitor::ToJson(reports::OfMonitor(w, to, target));
        a["monitor_id"] = m.id;
        a["name"] = m.name;
        a["service"] = m.service;
        json::array stop_ids;
        for (const auto id : w.stop_ids) stop_ids.push_back(id);
        a["planned_stop_ids"] = std::move(stop_ids);
        items.push_back(std::move(a));
        watched.push_back(std::move(w));
    }
    json::object out{{"items", std::move(items)}, {"next_cursor", nullptr}};
    if (service) {  // the service as one: down while any of its monitors is (SLM-1)
        auto a = monitor::ToJson(reports::OfService(watched, from, to, target));
        a["name"] = *service;
        a["monitors"] = static_cast<std::int64_t>(chosen.size());
        out["service"] = std::move(a);
    }
    return http::Response::Json(200, std::move(out));
}

Result<http::Response> UpdateStop(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto s = UNYO_TRY(M(ctx).stops.Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(opscal::ToJson(s), s.version);
}

Result<http::Response> ListAlerts(Context& ctx) {
    const auto status = ctx.QueryString("status");
    if (status && *status != "open" && *status != "resolved") {
        return Fail(Error::Field("status", "must be open or resolved", ErrorCode::kInvalidArgument));
    }
    const auto limit = UNYO_TRY(ctx.Limit());
    const auto cursor = UNYO_TRY(ctx.QueryInt("cursor", 1, INT64_MAX));
    const auto page = UNYO_TRY(M(ctx).alerts.List(status, limit, cursor));
    json::array items;
    const Millis now = ctx.services().clock.Now();
    for (const auto& a : page) items.push_back(alerts::ToJson(a, now));
    const bool full = std::ssize(page) == limit;
    return ListResponse(std::move(items), full ? std::optional(page.back().id) : std::nullopt);
}

Result<http::Response> ListRules(Context& ctx) {
    json::array items;
    for (const auto& r : UNYO_TRY(M(ctx).rules.List())) items.push_back(alerts::ToJson(r));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateRule(Context& ctx) {
    const auto r = UNYO_TRY(M(ctx).rules.Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(alerts::ToJson(r), r.version, "/api/v1/alert-rules/" + std::to_string(r.id));
}

Result<http::Response> GetRule(Context& ctx) {
    const auto r = UNYO_TRY(M(ctx).rules.Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(alerts::ToJson(r), r.version);
}

Result<http::Response> UpdateRule(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto r = UNYO_TRY(M(ctx).rules.Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(alerts::ToJson(r), r.version);
}

Result<http::Response> DeleteRule(Context& ctx) {
    UNYO_TRY_VOID(M(ctx).rules.Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> AcknowledgeAlert(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.BodyOrEmpty());
    FieldReader f(body);
    f.AllowOnly({"comment", "expires_at"});
    const auto comment = f.OptionalString("comment", 2000).value_or("");
    const auto expires_at = f.OptionalInstant("expires_at");
    UNYO_TRY_VOID(f.Finish());
    const auto alert = UNYO_TRY(M(ctx).alerts.Acknowledge(id, comment, expires_at, ctx.actor()));
    return http::Response::Json(200, alerts::ToJson(alert, ctx.services().clock.Now()));
}

Result<http::Response> ListChannels(Context& ctx) {
    json::array items;
    for (const auto& c : UNYO_TRY(M(ctx).outbox.Channels())) items.push_back(notify::ToJson(c));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateChannel(Context& ctx) {
    const auto c = UNYO_TRY(M(ctx).outbox.CreateChannel(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(notify::ToJson(c), c.version, "/api/v1/notification-channels/" + std::to_string(c.id));
}

Result<http::Response> GetChannel(Context& ctx) {
    const auto c = UNYO_TRY(M(ctx).outbox.GetChannel(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(notify::ToJson(c), c.version);
}

Result<http::Response> UpdateChannel(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto c = UNYO_TRY(M(ctx).outbox.UpdateChannel(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(notify::ToJson(c), c.version);
}

Result<http::Response> DeleteChannel(Context& ctx) {
    UNYO_TRY_VOID(M(ctx).outbox.DeleteChannel(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

Result<http::Response> TestChannel(Context& ctx) {
    const auto c = UNYO_TRY(M(ctx).outbox.GetChannel(UNYO_TRY(ctx.IdParam())));
    const auto sent = notify::Send(c, "【unyo】通知テスト", fmt::format("通知チャネル「{}」のテストです。\n", c.name));
    if (!sent) return Fail(Error{ErrorCode::kUnavailable, "the test message was not delivered: " + sent.error().message, {}});
    return http::Response::Json(200, json::object{{"delivered", true}});
}

Result<http::Response> ListNotifications(Context& ctx) {
    const auto record_id = UNYO_TRY(ctx.QueryInt("record_id", 1, std::numeric_limits<std::int64_t>::max()));
    const auto deliveries = record_id ? UNYO_TRY(M(ctx).outbox.ForRecord(*record_id))
                                      : UNYO_TRY(M(ctx).outbox.Recent(UNYO_TRY(ctx.Limit())));
    json::array items;
    for (const auto& d : deliveries) items.push_back(notify::ToJson(d));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> ListStops(Context& ctx) {
    const Millis now = ctx.services().clock.Now();
    const auto from = UNYO_TRY(ctx.QueryTime("from")).value_or(now - 30 * 24 * kHourMs);
    const auto to = UNYO_TRY(ctx.QueryTime("to")).value_or(now + 366 * 24 * kHourMs);
    json::array items;
    for (const auto& s : UNYO_TRY(M(ctx).stops.List(from, to))) items.push_back(opscal::ToJson(s));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateStop(Context& ctx) {
    const auto s = UNYO_TRY(M(ctx).stops.Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    return CreatedResponse(opscal::ToJson(s), s.version, "/api/v1/planned-stops/" + std::to_string(s.id));
}

Result<http::Response> GetStop(Context& ctx) {
    const auto s = UNYO_TRY(M(ctx).stops.Get(UNYO_TRY(ctx.IdParam())));
    return ResourceResponse(opscal::ToJson(s), s.version);
}

Result<http::Response> ApproveStop(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto s = UNYO_TRY(M(ctx).stops.Approve(id, UNYO_TRY(ctx.IfMatchVersion()), ctx.actor()));
    return ResourceResponse(opscal::ToJson(s), s.version);
}

Result<http::Response> DeleteStop(Context& ctx) {
    UNYO_TRY_VOID(M(ctx).stops.Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

std::string Escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// The public maintenance page (PLN-2): says whether a stop covering everything is under way.
// The public maintenance page (PLN-2): /maintenance for everything, or a configured path for one
// service. 503 with the end time while a stop covers what the page speaks for; the stops under way
// elsewhere and the approved ones of the next 30 days listed.
Result<http::Response> MaintenancePage(Context& ctx) {
    const Millis now = ctx.services().clock.Now();
    const auto& pages = M(ctx).maintenance_pages;
    const auto page = pages.find(ctx.request().path);
    const std::optional<std::string> service =
        page == pages.end() ? std::nullopt : std::optional<std::string>(page->second);
    const auto covers = [&](const opscal::PlannedStop& s) { return service ? s.Covers(0, *service) : s.scope == "all"; };
    const auto what = [](const opscal::PlannedStop& s) {
        if (s.scope == "services") return fmt::format("{}", fmt::join(s.services, "、"));
        return std::string(s.scope == "all" ? "全システム" : "一部の機能");
    };
    std::string now_html, elsewhere, upcoming;
    for (const auto& s : UNYO_TRY(M(ctx).stops.List(now, now + 30 * 24 * kHourMs))) {
        const auto period = fmt::format("{} 〜 {}", FormatLocal(s.starts_at), FormatLocal(s.ends_at));
        if (s.starts_at <= now && covers(s) && now_html.empty()) {
            now_html = fmt::format("<h1>ただいまメンテナンス中です</h1><p>{}</p><p>終了予定: {} (日本時間)</p>",
                                   Escape(s.title), FormatLocal(s.ends_at));
        } else if (s.starts_at <= now) {
            elsewhere += fmt::format("<li>{}: {} (終了予定 {})</li>", Escape(what(s)), Escape(s.title), FormatLocal(s.ends_at));
        } else if (s.approved_at && (covers(s) || !service)) {
            upcoming += fmt::format("<li>{} {}: {}</li>", period, Escape(what(s)), Escape(s.title));
        }
    }
    const int status = now_html.empty() ? 200 : 503;
    std::string body = now_html.empty()
                           ? fmt::format("<h1>{}は現在ご利用いただけます</h1>", service ? Escape(*service) : "システム")
                           : now_html;
    if (!elsewhere.empty()) body += "<h2>停止中のサービス</h2><ul>" + elsewhere + "</ul>";
    if (!upcoming.empty()) body += "<h2>今後の計画停止</h2><ul>" + upcoming + "</ul>";
    http::Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>メンテナンス情報</title></head>"
             "<body>" + body + "</body></html>";
    if (status == 503) r.SetHeader("Retry-After", "300");
    return r;
}

}  // namespace

void AddMonitoringRoutes(http::Router<Route>& r, const std::vector<std::string>& maintenance_paths) {
    using auth::Bit;
    using auth::Role;
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/maintenance", Access::kPublic, 0, false, "The public maintenance page (PLN-2)", "anyone",
           MaintenancePage});
    for (const auto& path : maintenance_paths) {
        r.Add({"GET", path, Access::kPublic, 0, false, "A service's maintenance page (config planned_stops)", "anyone",
               MaintenancePage});
    }
    r.Add({"GET", "/api/v1/monitors", in, 0, false, "Monitors with their live state", "any signed-in user",
           ListMonitors});
    r.Add({"POST", "/api/v1/monitors", in, kStaff, true, "Add a monitor", staff, CreateMonitor});
    r.Add({"GET", "/api/v1/monitors/{id}", in, 0, false, "One monitor with its live state", "any signed-in user",
           GetMonitor});
    r.Add({"PATCH", "/api/v1/monitors/{id}", in, kStaff, false, "Change a monitor (If-Match)", staff, UpdateMonitor});
    r.Add({"DELETE", "/api/v1/monitors/{id}", in, kStaff, false, "Delete a monitor", staff, DeleteMonitor});
    r.Add({"POST", "/api/v1/monitors/{id}/heartbeat", in, kStaff, false, "A passive heartbeat (MON-5)",
           staff + " (tokens for batch jobs)", MonitorHeartbeat});
    r.Add({"GET", "/api/v1/monitors/{id}/events", in, 0, false, "Hard state changes between from and to",
           "any signed-in user", MonitorEvents});
    r.Add({"GET", "/api/v1/monitors/{id}/results", in, 0, false,
           "Check results between from and to (step raw, 1m, 1h or auto)", "any signed-in user", MonitorResults});
    r.Add({"GET", "/api/v1/availability", in, 0, false,
           "Availability per monitor (monitor_id= or service=) between from and to, planned stops excluded",
           "any signed-in user", Availability});
    r.Add({"GET", "/api/v1/alerts", in, 0, false, "Alerts, newest first (status=open|resolved, limit, cursor)", "any signed-in user",
           ListAlerts});
    r.Add({"POST", "/api/v1/alerts/{id}/acknowledge", in, kStaff | Bit(Role::kVendor), false,
           "Acknowledge an alert with a comment", staff + ", vendor", AcknowledgeAlert});
    r.Add({"GET", "/api/v1/alert-rules", in, kStaff, false, "Alert rules in the order they are tried", staff, ListRules});
    r.Add({"POST", "/api/v1/alert-rules", in, kAdmin, true, "Add an alert rule (severity and routing)", "admin",
           CreateRule});
    r.Add({"GET", "/api/v1/alert-rules/{id}", in, kStaff, false, "One alert rule", staff, GetRule});
    r.Add({"PATCH", "/api/v1/alert-rules/{id}", in, kAdmin, false, "Change an alert rule (If-Match)", "admin",
           UpdateRule});
    r.Add({"DELETE", "/api/v1/alert-rules/{id}", in, kAdmin, false, "Delete an alert rule", "admin", DeleteRule});
    r.Add({"GET", "/api/v1/notification-channels", in, kStaff, false, "Notification channels", staff, ListChannels});
    r.Add({"POST", "/api/v1/notification-channels", in, kAdmin, true, "Add a notification channel (smtp, webhook)",
           "admin", CreateChannel});
    r.Add({"GET", "/api/v1/notification-channels/{id}", in, kStaff, false, "One notification channel", staff,
           GetChannel});
    r.Add({"PATCH", "/api/v1/notification-channels/{id}", in, kAdmin, false, "Change a channel (If-Match)", "admin",
           UpdateChannel});
    r.Add({"DELETE", "/api/v1/notification-channels/{id}", in, kAdmin, false, "Delete a channel", "admin",
           DeleteChannel});
    r.Add({"POST", "/api/v1/notification-channels/{id}/test", in, kAdmin, false, "Send a test message now", "admin",
           TestChannel});
    r.Add({"GET", "/api/v1/notifications", in, kStaff, false, "Delivery log (record_id= for one record's)", staff,
           ListNotifications});
    r.Add({"GET", "/api/v1/planned-stops", in, 0, false, "Planned stops overlapping from–to", "any signed-in user",
           ListStops});
    r.Add({"POST", "/api/v1/planned-stops", in, kStaff, true,
           "Schedule a planned stop (short_notice_reason when under 14 days ahead)", staff, CreateStop});
    r.Add({"GET", "/api/v1/planned-stops/{id}", in, 0, false, "One planned stop", "any signed-in user", GetStop});
    r.Add({"PATCH", "/api/v1/planned-stops/{id}", in, kStaff, false,
           "Change a planned stop (If-Match); a new time or scope needs approval again", staff, UpdateStop});
    r.Add({"POST", "/api/v1/planned-stops/{id}/approve", in, kPlanners, false, "Approve a planned stop (If-Match)",
           "admin, manager", ApproveStop});
    r.Add({"DELETE", "/api/v1/planned-stops/{id}", in, kPlanners, false, "Cancel a planned stop", "admin, manager",
           DeleteStop});
}

}  // namespace unyo::api
