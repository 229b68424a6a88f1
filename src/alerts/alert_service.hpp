#pragma once
// Alerts (INC-1, MON-7, PLN-2): a monitor's hard failure opens an alert; the first alert of a
// monitor opens an incident (source monitoring, recognised at the first failing check) unless one
// is open for it already, and tells people through the outbox in the same transaction; repeats
// are counted on the alert and the incident; the recovery is written to the incident's timeline
// and told too. During a planned stop covering the monitor the alert is kept, marked suppressed,
// and opens nothing and tells no one. Thread-safe; blocks on the database.

#include <cstdint>
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
};

[[nodiscard]] json::object ToJson(const Alert& a);

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

    [[nodiscard]] Result<void> OnMonitorChange(const monitor::Monitor& m, const monitor::HardChange& change);

    [[nodiscard]] Result<std::vector<Alert>> List(std::optional<std::string> status, int limit);
    [[nodiscard]] Result<Alert> Get(std::int64_t id);
    /// 409 when it is acknowledged already.
    [[nodiscard]] Result<Alert> Acknowledge(std::int64_t id, const std::string& comment, const audit::Actor& actor);

    /// Message of an SLA warning or breach, for the outbox (SLA events from the records engine).
    [[nodiscard]] notify::Message SlaMessage(const records::Record& r, const sla::ClockStatus& clock,
                                             const std::string& event) const;
    /// Inside `c`: a personal mail to the assignee of `r` telling them it is theirs now (INQ-2);
    /// nothing when the assignee has no e-mail address or is disabled.
    [[nodiscard]] Result<void> TellAssignee(storage::Connection& c, const records::Record& r, Millis at) const;

private:
    Result<void> OpenIncident(const monitor::Monitor& m, const monitor::HardChange& change, std::int64_t alert_id);

    storage::Database& db_;
    const Clock& clock_;
    records::RecordService& records_;
    opscal::PlannedStops& stops_;
    notify::Outbox& outbox_;
    std::string console_url_;
};

}  // namespace unyo::alerts
