#include "reports/operation_report.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "backup/backup.hpp"
#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "reports/files.hpp"
#include "jobs/jobnet.hpp"
#include "jobs/runs.hpp"
#include "notify/outbox.hpp"
#include "records/workflow.hpp"

namespace unyo::reports {
namespace {

constexpr Millis kDayMs = 24 * kHourMs;

/// [from, to) of the report, and the start of its fiscal year (for the year-to-date figures).
struct Window {
    Millis from = 0, to = 0;
    Millis fy_from = 0;
    Millis cut = 0;  // min(to, now): what has happened so far
};

calendar::Date FirstOfMonth(int year, unsigned month) { return calendar::Date(year, month, 1); }

calendar::Date NextMonth(calendar::Date first) {
    return first.month() == 12 ? FirstOfMonth(first.year() + 1, 1) : FirstOfMonth(first.year(), first.month() + 1);
}

calendar::Date FiscalYearStart(calendar::Date d) { return FirstOfMonth(calendar::FiscalYear(d), 4); }

std::string PeriodJa(calendar::Date first, bool day) {
    std::string out = day ? fmt::format("{}年{}月{}日", first.year(), first.month(), first.day())
                          : fmt::format("{}年{}月", first.year(), first.month());
    if (auto w = calendar::ToWareki(first)) {
        // 令和8年11月1日 → 令和8年11月 for a month.
        std::string era = *w;
        if (!day) era = era.substr(0, era.rfind("月") + std::string("月").size());
        out += "（" + era + "）";
    }
    return out;
}

double Minutes(Millis ms) { return static_cast<double>(ms) / static_cast<double>(kMinuteMs); }
double Hours(Millis ms) { return static_cast<double>(ms) / static_cast<double>(kHourMs); }

Figure Count(std::string key, std::string ja, std::string en, std::int64_t n, std::string unit_ja = "件",
             std::string unit_en = "") {
    return {std::move(key), std::move(ja), std::move(en), Cell(n), std::move(unit_ja), std::move(unit_en)};
}

Figure Dec(std::string key, std::string ja, std::string en, std::optional<double> v, int places, std::string unit_ja,
           std::string unit_en) {
    return {std::move(key), std::move(ja), std::move(en), v ? Cell(Decimal{*v, places}) : Cell{}, std::move(unit_ja),
            std::move(unit_en)};
}

Cell OptInstant(const std::optional<Millis>& at) { return at ? Cell(Instant{*at}) : Cell{}; }
Cell OptDec(const std::optional<double>& v, int places) { return v ? Cell(Decimal{*v, places}) : Cell{}; }
Cell Text(std::string s) { return Cell(std::move(s)); }

std::optional<Millis> TimeField(const records::Record& r, std::string_view name) {
    const auto v = r.Field(name);
    if (!v.is_string()) return std::nullopt;
    return ParseRfc3339(v.as_string());
}

std::string TextField(const records::Record& r, std::string_view name) {
    const auto v = r.Field(name);
    return v.is_string() ? std::string(v.as_string()) : std::string{};
}

std::string Label(const std::map<std::string, std::string>& labels, const std::string& key) {
    const auto it = labels.find(key);
    return it == labels.end() ? key : it->second;
}

const std::map<std::string, std::string> kSeverityJa{
    {"critical", "重大"}, {"high", "高"}, {"medium", "中"}, {"low", "低"}, {"", "未設定"}};
const std::vector<std::string> kSeverities{"critical", "high", "medium", "low"};
const std::map<std::string, std::string> kSourceJa{{"user_report", "利用者からの連絡"},
                                                   {"monitoring", "監視"},
                                                   {"virus", "ウイルス検知"},
                                                   {"unauthorized_access", "不正アクセス"},
                                                   {"other", "その他"}};
const std::vector<std::string> kSources{"user_report", "monitoring", "virus", "unauthorized_access", "other"};
const std::map<std::string, std::string> kChannelJa{
    {"phone", "電話"}, {"mail", "メール"}, {"portal", "ポータル"}, {"counter", "窓口"}, {"other", "その他"}, {"", "未設定"}};

std::string StatusJa(const records::Record& r) {
    const auto* w = records::WorkflowByKind(r.kind);
    const auto* st = w ? w->State(r.status) : nullptr;
    return st ? st->label_ja : r.status;
}

/// Records of `kind` with their ids from `sql` ($1.. bound to `params`), loaded whole.
Result<std::vector<records::Record>> LoadRecords(ReportSources& s, const std::string& kind, const std::string& where,
                                                 const std::vector<storage::Value>& params) {
    const auto* w = records::WorkflowByKind(kind);
    if (w == nullptr) return Fail(Error::Internal("no workflow " + kind));
    std::vector<storage::Value> bound{kind};
    bound.insert(bound.end(), params.begin(), params.end());
    const auto ids = UNYO_TRY(s.db.Read([&](storage::Connection& c) -> Result<std::vector<std::int64_t>> {
        const auto rows = UNYO_TRY(c.Query("SELECT id FROM records WHERE kind = $1 AND (" + where + ") ORDER BY id", bound));
        std::vector<std::int64_t> out;
        for (const auto& row : rows.rows) out.push_back(row.Int(0));
        return out;
    }));
    const auto who = auth::SystemPrincipal("運用報告");
    std::vector<records::Record> out;
    for (const auto id : ids) out.push_back(UNYO_TRY(s.records.Get(*w, id, who)));
    return out;
}

/// An incident's instant of recognition (障害認知日時), else its receipt.
Millis RecognizedAt(const records::Record& r) { return TimeField(r, "recognized_at").value_or(r.created_at); }

// --- availability -------------------------------------------------------------------------------

Section AvailabilitySection(const std::vector<ServiceAvailability>& month, const std::vector<ServiceAvailability>& ytd,
                            const ReportSettings& settings, bool with_ytd) {
    Section sec{"availability", "稼働率（サービス別）", "Availability by service", {}, {}, {}, {}, {}, {}};
    if (month.empty()) {
        sec.missing_ja = "この期間に監視が登録されていなかったため、稼働率を算出できません。";
        sec.missing_en = "No monitor was registered in this period: availability cannot be computed.";
        return sec;
    }
    Table t{"availability",
            {{"サービス", "Service"},
             {"目標稼働率 (%)", "Target (%)"},
             {"稼働率 (%)", "Availability (%)"},
             {"停止時間 (分)", "Downtime (min)"},
             {"許容停止時間 (分)", "Downtime budget (min)"},
             {"残り許容時間 (分)", "Budget left (min)"},
             {"計画停止で除外 (分)", "Planned stops excluded (min)"},
             {"未計測 (分)", "Not measured (min)"},
             {"目標達成", "Target met"}},
            {},
            "サービス別稼働率",
            "Availability by service"};
    if (with_ytd) t.columns.push_back({"年度累計稼働率 (%)", "Fiscal year to date (%)"});
    Chart chart{"稼働率 (%)", "Availability (%)", "%", {}, settings.default_availability_target * 100, 99.0, 100.0};
    std::int64_t met = 0, measured = 0;
    for (const auto& a : month) {
        const auto& v = a.availability;
        std::vector<Cell> row{Text(a.service ? a.name : a.name + "（監視）"), Decimal{v.target * 100, 3},
                              OptDec(v.ratio ? std::optional<double>(*v.ratio * 100) : std::nullopt, 3),
                              Decimal{Minutes(v.down_ms), 1}, Decimal{Minutes(v.budget_ms), 1},
                              Decimal{Minutes(v.remaining_budget_ms), 1}, Decimal{Minutes(v.excluded_ms), 1},
                              Decimal{Minutes(v.unknown_ms), 1}};
        row.push_back(v.ratio ? Cell(*v.ratio >= v.target) : Cell{});
        if (with_ytd) {
            std::optional<double> y;
            for (const auto& other : ytd) {
                if (other.name == a.name && other.service == a.service && other.availability.ratio) {
                    y = *other.availability.ratio * 100;
                }
            }
            row.push_back(OptDec(y, 3));
        }
        t.rows.push_back(std::move(row));
        if (v.ratio) {
            ++measured;
            if (*v.ratio >= v.target) ++met;
            chart.bars.push_back({a.name, *v.ratio * 100});
            chart.min = std::min(*chart.min, std::floor(*v.ratio * 100) - 1);
        }
    }
    chart.min = std::max(0.0, *chart.min);
    sec.figures.push_back(Count("availability.services", "対象サービス数", "Services", static_cast<std::int64_t>(month.size()), "件"));
    sec.figures.push_back(Count("availability.measured", "計測できたサービス数", "Services measured", measured, "件"));
    sec.figures.push_back(Count("availability.met", "目標を達成したサービス数", "Services meeting the target", met, "件"));
    sec.charts.push_back(std::move(chart));
    sec.tables.push_back(std::move(t));
    return sec;
}

// --- planned stops -------------------------------------------------------------------------------

Table StopsTable(const std::vector<opscal::PlannedStop>& stops, int notice_days) {
    Table t{"planned-stops",
            {{"件名", "Title"},
             {"種類", "Kind"},
             {"開始", "Starts"},
             {"終了", "Ends"},
             {"停止時間 (分)", "Duration (min)"},
             {"告知 (承認) 日時", "Announced (approved) at"},
             {"告知から開始まで (日)", "Days of notice"},
             {fmt::format("{}日前までに告知", notice_days), fmt::format("Announced {} days ahead", notice_days)},
             {"短期告知の理由", "Reason for short notice"}},
            {},
            "計画停止一覧",
            "Planned stops"};
    for (const auto& st : stops) {
        std::optional<double> days;
        if (st.approved_at) days = static_cast<double>(st.starts_at - *st.approved_at) / static_cast<double>(kDayMs);
        t.rows.push_back({st.title, std::string(opscal::KindLabelJa(st.kind)), Instant{st.starts_at}, Instant{st.ends_at},
                          Decimal{Minutes(st.ends_at - st.starts_at), 0}, OptInstant(st.approved_at), OptDec(days, 1),
                          Cell(days && *days >= notice_days), Text(st.short_notice_reason.value_or(""))});
    }
    return t;
}

Result<Section> PlannedStopsSection(ReportSources& s, const Window& w) {
    Section sec{"planned_stops", "計画停止", "Planned stops", {}, {}, {}, {}, {}, {}};
    const auto stops = UNYO_TRY(s.stops.List(w.from, w.to));
    const int notice = s.stops.notice_days();
    std::int64_t late = 0, unapproved = 0;
    Millis total = 0;
    for (const auto& st : stops) {
        if (!st.approved_at) {
            ++unapproved;
        } else if (st.starts_at - *st.approved_at < notice * kDayMs) {
            ++late;
        }
        total += std::min(st.ends_at, w.to) - std::max(st.starts_at, w.from);
    }
    sec.figures.push_back(Count("planned_stops.total", "計画停止の件数", "Planned stops", static_cast<std::int64_t>(stops.size())));
    sec.figures.push_back(Dec("planned_stops.minutes", "計画停止時間の合計", "Total planned downtime", Minutes(total), 0, "分", "min"));
    sec.figures.push_back(Count("planned_stops.late_notice", fmt::format("{}日前までに告知されなかった件数", notice),
                                fmt::format("Not announced {} days ahead", notice), late));
    sec.figures.push_back(Count("planned_stops.unapproved", "未承認 (未告知) の件数", "Not approved (not announced)", unapproved));
    sec.tables.push_back(StopsTable(stops, notice));
    return sec;
}

// --- incidents -----------------------------------------------------------------------------------

struct ClockTally {
    std::string label;
    std::int64_t met = 0, breached = 0, running = 0;
};

std::string ClockWord(sla::ClockState st) {
    switch (st) {
        case sla::ClockState::kMet: return "達成";
        case sla::ClockState::kBreached: return "未達";
        case sla::ClockState::kPaused: return "停止中";
        case sla::ClockState::kRunning: return "計測中";
    }
    return "";
}

Result<Section> IncidentsSection(ReportSources& s, const Window& w, bool with_ytd) {
    Section sec{"incidents", "障害", "Incidents", {}, {}, {}, {}, {}, {}};
    // Recognised in the window; an incident may be entered after the fact, so look from well before.
    const auto candidates =
        UNYO_TRY(LoadRecords(s, "incident", "created_at >= $2", {storage::Value((with_ytd ? std::min(w.from, w.fy_from) : w.from) - 92 * kDayMs)}));
    std::vector<const records::Record*> month;
    std::int64_t ytd = 0;
    std::map<std::string, std::int64_t> ytd_by_severity;
    for (const auto& r : candidates) {
        const Millis at = RecognizedAt(r);
        if (at >= w.fy_from && at < w.to) {
            ++ytd;
            ++ytd_by_severity[r.severity];
        }
        if (at >= w.from && at < w.to) month.push_back(&r);
    }
    std::map<std::string, std::int64_t> by_severity, by_source;
    std::vector<ClockTally> clocks;
    std::vector<double> notify_min, recover_min;
    Table list{"incidents-list",
               {{"キー", "Key"},
                {"件名", "Title"},
                {"重大度", "Severity"},
                {"検知経路", "Source"},
                {"状態", "Status"},
                {"障害認知日時", "Recognized at"},
                {"発注者への通知日時", "Owner notified at"},
                {"復旧日時", "Recovered at"},
                {"通知までの時間 (分)", "Time to notify (min)"},
                {"復旧までの時間 (分)", "Time to recover (min)"},
                {"SLA", "SLA"},
                {"原因", "Cause"},
                {"本対応 (恒久対策)", "Permanent fix"}},
               {},
               "障害一覧",
               "Incident list"};
    for (const auto* r : month) {
        ++by_severity[r->severity];
        ++by_source[TextField(*r, "source")];
        const Millis recognized = RecognizedAt(*r);
        const auto notified = TimeField(*r, "owner_notified_at");
        const auto recovered = TimeField(*r, "recovered_at");
        std::optional<double> to_notify, to_recover;
        if (notified) notify_min.push_back(*(to_notify = Minutes(*notified - recognized)));
        if (recovered) recover_min.push_back(*(to_recover = Minutes(*recovered - recognized)));
        std::string sla_text;
        for (const auto& c : UNYO_TRY(s.records.Clocks(*r))) {
            auto it = std::find_if(clocks.begin(), clocks.end(), [&](const ClockTally& t) { return t.label == c.label_ja; });
            if (it == clocks.end()) it = clocks.insert(clocks.end(), ClockTally{c.label_ja});
            if (c.state == sla::ClockState::kMet) {
                ++it->met;
            } else if (c.state == sla::ClockState::kBreached) {
                ++it->breached;
            } else {
                ++it->running;
            }
            if (!sla_text.empty()) sla_text += " / ";
            sla_text += c.label_ja + ": " + ClockWord(c.state);
        }
        list.rows.push_back({r->key, r->title, Label(kSeverityJa, r->severity), Label(kSourceJa, TextField(*r, "source")),
                             StatusJa(*r), Instant{recognized}, OptInstant(notified), OptInstant(recovered),
                             OptDec(to_notify, 0), OptDec(to_recover, 0), sla_text, TextField(*r, "cause"),
                             TextField(*r, "permanent_fix")});
    }
    auto average = [](const std::vector<double>& v) -> std::optional<double> {
        if (v.empty()) return std::nullopt;
        double sum = 0;
        for (double x : v) sum += x;
        return sum / static_cast<double>(v.size());
    };
    auto maximum = [](const std::vector<double>& v) -> std::optional<double> {
        if (v.empty()) return std::nullopt;
        return *std::max_element(v.begin(), v.end());
    };
    std::int64_t breached = 0;
    for (const auto& c : clocks) breached += c.breached;
    sec.figures.push_back(Count("incidents.total", "障害件数", "Incidents", static_cast<std::int64_t>(month.size())));
    if (with_ytd) sec.figures.push_back(Count("incidents.fiscal_year_to_date", "年度累計の障害件数", "Incidents, fiscal year to date", ytd));
    sec.figures.push_back(Count("incidents.sla_breached", "SLA 未達の件数 (目標ごと)", "SLA targets breached", breached));
    sec.figures.push_back(Dec("incidents.notify_avg_min", "通知までの平均時間", "Average time to notify", average(notify_min), 0, "分", "min"));
    sec.figures.push_back(Dec("incidents.notify_max_min", "通知までの最長時間", "Longest time to notify", maximum(notify_min), 0, "分", "min"));
    sec.figures.push_back(Dec("incidents.recover_avg_min", "復旧までの平均時間", "Average time to recover", average(recover_min), 0, "分", "min"));
    sec.figures.push_back(Dec("incidents.recover_max_min", "復旧までの最長時間", "Longest time to recover", maximum(recover_min), 0, "分", "min"));

    Table sev{"incidents-by-severity", {{"重大度", "Severity"}, {"件数", "Count"}}, {}, "重大度別", "By severity"};
    if (with_ytd) sev.columns.push_back({"年度累計", "Fiscal year to date"});
    Chart chart{"重大度別の障害件数", "Incidents by severity", "件", {}, std::nullopt, std::nullopt, std::nullopt};
    for (const auto& key : kSeverities) {
        std::vector<Cell> row{Label(kSeverityJa, key), by_severity[key]};
        if (with_ytd) row.push_back(ytd_by_severity[key]);
        sev.rows.push_back(std::move(row));
        chart.bars.push_back({Label(kSeverityJa, key), static_cast<double>(by_severity[key])});
    }
    Table src{"incidents-by-source", {{"検知経路", "Source"}, {"件数", "Count"}}, {}, "検知経路別", "By source"};
    for (const auto& key : kSources) src.rows.push_back({Label(kSourceJa, key), by_source[key]});
    Table sla_table{"incidents-sla",
                    {{"SLA 目標", "SLA target"}, {"達成", "Met"}, {"未達", "Breached"}, {"計測中", "Running"}},
                    {},
                    "SLA 目標ごとの達成状況",
                    "SLA targets met and breached"};
    for (const auto& c : clocks) sla_table.rows.push_back({c.label, c.met, c.breached, c.running});
    sec.charts.push_back(std::move(chart));
    sec.tables.push_back(std::move(sev));
    sec.tables.push_back(std::move(src));
    sec.tables.push_back(std::move(sla_table));
    sec.tables.push_back(std::move(list));
    return sec;
}

// --- problems, changes and releases ---------------------------------------------------------------

Result<Section> ProblemsSection(ReportSources& s, const Window& w) {
    Section sec{"problems", "問題管理と再発防止", "Problems and recurrence prevention", {}, {}, {}, {}, {}, {}};
    const auto items = UNYO_TRY(LoadRecords(s, "problem",
                                            "(created_at >= $2 AND created_at < $3) OR (closed_at >= $2 AND closed_at < $3) OR "
                                            "(created_at < $3 AND (closed_at IS NULL OR closed_at >= $3))",
                                            {storage::Value(w.from), storage::Value(w.to)}));
    std::int64_t opened = 0, closed = 0, open_at_end = 0;
    Table t{"problems",
            {{"キー", "Key"},
             {"件名", "Title"},
             {"状態", "Status"},
             {"根本原因", "Root cause"},
             {"対策", "Countermeasure"},
             {"再発防止策", "Recurrence prevention"},
             {"起票日時", "Opened"},
             {"完了日時", "Closed"}},
            {},
            "問題一覧",
            "Problems"};
    for (const auto& r : items) {
        if (r.created_at >= w.from && r.created_at < w.to) ++opened;
        if (r.closed_at && *r.closed_at >= w.from && *r.closed_at < w.to) ++closed;
        if (!r.closed_at || *r.closed_at >= w.to) ++open_at_end;
        t.rows.push_back({r.key, r.title, StatusJa(r), TextField(r, "root_cause"), TextField(r, "countermeasure"),
                          TextField(r, "recurrence_prevention"), Instant{r.created_at}, OptInstant(r.closed_at)});
    }
    sec.figures.push_back(Count("problems.opened", "起票", "Opened", opened));
    sec.figures.push_back(Count("problems.closed", "完了", "Closed", closed));
    sec.figures.push_back(Count("problems.open_at_end", "期末時点で未完了", "Open at the end", open_at_end));
    sec.tables.push_back(std::move(t));
    return sec;
}

Result<Section> ChangesSection(ReportSources& s, const Window& w) {
    Section sec{"changes", "変更とリリース", "Changes and releases", {}, {}, {}, {}, {}, {}};
    const std::string where = "(created_at >= $2 AND created_at < $3) OR (closed_at >= $2 AND closed_at < $3)";
    const std::vector<storage::Value> params{storage::Value(w.from), storage::Value(w.to)};
    const auto changes = UNYO_TRY(LoadRecords(s, "change", where, params));
    const auto releases = UNYO_TRY(LoadRecords(s, "release", where, params));
    Table t{"changes",
            {{"キー", "Key"},
             {"種別", "Kind"},
             {"件名", "Title"},
             {"状態", "Status"},
             {"実施予定 / 版", "Planned at / version"},
             {"申請日時", "Requested"},
             {"完了日時", "Closed"},
             {"結果", "Result"}},
            {},
            "変更・リリース一覧",
            "Changes and releases"};
    std::int64_t done = 0;
    for (const auto* list : {&changes, &releases}) {
        for (const auto& r : *list) {
            const bool change = r.kind == "change";
            if (r.closed_at && *r.closed_at < w.to && r.status == "closed") ++done;
            Cell planned = change ? OptInstant(TimeField(r, "planned_at")) : Text(TextField(r, "release_version"));
            t.rows.push_back({r.key, Text(change ? "変更" : "リリース"), r.title, StatusJa(r), planned, Instant{r.created_at},
                              OptInstant(r.closed_at), TextField(r, change ? "result" : "judgement_note")});
        }
    }
    sec.figures.push_back(Count("changes.changes", "変更", "Changes", static_cast<std::int64_t>(changes.size())));
    sec.figures.push_back(Count("changes.releases", "リリース", "Releases", static_cast<std::int64_t>(releases.size())));
    sec.figures.push_back(Count("changes.closed", "完了", "Closed", done));
    sec.tables.push_back(std::move(t));
    return sec;
}

// --- batch and backups ---------------------------------------------------------------------------

struct RunRow {
    std::int64_t id = 0, jobnet_id = 0;
    std::string jobnet, status, business_day, trigger;
    Millis planned_at = 0;
    std::optional<Millis> started_at, ended_at, end_deadline_at;
    bool start_late = false, end_late = false;
    std::int64_t reruns = 0;
    std::vector<std::string> broken;
    jobs::Jobnet def;
    std::map<std::string, std::string> job_status;
};

Result<std::vector<RunRow>> LoadRuns(ReportSources& s, const Window& w) {
    return s.db.Read([&](storage::Connection& c) -> Result<std::vector<RunRow>> {
        const auto rows = UNYO_TRY(c.Query(
            "SELECT id, jobnet_id, jobnet_name, status, business_day, trigger_kind, planned_at, started_at, ended_at, "
            "end_deadline_at, start_late, end_late, definition_json FROM jobnet_runs WHERE planned_at >= $1 AND planned_at < $2 "
            "ORDER BY planned_at, id",
            {w.from, w.to}));
        std::vector<RunRow> out;
        for (const auto& row : rows.rows) {
            RunRow r{row.Int(0),         row.Int(1),         row.Text(2),     row.Text(3),    row.Text(4),
                     row.Text(5),        row.Int(6),         row.OptInt(7),   row.OptInt(8),  row.OptInt(9),
                     row.Bool(10),       row.Bool(11),       0,               {},             {},
                     {}};
            if (auto def = jobs::JobnetFromJson(ParseObjectOrEmpty(row.Text(12)), jobs::Jobnet{}, true, true)) r.def = std::move(*def);
            r.reruns = UNYO_TRY(jobs::runs::Reruns(c, r.id));
            r.broken = UNYO_TRY(jobs::runs::BrokenJobs(c, r.id));
            const auto jobs = UNYO_TRY(c.Query("SELECT job_key, status FROM job_runs WHERE run_id = $1", {r.id}));
            for (const auto& j : jobs.rows) r.job_status[j.Text(0)] = j.Text(1);
            out.push_back(std::move(r));
        }
        return out;
    });
}

bool Failed(const std::string& status) { return status == "failed" || status == "killed"; }

Section BatchSection(const std::vector<RunRow>& runs) {
    Section sec{"batch", "バッチ処理（ジョブネット）", "Batch jobs (jobnets)", {}, {}, {}, {}, {}, {}};
    struct Tally {
        std::int64_t runs = 0, ok = 0, failed = 0, missed = 0, reruns = 0, end_late = 0, start_late = 0;
    };
    std::map<std::string, Tally> per;
    Tally all;
    Table problems{"batch-exceptions",
                   {{"実行 ID", "Run"},
                    {"ジョブネット", "Jobnet"},
                    {"業務日", "Business day"},
                    {"状態", "Status"},
                    {"開始", "Started"},
                    {"終了", "Ended"},
                    {"終了期限", "End deadline"},
                    {"終了遅延", "Ended late"},
                    {"異常終了したジョブ", "Failed jobs"},
                    {"再実行の回数", "Reruns"}},
                   {},
                   "異常・再実行・遅延のあった実行",
                   "Runs with failures, reruns or delays"};
    for (const auto& r : runs) {
        for (auto* t : {&per[r.jobnet], &all}) {
            ++t->runs;
            if (r.status == "succeeded") ++t->ok;
            if (Failed(r.status)) ++t->failed;
            if (r.status == "missed") ++t->missed;
            t->reruns += r.reruns;
            if (r.end_late) ++t->end_late;
            if (r.start_late) ++t->start_late;
        }
        if (Failed(r.status) || r.status == "missed" || r.reruns > 0 || r.end_late || r.start_late || !r.broken.empty()) {
            std::string broken;
            for (const auto& b : r.broken) broken += (broken.empty() ? "" : ", ") + b;
            problems.rows.push_back({r.id, r.jobnet, Day{r.business_day}, r.status, OptInstant(r.started_at),
                                     OptInstant(r.ended_at), OptInstant(r.end_deadline_at), Cell(r.end_late), broken, r.reruns});
        }
    }
    sec.figures.push_back(Count("batch.runs", "実行回数", "Runs", all.runs, "回"));
    sec.figures.push_back(Count("batch.succeeded", "正常終了", "Succeeded", all.ok, "回"));
    sec.figures.push_back(Count("batch.failed", "異常終了", "Failed", all.failed, "回"));
    sec.figures.push_back(Count("batch.missed", "未実行 (停止中の予定)", "Missed", all.missed, "回"));
    sec.figures.push_back(Count("batch.reruns", "再実行", "Reruns", all.reruns, "回"));
    sec.figures.push_back(Count("batch.end_late", "終了期限の超過", "Ended after the deadline", all.end_late, "回"));
    sec.figures.push_back(Count("batch.start_late", "開始期限の超過", "Started after the deadline", all.start_late, "回"));
    Table t{"batch-by-jobnet",
            {{"ジョブネット", "Jobnet"},
             {"実行", "Runs"},
             {"正常終了", "Succeeded"},
             {"異常終了", "Failed"},
             {"再実行", "Reruns"},
             {"終了期限の超過", "Ended late"}},
            {},
            "ジョブネット別",
            "By jobnet"};
    for (const auto& [name, x] : per) t.rows.push_back({name, x.runs, x.ok, x.failed, x.reruns, x.end_late});
    sec.tables.push_back(std::move(t));
    sec.tables.push_back(std::move(problems));
    if (runs.empty()) {
        sec.missing_ja = "この期間にジョブネットの実行がありません。";
        sec.missing_en = "No jobnet ran in this period.";
    }
    return sec;
}

Result<Section> BackupsSection(ReportSources& s, const Window& w, const std::vector<RunRow>& runs) {
    Section sec{"backups", "バックアップとリストア訓練", "Backups and restore drills", {}, {}, {}, {}, {}, {}};
    struct Tally {
        std::int64_t runs = 0, ok = 0, failed = 0;
        std::optional<Millis> last_ok;
        int generations = 0;
        std::optional<std::int64_t> kept;
    };
    std::map<std::string, Tally> per;
    for (const auto& r : runs) {
        for (const auto& job : r.def.jobs) {
            if (job.type != "backup") continue;
            const auto self = job.spec.if_contains("self");
            std::string name = self && self->is_bool() && self->as_bool() ? "unyo（自身のデータ）" : StringOf(job.spec, "name", job.key);
            auto& t = per[name];
            if (auto opts = backup::CreateOptionsFromJson(job.spec)) {
                t.generations = opts->generations;
                if (auto gens = backup::List(opts->destination, opts->name)) t.kept = static_cast<std::int64_t>(gens->size());
            }
            const auto it = r.job_status.find(job.key);
            const std::string status = it == r.job_status.end() ? "" : it->second;
            ++t.runs;
            if (status == "succeeded") {
                ++t.ok;
                t.last_ok = std::max(t.last_ok.value_or(0), r.ended_at.value_or(r.planned_at));
            } else if (status == "failed" || status == "killed" || status == "lost") {
                ++t.failed;
            }
        }
    }
    Table t{"backups",
            {{"バックアップ", "Backup"},
             {"実行", "Runs"},
             {"成功", "Succeeded"},
             {"失敗", "Failed"},
             {"最終成功", "Last success"},
             {"保持世代数 (設定)", "Generations (set)"},
             {"保持世代数 (現在)", "Generations kept now"}},
            {},
            "バックアップの実行結果",
            "Backup runs"};
    std::int64_t total = 0, failed = 0;
    for (const auto& [name, x] : per) {
        total += x.runs;
        failed += x.failed;
        t.rows.push_back({name, x.runs, x.ok, x.failed, OptInstant(x.last_ok),
                          x.generations > 0 ? Cell(std::int64_t{x.generations}) : Cell{}, x.kept ? Cell(*x.kept) : Cell{}});
    }
    Table drills{"restore-drills",
                 {{"実施日時", "Drilled at"},
                  {"バックアップ", "Backup"},
                  {"結果", "Result"},
                  {"復旧時間 RTO (分)", "RTO (min)"},
                  {"データの古さ RPO (時間)", "RPO (hours)"},
                  {"ファイル数", "Files"},
                  {"実施者", "By"}},
                 {},
                 "リストア訓練",
                 "Restore drills"};
    std::optional<Millis> last_at;
    std::optional<double> last_rto, last_rpo;
    std::optional<bool> last_ok;
    UNYO_TRY_VOID(s.db.Read([&](storage::Connection& c) -> Result<void> {
        const auto rows = UNYO_TRY(c.Query(
            "SELECT started_at, backup_name, ok, duration_ms, data_age_ms, files, actor FROM backup_drills "
            "WHERE started_at < $1 ORDER BY started_at, id",
            {w.to}));
        for (const auto& row : rows.rows) {
            last_at = row.Int(0);
            last_ok = row.Bool(2);
            last_rto = Minutes(row.Int(3));
            last_rpo = Hours(row.Int(4));
            if (row.Int(0) < w.from) continue;
            drills.rows.push_back({Instant{row.Int(0)}, row.Text(1), Text(row.Bool(2) ? "成功" : "失敗"),
                                   Decimal{Minutes(row.Int(3)), 1}, Decimal{Hours(row.Int(4)), 1}, row.Int(5), row.Text(6)});
        }
        return {};
    }));
    sec.figures.push_back(Count("backups.runs", "バックアップの実行", "Backup runs", total, "回"));
    sec.figures.push_back(Count("backups.failed", "バックアップの失敗", "Backups failed", failed, "回"));
    sec.figures.push_back(Count("backups.drills", "期間中のリストア訓練", "Restore drills in the period",
                                static_cast<std::int64_t>(drills.rows.size()), "回"));
    sec.figures.push_back({"backups.last_drill_at", "直近のリストア訓練", "Last restore drill", OptInstant(last_at), "", ""});
    sec.figures.push_back({"backups.last_drill_ok", "直近の訓練の結果 (成功)", "Last drill succeeded",
                           last_ok ? Cell(*last_ok) : Cell{}, "", ""});
    sec.figures.push_back(Dec("backups.last_rto_min", "直近の訓練の復旧時間 (RTO)", "Last drill's RTO", last_rto, 1, "分", "min"));
    sec.figures.push_back(Dec("backups.last_rpo_hours", "直近の訓練のデータの古さ (RPO)", "Last drill's RPO", last_rpo, 1, "時間", "h"));
    sec.tables.push_back(std::move(t));
    sec.tables.push_back(std::move(drills));
    if (per.empty() && !last_at) {
        sec.missing_ja = "バックアップのジョブもリストア訓練の記録もありません。";
        sec.missing_en = "There are no backup jobs and no restore drills on record.";
    }
    return sec;
}

// --- security ------------------------------------------------------------------------------------

/// "期限 2027-01-31 (残り 59.0 日)" in a tls_cert monitor's message → 2027-01-31.
std::optional<std::string> CertExpiry(const std::string& message) {
    const std::string mark = "期限 ";
    const auto at = message.find(mark);
    if (at == std::string::npos || message.size() < at + mark.size() + 10) return std::nullopt;
    const std::string day = message.substr(at + mark.size(), 10);
    return calendar::Date::Parse(day) ? std::optional<std::string>(day) : std::nullopt;
}

Result<Section> SecuritySection(ReportSources& s, const Window& w, const ReportSettings& settings,
                                const std::vector<RunRow>& runs) {
    Section sec{"security", "セキュリティ", "Security", {}, {}, {}, {}, {}, {}};
    Table patches{"security-patches",
                  {{"手順", "Procedure"}, {"完了日時", "Completed"}, {"勧告", "Advisory"}, {"重大度", "Severity"}},
                  {},
                  "適用したセキュリティパッチ (完了した手順)",
                  "Security patches applied (procedures completed)"};
    Table open{"security-advisories-open",
               {{"識別子", "Reference"}, {"件名", "Title"}, {"重大度", "Severity"}, {"状態", "Status"}, {"登録日時", "Recorded"}},
               {},
               "未対応のセキュリティ勧告",
               "Advisories still open"};
    std::int64_t received = 0;
    UNYO_TRY_VOID(s.db.Read([&](storage::Connection& c) -> Result<void> {
        const auto done = UNYO_TRY(c.Query(
            "SELECT p.name, p.ended_at, a.ref, a.severity FROM advisories a JOIN procedure_runs p ON p.id = a.procedure_run_id "
            "WHERE p.status = 'completed' AND p.ended_at >= $1 AND p.ended_at < $2 ORDER BY p.ended_at, a.id",
            {w.from, w.to}));
        for (const auto& row : done.rows) patches.rows.push_back({row.Text(0), Instant{row.Int(1)}, row.Text(2), row.Text(3)});
        const auto rows = UNYO_TRY(c.Query(
            "SELECT ref, title, severity, status, created_at FROM advisories WHERE status IN ('open', 'patching') AND created_at < $1 "
            "ORDER BY created_at, id",
            {w.to}));
        const std::map<std::string, std::string> status_ja{{"open", "未対応"}, {"patching", "対応中"}};
        for (const auto& row : rows.rows) {
            open.rows.push_back({row.Text(0), row.Text(1), row.Text(2), Label(status_ja, row.Text(3)), Instant{row.Int(4)}});
        }
        const auto count = UNYO_TRY(c.Query("SELECT COUNT(*) FROM advisories WHERE created_at >= $1 AND created_at < $2", {w.from, w.to}));
        received = count.front().Int(0);
        return {};
    }));
    // Virus definition updates: the runs of the jobnets the settings name.
    std::int64_t virus_runs = 0, virus_ok = 0;
    std::optional<Millis> virus_last;
    for (const auto& r : runs) {
        if (std::find(settings.virus_jobnet_ids.begin(), settings.virus_jobnet_ids.end(), r.jobnet_id) ==
            settings.virus_jobnet_ids.end()) {
            continue;
        }
        ++virus_runs;
        if (r.status == "succeeded") {
            ++virus_ok;
            virus_last = std::max(virus_last.value_or(0), r.ended_at.value_or(r.planned_at));
        }
    }
    // TLS certificates: each tls_cert monitor's last known expiry.
    Table certs{"tls-certificates",
                {{"監視", "Monitor"}, {"有効期限", "Expires"}, {"残り日数 (期末時点)", "Days left (at period end)"}, {"30日以内", "Within 30 days"}},
                {},
                "TLS 証明書の有効期限",
                "TLS certificate expiry"};
    std::int64_t expiring = 0;
    const auto monitors = UNYO_TRY(s.monitors.List());
    const auto states = UNYO_TRY(s.monitors.States());
    const auto end_day = calendar::Date::FromInstant(w.to - 1);
    for (const auto& m : monitors) {
        if (m.type != "tls_cert") continue;
        std::optional<std::string> expiry;
        for (const auto& st : states) {
            if (st.monitor_id == m.id) expiry = CertExpiry(st.message);
        }
        std::optional<std::int64_t> left;
        if (expiry) left = end_day.DaysUntil(*calendar::Date::Parse(*expiry));
        const bool soon = left && *left <= 30;
        if (soon) ++expiring;
        certs.rows.push_back({m.name, expiry ? Cell(Day{*expiry}) : Cell{}, left ? Cell(*left) : Cell{}, left ? Cell(soon) : Cell{}});
    }
    sec.figures.push_back(Count("security.patches_applied", "適用したセキュリティパッチ", "Security patches applied",
                                static_cast<std::int64_t>(patches.rows.size())));
    sec.figures.push_back(Count("security.advisories_received", "期間中に登録した勧告", "Advisories recorded in the period", received));
    sec.figures.push_back(Count("security.advisories_open", "未対応の勧告", "Advisories open", static_cast<std::int64_t>(open.rows.size())));
    if (settings.virus_jobnet_ids.empty()) {
        sec.figures.push_back({"security.virus_updates", "ウイルス定義の更新", "Virus definition updates",
                               Text("未設定 (報告書の設定で更新ジョブネットを指定)"), "", ""});
    } else {
        sec.figures.push_back(Count("security.virus_updates", "ウイルス定義の更新 (実行)", "Virus definition updates (runs)", virus_runs, "回"));
        sec.figures.push_back(Count("security.virus_updates_ok", "ウイルス定義の更新 (成功)", "Virus definition updates (succeeded)", virus_ok, "回"));
        sec.figures.push_back({"security.virus_last", "最後に成功した更新", "Last successful update", OptInstant(virus_last), "", ""});
    }
    sec.figures.push_back(Count("security.certificates_expiring", "30日以内に期限を迎える証明書", "Certificates expiring within 30 days", expiring));
    sec.tables.push_back(std::move(patches));
    sec.tables.push_back(std::move(open));
    sec.tables.push_back(std::move(certs));
    return sec;
}

// --- inquiries and issues ------------------------------------------------------------------------

Result<Section> InquiriesSection(ReportSources& s, const Window& w) {
    Section sec{"inquiries", "問い合わせ", "Inquiries", {}, {}, {}, {}, {}, {}};
    const auto items = UNYO_TRY(LoadRecords(s, "inquiry", "created_at >= $2 AND created_at < $3",
                                            {storage::Value(w.from), storage::Value(w.to)}));
    std::map<std::string, std::int64_t> by_channel;
    std::vector<double> lead;
    std::int64_t answered = 0, met = 0, breached = 0;
    Table list{"inquiries-list",
               {{"キー", "Key"},
                {"件名", "Title"},
                {"受付方法", "Channel"},
                {"状態", "Status"},
                {"受付日時", "Received"},
                {"一次回答日時", "First answer"},
                {"一次回答までの時間 (時間)", "Lead time (hours)"},
                {"SLA (一次回答)", "SLA (first answer)"}},
               {},
               "問い合わせ一覧",
               "Inquiries"};
    for (const auto& r : items) {
        ++by_channel[TextField(r, "channel")];
        const auto first = TimeField(r, "first_answered_at");
        std::optional<double> hours;
        if (first) {
            ++answered;
            lead.push_back(*(hours = Hours(*first - r.created_at)));
        }
        std::string sla_text;
        for (const auto& c : UNYO_TRY(s.records.Clocks(r))) {
            if (c.state == sla::ClockState::kMet) ++met;
            if (c.state == sla::ClockState::kBreached) ++breached;
            sla_text = ClockWord(c.state);
        }
        list.rows.push_back({r.key, r.title, Label(kChannelJa, TextField(r, "channel")), StatusJa(r), Instant{r.created_at},
                             OptInstant(first), OptDec(hours, 1), sla_text});
    }
    std::optional<double> avg;
    if (!lead.empty()) {
        double sum = 0;
        for (double x : lead) sum += x;
        avg = sum / static_cast<double>(lead.size());
    }
    sec.figures.push_back(Count("inquiries.total", "受付件数", "Received", static_cast<std::int64_t>(items.size())));
    sec.figures.push_back(Count("inquiries.answered", "一次回答済み", "Answered", answered));
    sec.figures.push_back(Dec("inquiries.lead_avg_hours", "一次回答までの平均時間", "Average time to first answer", avg, 1, "時間", "h"));
    sec.figures.push_back(Count("inquiries.sla_met", "一次回答の SLA 達成", "First answer SLA met", met));
    sec.figures.push_back(Count("inquiries.sla_breached", "一次回答の SLA 未達", "First answer SLA breached", breached));
    Table ch{"inquiries-by-channel", {{"受付方法", "Channel"}, {"件数", "Count"}}, {}, "受付方法別", "By channel"};
    for (const auto& [k, n] : by_channel) ch.rows.push_back({Label(kChannelJa, k), n});
    sec.tables.push_back(std::move(ch));
    sec.tables.push_back(std::move(list));
    return sec;
}

Result<Section> IssuesSection(ReportSources& s, const Window& w) {
    Section sec{"issues", "課題・宿題事項", "Issues and action items", {}, {}, {}, {}, {}, {}};
    const auto items = UNYO_TRY(LoadRecords(s, "issue", "created_at < $2 AND (closed_at IS NULL OR closed_at >= $3)",
                                            {storage::Value(w.to), storage::Value(w.from)}));
    std::map<std::int64_t, std::string> names;
    UNYO_TRY_VOID(s.db.Read([&](storage::Connection& c) -> Result<void> {
        for (const auto& row : UNYO_TRY(c.Query("SELECT id, display_name FROM users")).rows) names[row.Int(0)] = row.Text(1);
        return {};
    }));
    const std::string end_day = calendar::Date::FromInstant(w.to - 1).ToString();
    struct Item {
        const records::Record* r;
        std::string due;
        bool overdue;
    };
    std::vector<Item> sorted;
    std::int64_t overdue = 0, closed = 0;
    for (const auto& r : items) {
        const std::string due = TextField(r, "due_date");
        const bool done = r.status == "resolved" || r.status == "closed";
        const bool late = !done && !due.empty() && due < end_day;
        if (late) ++overdue;
        if (r.closed_at && *r.closed_at >= w.from && *r.closed_at < w.to) ++closed;
        sorted.push_back({&r, due, late});
    }
    // Overdue first, then by due date, then by key.
    std::stable_sort(sorted.begin(), sorted.end(), [](const Item& a, const Item& b) {
        if (a.overdue != b.overdue) return a.overdue;
        return a.due < b.due;
    });
    Table t{"issues",
            {{"キー", "Key"},
             {"件名", "Title"},
             {"担当者", "Owner"},
             {"期限", "Due"},
             {"状態", "Status"},
             {"期限超過", "Overdue"},
             {"対応結果", "Resolution"}},
            {},
            "課題一覧（期限超過を先頭に）",
            "Issues (overdue first)"};
    for (const auto& it : sorted) {
        const auto owner = it.r->Field("owner_id");
        std::string owner_name;
        if (owner.is_int64()) owner_name = names.count(owner.as_int64()) ? names[owner.as_int64()] : std::to_string(owner.as_int64());
        t.rows.push_back({it.r->key, it.r->title, owner_name, it.due.empty() ? Cell{} : Cell(Day{it.due}), StatusJa(*it.r),
                          Cell(it.overdue), TextField(*it.r, "resolution")});
    }
    sec.figures.push_back(Count("issues.listed", "対象の課題", "Issues listed", static_cast<std::int64_t>(items.size())));
    sec.figures.push_back(Count("issues.overdue", "期限超過", "Overdue", overdue));
    sec.figures.push_back(Count("issues.closed", "期間中に完了", "Closed in the period", closed));
    sec.tables.push_back(std::move(t));
    return sec;
}

// --- next month ----------------------------------------------------------------------------------

Result<Section> NextMonthSection(ReportSources& s, Millis from, Millis to) {
    Section sec{"next_month", "翌月の予定", "Next month's plan", {}, {}, {}, {}, {}, {}};
    Table t{"next-month",
            {{"開始", "Starts"}, {"終了", "Ends"}, {"種別", "Kind"}, {"件名", "Title"}, {"サービス", "Service"}},
            {},
            "運用カレンダー（作業・点検・計画停止・変更）",
            "Operation calendar (work, inspections, planned stops, changes)"};
    struct Entry {
        Millis starts, ends;
        std::string kind, title, service;
    };
    std::vector<Entry> entries;
    for (const auto& i : UNYO_TRY(s.events.Occurrences(from, to))) {
        if (i.source == "jobnet") continue;  // nightly runs would drown the plan
        entries.push_back({i.starts_at, i.ends_at, std::string(opscal::KindLabel(i.source, i.kind)), i.title, i.service});
    }
    for (const auto& st : UNYO_TRY(s.stops.List(from, to))) {
        std::string services;
        for (const auto& sv : st.services) services += (services.empty() ? "" : ", ") + sv;
        entries.push_back({st.starts_at, st.ends_at, "計画停止（" + std::string(opscal::KindLabelJa(st.kind)) + "）", st.title,
                           st.scope == "all" ? std::string("全体") : services});
    }
    for (const auto& r : UNYO_TRY(LoadRecords(s, "change", "closed_at IS NULL", {}))) {
        const auto planned = TimeField(r, "planned_at");
        if (planned && *planned >= from && *planned < to && r.status != "rejected") {
            entries.push_back({*planned, *planned, "変更 (" + r.key + ")", r.title, ""});
        }
    }
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.starts < b.starts; });
    for (const auto& e : entries) t.rows.push_back({Instant{e.starts}, Instant{e.ends}, e.kind, e.title, e.service});
    sec.figures.push_back(Count("next_month.items", "予定の件数", "Planned items", static_cast<std::int64_t>(entries.size())));
    sec.tables.push_back(std::move(t));
    return sec;
}

std::string Sha256OfSections(const Report& r) { return Sha256Hex(json::serialize(SectionsJson(r))); }

Result<Report> Parse(std::string_view text) { return ReportFromJson(UNYO_TRY(ParseObject(text))); }

Result<void> CheckTarget(double t, const std::string& field, std::vector<FieldError>& errors) {
    if (!(t > 0 && t < 1)) errors.push_back({field, "must be a ratio above 0 and below 1 (0.999 for 99.9 %)"});
    return {};
}

}  // namespace

double ReportSettings::TargetOf(const std::string& service) const {
    const auto it = availability_targets.find(service);
    return it == availability_targets.end() ? default_availability_target : it->second;
}

json::object ToJson(const ReportSettings& s) {
    json::object targets;
    for (const auto& [k, v] : s.availability_targets) targets[k] = v;
    json::array virus;
    for (auto id : s.virus_jobnet_ids) virus.push_back(id);
    json::array mail;
    for (const auto& m : s.mail_to) mail.push_back(json::value(m));
    json::object plans;
    for (const auto& [k, v] : s.improvement_plans) plans[k] = v;
    return {{"default_availability_target", s.default_availability_target},
            {"availability_targets", std::move(targets)},
            {"virus_jobnet_ids", std::move(virus)},
            {"mail_to", std::move(mail)},
            {"improvement_plans", std::move(plans)},
            {"updated_at", s.version > 0 ? json::value(FormatRfc3339(s.updated_at)) : json::value(nullptr)},
            {"version", s.version}};
}

Result<WatchedMonitor> Watch(monitor::MonitorStore& monitors, const monitor::Monitor& m,
                             const std::vector<opscal::PlannedStop>& stops, Millis from, Millis to) {
    WatchedMonitor w;
    w.monitor = &m;
    w.start = std::clamp(m.created_at, from, to);
    for (const auto& e : UNYO_TRY(monitors.Events(m.id, from, to))) w.timeline.changes.push_back({e.at, e.to});
    for (const auto& st : stops) {
        if (st.Covers(m.id, m.service)) {
            w.timeline.ignored.push_back({st.starts_at, st.ends_at});
            w.stop_ids.push_back(st.id);
        }
    }
    return w;
}

monitor::Availability OfMonitor(const WatchedMonitor& w, Millis to, double target) {
    return monitor::Compute(w.timeline.changes, w.start, to, w.timeline.ignored, target);
}

monitor::Availability OfService(const std::vector<WatchedMonitor>& watched, Millis from, Millis to, double target) {
    std::vector<monitor::MonitorTimeline> timelines;
    Millis first = to;
    for (const auto& w : watched) {
        auto t = w.timeline;
        // Time before a monitor existed is neither up nor down for the service.
        if (w.start > from) t.ignored.push_back({from, w.start});
        first = std::min(first, w.start);
        timelines.push_back(std::move(t));
    }
    const auto combined = monitor::CombineService(timelines, first, to);
    return monitor::Compute(combined.changes, first, to, combined.excluded, target);
}

Result<std::vector<ServiceAvailability>> AvailabilityOfServices(monitor::MonitorStore& monitors, opscal::PlannedStops& stops,
                                                                const ReportSettings& settings, Millis from, Millis to) {
    const auto all = UNYO_TRY(monitors.List());
    const auto planned = UNYO_TRY(stops.List(from, to));
    std::map<std::string, std::vector<WatchedMonitor>> services;
    std::vector<ServiceAvailability> out;
    for (const auto& m : all) {
        if (m.created_at >= to) continue;
        auto w = UNYO_TRY(Watch(monitors, m, planned, from, to));
        if (m.service.empty()) {
            out.push_back({m.name, false, {m.id}, OfMonitor(w, to, settings.TargetOf(m.name))});
        } else {
            services[m.service].push_back(std::move(w));
        }
    }
    for (const auto& [name, watched] : services) {
        std::vector<std::int64_t> ids;
        for (const auto& w : watched) ids.push_back(w.monitor->id);
        out.push_back({name, true, std::move(ids), OfService(watched, from, to, settings.TargetOf(name))});
    }
    std::stable_sort(out.begin(), out.end(), [](const ServiceAvailability& a, const ServiceAvailability& b) {
        if (a.service != b.service) return a.service;
        return a.name < b.name;
    });
    return out;
}

std::string DefaultPeriod(const std::string& kind, Millis now) {
    const auto today = calendar::Date::FromInstant(now);
    if (kind == "yearly") return std::to_string(calendar::FiscalYear(today));
    if (kind == "daily") return today.AddDays(-1).ToString();
    const auto last = today.AddDays(-static_cast<int>(today.day()));  // the last day of the last month
    return fmt::format("{:04}-{:02}", last.year(), last.month());
}

Result<bool> SeedMonthlyReportJobnet(storage::Database& db, jobs::JobnetStore& jobnets, const Clock& clock,
                                     const audit::Actor& actor) {
    constexpr std::string_view kSeed = "monthly_report_jobnet";
    const bool seeded = UNYO_TRY(db.Read([&](storage::Connection& c) -> Result<bool> {
        return !UNYO_TRY(c.Query("SELECT 1 FROM builtin_seeds WHERE name = $1", {std::string(kSeed)})).empty();
    }));
    if (seeded) return false;
    bool made = false;
    const auto existing = UNYO_TRY(jobnets.List());
    if (std::none_of(existing.begin(), existing.end(), [](const jobs::Jobnet& n) { return n.name == kMonthlyReportJobnet; })) {
        const json::object body{
            {"name", kMonthlyReportJobnet},
            {"description",
             "前月の月次運用報告書を毎月第1営業日の 9:00 に作成して var/reports に保存し、報告書の設定の送付先へ概要をメールで送ります。"
             "送付先 (報告書の設定) を決めてから有効にしてください。"},
            {"enabled", false},
            {"severity", "medium"},
            {"schedule", json::object{{"days", json::object{{"rule", "nth_open_day"}, {"n", 1}}},
                                      {"start_times", json::array{"09:00"}},
                                      {"window", json::object{{"from", "00:00"}, {"to", "00:00"}}}}},
            {"jobs", json::array{json::object{{"key", "report"},
                                              {"name", "月次運用報告書"},
                                              {"type", "report"},
                                              {"timeout_s", 1800},
                                              {"report", json::object{{"kind", "monthly"},
                                                                      {"formats", json::array{"html", "xlsx"}},
                                                                      {"mail", true}}}}}}};
        UNYO_TRY(jobnets.Create(body, actor));
        made = true;
    }
    UNYO_TRY_VOID(db.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("INSERT INTO builtin_seeds (name, seeded_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        {std::string(kSeed), clock.Now()}));
        return {};
    }));
    return made;
}

Result<calendar::Date> ParseMonth(const std::string& text, std::string_view field) {
    const auto d = text.size() == 7 ? calendar::Date::Parse(text + "-01") : std::nullopt;
    if (!d) return Fail(Error::Field(std::string(field), "must be a month as YYYY-MM (2026-11)", ErrorCode::kInvalidArgument));
    return *d;
}

Result<ReportSettings> OperationReports::Settings() {
    return s_.db.Read([&](storage::Connection& c) -> Result<ReportSettings> {
        const auto rows = UNYO_TRY(c.Query("SELECT settings_json, updated_at, version FROM report_settings WHERE id = 1"));
        ReportSettings out;
        if (rows.empty()) return out;
        const auto o = ParseObjectOrEmpty(rows.front().Text(0));
        if (const auto* v = o.if_contains("default_availability_target"); v && v->is_number()) {
            out.default_availability_target = v->to_number<double>();
        }
        if (const auto* v = o.if_contains("availability_targets"); v && v->is_object()) {
            for (const auto& kv : v->as_object()) {
                if (kv.value().is_number()) out.availability_targets[std::string(kv.key())] = kv.value().to_number<double>();
            }
        }
        if (const auto* v = o.if_contains("virus_jobnet_ids"); v && v->is_array()) {
            for (const auto& id : v->as_array()) {
                if (id.is_int64()) out.virus_jobnet_ids.push_back(id.as_int64());
            }
        }
        if (const auto* v = o.if_contains("mail_to"); v && v->is_array()) {
            for (const auto& m : v->as_array()) {
                if (m.is_string()) out.mail_to.emplace_back(m.as_string());
            }
        }
        if (const auto* v = o.if_contains("improvement_plans"); v && v->is_object()) {
            for (const auto& kv : v->as_object()) {
                if (kv.value().is_string()) out.improvement_plans[std::string(kv.key())] = std::string(kv.value().as_string());
            }
        }
        out.updated_at = rows.front().Int(1);
        out.version = rows.front().Int(2);
        return out;
    });
}

Result<ReportSettings> OperationReports::UpdateSettings(std::int64_t expected_version, const json::object& body,
                                                        const audit::Actor& actor) {
    const auto before = UNYO_TRY(Settings());
    if (expected_version != before.version) {
        return Fail(Error{ErrorCode::kPreconditionFailed,
                          fmt::format("the report settings were changed by someone else (version {} now); reload them",
                                      before.version),
                          {}});
    }
    ReportSettings next = before;
    std::vector<FieldError> errors;
    static const std::set<std::string> kMembers{"default_availability_target", "availability_targets", "virus_jobnet_ids",
                                                "mail_to", "improvement_plans"};
    for (const auto& kv : body) {
        if (!kMembers.contains(std::string(kv.key()))) errors.push_back({std::string(kv.key()), "is not a member of the report settings"});
    }
    if (const auto* v = body.if_contains("default_availability_target")) {
        if (!v->is_number()) {
            errors.push_back({"default_availability_target", "must be a number (0.999)"});
        } else {
            next.default_availability_target = v->to_number<double>();
            UNYO_TRY_VOID(CheckTarget(next.default_availability_target, "default_availability_target", errors));
        }
    }
    if (const auto* v = body.if_contains("availability_targets")) {
        next.availability_targets.clear();
        if (!v->is_object()) {
            errors.push_back({"availability_targets", "must be an object of service → ratio"});
        } else {
            for (const auto& kv : v->as_object()) {
                const std::string field = "availability_targets." + std::string(kv.key());
                if (kv.key().empty()) errors.push_back({field, "a service needs a name"});
                if (!kv.value().is_number()) {
                    errors.push_back({field, "must be a number (0.999)"});
                    continue;
                }
                next.availability_targets[std::string(kv.key())] = kv.value().to_number<double>();
                UNYO_TRY_VOID(CheckTarget(kv.value().to_number<double>(), field, errors));
            }
        }
    }
    if (const auto* v = body.if_contains("virus_jobnet_ids")) {
        next.virus_jobnet_ids.clear();
        if (!v->is_array()) {
            errors.push_back({"virus_jobnet_ids", "must be a list of jobnet ids"});
        } else {
            const auto known = UNYO_TRY(s_.db.Read([&](storage::Connection& c) -> Result<std::set<std::int64_t>> {
                std::set<std::int64_t> ids;
                for (const auto& row : UNYO_TRY(c.Query("SELECT id FROM jobnets")).rows) ids.insert(row.Int(0));
                return ids;
            }));
            for (std::size_t i = 0; i < v->as_array().size(); ++i) {
                const auto& id = v->as_array()[i];
                const std::string field = fmt::format("virus_jobnet_ids[{}]", i);
                if (!id.is_int64() || !known.contains(id.as_int64())) {
                    errors.push_back({field, "is not the id of a jobnet"});
                } else {
                    next.virus_jobnet_ids.push_back(id.as_int64());
                }
            }
        }
    }
    if (const auto* v = body.if_contains("mail_to")) {
        next.mail_to.clear();
        if (!v->is_array()) {
            errors.push_back({"mail_to", "must be a list of mail addresses"});
        } else {
            for (std::size_t i = 0; i < v->as_array().size(); ++i) {
                const auto& m = v->as_array()[i];
                const std::string text = m.is_string() ? std::string(m.as_string()) : "";
                const auto at = text.find('@');
                if (at == std::string::npos || at == 0 || at + 1 >= text.size() || text.find_first_of(" \t\r\n,<>") != std::string::npos) {
                    errors.push_back({fmt::format("mail_to[{}]", i), "must be one mail address (name@example.jp)"});
                } else {
                    next.mail_to.push_back(text);
                }
            }
        }
    }
    if (const auto* v = body.if_contains("improvement_plans")) {
        next.improvement_plans.clear();
        if (!v->is_object()) {
            errors.push_back({"improvement_plans", "must be an object of fiscal year → text"});
        } else {
            for (const auto& kv : v->as_object()) {
                const std::string key(kv.key());
                const std::string field = "improvement_plans." + key;
                if (key.size() != 4 || !std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
                    errors.push_back({field, "the key must be a fiscal year (2026)"});
                } else if (!kv.value().is_string() || kv.value().as_string().size() > 20000) {
                    errors.push_back({field, "must be text of at most 20,000 bytes"});
                } else if (!kv.value().as_string().empty()) {
                    next.improvement_plans[key] = std::string(kv.value().as_string());
                }
            }
        }
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    const Millis now = s_.clock.Now();
    next.updated_at = now;
    next.version = before.version + 1;
    json::object stored = ToJson(next);
    stored.erase("updated_at");
    stored.erase("version");
    UNYO_TRY_VOID(s_.db.Write([&](storage::Connection& c) -> Result<void> {
        const auto changed = before.version == 0
                                 ? UNYO_TRY(c.Exec("INSERT INTO report_settings (id, settings_json, updated_at, version) VALUES (1, $1, $2, 1)",
                                                   {json::serialize(stored), now}))
                                 : UNYO_TRY(c.Exec("UPDATE report_settings SET settings_json = $1, updated_at = $2, version = version + 1 "
                                                   "WHERE id = 1 AND version = $3",
                                                   {json::serialize(stored), now, before.version}));
        if (changed != 1) {
            return Fail(Error{ErrorCode::kPreconditionFailed, "the report settings were changed by someone else; reload them", {}});
        }
        UNYO_TRY(audit::Append(c, actor, {"report_settings.update", "report_settings", "1", ToJson(before), ToJson(next)}, now));
        return {};
    }));
    return next;
}

Result<Report> OperationReports::BuildMonthly(calendar::Date first_day) {
    return Month(first_day, UNYO_TRY(Settings()), true);
}

Result<Report> OperationReports::Month(calendar::Date first_day, const ReportSettings& settings, bool whole) {
    const calendar::Date next = NextMonth(first_day);
    const Millis now = s_.clock.Now();
    Window w{first_day.StartInstant(), next.StartInstant(), FiscalYearStart(first_day).StartInstant(), 0};
    w.cut = std::min(w.to, now);
    Report r;
    r.kind = "monthly";
    r.period = fmt::format("{:04}-{:02}", first_day.year(), first_day.month());
    r.title_ja = "月次運用報告書";
    r.title_en = "Monthly operation report";
    r.period_ja = PeriodJa(first_day, false);
    r.from = w.from;
    r.to = w.to;
    r.generated_at = now;
    r.closed = w.to <= now;
    if (w.from < now) {
        const auto month = UNYO_TRY(AvailabilityOfServices(s_.monitors, s_.stops, settings, w.from, w.cut));
        const auto ytd = whole ? UNYO_TRY(AvailabilityOfServices(s_.monitors, s_.stops, settings, w.fy_from, w.cut))
                               : std::vector<ServiceAvailability>{};
        r.sections.push_back(AvailabilitySection(month, ytd, settings, whole));
    } else {
        r.sections.push_back(AvailabilitySection({}, {}, settings, whole));
    }
    r.sections.push_back(UNYO_TRY(PlannedStopsSection(s_, w)));
    r.sections.push_back(UNYO_TRY(IncidentsSection(s_, w, whole)));
    if (whole) r.sections.push_back(UNYO_TRY(ProblemsSection(s_, w)));
    r.sections.push_back(UNYO_TRY(ChangesSection(s_, w)));
    const auto runs = UNYO_TRY(LoadRuns(s_, w));
    r.sections.push_back(BatchSection(runs));
    if (whole) {
        r.sections.push_back(UNYO_TRY(BackupsSection(s_, w, runs)));
        r.sections.push_back(UNYO_TRY(SecuritySection(s_, w, settings, runs)));
    }
    r.sections.push_back(UNYO_TRY(InquiriesSection(s_, w)));
    if (whole) {
        r.sections.push_back(UNYO_TRY(IssuesSection(s_, w)));
        r.sections.push_back(UNYO_TRY(NextMonthSection(s_, w.to, NextMonth(next).StartInstant())));
    }
    return r;
}

Result<Report> OperationReports::BuildDaily(calendar::Date day) {
    const auto settings = UNYO_TRY(Settings());
    const Millis now = s_.clock.Now();
    Window w{day.StartInstant(), day.AddDays(1).StartInstant(), FiscalYearStart(day).StartInstant(), 0};
    w.cut = std::min(w.to, now);
    Report r;
    r.kind = "daily";
    r.period = day.ToString();
    r.title_ja = "稼働報告書（日次）";
    r.title_en = "Daily operation report";
    r.period_ja = PeriodJa(day, true);
    r.from = w.from;
    r.to = w.to;
    r.generated_at = now;
    r.closed = w.to <= now;
    const auto avail = w.from < now ? UNYO_TRY(AvailabilityOfServices(s_.monitors, s_.stops, settings, w.from, w.cut))
                                    : std::vector<ServiceAvailability>{};
    r.sections.push_back(AvailabilitySection(avail, {}, settings, false));
    r.sections.push_back(UNYO_TRY(IncidentsSection(s_, w, false)));
    r.sections.push_back(UNYO_TRY(PlannedStopsSection(s_, w)));
    const auto runs = UNYO_TRY(LoadRuns(s_, w));
    r.sections.push_back(BatchSection(runs));
    r.sections.push_back(UNYO_TRY(BackupsSection(s_, w, runs)));
    r.sections.push_back(UNYO_TRY(InquiriesSection(s_, w)));
    return r;
}

Result<Report> OperationReports::BuildYearly(int fiscal_year) {
    const auto settings = UNYO_TRY(Settings());
    const Millis now = s_.clock.Now();
    const calendar::Date start = FirstOfMonth(fiscal_year, 4);
    const calendar::Date end = FirstOfMonth(fiscal_year + 1, 4);
    Report r;
    r.kind = "yearly";
    r.period = std::to_string(fiscal_year);
    r.title_ja = "年次運用分析報告書";
    r.title_en = "Yearly operation analysis";
    r.period_ja = fmt::format("{}年度", fiscal_year);
    if (auto w = calendar::ToWareki(start)) r.period_ja += "（" + w->substr(0, w->find("年") + std::string("年").size()) + "度）";
    r.from = start.StartInstant();
    r.to = end.StartInstant();
    r.generated_at = now;
    r.closed = r.to <= now;

    Section trend{"monthly_trend", "月別の推移", "Month by month", {}, {}, {}, {}, {}, {}};
    Table months{"monthly-trend",
                 {{"月", "Month"},
                  {"障害件数", "Incidents"},
                  {"SLA 未達", "SLA breached"},
                  {"平均復旧時間 (分)", "Avg. time to recover (min)"},
                  {"計画停止", "Planned stops"},
                  {"バッチ実行", "Batch runs"},
                  {"バッチ異常", "Batch failures"},
                  {"問い合わせ", "Inquiries"},
                  {"一次回答の平均 (時間)", "Avg. first answer (h)"},
                  {"変更・リリース", "Changes and releases"}},
                 {},
                 "月別の件数",
                 "Counts by month"};
    Table avail{"availability-by-month", {{"サービス", "Service"}}, {}, "サービス別稼働率の推移 (%)", "Availability by month (%)"};
    std::map<std::string, std::vector<Cell>> per_service;
    Chart incidents_chart{"月別の障害件数", "Incidents by month", "件", {}, std::nullopt, std::nullopt, std::nullopt};
    int month_index = 0;
    for (calendar::Date m = start; m < end && m.StartInstant() < now; m = NextMonth(m), ++month_index) {
        const auto monthly = UNYO_TRY(Month(m, settings, false));
        auto figure = [&](const std::string& section, const std::string& key) -> Cell {
            for (const auto& sec : monthly.sections) {
                if (sec.id != section) continue;
                for (const auto& f : sec.figures) {
                    if (f.key == key) return f.value;
                }
            }
            return Cell{};
        };
        const std::string label = fmt::format("{}月", m.month());
        std::int64_t changes = 0;
        for (const auto* key : {"changes.changes", "changes.releases"}) {
            const Cell c = figure("changes", key);
            if (const auto* n = std::get_if<std::int64_t>(&c)) changes += *n;
        }
        std::int64_t stops = 0;
        const Cell stop_count = figure("planned_stops", "planned_stops.total");
        if (const auto* n = std::get_if<std::int64_t>(&stop_count)) stops = *n;
        months.rows.push_back({Text(monthly.period), figure("incidents", "incidents.total"), figure("incidents", "incidents.sla_breached"),
                               figure("incidents", "incidents.recover_avg_min"), stops, figure("batch", "batch.runs"),
                               figure("batch", "batch.failed"), figure("inquiries", "inquiries.total"),
                               figure("inquiries", "inquiries.lead_avg_hours"), changes});
        const auto* n = std::get_if<std::int64_t>(&months.rows.back()[1]);
        incidents_chart.bars.push_back({label, n ? static_cast<double>(*n) : 0.0});
        avail.columns.push_back({label, fmt::format("{}-{:02}", m.year(), m.month())});
        for (const auto& sec : monthly.sections) {
            if (sec.id != "availability" || sec.tables.empty()) continue;
            for (const auto& row : sec.tables.front().rows) {
                auto& cells = per_service[CellText(row[0], {})];
                cells.resize(static_cast<std::size_t>(month_index));
                cells.push_back(row[2]);
            }
        }
    }
    for (auto& [name, cells] : per_service) {
        std::vector<Cell> row{name};
        cells.resize(avail.columns.size() - 1);
        row.insert(row.end(), cells.begin(), cells.end());
        avail.rows.push_back(std::move(row));
    }
    trend.charts.push_back(std::move(incidents_chart));
    trend.tables.push_back(std::move(months));
    r.sections.push_back(std::move(trend));
    Section availability{"availability", "稼働率の推移", "Availability trend", {}, {}, {}, {}, {}, {}};
    if (per_service.empty()) {
        availability.missing_ja = "この期間に監視が登録されていなかったため、稼働率を算出できません。";
        availability.missing_en = "No monitor was registered in this period: availability cannot be computed.";
    }
    if (r.from < now) {
        const auto year = UNYO_TRY(AvailabilityOfServices(s_.monitors, s_.stops, settings, r.from, std::min(r.to, now)));
        Chart chart{"年度の稼働率 (%)", "Availability over the fiscal year (%)", "%", {}, settings.default_availability_target * 100, 99.0, 100.0};
        for (const auto& a : year) {
            if (!a.availability.ratio) continue;
            chart.bars.push_back({a.name, *a.availability.ratio * 100});
            chart.min = std::max(0.0, std::min(*chart.min, std::floor(*a.availability.ratio * 100) - 1));
        }
        if (!chart.bars.empty()) availability.charts.push_back(std::move(chart));
    }
    availability.tables.push_back(std::move(avail));
    r.sections.push_back(std::move(availability));
    Section plan{"improvement_plan", "改善計画", "Improvement plan", {}, {}, {}, {}, {}, {}};
    const auto it = settings.improvement_plans.find(std::to_string(fiscal_year));
    if (it == settings.improvement_plans.end()) {
        plan.missing_ja = "この年度の改善計画はまだ記入されていません（報告書の設定で記入）。";
        plan.missing_en = "No improvement plan has been written for this fiscal year yet (report settings).";
    } else {
        plan.note_ja = it->second;
    }
    r.sections.push_back(std::move(plan));
    return r;
}

Result<Generated> OperationReports::Generate(const std::string& kind, const std::string& period, bool refresh,
                                             const audit::Actor& actor) {
    Report fresh;
    if (kind == "monthly") {
        fresh = UNYO_TRY(BuildMonthly(UNYO_TRY(ParseMonth(period, "month"))));
    } else if (kind == "yearly") {
        const bool digits = period.size() == 4 && std::all_of(period.begin(), period.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoi(period) < 2000 || std::stoi(period) > 2099) {
            return Fail(Error::Field("fiscal_year", "must be a fiscal year between 2000 and 2099 (2026)", ErrorCode::kInvalidArgument));
        }
        fresh = UNYO_TRY(BuildYearly(std::stoi(period)));
    } else if (kind == "daily") {
        const auto day = calendar::Date::Parse(period);
        if (!day) return Fail(Error::Field("date", "must be a day as YYYY-MM-DD", ErrorCode::kInvalidArgument));
        fresh = UNYO_TRY(BuildDaily(*day));
    } else {
        return Fail(Error::Field("kind", "must be monthly, yearly or daily", ErrorCode::kInvalidArgument));
    }
    Generated out;
    if (!fresh.closed) {
        out.report = std::move(fresh);
        return out;
    }
    struct Stored {
        Millis at;
        std::string content;
    };
    const auto stored = UNYO_TRY(s_.db.Read([&](storage::Connection& c) -> Result<std::optional<Stored>> {
        const auto rows = UNYO_TRY(c.Query("SELECT generated_at, content_json FROM report_snapshots WHERE kind = $1 AND period = $2",
                                           {kind, fresh.period}));
        if (rows.empty()) return std::optional<Stored>{};
        return std::optional<Stored>(Stored{rows.front().Int(0), rows.front().Text(1)});
    }));
    if (stored && !refresh) {
        auto snapshot = UNYO_TRY(Parse(stored->content));
        // A section changed when its JSON now differs from the snapshot's (or it is new).
        const auto then = SectionsJson(snapshot);
        const auto now_sections = SectionsJson(fresh);
        for (const auto& sec : now_sections) {
            const auto id = sec.as_object().at("id");
            const auto same = std::find_if(then.begin(), then.end(), [&](const json::value& x) { return x.as_object().at("id") == id; });
            if (same == then.end() || *same != sec) out.changed_sections.emplace_back(id.as_string());
        }
        out.changed_since_snapshot = !out.changed_sections.empty();
        out.from_snapshot = true;
        out.snapshot_at = stored->at;
        out.report = std::move(snapshot);
        return out;
    }
    const std::string content = json::serialize(ToJson(fresh));
    const std::string hash = Sha256OfSections(fresh);
    const Millis at = fresh.generated_at;
    UNYO_TRY_VOID(s_.db.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("DELETE FROM report_snapshots WHERE kind = $1 AND period = $2", {kind, fresh.period}));
        UNYO_TRY(c.Exec("INSERT INTO report_snapshots (kind, period, generated_at, generated_by, content_json, sha256) "
                        "VALUES ($1, $2, $3, $4, $5, $6)",
                        {kind, fresh.period, at, actor.login, content, hash}));
        UNYO_TRY(audit::Append(c, actor,
                               {stored ? "report_snapshot.replace" : "report_snapshot.create", "report_snapshot",
                                kind + ":" + fresh.period, nullptr, json::object{{"sha256", hash}}},
                               at));
        return {};
    }));
    out.snapshot_at = at;
    out.report = std::move(fresh);
    return out;
}

std::string SummaryText(const Report& r) {
    std::string out = fmt::format("{} {}\n", r.title_ja, r.period_ja);
    out += r.closed ? "" : "（期間中の速報値）\n";
    for (const auto& s : r.sections) {
        out += fmt::format("\n■ {}\n", s.ja);
        if (s.missing_ja) out += "  " + *s.missing_ja + "\n";
        for (const auto& f : s.figures) {
            const std::string value = CellText(f.value, {});
            out += fmt::format("  {}: {}{}\n", f.ja, value.empty() ? "-" : value, value.empty() ? "" : f.unit_ja);
        }
    }
    out += fmt::format("\n詳細は unyo の「報告書」画面、または GET /api/v1/reports/{}?{}={} で確認できます。\n", r.kind,
                       r.kind == "monthly" ? "month" : r.kind == "yearly" ? "fiscal_year" : "date", r.period);
    return out;
}

Result<int> OperationReports::MailSummary(const Report& r, const audit::Actor& actor) {
    const auto settings = UNYO_TRY(Settings());
    if (settings.mail_to.empty()) return 0;
    notify::Message m;
    m.event_key = fmt::format("report:{}:{}", r.kind, r.period);
    m.subject = fmt::format("【unyo】{} {}", r.title_ja, r.period_ja);
    m.body = SummaryText(r);
    m.recipients = settings.mail_to;
    const Millis now = s_.clock.Now();
    return s_.db.Write([&](storage::Connection& c) -> Result<int> {
        const int queued = UNYO_TRY(notify::Outbox::Enqueue(c, m, now));
        if (queued > 0) {
            json::array to;
            for (const auto& a : settings.mail_to) to.push_back(json::value(a));
            UNYO_TRY(audit::Append(c, actor, {"report.mail", "report", r.kind + ":" + r.period, nullptr,
                                              json::object{{"to", std::move(to)}, {"subject", m.subject}}},
                                   now));
        }
        return queued;
    });
}

Result<void> CheckFormat(const std::string& format) {
    static const std::vector<std::string> kFormats{"json", "html", "pdf", "xlsx", "csv"};
    if (std::find(kFormats.begin(), kFormats.end(), format) == kFormats.end()) {
        return Fail(Error::Field("format", "must be json, html, pdf, xlsx or csv", ErrorCode::kInvalidArgument));
    }
    return {};
}

Result<RenderedFile> RenderFile(const Generated& g, const FileRequest& q) {
    UNYO_TRY_VOID(CheckFormat(q.format));
    const auto& r = g.report;
    const auto tables = CsvTables(r);
    if (q.table && std::none_of(tables.begin(), tables.end(), [&](const Table& t) { return t.name == *q.table; })) {
        return Fail(Error::Field("table", fmt::format("the report has no table \"{}\"", *q.table), ErrorCode::kInvalidArgument));
    }
    const std::string base = fmt::format("unyo-{}-report-{}", r.kind, r.period);
    RenderedFile out;
    if (q.format == "json") {
        json::array changed;
        for (const auto& id : g.changed_sections) changed.push_back(json::value(id));
        out.body = json::serialize(json::object{{"report", ToJson(r)},
                                                {"from_snapshot", g.from_snapshot},
                                                {"snapshot_at", InstantOrNull(g.snapshot_at)},
                                                {"changed_since_snapshot", g.changed_since_snapshot},
                                                {"changed_sections", std::move(changed)}});
        out.content_type = "application/json";
        out.file_name = base + ".json";
        return out;
    }
    if (q.format == "html" || q.format == "pdf") {
        HtmlOptions o;
        o.language = q.language;
        o.wareki = q.wareki;
        if (g.changed_since_snapshot && g.snapshot_at) {
            std::string ids;
            for (const auto& id : g.changed_sections) ids += (ids.empty() ? "" : ", ") + id;
            o.notice_ja = fmt::format("この報告書は {} に確定した内容です。確定後にデータが変わった節があります: {}",
                                      FormatInstant(*g.snapshot_at, 540), ids);
            o.notice_en = fmt::format("This report is as fixed on {}. Data changed since in: {}", FormatInstant(*g.snapshot_at, 540), ids);
        }
        std::string html = RenderHtml(r, o);
        if (q.format == "html") {
            out.body = std::move(html);
            out.content_type = "text/html; charset=utf-8";
            out.file_name = base + ".html";
        } else {
            out.body = UNYO_TRY(RenderPdf(html));
            out.content_type = "application/pdf";
            out.file_name = base + ".pdf";
        }
        return out;
    }
    RenderOptions ro;
    ro.language = q.language;
    if (q.format == "xlsx") {
        out.body = UNYO_TRY(RenderWorkbook(ToSheets(r, q.language), ro));
        out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        out.file_name = base + ".xlsx";
        return out;
    }
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& t : tables) {
        if (q.table && t.name != *q.table) continue;
        files.emplace_back(t.name + ".csv", UNYO_TRY(RenderCsv(t, q.encoding, ro)));
    }
    if (q.table) {
        out.body = std::move(files.front().second);
        out.content_type = q.encoding == CsvEncoding::kCp932 ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8";
        out.file_name = fmt::format("{}-{}.csv", base, *q.table);
    } else {
        out.body = UNYO_TRY(RenderZip(files));
        out.content_type = "application/zip";
        out.file_name = base + "-csv.zip";
    }
    return out;
}

}  // namespace unyo::reports
