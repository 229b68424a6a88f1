#pragma once
// Alerts (INC-1, INC-2, MON-7, PLN-2): a signal — a monitor's hard failure, an inbound event, an
// Alertmanager alert, the engine's own lateness — opens an alert, one per dedup key; the first
// alert of a key opens an incident (source monitoring, recognised at detection) unless one is
// open for it already, and tells people through the outbox in the same transaction; repeats are
// counted on the alert and the incident; the end is written to the incident's timeline and told
// too. During a planned stop covering it the alert is kept, marked suppressed, and opens nothing
// and tells no one. Channels with an escalation delay hear of an alert only if it stays
// unacknowledged that long (or its acknowledgement lapsed). Thread-safe; blocks on the database.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "monitor/monitor.hpp"
#include "monitor/state_machine.hpp"
#include "notify/outbox.hpp"
#include "opscal/planned_stops.hpp"
#include "records/record_service.hpp"

namespace unyo::alerts {

struct Alert {
    std::int64_t id = 0;
    std::optional<std::int64_t> monitor_id;
    std::string source;  // monitoring | event | alertmanager
    std::string dedup_key;
    std::string severity;
    std::string status;  // open | resolved
    std::string message;
    Millis detected_at = 0, opened_at = 0, last_at = 0;
    std::optional<Millis> resolved_at;
    int repeat_count = 1;
    std::optional<std::int64_t> incident_id;
    std::optional<std::string> incident_key;
    std::optional<std::int64_t> planned_stop_id;  // set: suppressed by this stop
    std::optional<std::string> acknowledged_by;
    std::optional<Millis> acknowledged_at;
    std::optional<std::string> ack_comment;
    std::optional<Millis> first_notified_at;
    std::optional<Millis> ack_expires_at;
    std::optional<std::string> monitor_name;  // of a monitor's alert (read only)
    std::optional<std::vector<std::int64_t>> route;  // the operator channels a rule chose
    std::optional<std::int64_t> rule_id;              // the alert rule that decided it
};

/// Something that went wrong, or is over, from any source.
struct Signal {
    std::string source;     // monitoring | event | alertmanager | engine
    std::string dedup_key;  // one open alert per key: "monitor:12", "event:…", "am:…", "engine:lateness"
    std::optional<std::int64_t> monitor_id;
    std::string name;         // what: the monitor's or the alert's name
    std::string target;       // where: host:port, URL, instance
    std::string service;      // for the scope of planned stops
    std::string monitor_type; // of a monitor's signal, for alert rules
    std::string severity;     // of the incident: critical | high | medium | low
    std::optional<std::int64_t> ci_id;  // the configuration item concerned (a monitor's): the incident is about it
    bool firing = true;       // false: it is over
    std::string state;        // critical, warning … (the timeline's `state`)
    std::string state_label;  // 異常, 警告 …
    std::string message;
    Millis detected_at = 0, at = 0;
    /// Set by the alert rule that matched (not by the sender): the operator channels to tell.
    std::optional<std::vector<std::int64_t>> channels;
};

/// `acknowledged` is false once an acknowledgement's expiry has passed at `now`.
[[nodiscard]] json::object ToJson(const Alert& a, Millis now);

class AlertService {
public:
    /// `console_url` starts the links in messages ("http://host:port").
    AlertService(storage::Database& db, const Clock& clock, records::RecordService& records,
                 opscal::PlannedStops& stops, notify::Outbox& outbox, std::string console_url)
        : db_(db), clock_(clock), records_(records), stops_(stops), outbox_(outbox),
          console_url_(std::move(console_url)) {}

    /// Records a monitor's hard change and acts on it.
    /// Set once the server is bound, before monitoring starts.
    void set_console_url(std::string url) { console_url_ = std::move(url); }

    /// A change marked `flapping` is recorded only: the flapping alert speaks for the monitor.
    [[nodiscard]] Result<void> OnMonitorChange(const monitor::Monitor& m, const monitor::HardChange& change);
    /// Flapping began (an alert 「不安定」 of its own, opening no second incident while the
    /// monitor's is open) or ended (that alert ends, and the monitor's own alert is settled by
    /// its state `hard` now: opened, kept or ended).
    [[nodiscard]] Result<void> OnFlapping(const monitor::Monitor& m, const monitor::FlapChange& flap,
                                          monitor::State hard);
    /// Acts on a signal of any source; the id of the alert it opened or touched (nullopt: none).
    [[nodiscard]] Result<std::optional<std::int64_t>> Raise(const Signal& s);
    /// Tells the channels with an escalation delay of the open, unsuppressed alerts unacknowledged
    /// for that long (acknowledgements that lapsed count as none); returns how many were told.
    [[nodiscard]] Result<int> Escalate();
    /// The engine watched from outside (MON-8): checks that started more than `limit_ms` late
    /// since the last call, or an engine loop that has not turned for that long, raise the
    /// engine's own alert (and so an incident and mail); it ends once the engine is on time.
    /// Called periodically from one thread.
    [[nodiscard]] Result<void> WatchEngine(Millis max_lateness_ms, Millis loop_age_ms, Millis limit_ms);

    /// Newest first; `before_id` continues a page (the API's cursor).
    [[nodiscard]] Result<std::vector<Alert>> List(std::optional<std::string> status, int limit,
                                                  std::optional<std::int64_t> before_id = std::nullopt);
    [[nodiscard]] Result<Alert> Get(std::int64_t id);
    /// 409 when it is acknowledged already (and the acknowledgement has not lapsed); `expires_at`
    /// must be in the future (422 naming it).
    [[nodiscard]] Result<Alert> Acknowledge(std::int64_t id, const std::string& comment,
                                            std::optional<Millis> expires_at, const audit::Actor& actor);

    /// Message of an SLA warning or breach, for the outbox (SLA events from the records engine).
    [[nodiscard]] notify::Message SlaMessage(const records::Record& r, const sla::ClockStatus& clock,
                                             const std::string& event) const;
    /// Inside `c`: a personal mail to the assignee of `r` telling them it is theirs now (INQ-2);
    /// nothing when the assignee has no e-mail address or is disabled.
    [[nodiscard]] Result<void> TellAssignee(storage::Connection& c, const records::Record& r, Millis at) const;
    /// Mails the people of the organisations a record was routed to (ORG-3): the main one that it
    /// is theirs, the supporting ones that they are to help. Inside the record's transaction.
    [[nodiscard]] Result<void> TellRouted(storage::Connection& c, const records::Record& r, const json::object& routing,
                                          Millis at) const;
    /// An incident about configuration item `ci_id`: the integration partners connected to it or
    /// to anything its failure affects are mailed (their contacts with an address) and the
    /// incident's timeline says whom (`partners`), once per partner and incident (INC-11).
    /// Nothing for other kinds or when no partner is affected. Inside the record's transaction.
    [[nodiscard]] Result<void> TellPartners(storage::Connection& c, const records::Record& r, std::int64_t ci_id,
                                            Millis at) const;

    /// The escalation route (体制図, INC-9) at work: every incident not yet recovered whose route's
    /// next level is due (its `after_min` since the failure was recognised) has that level told —
    /// its people mailed, the incident's timeline saying whom (`escalation`). Returns how many
    /// levels it told.
    [[nodiscard]] Result<int> EscalateIncidents();
    /// Tells the next level of incident `record_id`'s route now (the operator escalates by hand);
    /// 409 when it is recovered or closed, has no route, or every level was told.
    [[nodiscard]] Result<json::object> EscalateIncident(std::int64_t record_id, const std::string& comment,
                                                        const audit::Actor& actor);
    /// The incident's route and each level: when due, when told and why.
    [[nodiscard]] Result<json::object> EscalationOf(std::int64_t record_id);

private:
    using InTransaction = std::function<Result<void>(storage::Connection&)>;
    /// Raise with `extra` run first in the same transaction; `quiet` ends an open alert without a
    /// recovery message (a monitor become unreachable: its parent's alert tells the story).
    Result<std::optional<std::int64_t>> Process(const Signal& s, const InTransaction& extra, bool quiet);
    Result<void> OpenIncident(const Signal& s, std::int64_t alert_id);
    [[nodiscard]] notify::Message OpenMessage(const Signal& s, std::int64_t alert_id, std::int64_t incident_id,
                                              const std::string& incident_key) const;
    /// The notice to the users of a service that is down (`down`) or back (INC-10).
    [[nodiscard]] Result<notify::Message> OutageMessage(storage::Connection& c, const Alert& a, bool down) const;
    /// A channel for users, not operators: outages but not alerts among its topics.
    [[nodiscard]] static bool IsUsersChannel(const json::object& config);

    storage::Database& db_;
    const Clock& clock_;
    records::RecordService& records_;
    opscal::PlannedStops& stops_;
    notify::Outbox& outbox_;
    std::string console_url_;
    bool engine_late_ = false;  // WatchEngine's last verdict
};

}  // namespace unyo::alerts
