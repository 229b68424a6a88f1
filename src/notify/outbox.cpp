#include "notify/outbox.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/time_format.hpp"

namespace unyo::notify {
namespace {

constexpr const char* kChannelColumns = "id, name, type, config_json, enabled, created_at, updated_at, version";
constexpr Millis kExpiry = 24 * kHourMs;

Channel ChannelFromRow(const storage::Row& r) {
    return {r.Int(0), r.Text(1), r.Text(2), ParseObjectOrEmpty(r.Text(3)), r.Bool(4), r.Int(5), r.Int(6), r.Int(7)};
}

Result<Channel> LoadChannel(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM notification_channels WHERE id = $1", kChannelColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("notification channel {} does not exist", id)));
    return ChannelFromRow(rows.front());
}

// Reads the channel members of `body` over `ch`; errors name each bad member.
Result<Channel> ReadChannel(const json::object& body, Channel ch, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "type", "enabled", "host", "port", "from", "to", "starttls", "username", "password", "url",
                 "format", "escalate_after_min", "topics"});
    if (create || f.Has("name")) ch.name = f.RequiredString("name", 200);
    if (create) {
        ch.type = f.RequiredString("type", 20);
        if (!ch.type.empty() && ch.type != "smtp" && ch.type != "webhook") f.AddError("type", "must be smtp or webhook");
    } else if (f.Has("type")) {
        f.AddError("type", "cannot be changed; make a new channel");
    }
    if (auto e = f.OptionalBool("enabled")) ch.enabled = *e;
    auto& cfg = ch.config;
    if (auto m = f.OptionalInt("escalate_after_min", 0, 24 * 60)) cfg["escalate_after_min"] = *m;
    if (!cfg.contains("escalate_after_min")) cfg["escalate_after_min"] = 0;
    if (auto topics = f.OptionalStrings("topics")) {
        if (topics->empty()) f.AddError("topics", "name at least one of alerts, planned_stops, outages");
        for (const auto& t : *topics) {
            if (t != kTopicAlerts && t != kTopicPlannedStops && t != kTopicOutages) {
                f.AddError("topics", fmt::format("'{}' is not one of alerts, planned_stops, outages", t));
            }
        }
        cfg["topics"] = json::array(topics->begin(), topics->end());
    }
    if (!cfg.contains("topics")) cfg["topics"] = json::array{kTopicAlerts, kTopicPlannedStops};
    if (ch.type == "smtp") {
        if (create || f.Has("host")) cfg["host"] = f.RequiredString("host", 255);
        if (auto p = f.OptionalInt("port", 1, 65535)) cfg["port"] = *p;
        if (!cfg.contains("port")) cfg["port"] = 25;
        if (create || f.Has("from")) cfg["from"] = f.RequiredString("from", 255);
        if (auto to = f.OptionalStrings("to")) {
            if (to->empty()) f.AddError("to", "name at least one address");
            for (const auto& a : *to) {
                if (a.find('@') == std::string::npos || a.find_first_of("\r\n<>") != std::string::npos) {
                    f.AddError("to", fmt::format("'{}' is not a mail address", a));
                }
            }
            cfg["to"] = json::array(to->begin(), to->end());
        } else if (create) {
            f.AddError("to", "is required: a list of mail addresses");
        }
        if (auto s = f.OptionalBool("starttls")) cfg["starttls"] = *s;
        if (!cfg.contains("starttls")) cfg["starttls"] = false;
        if (auto u = f.OptionalString("username", 255)) cfg["username"] = *u;
        if (auto pw = f.OptionalString("password", 1024)) cfg["password"] = *pw;
        if (const auto from = cfg.if_contains("from");
            from && from->is_string() && from->as_string().find('@') == std::string::npos) {
            f.AddError("from", "must be a mail address");
        }
    } else if (ch.type == "webhook") {
        if (create || f.Has("url")) {
            const auto url = f.RequiredString("url", 2000);
            if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
                f.AddError("url", "must be an http:// or https:// URL");
            }
            cfg["url"] = url;
        }
        if (auto fm = f.OptionalString("format", 20)) {
            if (*fm != "generic" && *fm != "slack" && *fm != "teams") {
                f.AddError("format", "must be generic, slack or teams");
            }
            cfg["format"] = *fm;
        }
        if (!cfg.contains("format")) cfg["format"] = "generic";
    }
    UNYO_TRY_VOID(f.Finish());
    return ch;
}

Delivery DeliveryFromRow(const storage::Row& r) {
    return {r.Int(0), r.Int(1),   r.Text(2),  r.Text(3), r.Text(4),
            r.Text(5), static_cast<int>(r.Int(6)), r.Int(7), r.OptInt(8), r.Text(9), ParseStringArray(r.Text(10))};
}

constexpr const char* kDeliveryColumns =
    "n.id, n.channel_id, c.name, n.event_key, n.subject, n.status, n.attempts, n.created_at, n.sent_at, n.last_error, "
    "n.recipients FROM notifications n JOIN notification_channels c ON c.id = n.channel_id";

}  // namespace

json::object ToJson(const Channel& c) {
    json::object cfg = c.config;
    const bool password_set = cfg.contains("password");
    cfg.erase("password");
    json::object out{{"id", c.id},
                     {"name", c.name},
                     {"type", c.type},
                     {"enabled", c.enabled},
                     {"created_at", FormatRfc3339(c.created_at)},
                     {"updated_at", FormatRfc3339(c.updated_at)},
                     {"version", c.version}};
    for (const auto& kv : cfg) out[kv.key()] = kv.value();
    if (c.type == "smtp") out["password_set"] = password_set;
    return out;
}

json::object ToJson(const Delivery& d) {
    return {{"id", d.id},
            {"channel_id", d.channel_id},
            {"channel", d.channel_name},
            {"event_key", d.event_key},
            {"subject", d.subject},
            {"status", d.status},
            {"attempts", d.attempts},
            {"created_at", FormatRfc3339(d.created_at)},
            {"sent_at", InstantOrNull(d.sent_at)},
            {"last_error", d.last_error},
            {"recipients", json::value_from(d.recipients)}};
}

Result<std::vector<Channel>> Outbox::Channels() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Channel>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM notification_channels ORDER BY id", kChannelColumns), {}));
        std::vector<Channel> out;
        for (const auto& r : rows.rows) out.push_back(ChannelFromRow(r));
        return out;
    });
}

Result<Channel> Outbox::GetChannel(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return LoadChannel(c, id); });
}

Result<Channel> Outbox::CreateChannel(const json::object& body, const audit::Actor& actor) {
    Channel ch = UNYO_TRY(ReadChannel(body, Channel{}, true));
    ch.created_at = ch.updated_at = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Channel> {
        auto rows = c.Query(
            "INSERT INTO notification_channels (name, type, config_json, enabled, created_at, updated_at, version) "
            "VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id",
            {ch.name, ch.type, json::serialize(ch.config), std::int64_t{ch.enabled ? 1 : 0}, ch.created_at,
             ch.updated_at});
        if (!rows) {
            if (rows.error().code == ErrorCode::kConflict) {
                return Fail(Error::Field("name", fmt::format("a channel named \"{}\" already exists", ch.name),
                                         ErrorCode::kConflict));
            }
            return Fail(rows.error());
        }
        ch.id = rows->front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"channel.create", "notification_channel", std::to_string(ch.id), nullptr,
                                          ToJson(ch)},
                               ch.created_at));
        return ch;
    });
}

Result<Channel> Outbox::UpdateChannel(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                      const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<Channel> {
        const Channel before = UNYO_TRY(LoadChannel(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("channel {} was changed by someone else (now version {})", id, before.version),
                         {}});
        }
        Channel after = UNYO_TRY(ReadChannel(body, before, false));
        after.updated_at = clock_.Now();
        after.version = before.version + 1;
        UNYO_TRY(c.Exec("UPDATE notification_channels SET name = $1, config_json = $2, enabled = $3, updated_at = $4, "
                        "version = $5 WHERE id = $6",
                        {after.name, json::serialize(after.config), std::int64_t{after.enabled ? 1 : 0},
                         after.updated_at, after.version, id}));
        UNYO_TRY(audit::Append(c, actor, {"channel.update", "notification_channel", std::to_string(id), ToJson(before),
                                          ToJson(after)},
                               after.updated_at));
        return after;
    });
}

Result<void> Outbox::DeleteChannel(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const Channel before = UNYO_TRY(LoadChannel(c, id));
        UNYO_TRY(c.Exec("DELETE FROM notification_channels WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"channel.delete", "notification_channel", std::to_string(id), ToJson(before),
                                          nullptr},
                               clock_.Now()));
        return {};
    });
}

bool HasTopic(const json::object& config, std::string_view topic) {
    const auto* topics = config.if_contains("topics");
    if (topics == nullptr || !topics->is_array()) return topic != kTopicOutages;  // channels made before topics
    for (const auto& t : topics->as_array()) {
        if (t.is_string() && t.as_string() == topic) return true;
    }
    return false;
}

int EscalateAfterMin(const json::object& config) {
    return static_cast<int>(IntOf(config, "escalate_after_min", 0));
}

Result<int> Outbox::EnqueueTo(storage::Connection& c, std::int64_t channel_id, const Message& m, Millis now) {
    const std::string recipients = m.recipients.empty() ? std::string() : json::serialize(json::value_from(m.recipients));
    return static_cast<int>(UNYO_TRY(c.Exec(
        "INSERT INTO notifications (channel_id, event_key, subject, body, record_id, alert_id, status, attempts, "
        "next_at, created_at, expires_at, recipients) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $8, $9) "
        "ON CONFLICT DO NOTHING",
        {channel_id, m.event_key, m.subject, m.body, storage::Nullable(m.record_id), storage::Nullable(m.alert_id), now,
         now + kExpiry, recipients})));
}

Result<int> Outbox::Enqueue(storage::Connection& c, const Message& m, Millis now) {
    const bool personal = !m.recipients.empty();
    auto channels = UNYO_TRY(c.Query(personal ? "SELECT id, config_json FROM notification_channels WHERE enabled = 1 "
                                                "AND type = 'smtp' ORDER BY id LIMIT 1"
                                              : "SELECT id, config_json FROM notification_channels WHERE enabled = 1 "
                                                "ORDER BY id",
                                     {}));
    int n = 0;
    for (const auto& ch : channels.rows) {
        const auto config = ParseObjectOrEmpty(ch.Text(1));
        if (!personal && !HasTopic(config, m.topic)) continue;
        if (!personal && m.channel_ids &&
            std::find(m.channel_ids->begin(), m.channel_ids->end(), ch.Int(0)) == m.channel_ids->end()) {
            continue;
        }
        // A channel of a later escalation step hears of an alert only if it stays unacknowledged.
        if (m.escalating && EscalateAfterMin(config) > 0) continue;
        n += UNYO_TRY(EnqueueTo(c, ch.Int(0), m, now));
    }
    return n;
}

void Outbox::Wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

Result<int> Outbox::DeliverDue() {
    struct Due {
        std::int64_t id;
        Channel channel;
        std::string subject, body;
        int attempts;
        Millis expires_at;
        std::optional<std::int64_t> alert_id;
        std::vector<std::string> recipients;
    };
    const Millis now = clock_.Now();
    auto due = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<Due>> {
        auto rows = UNYO_TRY(c.Query(
            fmt::format("SELECT n.id, n.subject, n.body, n.attempts, n.expires_at, n.alert_id, {}, n.recipients FROM "
                        "notifications n "
                        "JOIN notification_channels ch ON ch.id = n.channel_id WHERE n.status = 'pending' AND "
                        "n.next_at <= $1 ORDER BY n.next_at, n.id LIMIT 100",
                        "ch.id, ch.name, ch.type, ch.config_json, ch.enabled, ch.created_at, ch.updated_at, ch.version"),
            {now}));
        std::vector<Due> out;
        for (const auto& r : rows.rows) {
            Channel ch{r.Int(6), r.Text(7), r.Text(8), ParseObjectOrEmpty(r.Text(9)), r.Bool(10),
                       r.Int(11), r.Int(12), r.Int(13)};
            out.push_back({r.Int(0), std::move(ch), r.Text(1), r.Text(2), static_cast<int>(r.Int(3)), r.Int(4),
                           r.OptInt(5), ParseStringArray(r.Text(14))});
        }
        return out;
    }));
    int sent = 0;
    for (const auto& d : due) {
        const auto result = Send(d.channel, d.subject, d.body, d.recipients);
        const Millis at = clock_.Now();
        const int attempts = d.attempts + 1;
        UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
            if (result) {
                UNYO_TRY(c.Exec("UPDATE notifications SET status = 'sent', attempts = $1, sent_at = $2, last_error = '' "
                                "WHERE id = $3",
                                {std::int64_t{attempts}, at, d.id}));
                if (d.alert_id) {
                    UNYO_TRY(c.Exec("UPDATE alerts SET first_notified_at = $1 WHERE id = $2 AND first_notified_at IS NULL",
                                    {at, *d.alert_id}));
                }
                return {};
            }
            // Back-off: 15 s, 30 s, 1 min … up to 30 min between tries, until it expires.
            const Millis delay = std::min<Millis>(15'000LL << std::min(attempts - 1, 7), 30 * kMinuteMs);
            const bool expired = at + delay >= d.expires_at;
            UNYO_TRY(c.Exec("UPDATE notifications SET status = $1, attempts = $2, next_at = $3, last_error = $4 "
                            "WHERE id = $5",
                            {std::string(expired ? "expired" : "pending"), std::int64_t{attempts}, at + delay,
                             result.error().message, d.id}));
            return {};
        }));
        if (result) {
            ++sent;
        } else {
            spdlog::warn("notification {} via channel {} failed (attempt {}): {}", d.id, d.channel.name, attempts,
                         result.error().message);
        }
    }
    return sent;
}

void Outbox::Run(std::stop_token stop) {
    while (!stop.stop_requested()) {
        if (auto n = DeliverDue(); !n) spdlog::warn("notification delivery failed: {}", n.error().message);
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, stop, std::chrono::seconds(1), [&] { return woken_; });
        woken_ = false;
    }
}

Result<std::vector<Delivery>> Outbox::ForRecord(std::int64_t record_id) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Delivery>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} WHERE n.record_id = $1 ORDER BY n.id", kDeliveryColumns),
                                     {record_id}));
        std::vector<Delivery> out;
        for (const auto& r : rows.rows) out.push_back(DeliveryFromRow(r));
        return out;
    });
}

Result<std::vector<Delivery>> Outbox::Recent(int limit) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Delivery>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} ORDER BY n.id DESC LIMIT {}", kDeliveryColumns, limit), {}));
        std::vector<Delivery> out;
        for (const auto& r : rows.rows) out.push_back(DeliveryFromRow(r));
        return out;
    });
}

}  // namespace unyo::notify
