#include "alerts/alert_service.hpp"

#include <fmt/format.h>

#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"
#include "monitor/monitor_store.hpp"
#include "records/workflow.hpp"

namespace unyo::alerts {
namespace {

using monitor::State;

constexpr const char* kColumns =
    "a.id, a.monitor_id, a.source, a.dedup_key, a.severity, a.status, a.message, a.detected_at, a.opened_at, "
    "a.last_at, a.resolved_at, a.repeat_count, a.incident_id, r.key, a.planned_stop_id, a.acknowledged_by, "
    "a.acknowledged_at, a.ack_comment, a.first_notified_at FROM alerts a LEFT JOIN records r ON r.id = a.incident_id";

Alert FromRow(const storage::Row& r) {
    return {r.Int(0),     r.OptInt(1),  r.Text(2),     r.Text(3),     r.Text(4),  r.Text(5),    r.Text(6),
            r.Int(7),     r.Int(8),     r.Int(9),      r.OptInt(10),  static_cast<int>(r.Int(11)),
            r.OptInt(12), r.OptText(13), r.OptInt(14), r.OptText(15), r.OptInt(16), r.OptText(17), r.OptInt(18)};
}

Result<std::optional<Alert>> OpenAlertOf(storage::Connection& c, const std::string& key) {
    auto rows = UNYO_TRY(c.Query(
        fmt::format("SELECT {} WHERE a.dedup_key = $1 AND a.status = 'open' ORDER BY a.id DESC LIMIT 1", kColumns),
        {key}));
    if (rows.empty()) return std::optional<Alert>{};
    return std::optional<Alert>(FromRow(rows.front()));
}

// "2026/11/23 10:00:05" in Japan time.
std::string JapanTime(Millis at) { return FormatLocal(at, 540, true); }

std::string TargetText(const monitor::Monitor& m) {
    if (m.type == "tcp") {
        return fmt::format("{}:{}", m.target.contains("host") ? std::string(m.target.at("host").as_string()) : "",
                           m.target.contains("port") ? m.target.at("port").as_int64() : 0);
    }
    if (m.type == "http" && m.target.contains("url")) return std::string(m.target.at("url").as_string());
    return m.type;
}

auth::Principal System() {
    auth::Principal p;
    p.login = "system";
    p.display_name = "監視";
    p.roles = auth::Bit(auth::Role::kAdmin);
    return p;
}

}  // namespace

json::object ToJson(const Alert& a) {
    auto opt_time = [](const std::optional<Millis>& t) { return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr); };
    auto opt_text = [](const std::optional<std::string>& t) { return t ? json::value(*t) : json::value(nullptr); };
    auto opt_int = [](const std::optional<std::int64_t>& t) { return t ? json::value(*t) : json::value(nullptr); };
    return {{"id", a.id},
            {"monitor_id", opt_int(a.monitor_id)},
            {"source", a.source},
            {"dedup_key", a.dedup_key},
            {"severity", a.severity},
            {"status", a.status},
            {"message", a.message},
            {"detected_at", FormatRfc3339(a.detected_at)},
            {"opened_at", FormatRfc3339(a.opened_at)},
            {"last_at", FormatRfc3339(a.last_at)},
            {"resolved_at", opt_time(a.resolved_at)},
            {"repeat_count", a.repeat_count},
            {"incident_id", opt_int(a.incident_id)},
            {"incident_key", opt_text(a.incident_key)},
            {"suppressed", a.planned_stop_id.has_value()},
            {"planned_stop_id", opt_int(a.planned_stop_id)},
            {"acknowledged_by", opt_text(a.acknowledged_by)},
            {"acknowledged_at", opt_time(a.acknowledged_at)},
            {"ack_comment", opt_text(a.ack_comment)},
            {"first_notified_at", opt_time(a.first_notified_at)},
            {"detect_to_notify_ms", a.first_notified_at ? json::value(*a.first_notified_at - a.detected_at)
                                                        : json::value(nullptr)}};
}

Result<void> AlertService::OnMonitorChange(const monitor::Monitor& m, const monitor::HardChange& ch) {
    const std::string key = fmt::format("monitor:{}", m.id);
    const bool problem = ch.to == State::kCritical || ch.to == State::kWarning || ch.to == State::kUnknown;
    std::optional<opscal::PlannedStop> stop;
    if (problem) stop = UNYO_TRY(stops_.Active(m.id, m.service, ch.detected_at));
    std::optional<std::int64_t> opened;  // a new alert that must open an incident
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY_VOID(monitor::MonitorStore::WriteChange(c, m.id, ch.from, ch.to, ch.at, ch.message));
        auto open = UNYO_TRY(OpenAlertOf(c, key));
        if (problem) {
            if (open) {
                UNYO_TRY(c.Exec("UPDATE alerts SET repeat_count = repeat_count + 1, last_at = $1, message = $2 "
                                "WHERE id = $3",
                                {ch.at, ch.message, open->id}));
                if (open->incident_id) {
                    UNYO_TRY(records::RecordService::AppendSystemEntry(
                        c, *open->incident_id, "monitoring",
                        {{"event", "repeat"}, {"monitor", m.name}, {"state", monitor::StateName(ch.to)},
                         {"message", ch.message}, {"count", open->repeat_count + 1}},
                        ch.at));
                }
                return {};
            }
            auto rows = UNYO_TRY(c.Query(
                "INSERT INTO alerts (monitor_id, source, dedup_key, severity, status, message, detected_at, opened_at, "
                "last_at, repeat_count, planned_stop_id) VALUES ($1, 'monitoring', $2, $3, 'open', $4, $5, $6, $6, 1, $7) "
                "RETURNING id",
                {m.id, key, m.severity, ch.message, ch.detected_at, ch.at,
                 stop ? storage::Value(stop->id) : storage::Value()}));
            if (!stop) opened = rows.front().Int(0);
            return {};
        }
        if (open && ch.to == State::kOk) {
            UNYO_TRY(c.Exec("UPDATE alerts SET status = 'resolved', resolved_at = $1, last_at = $1 WHERE id = $2",
                            {ch.at, open->id}));
            if (open->incident_id) {
                UNYO_TRY(records::RecordService::AppendSystemEntry(
                    c, *open->incident_id, "monitoring",
                    {{"event", "recovered"}, {"monitor", m.name}, {"state", "ok"}, {"message", ch.message},
                     {"at", FormatRfc3339(ch.at)}},
                    ch.at));
                notify::Message msg;
                msg.event_key = fmt::format("alert:{}:recovered", open->id);
                msg.subject = fmt::format("【unyo】復旧: {} {}", m.name, open->incident_key.value_or(""));
                msg.body = fmt::format("監視 {} が復旧しました。\n\n対象: {}\n状態: 正常\n復旧日時: {} (日本時間)\n"
                                       "インシデント: {}\n{}/incidents/{}\n",
                                       m.name, TargetText(m), JapanTime(ch.at), open->incident_key.value_or(""),
                                       console_url_, *open->incident_id);
                msg.record_id = open->incident_id;
                msg.alert_id = open->id;
                UNYO_TRY(notify::Outbox::Enqueue(c, msg, clock_.Now()));
            }
        } else if (open && ch.to == State::kUnreachable) {
            // The parent is down: this monitor's own alert ends; the parent's tells the story.
            UNYO_TRY(c.Exec("UPDATE alerts SET status = 'resolved', resolved_at = $1, last_at = $1 WHERE id = $2",
                            {ch.at, open->id}));
        }
        return {};
    }));
    if (opened) {
        UNYO_TRY_VOID(OpenIncident(m, ch, *opened));
        outbox_.Wake();
    } else if (!problem) {
        outbox_.Wake();
    }
    return {};
}

Result<void> AlertService::OpenIncident(const monitor::Monitor& m, const monitor::HardChange& ch,
                                        std::int64_t alert_id) {
    const auto* w = records::WorkflowByKind("incident");
    // An incident of this monitor still open takes the alert (no second incident).
    auto still_open = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::optional<std::int64_t>> {
        auto rows = UNYO_TRY(c.Query(
            "SELECT a.incident_id FROM alerts a JOIN records r ON r.id = a.incident_id WHERE a.monitor_id = $1 "
            "AND r.closed_at IS NULL AND a.id <> $2 ORDER BY a.id DESC LIMIT 1",
            {m.id, alert_id}));
        if (rows.empty()) return std::optional<std::int64_t>{};
        return rows.front().OptInt(0);
    }));
    if (still_open) {
        return db_.Write([&](storage::Connection& c) -> Result<void> {
            UNYO_TRY(c.Exec("UPDATE alerts SET incident_id = $1 WHERE id = $2", {*still_open, alert_id}));
            UNYO_TRY(records::RecordService::AppendSystemEntry(
                c, *still_open, "monitoring",
                {{"event", "alert"}, {"monitor", m.name}, {"state", monitor::StateName(ch.to)}, {"message", ch.message},
                 {"at", FormatRfc3339(ch.detected_at)}},
                ch.at));
            return {};
        });
    }
    records::RecordInput in;
    in.title = fmt::format("{}: {}", m.name, monitor::StateLabelJa(ch.to));
    in.severity = m.severity;
    in.description = fmt::format("監視 {} ({}) が{}になりました: {}", m.name, TargetText(m),
                                 monitor::StateLabelJa(ch.to), ch.message);
    in.fields = {{"source", "monitoring"},
                 {"recognized_at", FormatRfc3339(ch.detected_at)},
                 {"event", fmt::format("{} ({})", ch.message, TargetText(m))}};
    const audit::Actor system{std::nullopt, "system", ""};
    const auto hook = [&](storage::Connection& c, const json::object& incident) -> Result<void> {
        const auto id = incident.at("id").as_int64();
        const std::string key(incident.at("key").as_string());
        UNYO_TRY(c.Exec("UPDATE alerts SET incident_id = $1 WHERE id = $2", {id, alert_id}));
        notify::Message msg;
        msg.event_key = fmt::format("alert:{}:open", alert_id);
        msg.subject = fmt::format("【unyo】障害検知: {} ({}) {}", m.name, monitor::StateLabelJa(ch.to), key);
        msg.body = fmt::format("監視 {} で障害を検知しました。\n\n対象: {}\n状態: {}\n検知日時: {} (日本時間)\n"
                               "内容: {}\nインシデント: {}\n{}/incidents/{}\n",
                               m.name, TargetText(m), monitor::StateLabelJa(ch.to), JapanTime(ch.detected_at),
                               ch.message, key, console_url_, id);
        msg.record_id = id;
        msg.alert_id = alert_id;
        UNYO_TRY(notify::Outbox::Enqueue(c, msg, clock_.Now()));
        return {};
    };
    UNYO_TRY(records_.Create(*w, in, System(), system, hook));
    return {};
}

notify::Message AlertService::SlaMessage(const records::Record& r, const sla::ClockStatus& clock,
                                         const std::string& event) const {
    const bool breach = event == "breach";
    notify::Message msg;
    msg.event_key = fmt::format("sla:{}:{}:{}", r.id, clock.name, event);
    msg.subject = fmt::format("【unyo】SLA{}: {} {}", breach ? "超過" : "警告", r.key, clock.label_ja);
    const auto* w = records::WorkflowByKind(r.kind);
    msg.body = fmt::format("{} 「{}」の{}の期限{}。\n\n期限: {} (日本時間)\n{}/{}/{}\n", r.key, r.title,
                           clock.label_ja, breach ? "を過ぎました" : "が近づいています", JapanTime(clock.target_at),
                           console_url_, w ? w->collection : r.kind, r.id);
    msg.record_id = r.id;
    return msg;
}

Result<void> AlertService::TellAssignee(storage::Connection& c, const records::Record& r, Millis at) const {
    auto users = UNYO_TRY(
        c.Query("SELECT email, display_name FROM users WHERE id = $1 AND disabled = 0", {*r.assignee_id}));
    if (users.empty() || users.front().Text(0).empty()) {
        return {};
    }
    const auto* w = records::WorkflowByKind(r.kind);
    notify::Message msg;
    msg.event_key = fmt::format("assigned:{}:{}:{}", r.id, *r.assignee_id, r.version);
    msg.subject = fmt::format("【unyo】担当になりました: {} {}", r.key, r.title);
    msg.body = fmt::format("{} 様\n\n{}「{}」({}) の担当者になりました。\n\n受付: {} (日本時間)\n状態: {}\n{}/{}/{}\n",
                           users.front().Text(1), w ? w->label_ja : r.kind, r.title, r.key, JapanTime(r.created_at),
                           w && w->State(r.status) ? w->State(r.status)->label_ja : r.status, console_url_,
                           w ? w->collection : r.kind, r.id);
    msg.record_id = r.id;
    msg.recipients = {users.front().Text(0)};
    UNYO_TRY(notify::Outbox::Enqueue(c, msg, at));
    return {};
}

Result<std::vector<Alert>> AlertService::List(std::optional<std::string> status, int limit) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Alert>> {
        std::string sql = fmt::format("SELECT {}", kColumns);
        std::vector<storage::Value> params;
        if (status) {
            sql += " WHERE a.status = $1";
            params.emplace_back(*status);
        }
        auto rows = UNYO_TRY(c.Query(sql + fmt::format(" ORDER BY a.id DESC LIMIT {}", limit), params));
        std::vector<Alert> out;
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<Alert> AlertService::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) -> Result<Alert> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} WHERE a.id = $1", kColumns), {id}));
        if (rows.empty()) return Fail(Error::NotFound(fmt::format("alert {} does not exist", id)));
        return FromRow(rows.front());
    });
}

Result<Alert> AlertService::Acknowledge(std::int64_t id, const std::string& comment, const audit::Actor& actor) {
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        const auto n = UNYO_TRY(c.Exec("UPDATE alerts SET acknowledged_by = $1, acknowledged_at = $2, ack_comment = $3 "
                                       "WHERE id = $4 AND acknowledged_at IS NULL",
                                       {actor.login, clock_.Now(), comment, id}));
        if (n == 0) {
            auto rows = UNYO_TRY(c.Query("SELECT 1 FROM alerts WHERE id = $1", {id}));
            if (rows.empty()) return Fail(Error::NotFound(fmt::format("alert {} does not exist", id)));
            return Fail(Error::Conflict(fmt::format("alert {} is acknowledged already", id)));
        }
        UNYO_TRY(audit::Append(c, actor, {"alert.acknowledge", "alert", std::to_string(id), nullptr,
                                          json::object{{"comment", comment}}},
                               clock_.Now()));
        return {};
    }));
    return Get(id);
}

}  // namespace unyo::alerts
