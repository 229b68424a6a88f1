// Inbound events (MON-2, INC-1): POST /api/v1/events (generic JSON) and
// POST /api/v1/integrations/alertmanager (Prometheus Alertmanager's webhook). Each becomes a
// signal of the alert service: deduplicated by its key, opening an incident and telling people
// like a monitor's failure, and ended by a "resolved" event.
#include <algorithm>

#include <fmt/format.h>

#include "api/routes.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

constexpr std::array<std::string_view, 4> kSeverities = {"critical", "high", "medium", "low"};

void Ending(alerts::Signal& s, bool firing) {
    s.firing = firing;
    s.state = firing ? "critical" : "ok";
    s.state_label = firing ? "異常" : "正常";
}

json::value AlertOrNull(Context& ctx, const std::optional<std::int64_t>& id) {
    if (!id) return nullptr;
    auto a = ctx.services().monitoring.alerts.Get(*id);
    return a ? json::value(alerts::ToJson(*a, ctx.services().clock.Now())) : json::value(nullptr);
}

Result<http::Response> PostEvent(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"key", "title", "status", "severity", "service", "host", "message", "source", "detected_at"});
    const Millis now = ctx.services().clock.Now();
    alerts::Signal s;
    s.source = "event";
    const auto key = f.RequiredString("key", 200);
    s.dedup_key = "event:" + key;
    s.name = f.RequiredString("title", 200);
    const auto status = f.OptionalString("status", 20).value_or("firing");
    if (status != "firing" && status != "resolved") f.AddError("status", "must be firing or resolved");
    s.severity = f.OptionalString("severity", 20).value_or("high");
    if (std::find(kSeverities.begin(), kSeverities.end(), s.severity) == kSeverities.end()) {
        f.AddError("severity", "must be critical, high, medium or low");
    }
    s.service = f.OptionalString("service", 200).value_or("");
    const auto host = f.OptionalString("host", 255).value_or("");
    const auto sender = f.OptionalString("source", 100).value_or("");
    s.target = !host.empty() ? host : sender;
    s.message = f.OptionalString("message", 4000).value_or(s.name);
    s.detected_at = now;
    if (const auto at = f.OptionalInstant("detected_at")) {
        if (*at > now + 60'000) {
            f.AddError("detected_at", "is in the future");
        } else {
            s.detected_at = *at;
        }
    }
    UNYO_TRY_VOID(f.Finish());
    s.at = now;
    Ending(s, status == "firing");
    const auto id = UNYO_TRY(ctx.services().monitoring.alerts.Raise(s));
    return http::Response::Json(202, json::object{{"alert", AlertOrNull(ctx, id)}});
}

// Alertmanager's severities as Prometheus rules name them, to ours.
std::string SeverityOf(const std::string& label) {
    if (label == "critical" || label == "page" || label == "disaster") return "critical";
    if (label == "error" || label == "high" || label == "major") return "high";
    if (label == "info" || label == "low" || label == "none") return "low";
    return "medium";  // warning, minor, and anything else
}

// The alert's identity when Alertmanager gave no fingerprint: its labels, sorted.
std::string LabelKey(const json::object& labels) {
    std::vector<std::string> pairs;
    for (const auto& [k, v] : labels) pairs.push_back(fmt::format("{}={}", std::string_view(k), json::serialize(v)));
    std::sort(pairs.begin(), pairs.end());
    std::string key;
    for (const auto& p : pairs) key += p + ",";
    return key;
}

Result<http::Response> PostAlertmanager(Context& ctx) {
    const auto body = UNYO_TRY(ctx.Body());
    const Millis now = ctx.services().clock.Now();
    const auto* list = body.if_contains("alerts");
    if (list == nullptr || !list->is_array()) {
        return Fail(Error::Field("alerts", "is required: the webhook's list of alerts"));
    }
    std::vector<alerts::Signal> signals;
    std::vector<FieldError> errors;
    std::size_t i = 0;
    for (const auto& item : list->as_array()) {
        const std::string at = fmt::format("alerts[{}]", i++);
        if (!item.is_object()) {
            errors.push_back({at, "must be an object"});
            continue;
        }
        const auto& a = item.as_object();
        const auto* labels_v = a.if_contains("labels");
        const json::object empty;
        const auto& labels = labels_v && labels_v->is_object() ? labels_v->as_object() : empty;
        const auto* annotations_v = a.if_contains("annotations");
        const auto& annotations = annotations_v && annotations_v->is_object() ? annotations_v->as_object() : empty;
        alerts::Signal s;
        s.source = "alertmanager";
        s.name = StringOf(labels, "alertname");
        if (s.name.empty()) errors.push_back({at + ".labels.alertname", "is required"});
        const auto status = StringOf(a, "status");
        if (status != "firing" && status != "resolved") errors.push_back({at + ".status", "must be firing or resolved"});
        const auto fingerprint = StringOf(a, "fingerprint");
        s.dedup_key = "am:" + (fingerprint.empty() ? LabelKey(labels) : fingerprint);
        s.target = StringOf(labels, "instance");
        s.service = !StringOf(labels, "service").empty() ? StringOf(labels, "service") : StringOf(labels, "job");
        s.severity = SeverityOf(StringOf(labels, "severity"));
        s.message = !StringOf(annotations, "summary").empty() ? StringOf(annotations, "summary")
                                                            : StringOf(annotations, "description");
        if (s.message.empty()) s.message = s.name;
        s.detected_at = std::min(ParseRfc3339(StringOf(a, "startsAt")).value_or(now), now);
        Ending(s, status == "firing");
        s.at = s.firing ? now : std::min(ParseRfc3339(StringOf(a, "endsAt")).value_or(now), now);
        signals.push_back(std::move(s));
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    json::array touched;
    for (const auto& s : signals) touched.push_back(AlertOrNull(ctx, UNYO_TRY(ctx.services().monitoring.alerts.Raise(s))));
    return http::Response::Json(200, json::object{{"alerts", std::move(touched)}});
}

}  // namespace

void AddEventRoutes(http::Router<Route>& r) {
    const std::string staff = "admin, manager, operator (an API token for the sending system)";
    r.Add({"POST", "/api/v1/events", Access::kSignedIn, kStaff, false,
           "An inbound event (firing or resolved), deduplicated by key", staff, PostEvent});
    r.Add({"POST", "/api/v1/integrations/alertmanager", Access::kSignedIn, kStaff, false,
           "Prometheus Alertmanager webhook (version 4)", staff, PostAlertmanager});
}

}  // namespace unyo::api
