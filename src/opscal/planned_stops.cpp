#include "opscal/planned_stops.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "notify/outbox.hpp"

namespace unyo::opscal {
namespace {

constexpr const char* kColumns =
    "id, kind, title, reason, scope, services, monitor_ids, starts_at, ends_at, short_notice_reason, approved_by, "
    "approved_at, created_by, created_at, updated_at, version";

const std::vector<std::string> kKinds{"inspection", "preventive", "security", "function", "external"};

PlannedStop FromRow(const storage::Row& r) {
    PlannedStop s;
    s.id = r.Int(0);
    s.kind = r.Text(1);
    s.title = r.Text(2);
    s.reason = r.Text(3);
    s.scope = r.Text(4);
    s.services = ParseStringArray(r.Text(5));
    s.monitor_ids = ParseIntArray(r.Text(6));
    s.starts_at = r.Int(7);
    s.ends_at = r.Int(8);
    s.short_notice_reason = r.OptText(9);
    s.approved_by = r.OptText(10);
    s.approved_at = r.OptInt(11);
    s.created_by = r.Text(12);
    s.created_at = r.Int(13);
    s.updated_at = r.Int(14);
    s.version = r.Int(15);
    return s;
}

Result<PlannedStop> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM planned_stops WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("planned stop {} does not exist", id)));
    return FromRow(rows.front());
}

}  // namespace

bool PlannedStop::Covers(std::int64_t monitor_id, const std::string& service) const {
    if (scope == "all") return true;
    if (scope == "services") return std::find(services.begin(), services.end(), service) != services.end();
    return std::find(monitor_ids.begin(), monitor_ids.end(), monitor_id) != monitor_ids.end();
}

namespace {

// What a stop covers, in words: everything, its services, or its monitors by name.
Result<std::string> ScopeText(storage::Connection& c, const PlannedStop& s) {
    if (s.scope == "services") return fmt::format("{}", fmt::join(s.services, "、"));
    if (s.scope != "monitors") return std::string("全システム");
    std::vector<std::string> names;
    for (const auto id : s.monitor_ids) {
        auto rows = UNYO_TRY(c.Query("SELECT name FROM monitors WHERE id = $1", {id}));
        names.push_back(rows.empty() ? fmt::format("監視 {}", id) : rows.front().Text(0));
    }
    return fmt::format("{}", fmt::join(names, "、"));
}

std::string JapanTime(Millis at) { return FormatLocal(at, 540, true); }

}  // namespace

Result<void> PlannedStops::Announce(storage::Connection& c, const PlannedStop& s, bool cancelled) const {
    notify::Message msg;
    msg.topic = notify::kTopicPlannedStops;
    // A stop moved and approved again is announced again: the key carries the version.
    msg.event_key = cancelled ? fmt::format("stop:{}:cancelled", s.id) : fmt::format("stop:{}:notice:{}", s.id, s.version);
    const auto period = fmt::format("{} 〜 {}", JapanTime(s.starts_at), JapanTime(s.ends_at));
    const auto scope = UNYO_TRY(ScopeText(c, s));
    if (cancelled) {
        msg.subject = fmt::format("【unyo】計画停止の中止: {}", s.title);
        msg.body = fmt::format("お知らせしていた次の計画停止は中止になりました。停止は行いません。\n\n件名: {}\n"
                               "予定していた期間: {}\n対象: {}\n",
                               s.title, period, scope);
    } else {
        msg.subject = fmt::format("【unyo】計画停止のお知らせ: {} ({})", s.title, JapanTime(s.starts_at).substr(0, 10));
        msg.body = fmt::format("次のとおりシステムを停止します。ご不便をおかけしますが、ご理解とご協力をお願いいたします。\n\n"
                               "件名: {}\n種別: {}\n停止期間: {} (日本時間)\n対象: {}\n理由: {}\n最新の情報: {}/maintenance\n",
                               s.title, KindLabelJa(s.kind), period, scope, s.reason.empty() ? "-" : s.reason,
                               console_url_);
    }
    UNYO_TRY(notify::Outbox::Enqueue(c, msg, clock_.Now()));
    return {};
}

std::string_view KindLabelJa(std::string_view kind) {
    if (kind == "inspection") return "定期点検";
    if (kind == "preventive") return "予防保守";
    if (kind == "security") return "セキュリティ保守";
    if (kind == "function") return "サービス機能保守";
    if (kind == "external") return "システム外要因";
    return kind;
}

json::object ToJson(const PlannedStop& s) {
    const bool regular = s.kind == "inspection" || s.kind == "preventive";
    return {{"id", s.id},
            {"kind", s.kind},
            {"kind_label", KindLabelJa(s.kind)},
            {"category", regular ? "regular" : "ad_hoc"},
            {"title", s.title},
            {"reason", s.reason},
            {"scope", s.scope},
            {"services", json::array(s.services.begin(), s.services.end())},
            {"monitor_ids", json::array(s.monitor_ids.begin(), s.monitor_ids.end())},
            {"starts_at", FormatRfc3339(s.starts_at)},
            {"ends_at", FormatRfc3339(s.ends_at)},
            {"short_notice_reason", OrNull(s.short_notice_reason)},
            {"approved_by", OrNull(s.approved_by)},
            {"approved_at", InstantOrNull(s.approved_at)},
            {"created_by", s.created_by},
            {"created_at", FormatRfc3339(s.created_at)},
            {"version", s.version}};
}

Result<std::vector<PlannedStop>> PlannedStops::List(Millis from, Millis to) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<PlannedStop>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM planned_stops WHERE ends_at > $1 AND starts_at < $2 "
                                                 "ORDER BY starts_at, id",
                                                 kColumns),
                                     {from, to}));
        std::vector<PlannedStop> out;
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<PlannedStop> PlannedStops::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<PlannedStop> PlannedStops::Read(const json::object& body, PlannedStop s, bool create) const {
    const Millis now = clock_.Now();
    FieldReader f(body);
    f.AllowOnly({"kind", "title", "reason", "scope", "services", "monitor_ids", "starts_at", "ends_at",
                 "short_notice_reason"});
    if (create || f.Has("kind")) {
        s.kind = f.RequiredString("kind", 20);
        if (!s.kind.empty() && std::find(kKinds.begin(), kKinds.end(), s.kind) == kKinds.end()) {
            f.AddError("kind", "must be inspection, preventive (regular), security, function or external (ad hoc)");
        }
    }
    if (create || f.Has("title")) s.title = f.RequiredString("title", 200);
    if (auto reason = f.OptionalString("reason", 2000)) s.reason = *reason;
    if (auto scope = f.OptionalString("scope", 20)) s.scope = *scope;
    if (s.scope != "all" && s.scope != "services" && s.scope != "monitors") {
        f.AddError("scope", "must be all, services or monitors");
    }
    if (auto services = f.OptionalStrings("services")) s.services = *services;
    if (const auto* ids = body.if_contains("monitor_ids")) {
        s.monitor_ids.clear();
        if (!ids->is_array()) {
            f.AddError("monitor_ids", "must be an array of monitor ids");
        } else {
            for (const auto& id : ids->as_array()) {
                if (id.is_int64() && id.as_int64() > 0) {
                    s.monitor_ids.push_back(id.as_int64());
                } else {
                    f.AddError("monitor_ids", "must be an array of monitor ids");
                    break;
                }
            }
        }
    }
    if (s.scope == "services" && s.services.empty()) f.AddError("services", "name at least one service");
    if (s.scope == "monitors" && s.monitor_ids.empty()) f.AddError("monitor_ids", "name at least one monitor");
    auto instant = [&](const char* name, Millis& out) {
        if (!create && !f.Has(name)) return;
        const auto text = f.RequiredString(name, 40);
        if (text.empty()) return;
        const auto t = ParseRfc3339(text);
        if (!t) f.AddError(name, "must be an RFC 3339 instant");
        out = t.value_or(0);
    };
    instant("starts_at", s.starts_at);
    instant("ends_at", s.ends_at);
    if (s.starts_at != 0 && s.ends_at != 0 && s.ends_at <= s.starts_at) f.AddError("ends_at", "must be after starts_at");
    if (s.ends_at != 0 && s.ends_at <= now) f.AddError("ends_at", "must be in the future");
    if (f.Has("short_notice_reason")) s.short_notice_reason = f.OptionalString("short_notice_reason", 2000);
    if (s.short_notice_reason && s.short_notice_reason->empty()) s.short_notice_reason.reset();
    if (s.starts_at != 0 && s.starts_at < now + notice_days_ * 24 * kHourMs && !s.short_notice_reason) {
        f.AddError("short_notice_reason",
                   fmt::format("the stop starts less than {} days ahead: state why it cannot be announced in time",
                               notice_days_));
    }
    UNYO_TRY_VOID(f.Finish());
    return s;
}

Result<PlannedStop> PlannedStops::Create(const json::object& body, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    PlannedStop s = UNYO_TRY(Read(body, PlannedStop{}, true));
    s.created_by = actor.login;
    s.created_at = s.updated_at = now;
    return db_.Write([&](storage::Connection& c) -> Result<PlannedStop> {
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO planned_stops (kind, title, reason, scope, services, monitor_ids, starts_at, ends_at, "
            "short_notice_reason, created_by, created_at, updated_at, version) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1) RETURNING id",
            {s.kind, s.title, s.reason, s.scope, json::serialize(json::array(s.services.begin(), s.services.end())),
             json::serialize(json::array(s.monitor_ids.begin(), s.monitor_ids.end())), s.starts_at, s.ends_at,
             storage::Nullable(s.short_notice_reason), s.created_by, s.created_at, s.updated_at}));
        s.id = rows.front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"planned_stop.create", "planned_stop", std::to_string(s.id), nullptr,
                                          ToJson(s)},
                               now));
        return s;
    });
}

Result<PlannedStop> PlannedStops::Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                         const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<PlannedStop> {
        const PlannedStop before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("planned stop {} was changed by someone else (now version {})", id, before.version),
                         {}});
        }
        const Millis now = clock_.Now();
        if (before.ends_at <= now) return Fail(Error::Conflict(fmt::format("planned stop {} is over", id)));
        PlannedStop after = UNYO_TRY(Read(body, before, false));
        // A new time or scope must be approved (and so announced) again.
        const bool moved = after.starts_at != before.starts_at || after.ends_at != before.ends_at ||
                           after.scope != before.scope || after.services != before.services ||
                           after.monitor_ids != before.monitor_ids;
        if (moved) {
            after.approved_by.reset();
            after.approved_at.reset();
        }
        after.updated_at = now;
        after.version = before.version + 1;
        UNYO_TRY(c.Exec(
            "UPDATE planned_stops SET kind = $1, title = $2, reason = $3, scope = $4, services = $5, monitor_ids = $6, "
            "starts_at = $7, ends_at = $8, short_notice_reason = $9, approved_by = $10, approved_at = $11, "
            "updated_at = $12, version = $13 WHERE id = $14",
            {after.kind, after.title, after.reason, after.scope,
             json::serialize(json::array(after.services.begin(), after.services.end())),
             json::serialize(json::array(after.monitor_ids.begin(), after.monitor_ids.end())), after.starts_at,
             after.ends_at, storage::Nullable(after.short_notice_reason), storage::Nullable(after.approved_by),
             storage::Nullable(after.approved_at), after.updated_at, after.version, id}));
        UNYO_TRY(audit::Append(c, actor, {"planned_stop.update", "planned_stop", std::to_string(id), ToJson(before),
                                          ToJson(after)},
                               now));
        return after;
    });
}

Result<PlannedStop> PlannedStops::Approve(std::int64_t id, std::int64_t expected_version, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<PlannedStop> {
        const PlannedStop before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("planned stop {} was changed by someone else (now version {})", id, before.version),
                         {}});
        }
        if (before.approved_at) return Fail(Error::Conflict(fmt::format("planned stop {} is approved already", id)));
        PlannedStop after = before;
        after.approved_by = actor.login;
        after.approved_at = after.updated_at = clock_.Now();
        after.version = before.version + 1;
        UNYO_TRY(c.Exec("UPDATE planned_stops SET approved_by = $1, approved_at = $2, updated_at = $2, version = $3 "
                        "WHERE id = $4",
                        {actor.login, *after.approved_at, after.version, id}));
        UNYO_TRY(audit::Append(c, actor, {"planned_stop.approve", "planned_stop", std::to_string(id), ToJson(before),
                                          ToJson(after)},
                               *after.approved_at));
        UNYO_TRY_VOID(Announce(c, after, false));
        return after;
    });
}

Result<void> PlannedStops::Delete(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const PlannedStop before = UNYO_TRY(Load(c, id));
        UNYO_TRY(c.Exec("DELETE FROM planned_stops WHERE id = $1", {id}));
        if (before.approved_at && before.ends_at > clock_.Now()) UNYO_TRY_VOID(Announce(c, before, true));
        UNYO_TRY(audit::Append(c, actor, {"planned_stop.delete", "planned_stop", std::to_string(id), ToJson(before),
                                          nullptr},
                               clock_.Now()));
        return {};
    });
}

Result<std::optional<PlannedStop>> PlannedStops::Active(std::int64_t monitor_id, const std::string& service, Millis at) {
    const auto stops = UNYO_TRY(List(at, at + 1));
    for (const auto& s : stops) {
        if (s.Covers(monitor_id, service, at)) return std::optional<PlannedStop>(s);
    }
    return std::optional<PlannedStop>{};
}

}  // namespace unyo::opscal
