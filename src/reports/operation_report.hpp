#pragma once
// The operation reports (運用報告書, RPT-1..4, SLM-1/2, ISS-1, JOB-4; docs/reports.md): the
// monthly report for the regular meeting (定例会), the yearly analysis per fiscal year (年度)
// and the daily operation report (稼働報告書), each read from what unyo recorded — records and
// their SLA clocks, monitors' state history, planned stops, jobnet runs, backups and restore
// drills, advisories, the operation calendar. A closed period is snapshotted when first
// generated; later generations give the snapshot and say whether the data changed since.
// Blocking; call from the blocking pool or the CLI.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "backup/self_backup.hpp"
#include "calendar/civil_date.hpp"
#include "core/clock.hpp"
#include "jobs/jobnet_store.hpp"
#include "monitor/availability.hpp"
#include "monitor/monitor_store.hpp"
#include "opscal/events.hpp"
#include "opscal/planned_stops.hpp"
#include "records/record_service.hpp"
#include "reports/report_model.hpp"
#include "storage/sql/database.hpp"

namespace unyo::reports {

/// What the reports read besides the data itself (GET/PUT /api/v1/reports/settings).
struct ReportSettings {
    double default_availability_target = 0.999;
    std::map<std::string, double> availability_targets;  // service → ratio (0.9995)
    std::vector<std::int64_t> virus_jobnet_ids;          // jobnets that update virus definitions
    std::vector<std::string> mail_to;                    // who receives the monthly report
    std::map<std::string, std::string> improvement_plans;  // fiscal year "2026" → 改善計画
    Millis updated_at = 0;
    std::int64_t version = 0;  // 0: never saved (the defaults)

    [[nodiscard]] double TargetOf(const std::string& service) const;
};

[[nodiscard]] json::object ToJson(const ReportSettings& s);

/// A service's (or a lone monitor's) availability over a period, planned stops left out (SLM-1).
struct ServiceAvailability {
    std::string name;
    bool service = true;  // false: a monitor without a service, reported by its own name
    std::vector<std::int64_t> monitor_ids;
    monitor::Availability availability;
};

/// A monitor's hard-state history over [from, to) and the planned stops that cover it: what its
/// availability, alone or as part of a service, is computed from.
struct WatchedMonitor {
    const monitor::Monitor* monitor = nullptr;
    Millis start = 0;                      // its creation, within [from, to]: nothing is known before
    monitor::MonitorTimeline timeline;     // changes; ignored: the planned stops covering it
    std::vector<std::int64_t> stop_ids;    // those stops
};

[[nodiscard]] Result<WatchedMonitor> Watch(monitor::MonitorStore& monitors, const monitor::Monitor& m,
                                           const std::vector<opscal::PlannedStop>& stops, Millis from, Millis to);
/// One monitor's availability up to `to`.
[[nodiscard]] monitor::Availability OfMonitor(const WatchedMonitor& w, Millis to, double target);
/// A service's (SLM-1): down while any of its monitors is, from the first monitor's creation.
[[nodiscard]] monitor::Availability OfService(const std::vector<WatchedMonitor>& watched, Millis from, Millis to,
                                              double target);

/// The availability of every service (monitors sharing `service`) and of each monitor without
/// one, over [from, to), at the settings' targets.
[[nodiscard]] Result<std::vector<ServiceAvailability>> AvailabilityOfServices(monitor::MonitorStore& monitors,
                                                                            opscal::PlannedStops& stops,
                                                                            const ReportSettings& settings, Millis from,
                                                                            Millis to);

struct ReportSources {
    storage::Database& db;
    records::RecordService& records;
    monitor::MonitorStore& monitors;
    opscal::PlannedStops& stops;
    opscal::OpsEvents& events;
    const Clock& clock;
};

/// A report as given: fresh, or a closed period's snapshot with what changed since.
struct Generated {
    Report report;
    bool from_snapshot = false;
    std::optional<Millis> snapshot_at;
    bool changed_since_snapshot = false;
    std::vector<std::string> changed_sections;  // ids of the sections whose numbers differ now
};

class OperationReports {
  public:
    explicit OperationReports(ReportSources sources) : s_(sources) {}

    [[nodiscard]] Result<ReportSettings> Settings();
    /// Reads the members of `body` over the stored settings; each bad member named. 412 when stale.
    [[nodiscard]] Result<ReportSettings> UpdateSettings(std::int64_t expected_version, const json::object& body,
                                                        const audit::Actor& actor);

    /// `period`: "YYYY-MM" for monthly, "YYYY" (the fiscal year) for yearly, "YYYY-MM-DD" for
    /// daily. A period not yet ended is generated fresh each time; a closed one is snapshotted the
    /// first time and given from the snapshot afterwards (`refresh` replaces the snapshot).
    [[nodiscard]] Result<Generated> Generate(const std::string& kind, const std::string& period, bool refresh,
                                             const audit::Actor& actor);

    /// Queues the report's summary (its figures, section by section, in Japanese) as one mail to the
    /// settings' `mail_to` over the first SMTP channel; once per report (kind and period). How many
    /// deliveries were queued (0: no recipients, no channel, or queued before).
    [[nodiscard]] Result<int> MailSummary(const Report& r, const audit::Actor& actor);

    /// Built fresh from the data, never snapshotted.
    [[nodiscard]] Result<Report> BuildMonthly(calendar::Date first_day);
    [[nodiscard]] Result<Report> BuildYearly(int fiscal_year);
    [[nodiscard]] Result<Report> BuildDaily(calendar::Date day);

  private:
    /// A month's report; `whole` false: only what the yearly analysis reads (availability without
    /// the year to date, planned stops, incidents, changes, batch, inquiries).
    [[nodiscard]] Result<Report> Month(calendar::Date first_day, const ReportSettings& settings, bool whole);

    ReportSources s_;
};

/// The report's figures as plain text, section by section (the mail's body).
[[nodiscard]] std::string SummaryText(const Report& r);

/// How a report is asked for as a file.
struct FileRequest {
    std::string format = "json";  // json | html | pdf | xlsx | csv
    Language language = Language::kJapanese;
    bool wareki = false;
    std::optional<std::string> table;  // csv: just this table (else a ZIP of every table)
    CsvEncoding encoding = CsvEncoding::kUtf8Bom;
};

struct RenderedFile {
    std::string body;
    std::string content_type;
    std::string file_name;  // "" for json and html shown in place
};

/// Error::Field("format") unless json, html, pdf, xlsx or csv.
[[nodiscard]] Result<void> CheckFormat(const std::string& format);

/// The report in the format asked for; Error::Field("format" / "table") when unknown.
[[nodiscard]] Result<RenderedFile> RenderFile(const Generated& g, const FileRequest& request);

/// The period a report of `kind` is about when none is named: the last month, this fiscal year,
/// yesterday (in Japan).
[[nodiscard]] std::string DefaultPeriod(const std::string& kind, Millis now);

/// The built-in jobnet that makes last month's report on the first business day at 09:00, saves it
/// in var/reports and mails its summary (docs/reports.md).
inline constexpr std::string_view kMonthlyReportJobnet = "月次運用報告書の作成と送付";

/// Creates the built-in jobnet once (disabled: an admin enables it after naming the recipients);
/// never again once it was made, even if deleted since. Whether it was made now.
[[nodiscard]] Result<bool> SeedMonthlyReportJobnet(storage::Database& db, jobs::JobnetStore& jobnets, const Clock& clock,
                                                   const audit::Actor& actor);

/// "2026-11" → the first day; Error::Field(`field`) when malformed.
[[nodiscard]] Result<calendar::Date> ParseMonth(const std::string& text, std::string_view field);

}  // namespace unyo::reports
