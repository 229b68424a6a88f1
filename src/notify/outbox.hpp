#pragma once
// Notifications (INC-2, INC-10, MON-7, PLN-3): a durable outbox in the database. A message is
// enqueued inside the transaction of the change it tells of (an alert, a recovery, an SLA warning),
// one row per channel and event, so that it is never lost nor sent twice for one event; a worker
// delivers what is due, retrying with back-off until it is sent or expires (24 h). Channels: SMTP
// (libcurl; STARTTLS, auth) and webhooks (generic JSON, Slack- and Teams-compatible bodies).
// Delivery is at least once: a crash between the SMTP server's acceptance and the commit of
// `sent` would send that one message again. Thread-safe; blocks on the database and the network.

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::notify {

struct Channel {
    std::int64_t id = 0;
    std::string name;
    std::string type;      // smtp | webhook
    json::object config;   // smtp: host, port, from, to[], starttls, username, password; webhook: url, format
    bool enabled = true;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

/// The channel as shown: the SMTP password is never returned (`password_set` instead).
[[nodiscard]] json::object ToJson(const Channel& c);

/// What a channel is for (its config's `topics`; default alerts and planned stops): alerts and
/// SLA warnings for the operators; notices of planned stops (PLN-3); outage notices for the
/// users of a service that has been down for the channel's `escalate_after_min` (INC-10).
inline constexpr std::string_view kTopicAlerts = "alerts";
inline constexpr std::string_view kTopicPlannedStops = "planned_stops";
inline constexpr std::string_view kTopicOutages = "outages";
[[nodiscard]] bool HasTopic(const json::object& config, std::string_view topic);

/// What to tell: `event_key` identifies the event (one delivery per channel and key).
struct Message {
    std::string event_key;  // "alert:12:open", "alert:12:recovered", "sla:5:notify:breach"
    std::string subject;
    std::string body;
    std::optional<std::int64_t> record_id, alert_id;
    /// When set, a personal message (INQ-2: the assignee of a record): mailed to these addresses
    /// over the first enabled SMTP channel only, instead of to every channel's own recipients.
    std::vector<std::string> recipients;
    /// An alert's opening: channels with `escalate_after_min` > 0 are left out (AlertService
    /// escalates to them later if the alert stays unacknowledged: INC-2, MON-7).
    bool escalating = false;
    /// The channels that hear it: those with this topic (a personal message ignores topics),
    /// and of them only `channel_ids` when set (an alert rule's route).
    std::string_view topic = kTopicAlerts;
    std::optional<std::vector<std::int64_t>> channel_ids;
};

/// A channel's escalation delay in minutes (0: told at once).
[[nodiscard]] int EscalateAfterMin(const json::object& config);

struct Delivery {
    std::int64_t id = 0;
    std::int64_t channel_id = 0;
    std::string channel_name;
    std::string event_key;
    std::string subject;
    std::string status;  // pending | sent | expired
    int attempts = 0;
    Millis created_at = 0;
    std::optional<Millis> sent_at;
    std::string last_error;
    std::vector<std::string> recipients;  // of a personal message
};

[[nodiscard]] json::object ToJson(const Delivery& d);

/// Sends one message over a channel (to `recipients` instead of an SMTP channel's own `to` when
/// given); Error::Unavailable with the reason when it could not.
[[nodiscard]] Result<void> Send(const Channel& channel, const std::string& subject, const std::string& body,
                                const std::vector<std::string>& recipients = {});

class Outbox {
public:
    Outbox(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<Channel>> Channels();
    [[nodiscard]] Result<Channel> GetChannel(std::int64_t id);
    /// Error::Field naming each bad member of {name, type, enabled?, …config}.
    [[nodiscard]] Result<Channel> CreateChannel(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<Channel> UpdateChannel(std::int64_t id, std::int64_t expected_version,
                                                const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<void> DeleteChannel(std::int64_t id, const audit::Actor& actor);

    /// Inside the caller's transaction: one pending row per enabled channel (a personal message:
    /// one row on the first enabled SMTP channel). Returns how many.
    [[nodiscard]] static Result<int> Enqueue(storage::Connection& c, const Message& m, Millis now);
    /// Inside the caller's transaction: one pending row on one channel (0 when it had it already).
    [[nodiscard]] static Result<int> EnqueueTo(storage::Connection& c, std::int64_t channel_id, const Message& m,
                                               Millis now);
    /// Wakes the worker (after a commit that enqueued).
    void Wake();
    /// Sends every due message once; returns how many were sent.
    [[nodiscard]] Result<int> DeliverDue();
    /// Delivers until `stop` is requested, waking every second or on Wake().
    void Run(std::stop_token stop);

    [[nodiscard]] Result<std::vector<Delivery>> ForRecord(std::int64_t record_id);
    [[nodiscard]] Result<std::vector<Delivery>> Recent(int limit);

private:
    storage::Database& db_;
    const Clock& clock_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    bool woken_ = false;
};

}  // namespace unyo::notify
