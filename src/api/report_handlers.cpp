// /api/v1/reports: the monthly, yearly and daily operation reports (RPT-1..4) in JSON, HTML, PDF,
// XLSX and CSV, and their settings (docs/reports.md).
#include <fmt/format.h>

#include "api/export.hpp"
#include "api/routes.hpp"
#include "core/time_format.hpp"
#include "reports/files.hpp"
#include "reports/operation_report.hpp"

namespace unyo::api {
namespace {

reports::OperationReports Reports(Context& ctx) {
    auto& s = ctx.services();
    return reports::OperationReports(
        {s.db, s.records, s.monitoring.monitors, s.monitoring.stops, s.jobs.events, s.clock});
}

/// The report of `kind` for `period` in the format asked for.
Result<http::Response> ReportResponse(Context& ctx, const std::string& kind, const std::string& period) {
    reports::FileRequest q;
    q.format = ctx.QueryString("format").value_or("json");
    UNYO_TRY_VOID(reports::CheckFormat(q.format));
    const auto lang = ctx.QueryString("lang");
    if (lang && *lang != "ja" && *lang != "en") {
        return Fail(Error::Field("lang", "must be ja or en", ErrorCode::kInvalidArgument));
    }
    q.language = ExportLanguage(ctx);
    q.wareki = UNYO_TRY(ctx.QueryBool("wareki")).value_or(false);
    q.table = ctx.QueryString("table");
    const auto encoding = ctx.QueryString("encoding");
    if (encoding && *encoding != "utf-8" && *encoding != "cp932") {
        return Fail(Error::Field("encoding", "must be utf-8 or cp932", ErrorCode::kInvalidArgument));
    }
    if (encoding == "cp932") q.encoding = reports::CsvEncoding::kCp932;
    const bool refresh = UNYO_TRY(ctx.QueryBool("refresh")).value_or(false);
    if (refresh && !ctx.principal().Is(auth::Role::kAdmin) && !ctx.principal().Is(auth::Role::kManager)) {
        return Fail(Error::Denied("only an admin or a manager replaces a closed period's snapshot (refresh=true)"));
    }
    // Said before anything is generated (or snapshotted).
    if (q.format == "pdf") UNYO_TRY(reports::FindChromium());
    const auto g = UNYO_TRY(Reports(ctx).Generate(kind, period, refresh, ctx.actor()));
    auto file = UNYO_TRY(reports::RenderFile(g, q));
    http::Response out;
    out.body = std::move(file.body);
    out.content_type = file.content_type;
    if (q.format != "json") {
        const bool inline_html = q.format == "html" && !UNYO_TRY(ctx.QueryBool("download")).value_or(false);
        if (!inline_html) out.SetHeader("Content-Disposition", Disposition(file.file_name));
        // A report is a document of its own: no scripts, nothing fetched.
        if (q.format == "html") out.SetHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    }
    out.SetHeader("X-Report-From-Snapshot", g.from_snapshot ? "true" : "false");
    out.SetHeader("X-Report-Changed-Since-Snapshot", g.changed_since_snapshot ? "true" : "false");
    if (g.snapshot_at) out.SetHeader("X-Report-Snapshot-At", FormatRfc3339(*g.snapshot_at));
    return out;
}

Result<http::Response> ReportOf(Context& ctx, const std::string& kind, std::string_view parameter) {
    const auto period = ctx.QueryString(parameter).value_or(reports::DefaultPeriod(kind, ctx.services().clock.Now()));
    return ReportResponse(ctx, kind, period);
}

Result<http::Response> Monthly(Context& ctx) { return ReportOf(ctx, "monthly", "month"); }
Result<http::Response> Yearly(Context& ctx) { return ReportOf(ctx, "yearly", "fiscal_year"); }
Result<http::Response> Daily(Context& ctx) { return ReportOf(ctx, "daily", "date"); }

Result<http::Response> GetSettings(Context& ctx) {
    const auto s = UNYO_TRY(Reports(ctx).Settings());
    return ResourceResponse(reports::ToJson(s), s.version);
}

Result<http::Response> PutSettings(Context& ctx) {
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto s = UNYO_TRY(Reports(ctx).UpdateSettings(version, UNYO_TRY(ctx.Body()), ctx.actor()));
    return ResourceResponse(reports::ToJson(s), s.version);
}

}  // namespace

void AddReportRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const auth::RoleSet readers = kStaff | auth::Bit(auth::Role::kViewer);
    const std::string who = "admin, manager, operator, viewer";
    const std::string formats = " (format=json|html|pdf|xlsx|csv; lang=ja|en; wareki=true; csv: table= one table, else a ZIP; "
                                "refresh=true: an admin or a manager replaces a closed period's snapshot)";
    r.Add({"GET", "/api/v1/reports/monthly", in, readers, false,
           "The monthly operation report for month=YYYY-MM (default: the last month)" + formats, who, Monthly});
    r.Add({"GET", "/api/v1/reports/yearly", in, readers, false,
           "The yearly analysis for fiscal_year=YYYY (default: this 年度)" + formats, who, Yearly});
    r.Add({"GET", "/api/v1/reports/daily", in, readers, false,
           "The daily operation report (稼働報告書) for date=YYYY-MM-DD (default: yesterday)" + formats, who, Daily});
    r.Add({"GET", "/api/v1/reports/settings", in, readers, false,
           "What the reports read: availability targets, virus definition jobnets, recipients, improvement plans", who,
           GetSettings});
    r.Add({"PUT", "/api/v1/reports/settings", in, kPlanners, false, "Change the report settings (If-Match)", "admin, manager",
           PutSettings});
}

}  // namespace unyo::api
