#include "alerts/alert_service.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "alerts/alert_rules.hpp"
#include "alerts/escalation.hpp"
#include "calendar/civil_date.hpp"
#include "cis/partners.hpp"
#include "core/time_format.hpp"
#include "monitor/monitor_store.hpp"
#include "records/workflow.hpp"

namespace unyo::alerts {
namespace {

using monitor::State;

constexpr const char* kColumns =
    "a.id, a.monitor_id, a.source, a.dedup_key, a.severity, a.status, a.message, a.detected_at, a.opened_at, "
    "a.last_at, a.resolved_at, a.repeat_count, a.incident_id, r.key, a.planned_stop_id, a.acknowledged_by, "
    "a.acknowledged_at, a.ack_comment, a.first_notified_at, a.ack_expires_at, m.name, a.route_json, a.rule_id FROM "
    "alerts a LEFT JOIN records r "
    "ON r.id = a.incident_id LEFT JOIN monitors m ON m.id = a.monitor_id";

Alert FromRow(const storage::Row& r) {
    return {r.Int(0),     r.OptInt(1),  r.Text(2),     r.Text(3),     r.Text(4),  r.Text(5),    r.Text(6),
            r.Int(7),     r.Int(8),     r.Int(9),      r.OptInt(10),  static_cast<int>(r.Int(11)),
            r.OptInt(12), r.OptText(13), r.OptInt(14), r.OptText(15), r.OptInt(16), r.OptText(17), r.OptInt(18),
            r.OptInt(19), r.OptText(20), IdsFromJson(r.OptText(21)), r.OptInt(22)};
}

Result<std::optional<Alert>> OpenAlertOf(storage::Connection& c, const std::string& key) {
    auto rows = UNYO_TRY(c.Query(
        fmt::format("SELECT {} WHERE a.dedup_key = $1 AND a.status = 'open' ORDER BY a.id DESC LIMIT 1", kColumns),
        {key}));
    if (rows.empty()) return std::optional<Alert>{};
    return std::optional<Alert>(FromRow(rows.front()));
}

// Who saw it, in the messages: 監視 住基サーバ ポート, イベント 夜間バッチ …
std::string_view SourceLabel(const std::string& source) {
    if (source == "monitoring") return "監視";
    if (source == "alertmanager") return "Alertmanager";
    if (source == "engine") return "監視エンジン";
    if (source == "job") return "ジョブ";
    return "イベント";
}

// "2026/11/23 10:00:05" in Japan time.
std::string JapanTime(Millis at) { return FormatLocal(at, 540, true); }

std::string TargetText(const monitor::Monitor& m) {
    const auto host = StringOf(m.target, "host");
    if (!host.empty()) {
        const auto port = IntOf(m.target, "port", 0);
        return port ? fmt::format("{}:{}", host, port) : host;
    }
    for (const char* member : {"url", "path"}) {
        if (auto v = StringOf(m.target, member); !v.empty()) return v;
    }
    if (auto name = StringOf(m.target, "name"); !name.empty()) return fmt::format("{} {}", m.type, name);
    if (const auto* c = m.target.if_contains("command"); c && c->is_array() && !c->as_array().empty() &&
                                                        c->as_array().front().is_string()) {
        return std::string(c->as_array().front().as_string());
    }
    return m.type;
}

}  // namespace

json::object ToJson(const Alert& a, Millis now) {
    return {{"id", a.id},
            {"monitor_id", OrNull(a.monitor_id)},
            {"monitor_name", OrNull(a.monitor_name)},
            {"rule_id", OrNull(a.rule_id)},
            {"source", a.source},
            {"dedup_key", a.dedup_key},
            {"severity", a.severity},
            {"status", a.status},
            {"message", a.message},
            {"detected_at", FormatRfc3339(a.detected_at)},
            {"opened_at", FormatRfc3339(a.opened_at)},
            {"last_at", FormatRfc3339(a.last_at)},
            {"resolved_at", InstantOrNull(a.resolved_at)},
            {"repeat_count", a.repeat_count},
            {"incident_id", OrNull(a.incident_id)},
            {"incident_key", OrNull(a.incident_key)},
            {"suppressed", a.planned_stop_id.has_value()},
            {"planned_stop_id", OrNull(a.planned_stop_id)},
            {"acknowledged_by", OrNull(a.acknowledged_by)},
            {"acknowledged_at", InstantOrNull(a.acknowledged_at)},
            {"ack_comment", OrNull(a.ack_comment)},
            {"first_notified_at", InstantOrNull(a.first_notified_at)},
            {"ack_expires_at", InstantOrNull(a.ack_expires_at)},
            {"acknowledged", a.acknowledged_at.has_value() && (!a.ack_expires_at || *a.ack_expires_at > now)},
            {"detect_to_notify_ms", a.first_notified_at ? json::value(*a.first_notified_at - a.detected_at)
                                                        : json::value(nullptr)}};
}

namespace {

Signal MonitorSignal(const monitor::Monitor& m, State to, std::string message, Millis detected_at, Millis at) {
    Signal s;
    s.source = "monitoring";
    s.dedup_key = fmt::format("monitor:{}", m.id);
    s.monitor_id = m.id;
    s.name = m.name;
    s.target = TargetText(m);
    s.service = m.service;
    s.monitor_type = m.type;
    s.ci_id = m.ci_id;
    s.severity = m.severity;
    s.firing = to == State::kCritical || to == State::kWarning || to == State::kUnknown;
    s.state = monitor::StateName(to);
    s.state_label = monitor::StateLabelJa(to);
    s.message = std::move(message);
    s.detected_at = detected_at;
    s.at = at;
    return s;
}

}  // namespace

Result<void> AlertService::OnMonitorChange(const monitor::Monitor& m, const monitor::HardChange& ch) {
    const auto write_change = [&](storage::Connection& c) {
        return monitor::MonitorStore::WriteChange(c, m.id, ch.from, ch.to, ch.began_at, ch.message);
    };
    if (ch.flapping) {
        return db_.Write(write_change);
    }
    UNYO_TRY(Process(MonitorSignal(m, ch.to, ch.message, ch.detected_at, ch.at), write_change,
                     ch.to == State::kUnreachable));
    return {};
}

Result<void> AlertService::OnFlapping(const monitor::Monitor& m, const monitor::FlapChange& flap, State hard) {
    const Millis now = clock_.Now();
    Signal s = MonitorSignal(m, hard, "", now, now);
    s.dedup_key = fmt::format("flap:{}", m.id);
    s.severity = "medium";
    s.firing = flap.flapping;
    s.state = flap.flapping ? "flapping" : monitor::StateName(hard);
    s.state_label = flap.flapping ? "不安定 (フラッピング)" : "安定";
    s.message = fmt::format("直近 {} 回の結果のうち状態が変わった割合 {:.0f}% (重み付き){}", monitor::kFlapWindow,
                            flap.percent, flap.flapping ? "。安定するまで個別の通知を止めます" : "");
    UNYO_TRY(Process(s, {}, false));
    if (!flap.flapping) {
        // Settle the monitor's own alert by where it ended up.
        UNYO_TRY(Process(MonitorSignal(m, hard, "フラッピング終了時点の状態", now, now), {}, hard == State::kUnreachable));
    }
    return {};
}

Result<std::optional<std::int64_t>> AlertService::Raise(const Signal& s) { return Process(s, {}, false); }

Result<std::optional<std::int64_t>> AlertService::Process(const Signal& signal, const InTransaction& extra, bool quiet) {
    Signal s = signal;  // an alert rule may change its severity and route
    std::optional<opscal::PlannedStop> stop;
    if (s.firing) stop = UNYO_TRY(stops_.Active(s.monitor_id.value_or(0), s.service, s.detected_at));
    std::optional<std::int64_t> touched, opened;  // opened: a new alert that must open an incident
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        if (extra) UNYO_TRY_VOID(extra(c));
        auto open = UNYO_TRY(OpenAlertOf(c, s.dedup_key));
        if (s.firing) {
            if (open) {
                touched = open->id;
                UNYO_TRY(c.Exec("UPDATE alerts SET repeat_count = repeat_count + 1, last_at = $1, message = $2 "
                                "WHERE id = $3",
                                {s.at, s.message, open->id}));
                if (open->incident_id) {
                    UNYO_TRY(records::RecordService::AppendSystemEntry(
                        c, *open->incident_id, "monitoring",
                        {{"event", "repeat"}, {"source", s.source}, {"monitor", s.name}, {"state", s.state},
                         {"message", s.message}, {"count", open->repeat_count + 1}},
                        s.at));
                }
                return {};
            }
            const auto rule = UNYO_TRY(AlertRules::FirstMatch(
                c, {s.source, s.service, s.monitor_type, s.monitor_id, s.state, s.name}));
            if (rule) {
                if (rule->severity) s.severity = *rule->severity;
                s.channels = rule->channel_ids;
            }
            std::optional<std::string> route;
            if (s.channels) route = json::serialize(json::value_from(*s.channels));
            auto rows = UNYO_TRY(c.Query(
                "INSERT INTO alerts (monitor_id, source, dedup_key, severity, status, message, detected_at, opened_at, "
                "last_at, repeat_count, planned_stop_id, rule_id, route_json) VALUES ($1, $2, $3, $4, 'open', $5, $6, "
                "$7, $7, 1, $8, $9, $10) RETURNING id",
                {storage::Nullable(s.monitor_id), s.source, s.dedup_key, s.severity, s.message, s.detected_at, s.at,
                 stop ? storage::Value(stop->id) : storage::Value(),
                 rule ? storage::Value(rule->id) : storage::Value(), storage::Nullable(route)}));
            touched = rows.front().Int(0);
            if (!stop) opened = touched;
            return {};
        }
        if (!open) return {};
        touched = open->id;
        UNYO_TRY(c.Exec("UPDATE alerts SET status = 'resolved', resolved_at = $1, last_at = $1 WHERE id = $2",
                        {s.at, open->id}));
        if (quiet || !open->incident_id) return {};
        UNYO_TRY(records::RecordService::AppendSystemEntry(
            c, *open->incident_id, "monitoring",
            {{"event", "recovered"}, {"source", s.source}, {"monitor", s.name}, {"state", s.state},
             {"message", s.message}, {"at", FormatRfc3339(s.at)}},
            s.at));
        notify::Message msg;
        msg.event_key = fmt::format("alert:{}:recovered", open->id);
        msg.subject = fmt::format("【unyo】復旧: {} {}", s.name, open->incident_key.value_or(""));
        msg.body = fmt::format("{} {} が復旧しました。\n\n対象: {}\n状態: {}\n復旧日時: {} (日本時間)\n"
                               "インシデント: {}\n{}/incidents/{}\n",
                               SourceLabel(s.source), s.name, s.target, s.state_label, JapanTime(s.at),
                               open->incident_key.value_or(""), console_url_, *open->incident_id);
        msg.record_id = open->incident_id;
        msg.alert_id = open->id;
        // The end is told where the beginning was (a later escalation step never told stays quiet).
        auto told = UNYO_TRY(c.Query("SELECT n.channel_id, ch.config_json FROM notifications n JOIN "
                                     "notification_channels ch ON ch.id = n.channel_id WHERE n.event_key = $1 "
                                     "ORDER BY n.channel_id",
                                     {fmt::format("alert:{}:open", open->id)}));
        for (const auto& ch : told.rows) {
            const bool users = IsUsersChannel(ParseObjectOrEmpty(ch.Text(1)));
            UNYO_TRY(notify::Outbox::EnqueueTo(c, ch.Int(0), users ? UNYO_TRY(OutageMessage(c, *open, false)) : msg,
                                               clock_.Now()));
        }
        return {};
    }));
    if (opened) UNYO_TRY_VOID(OpenIncident(s, *opened));
    if (opened || !s.firing) outbox_.Wake();
    return touched;
}

notify::Message AlertService::OpenMessage(const Signal& s, std::int64_t alert_id, std::int64_t incident_id,
                                          const std::string& incident_key) const {
    notify::Message msg;
    msg.event_key = fmt::format("alert:{}:open", alert_id);
    msg.subject = fmt::format("【unyo】障害検知: {} ({}) {}", s.name, s.state_label, incident_key);
    msg.body = fmt::format("{} {} で障害を検知しました。\n\n対象: {}\n状態: {}\n検知日時: {} (日本時間)\n"
                           "内容: {}\nインシデント: {}\n{}/incidents/{}\n",
                           SourceLabel(s.source), s.name, s.target, s.state_label, JapanTime(s.detected_at), s.message,
                           incident_key, console_url_, incident_id);
    msg.record_id = incident_id;
    msg.alert_id = alert_id;
    msg.escalating = true;
    msg.channel_ids = s.channels;
    return msg;
}

Result<void> AlertService::OpenIncident(const Signal& s, std::int64_t alert_id) {
    const auto* w = records::WorkflowByKind("incident");
    // An incident of this key (or of this monitor: its flapping) still open takes the alert.
    auto still_open = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::optional<std::int64_t>> {
        auto rows = UNYO_TRY(c.Query(
            "SELECT a.incident_id FROM alerts a JOIN records r ON r.id = a.incident_id WHERE (a.dedup_key = $1 "
            "OR a.monitor_id = $3) AND r.closed_at IS NULL AND a.id <> $2 ORDER BY a.id DESC LIMIT 1",
            {s.dedup_key, alert_id, storage::Nullable(s.monitor_id)}));
        if (rows.empty()) return std::optional<std::int64_t>{};
        return rows.front().OptInt(0);
    }));
    if (still_open) {
        return db_.Write([&](storage::Connection& c) -> Result<void> {
            UNYO_TRY(c.Exec("UPDATE alerts SET incident_id = $1 WHERE id = $2", {*still_open, alert_id}));
            UNYO_TRY(records::RecordService::AppendSystemEntry(
                c, *still_open, "monitoring",
                {{"event", "alert"}, {"source", s.source}, {"monitor", s.name}, {"state", s.state},
                 {"message", s.message}, {"at", FormatRfc3339(s.detected_at)}},
                s.at));
            return {};
        });
    }
    records::RecordInput in;
    in.title = fmt::format("{}: {}", s.name, s.state_label);
    in.severity = s.severity;
    in.description =
        fmt::format("{} {} ({}) が{}になりました: {}", SourceLabel(s.source), s.name, s.target, s.state_label, s.message);
    in.fields = {{"source", "monitoring"},
                 {"recognized_at", FormatRfc3339(s.detected_at)},
                 {"event", fmt::format("{} ({})", s.message, s.target)}};
    // About the item the monitor or jobnet serves: its partners are told, its own escalation route
    // followed (an item deleted since is left out rather than keeping the incident from opening).
    if (s.ci_id && !UNYO_TRY(db_.Read([&](storage::Connection& c) { return c.Query("SELECT 1 FROM cis WHERE id = $1", {*s.ci_id}); })).empty()) {
        in.fields["ci_id"] = *s.ci_id;
    }
    const audit::Actor system{std::nullopt, "system", ""};
    const auto hook = [&](storage::Connection& c, const json::object& incident) -> Result<void> {
        const auto id = incident.at("id").as_int64();
        UNYO_TRY(c.Exec("UPDATE alerts SET incident_id = $1 WHERE id = $2", {id, alert_id}));
        UNYO_TRY(notify::Outbox::Enqueue(c, OpenMessage(s, alert_id, id, std::string(incident.at("key").as_string())),
                                         clock_.Now()));
        return {};
    };
    UNYO_TRY(records_.Create(*w, in, auth::SystemPrincipal("監視"), system, hook));
    return {};
}

bool AlertService::IsUsersChannel(const json::object& config) {
    return notify::HasTopic(config, notify::kTopicOutages) && !notify::HasTopic(config, notify::kTopicAlerts);
}

Result<void> AlertService::WatchEngine(Millis max_lateness_ms, Millis loop_age_ms, Millis limit_ms) {
    const bool late = max_lateness_ms > limit_ms || loop_age_ms > limit_ms;
    if (late == engine_late_) return {};
    Signal s;
    s.source = "engine";
    s.dedup_key = "engine:lateness";
    s.name = "監視エンジン";
    s.target = "unyo";
    s.severity = "high";
    s.firing = late;
    s.state = late ? "critical" : "ok";
    s.state_label = late ? "遅延" : "正常";
    s.message = late ? fmt::format("監視の実行が遅れています (最大 {} 秒遅延、ループ停止 {} 秒)", max_lateness_ms / 1000,
                                   loop_age_ms / 1000)
                     : "監視は予定どおり実行されています";
    s.detected_at = s.at = clock_.Now();
    UNYO_TRY(Process(s, {}, false));
    engine_late_ = late;
    return {};
}

// The users' words for an outage (INC-10): which service cannot be used since when, and that it
// is back; no internals. By the service of the monitor, else its name.
Result<notify::Message> AlertService::OutageMessage(storage::Connection& c, const Alert& a, bool down) const {
    std::string what = "システム";
    if (a.monitor_id) {
        auto rows = UNYO_TRY(c.Query("SELECT name, service FROM monitors WHERE id = $1", {*a.monitor_id}));
        if (!rows.empty()) what = rows.front().Text(1).empty() ? rows.front().Text(0) : rows.front().Text(1);
    }
    notify::Message msg;
    msg.event_key = fmt::format("alert:{}:{}", a.id, down ? "open" : "recovered");
    msg.alert_id = a.id;
    msg.topic = notify::kTopicOutages;
    if (down) {
        msg.subject = fmt::format("【お知らせ】{} がご利用いただけません", what);
        msg.body = fmt::format("{} 頃から {} がご利用いただけない状態です。\n現在復旧作業を行っています。"
                               "ご不便をおかけし申し訳ございません。\n\n復旧しましたら改めてお知らせします。\n",
                               JapanTime(a.detected_at), what);
    } else {
        msg.subject = fmt::format("【お知らせ】{} は復旧しました", what);
        msg.body = fmt::format("{} は {} に復旧し、ご利用いただけるようになりました。\n"
                               "ご不便をおかけし申し訳ございませんでした。\n",
                               what, JapanTime(clock_.Now()));
    }
    return msg;
}

Result<int> AlertService::Escalate() {
    const Millis now = clock_.Now();
    // Found with a read; the writer is taken only when someone is to be told, and checks again
    // that the alert is still open and unacknowledged (ON CONFLICT in EnqueueTo keeps a row found
    // twice from being sent twice).
    struct Due {
        std::int64_t channel_id;
        bool users;
        Alert alert;
    };
    const auto due = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<Due>> {
        auto channels = UNYO_TRY(c.Query("SELECT id, config_json FROM notification_channels WHERE enabled = 1", {}));
        std::vector<Due> out;
        for (const auto& ch : channels.rows) {
            const auto config = ParseObjectOrEmpty(ch.Text(1));
            const int delay_min = notify::EscalateAfterMin(config);
            const bool users = IsUsersChannel(config);
            if (!users && (delay_min == 0 || !notify::HasTopic(config, notify::kTopicAlerts))) continue;
            if (users && !notify::HasTopic(config, notify::kTopicOutages)) continue;
            // The operators' later steps: while unacknowledged. The users: while it lasts (INC-10).
            auto rows = UNYO_TRY(c.Query(
                fmt::format("SELECT {} WHERE a.status = 'open' AND a.planned_stop_id IS NULL AND a.incident_id IS NOT "
                            "NULL AND a.detected_at <= $1 AND ($4 = 1 OR a.acknowledged_at IS NULL OR "
                            "a.ack_expires_at <= $2) AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.channel_id "
                            "= $3 AND n.event_key = 'alert:' || a.id || ':open')",
                            kColumns),
                {now - delay_min * 60'000LL, now, ch.Int(0), users ? 1 : 0}));
            for (const auto& row : rows.rows) {
                auto alert = FromRow(row);
                // A rule's route names the operator channels; users hear of outages regardless.
                if (!users && alert.route &&
                    std::find(alert.route->begin(), alert.route->end(), ch.Int(0)) == alert.route->end()) {
                    continue;
                }
                out.push_back({ch.Int(0), users, std::move(alert)});
            }
        }
        return out;
    }));
    if (due.empty()) return 0;
    return db_.Write([&](storage::Connection& c) -> Result<int> {
        int told = 0;
        for (const auto& [channel_id, users, a] : due) {
            auto still = UNYO_TRY(c.Query("SELECT 1 FROM alerts WHERE id = $1 AND status = 'open' AND "
                                          "($3 = 1 OR acknowledged_at IS NULL OR ack_expires_at <= $2)",
                                          {a.id, now, users ? 1 : 0}));
            if (still.empty()) continue;  // acknowledged or ended since the read
            if (users) {
                told += UNYO_TRY(notify::Outbox::EnqueueTo(c, channel_id, UNYO_TRY(OutageMessage(c, a, true)), now));
                continue;
            }
            notify::Message msg;
            msg.event_key = fmt::format("alert:{}:open", a.id);
            msg.subject = fmt::format("【unyo】エスカレーション: {} {}分以上未確認", a.incident_key.value_or(""),
                                      (now - a.detected_at) / 60'000);
            msg.body = fmt::format("次の障害が{}分以上確認されていません。対応をお願いします。\n\n内容: {}\n"
                                   "検知日時: {} (日本時間)\n発生回数: {}\nインシデント: {}\n{}/incidents/{}\n",
                                   (now - a.detected_at) / 60'000, a.message, JapanTime(a.detected_at), a.repeat_count,
                                   a.incident_key.value_or(""), console_url_, *a.incident_id);
            msg.record_id = a.incident_id;
            msg.alert_id = a.id;
            told += UNYO_TRY(notify::Outbox::EnqueueTo(c, channel_id, msg, now));
        }
        return told;
    });
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

Result<void> AlertService::TellRouted(storage::Connection& c, const records::Record& r, const json::object& routing,
                                     Millis at) const {
    const auto* w = records::WorkflowByKind(r.kind);
    const std::string item = fmt::format("{} {}", IntOf(routing, "seq", 0), StringOf(routing, "title"));
    const auto tell = [&](const json::value& who, bool main) -> Result<void> {
        if (!who.is_object()) return {};
        const auto* org = who.as_object().if_contains("organization_id");
        if (!org || !org->is_int64()) return {};
        auto users = UNYO_TRY(c.Query("SELECT email FROM users WHERE organization_id = $1 AND disabled = 0 AND email <> '' "
                                      "ORDER BY id",
                                      {org->as_int64()}));
        if (users.empty()) return {};
        notify::Message msg;
        msg.event_key = fmt::format("routed:{}:{}:{}", r.id, org->as_int64(), main ? "main" : "support");
        msg.subject = fmt::format("【unyo】{}: {} {}", main ? "主担当として割り当てられました" : "作業協力の依頼", r.key, r.title);
        msg.body = fmt::format(
            "{}「{}」({}) が役割分担表「{}」の作業項目 {} に基づき、{}の{}として連絡されました。\n\n受付: {} (日本時間)\n{}/{}/{}\n",
            w ? w->label_ja : r.kind, r.title, r.key, StringOf(routing, "matrix"), item,
            StringOf(who.as_object(), "organization", StringOf(who.as_object(), "column")),
            main ? "作業主体" : "作業協力", JapanTime(r.created_at), console_url_, w ? w->collection : r.kind, r.id);
        msg.record_id = r.id;
        for (const auto& u : users.rows) msg.recipients.push_back(u.Text(0));
        UNYO_TRY(notify::Outbox::Enqueue(c, msg, at));
        return {};
    };
    if (const auto* main = routing.if_contains("main")) UNYO_TRY_VOID(tell(*main, true));
    if (const auto* support = routing.if_contains("support"); support && support->is_array()) {
        for (const auto& s : support->as_array()) UNYO_TRY_VOID(tell(s, false));
    }
    return {};
}

Result<std::vector<Alert>> AlertService::List(std::optional<std::string> status, int limit,
                                              std::optional<std::int64_t> before_id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Alert>> {
        std::string sql = fmt::format("SELECT {} WHERE 1 = 1", kColumns);
        std::vector<storage::Value> params;
        if (status) {
            params.emplace_back(*status);
            sql += fmt::format(" AND a.status = ${}", params.size());
        }
        if (before_id) {
            params.emplace_back(*before_id);
            sql += fmt::format(" AND a.id < ${}", params.size());
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

Result<Alert> AlertService::Acknowledge(std::int64_t id, const std::string& comment, std::optional<Millis> expires_at,
                                       const audit::Actor& actor) {
    const Millis now = clock_.Now();
    if (expires_at && *expires_at <= now) {
        return Fail(Error::Field("expires_at", "must be in the future"));
    }
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        const auto n = UNYO_TRY(c.Exec(
            "UPDATE alerts SET acknowledged_by = $1, acknowledged_at = $2, ack_comment = $3, ack_expires_at = $4 "
            "WHERE id = $5 AND (acknowledged_at IS NULL OR ack_expires_at <= $2)",
            {actor.login, now, comment, storage::Nullable(expires_at), id}));
        if (n == 0) {
            auto rows = UNYO_TRY(c.Query("SELECT 1 FROM alerts WHERE id = $1", {id}));
            if (rows.empty()) return Fail(Error::NotFound(fmt::format("alert {} does not exist", id)));
            return Fail(Error::Conflict(fmt::format("alert {} is acknowledged already", id)));
        }
        UNYO_TRY(audit::Append(c, actor, {"alert.acknowledge", "alert", std::to_string(id), nullptr,
                                          json::object{{"comment", comment},
                                                       {"expires_at", InstantOrNull(expires_at)}}},
                               now));
        return {};
    }));
    return Get(id);
}

Result<void> AlertService::TellPartners(storage::Connection& c, const records::Record& r, std::int64_t ci_id,
                                       Millis at) const {
    if (r.kind != "incident") return {};
    const auto affected = UNYO_TRY(cis::AffectedPartners(c, ci_id));
    // Told once per incident: a partner informed before (the item changed back and forth) is not again.
    std::vector<std::int64_t> told;
    for (const auto& row : UNYO_TRY(c.Query("SELECT body_json FROM record_timeline WHERE record_id = $1 AND type = 'partners'",
                                            {r.id}))
                               .rows) {
        const auto body = ParseObjectOrEmpty(row.Text(0));
        if (const auto* list = body.if_contains("partners"); list && list->is_array()) {
            for (const auto& p : list->as_array()) {
                if (p.is_object()) told.push_back(IntOf(p.as_object(), "id", 0));
            }
        }
    }
    json::array partners;
    for (const auto& a : affected) {
        const auto& p = a.partner;
        if (std::find(told.begin(), told.end(), p.id) != told.end()) continue;
        notify::Message msg;
        msg.event_key = fmt::format("partner:{}:{}", r.id, p.id);
        msg.subject = fmt::format("【unyo】連携先への影響のお知らせ: {} ({})", a.via.ci_name, r.key);
        msg.body = fmt::format(
            "{}{}{} ご担当者様\n\n連携元システム「{}」に影響する障害が発生しました。\n"
            "貴システム「{}」との連携 ({} / {} / {}) に影響するおそれがあります。\n\n"
            "障害: {} {}\n受付: {} (日本時間)\n影響: {}\n復旧見込み: {}\n連携失敗時の当日再送: {}\n",
            p.department, p.department.empty() ? "" : " ", p.name, a.via.ci_name, p.name,
            p.direction == "send" ? "当方から送信" : p.direction == "receive" ? "当方が受信" : "双方向",
            p.timing.empty() ? "-" : p.timing, p.protocol.empty() ? "-" : p.protocol, r.key, r.title, JapanTime(r.created_at),
            StringOf(r.fields, "impact", "調査中"), StringOf(r.fields, "recovery_eta", "調査中"),
            p.resend == "required" ? "要" : p.resend == "not_required" ? "不要" : "要相談");
        msg.record_id = r.id;
        for (const auto& contact : p.contacts) {
            if (!contact.email.empty()) msg.recipients.push_back(contact.email);
        }
        // Addresses queued for sending: none when no mail channel is set up.
        const int queued = msg.recipients.empty() ? 0 : UNYO_TRY(notify::Outbox::Enqueue(c, msg, at));
        partners.push_back(json::object{{"id", p.id},
                                        {"name", p.name},
                                        {"department", p.department},
                                        {"via_ci_id", a.via.ci_id},
                                        {"via_ci_name", a.via.ci_name},
                                        {"mailed", queued > 0 ? msg.recipients.size() : 0}});
    }
    if (partners.empty()) return {};
    UNYO_TRY(records::RecordService::AppendSystemEntry(c, r.id, "partners",
                                                       json::object{{"ci_id", ci_id}, {"partners", std::move(partners)}}, at));
    return {};
}

namespace {

// An incident as escalation sees it: open (not yet recovered) or not, since when the failure was
// recognised, and the levels told so far (by index).
struct EscalationState {
    records::Record record;
    bool open = false;
    Millis recognized = 0;
    std::optional<EscalationRoute> route;
    std::map<int, std::pair<Millis, json::object>> told;  // level index → (when, the entry)
};

// `routes`: every route (LoadRoutes), read once by a caller that looks at many incidents.
Result<EscalationState> LoadEscalation(storage::Connection& c, std::int64_t id, const std::vector<EscalationRoute>& routes) {
    auto rows = UNYO_TRY(c.Query("SELECT id, key, title, status, severity, fields_json, created_at FROM records WHERE id = $1 AND "
                                 "kind = 'incident'",
                                 {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("incident {} does not exist", id)));
    const auto& row = rows.front();
    EscalationState s;
    s.record.id = row.Int(0);
    s.record.kind = "incident";
    s.record.key = row.Text(1);
    s.record.title = row.Text(2);
    s.record.status = row.Text(3);
    s.record.severity = row.Text(4);
    s.record.fields = ParseObjectOrEmpty(row.Text(5));
    s.record.created_at = row.Int(6);
    s.open = s.record.status == "received" || s.record.status == "isolating" || s.record.status == "responding";
    s.recognized = s.record.created_at;
    if (const auto at = StringOf(s.record.fields, "recognized_at"); !at.empty()) {
        if (auto parsed = ParseRfc3339(at)) s.recognized = *parsed;
    }
    const auto ci = s.record.Field("ci_id");
    s.route = RouteFor(routes, s.record.severity, ci.is_int64() ? std::optional(ci.as_int64()) : std::nullopt);
    for (const auto& e : UNYO_TRY(c.Query("SELECT at, body_json FROM record_timeline WHERE record_id = $1 AND type = 'escalation' "
                                          "ORDER BY id",
                                          {id}))
                             .rows) {
        auto body = ParseObjectOrEmpty(e.Text(1));
        const int level = static_cast<int>(IntOf(body, "level", 0)) - 1;
        if (level >= 0) s.told.emplace(level, std::pair{e.Int(0), std::move(body)});
    }
    return s;
}

// Tells level `index` of the incident's route: mails its users and contacts with an address,
// and says on the timeline whom, with the phone numbers to call.
Result<void> TellLevel(storage::Connection& c, const EscalationState& s, std::size_t index, const std::string& reason,
                              const std::string& by, const std::string& comment, const std::string& console_url, Millis at) {
    const auto& route = *s.route;
    const auto& level = route.levels[index];
    std::vector<std::string> recipients;
    json::array people;
    for (auto id : level.user_ids) {
        auto u = UNYO_TRY(c.Query("SELECT display_name, email, disabled FROM users WHERE id = $1", {id}));
        if (u.empty()) continue;
        people.push_back(json::object{{"user_id", id}, {"name", u.front().Text(0)}});
        if (!u.front().Bool(2) && !u.front().Text(1).empty()) recipients.push_back(u.front().Text(1));
    }
    json::array contacts;
    for (const auto& ct : level.contacts) {
        contacts.push_back(json::object{{"name", ct.name}, {"role", ct.role}, {"phone", ct.phone}});
        if (!ct.email.empty()) recipients.push_back(ct.email);
    }
    std::string organization;
    if (level.organization_id) {
        auto o = UNYO_TRY(c.Query("SELECT name FROM organizations WHERE id = $1", {*level.organization_id}));
        if (!o.empty()) organization = o.front().Text(0);
    }
    int queued = 0;  // addresses queued for sending: none when no mail channel is set up
    if (!recipients.empty()) {
        notify::Message msg;
        msg.event_key = fmt::format("escalation:{}:{}:{}", s.record.id, route.id, index + 1);
        msg.subject = fmt::format("【unyo】障害エスカレーション ({}): {} {}", level.name, s.record.key, s.record.title);
        std::string phones;
        for (const auto& ct : level.contacts) {
            if (!ct.phone.empty()) phones += fmt::format("  {} {} {}\n", ct.name, ct.role, ct.phone);
        }
        msg.body = fmt::format(
            "体制図「{}」の{}{}として、次の障害の連絡です。{}\n\n障害: {} {}\n重要度: {}\n障害認知: {} (日本時間)\n{}{}{}/incidents/{}\n",
            route.name, level.name, organization.empty() ? "" : fmt::format(" ({})", organization),
            reason == "manual" ? "担当者がエスカレーションしました。" : fmt::format("認知から{}分を過ぎても復旧していません。", level.after_min),
            s.record.key, s.record.title, s.record.severity, JapanTime(s.recognized), comment.empty() ? "" : "連絡事項: " + comment + "\n",
            phones.empty() ? "" : "電話連絡先:\n" + phones, console_url, s.record.id);
        msg.record_id = s.record.id;
        msg.recipients = recipients;
        queued = UNYO_TRY(notify::Outbox::Enqueue(c, msg, at));
    }
    UNYO_TRY(records::RecordService::AppendSystemEntry(
        c, s.record.id, "escalation",
        json::object{{"route_id", route.id},
                     {"route", route.name},
                     {"level", static_cast<std::int64_t>(index + 1)},
                     {"name", level.name},
                     {"organization_id", OrNull(level.organization_id)},
                     {"organization", organization},
                     {"reason", reason},
                     {"by", by},
                     {"comment", comment},
                     {"people", std::move(people)},
                     {"contacts", std::move(contacts)},
                     {"mailed", queued > 0 ? recipients.size() : 0}},
        at));
    return {};
}

}  // namespace

Result<int> AlertService::EscalateIncidents() {
    const Millis now = clock_.Now();
    // Found with a read; told in one write that looks again (another sweep or a hand may have told it).
    const auto due = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<std::pair<std::int64_t, std::size_t>>> {
        std::vector<std::pair<std::int64_t, std::size_t>> out;
        const auto routes = UNYO_TRY(LoadRoutes(c));  // once per sweep; none: nothing to look at
        if (routes.empty()) return out;
        for (const auto& row : UNYO_TRY(c.Query("SELECT id FROM records WHERE kind = 'incident' AND status IN ('received', "
                                                "'isolating', 'responding') ORDER BY id",
                                                {}))
                                   .rows) {
            const auto s = UNYO_TRY(LoadEscalation(c, row.Int(0), routes));
            if (!s.route) continue;
            for (std::size_t i = 0; i < s.route->levels.size(); ++i) {
                if (s.told.contains(static_cast<int>(i))) continue;
                if (s.recognized + s.route->levels[i].after_min * 60'000LL <= now) out.emplace_back(s.record.id, i);
            }
        }
        return out;
    }));
    if (due.empty()) return 0;
    return db_.Write([&](storage::Connection& c) -> Result<int> {
        int told = 0;
        const auto routes = UNYO_TRY(LoadRoutes(c));
        for (const auto& [id, index] : due) {
            const auto s = UNYO_TRY(LoadEscalation(c, id, routes));
            if (!s.open || !s.route || index >= s.route->levels.size() || s.told.contains(static_cast<int>(index))) continue;
            UNYO_TRY_VOID(TellLevel(c, s, index, "elapsed", "", "", console_url_, now));
            ++told;
        }
        return told;
    });
}

Result<json::object> AlertService::EscalateIncident(std::int64_t record_id, const std::string& comment, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        const auto s = UNYO_TRY(LoadEscalation(c, record_id, UNYO_TRY(LoadRoutes(c))));
        if (!s.open) return Fail(Error::Conflict(fmt::format("{} is {}: there is no one left to escalate to", s.record.key, s.record.status)));
        if (!s.route) {
            return Fail(Error::Conflict(fmt::format("no escalation route serves {} (severity {}); define one at /api/v1/escalation-routes",
                                                    s.record.key, s.record.severity)));
        }
        std::size_t next = 0;
        while (next < s.route->levels.size() && s.told.contains(static_cast<int>(next))) ++next;
        if (next == s.route->levels.size()) return Fail(Error::Conflict(fmt::format("every level of \"{}\" was told already", s.route->name)));
        UNYO_TRY_VOID(TellLevel(c, s, next, "manual", actor.login, comment, console_url_, now));
        UNYO_TRY(audit::Append(c, actor, {"incident.escalate", "incident", s.record.key, nullptr,
                                          json::object{{"route_id", s.route->id}, {"level", static_cast<std::int64_t>(next + 1)}, {"comment", comment}}},
                               now));
        return {};
    }));
    return EscalationOf(record_id);
}

Result<json::object> AlertService::EscalationOf(std::int64_t record_id) {
    const auto s = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<EscalationState> {
        return LoadEscalation(c, record_id, UNYO_TRY(LoadRoutes(c)));
    }));
    json::object out{{"incident_id", s.record.id}, {"open", s.open}, {"recognized_at", FormatRfc3339(s.recognized)},
                     {"route", nullptr}, {"levels", json::array{}}};
    if (!s.route) return out;
    out["route"] = json::object{{"id", s.route->id}, {"name", s.route->name}};
    json::array levels;
    for (std::size_t i = 0; i < s.route->levels.size(); ++i) {
        const auto& l = s.route->levels[i];
        json::object o{{"level", static_cast<std::int64_t>(i + 1)},
                       {"name", l.name},
                       {"after_min", l.after_min},
                       {"due_at", FormatRfc3339(s.recognized + l.after_min * 60'000LL)},
                       {"told_at", nullptr},
                       {"reason", nullptr}};
        if (const auto it = s.told.find(static_cast<int>(i)); it != s.told.end()) {
            o["told_at"] = FormatRfc3339(it->second.first);
            o["reason"] = StringOf(it->second.second, "reason");
        }
        levels.push_back(std::move(o));
    }
    out["levels"] = std::move(levels);
    return out;
}

}  // namespace unyo::alerts
