// /api/v1/jobnets and /api/v1/jobnet-runs (issue 6; docs/jobs.md).
#include <fmt/format.h>

#include "api/export.hpp"
#include "api/routes.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

JobServices& J(Context& ctx) { return ctx.services().jobs; }

// A jobnet with its newest run's id and status.
json::object WithLastRun(const jobs::Jobnet& n, const std::vector<jobs::Run>& last) {
    json::object out = jobs::ToJson(n);
    out["last_run"] = nullptr;
    for (const auto& r : last) {
        if (r.jobnet_id == n.id) {
            out["last_run"] = json::object{{"id", r.id}, {"status", r.status}, {"planned_at", FormatRfc3339(r.planned_at)}};
        }
    }
    return out;
}

Result<http::Response> ListJobnets(Context& ctx) {
    const auto all = UNYO_TRY(J(ctx).jobnets.List());
    const auto last = UNYO_TRY(jobs::runs::LatestPerJobnet(ctx.services().db));
    json::array items;
    for (const auto& n : all) items.push_back(WithLastRun(n, last));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateJobnet(Context& ctx) {
    const auto n = UNYO_TRY(J(ctx).jobnets.Create(UNYO_TRY(ctx.Body()), ctx.actor()));
    J(ctx).runner.Wake();
    return CreatedResponse(jobs::ToJson(n), n.version, "/api/v1/jobnets/" + std::to_string(n.id));
}

Result<http::Response> GetJobnet(Context& ctx) {
    const auto n = UNYO_TRY(J(ctx).jobnets.Get(UNYO_TRY(ctx.IdParam())));
    const auto last = UNYO_TRY(jobs::runs::List(ctx.services().db, {.jobnet_id = n.id, .limit = 1}));
    return ResourceResponse(WithLastRun(n, last), n.version);
}

Result<http::Response> UpdateJobnet(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto version = UNYO_TRY(ctx.IfMatchVersion());
    const auto n = UNYO_TRY(J(ctx).jobnets.Update(id, version, UNYO_TRY(ctx.Body()), ctx.actor()));
    J(ctx).runner.Wake();
    return ResourceResponse(jobs::ToJson(n), n.version);
}

Result<http::Response> DeleteJobnet(Context& ctx) {
    UNYO_TRY_VOID(J(ctx).jobnets.Delete(UNYO_TRY(ctx.IdParam()), ctx.actor()));
    return http::Response::NoContent();
}

// `name` as an RFC 3339 instant, or a day YYYY-MM-DD starting at midnight in `utc_offset`.
Result<std::optional<Millis>> QueryDayOrTime(Context& ctx, std::string_view name, int utc_offset) {
    if (const auto raw = ctx.QueryString(name); raw && raw->size() == 10) {
        if (const auto d = calendar::Date::Parse(*raw)) return std::optional<Millis>(d->StartInstant(utc_offset));
    }
    return ctx.QueryTime(name);
}

Result<http::Response> JobnetSchedule(Context& ctx) {
    const auto n = UNYO_TRY(J(ctx).jobnets.Get(UNYO_TRY(ctx.IdParam())));
    const auto cal = UNYO_TRY(J(ctx).jobnets.CalendarOf(n));
    const int offset = cal.rules().utc_offset_minutes;
    const Millis now = ctx.services().clock.Now();
    const Millis from = UNYO_TRY(QueryDayOrTime(ctx, "from", offset)).value_or(now);
    const Millis to = UNYO_TRY(QueryDayOrTime(ctx, "to", offset)).value_or(from + 31 * kDayMs);
    if (from >= to) return Fail(Error::Field("from", "must be before to", ErrorCode::kInvalidArgument));
    if (to - from > 731 * kDayMs) return Fail(Error::Field("to", "at most two years after from", ErrorCode::kInvalidArgument));
    json::array items;
    for (const auto& p : jobs::JobnetStore::Planned(n, cal, from, to)) {
        json::object item{{"start_at", FormatRfc3339(p.at)}, {"business_day", p.business_day.ToString()}};
        if (p.shifted_from) item["shifted_from"] = p.shifted_from->ToString();
        items.push_back(std::move(item));
    }
    return http::Response::Json(200, json::object{{"jobnet_id", n.id},
                                             {"scheduled", n.schedule.has_value()},
                                             {"enabled", n.enabled},
                                             {"from", FormatRfc3339(from)},
                                             {"to", FormatRfc3339(to)},
                                             {"items", std::move(items)}});
}

Result<http::Response> StartRun(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.BodyOrEmpty());
    FieldReader f(body);
    f.AllowOnly({"params"});
    json::object params;
    if (const auto* p = body.if_contains("params"); p && !p->is_null()) {
        if (p->is_object()) {
            params = p->as_object();
        } else {
            f.AddError("params", "must be an object of NAME: \"value\"");
        }
    }
    UNYO_TRY_VOID(f.Finish());
    const auto run = UNYO_TRY(J(ctx).runner.RunNow(id, params, ctx.actor()));
    return CreatedResponse(jobs::ToJson(run, true), run.version, "/api/v1/jobnet-runs/" + std::to_string(run.id));
}

// RPT-3: the runs as a result report (one row a run), e.g. of one business day.
Result<http::Response> RunsReport(Context& ctx, jobs::RunFilter f) {
    using reports::Cell;
    using reports::Instant;
    const auto runs = UNYO_TRY(AllPages<jobs::Run>(
        [&](std::optional<std::int64_t> cursor) -> Result<std::pair<std::vector<jobs::Run>, std::optional<std::int64_t>>> {
            f.before_id = cursor;
            f.limit = 500;
            auto page = UNYO_TRY(jobs::runs::List(ctx.services().db, f));
            const auto next = std::ssize(page) == f.limit ? std::optional(page.back().id) : std::nullopt;
            return std::pair{std::move(page), next};
        }));
    reports::Table t{"jobnet-runs",
                     {{"実行ID", "Run"}, {"ジョブネット", "Jobnet"}, {"サービス", "Service"}, {"業務日", "Business day"},
                      {"契機", "Trigger"}, {"状態", "Status"}, {"予定", "Planned"}, {"開始", "Started"},
                      {"終了", "Ended"}, {"所要秒", "Seconds"}, {"開始遅延", "Started late"}, {"終了遅延", "Ended late"},
                      {"ジョブ数", "Jobs"}, {"異常ジョブ", "Failed jobs"}, {"再実行回数", "Reruns"}},
                     {}};
    const auto opt_instant = [](const std::optional<Millis>& at) { return at ? Cell(Instant{*at}) : Cell{}; };
    for (const auto& r : runs) {
        const auto [broken, reruns] = UNYO_TRY(ctx.services().db.Read(
            [&](storage::Connection& c) -> Result<std::pair<std::vector<std::string>, std::int64_t>> {
                return std::pair{UNYO_TRY(jobs::runs::BrokenJobs(c, r.id)), UNYO_TRY(jobs::runs::Reruns(c, r.id))};
            }));
        std::int64_t count = 0;
        for (const auto& [status, n] : jobs::JobCounts(r)) count += n;
        t.rows.push_back({Cell(r.id), Cell(r.def.name), Cell(r.def.service), Cell(r.business_day), Cell(r.trigger),
                          Cell(r.status), Cell(Instant{r.planned_at}), opt_instant(r.started_at), opt_instant(r.ended_at),
                          r.started_at && r.ended_at ? Cell((*r.ended_at - *r.started_at) / 1000) : Cell{},
                          Cell(r.start_late), Cell(r.end_late), Cell(count),
                          Cell(fmt::format("{}", fmt::join(broken, ", "))), Cell(reruns)});
    }
    return ExportResponse(ctx, t);
}

// RPT-3: one run's jobs as a result report.
Result<http::Response> RunReport(Context& ctx, const jobs::Run& r) {
    using reports::Cell;
    using reports::Instant;
    reports::Table t{fmt::format("jobnet-run-{}", r.id),
                     {{"ジョブ", "Job"}, {"名前", "Name"}, {"状態", "Status"}, {"試行", "Attempt"}, {"開始", "Started"},
                      {"終了", "Ended"}, {"終了コード", "Exit code"}, {"出力 (先頭)", "Output (start)"}},
                     {}};
    const auto opt_instant = [](const std::optional<Millis>& at) { return at ? Cell(Instant{*at}) : Cell{}; };
    for (std::size_t i = 0; i < r.jobs.size() && i < r.def.jobs.size(); ++i) {
        const auto& j = r.jobs[i];
        t.rows.push_back({Cell(r.def.jobs[i].key), Cell(r.def.jobs[i].name), Cell(j.status),
                          Cell(static_cast<std::int64_t>(j.attempt)), opt_instant(j.started_at), opt_instant(j.ended_at),
                          j.exit_code ? Cell(static_cast<std::int64_t>(*j.exit_code)) : Cell{},
                          Cell(j.output.substr(0, 200))});
    }
    return ExportResponse(ctx, t);
}

Result<http::Response> ListRuns(Context& ctx) {
    jobs::RunFilter f;
    f.jobnet_id = UNYO_TRY(ctx.QueryInt("jobnet_id", 1, INT64_MAX));
    f.status = ctx.QueryString("status");
    f.from = UNYO_TRY(ctx.QueryTime("from"));
    f.to = UNYO_TRY(ctx.QueryTime("to"));
    f.limit = UNYO_TRY(ctx.Limit());
    f.before_id = UNYO_TRY(ctx.QueryInt("cursor", 1, INT64_MAX));
    if (auto day = ctx.QueryString("business_day")) {
        if (!calendar::Date::Parse(*day)) {
            return Fail(Error::Field("business_day", "must be a day YYYY-MM-DD", ErrorCode::kInvalidArgument));
        }
        f.business_day = *day;
    }
    if (UNYO_TRY(WantsExport(ctx))) return RunsReport(ctx, f);
    const auto page = UNYO_TRY(jobs::runs::List(ctx.services().db, f));
    json::array items;
    for (const auto& r : page) items.push_back(jobs::ToJson(r, false));
    const bool full = std::ssize(page) == f.limit;
    return ListResponse(std::move(items), full ? std::optional(page.back().id) : std::nullopt);
}

Result<http::Response> GetRun(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    return ctx.services().db.Read([&](storage::Connection& c) -> Result<http::Response> {
        const auto run = UNYO_TRY(jobs::runs::Load(c, id));
        if (UNYO_TRY(WantsExport(ctx))) return RunReport(ctx, run);
        const auto events = UNYO_TRY(jobs::runs::Events(c, id));
        return ResourceResponse(jobs::ToJson(run, true, &events), run.version);
    });
}

Result<http::Response> RunAction(Context& ctx) {
    const auto id = UNYO_TRY(ctx.IdParam());
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"action", "job", "comment"});
    const auto action = f.RequiredString("action", 40);
    const auto job = f.OptionalString("job", 64);
    const auto comment = f.OptionalString("comment", 2000).value_or("");
    UNYO_TRY_VOID(f.Finish());
    const bool approver = ctx.principal().Is(auth::Role::kAdmin) || ctx.principal().Is(auth::Role::kManager);
    UNYO_TRY(J(ctx).runner.Act(id, action, job, comment, ctx.actor(), approver));
    return GetRun(ctx);
}

Result<http::Response> ExportJobnets(Context& ctx) {
    http::Response r;
    r.content_type = "application/yaml; charset=utf-8";
    const auto name = ctx.QueryString("name");
    r.body = UNYO_TRY(J(ctx).jobnets.ExportYaml(name.value_or("")));
    if (!name) r.SetHeader("Content-Disposition", "attachment; filename=\"jobnets.yaml\"");
    return r;
}

Result<http::Response> ImportJobnets(Context& ctx) {
    const bool dry_run = UNYO_TRY(ctx.QueryBool("dry_run")).value_or(false);
    const auto s = UNYO_TRY(J(ctx).jobnets.ImportYaml(ctx.request().body, ctx.actor(), dry_run));
    if (!dry_run) J(ctx).runner.Wake();
    return http::Response::Json(200, json::object{{"dry_run", dry_run},
                                                  {"created", s.created},
                                                  {"updated", s.updated},
                                                  {"unchanged", s.unchanged}});
}

}  // namespace

void AddJobRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/api/v1/jobnets", in, 0, false, "Jobnets with their next start and last run", "any signed-in user",
           ListJobnets});
    r.Add({"POST", "/api/v1/jobnets", in, kAdmin, true, "Define a jobnet (its commands run on the unyo host)", "admin",
           CreateJobnet});
    r.Add({"GET", "/api/v1/jobnets/export", in, 0, false, "Every jobnet (or the one `name`) as YAML", "any signed-in user", ExportJobnets});
    Route import{"POST", "/api/v1/jobnets/import", in, kAdmin, false,
                 "Create or update jobnets by name from YAML (dry_run=true: only say what would change)", "admin",
                 ImportJobnets};
    import.raw_body = true;
    r.Add(std::move(import));
    r.Add({"GET", "/api/v1/jobnets/{id}", in, 0, false, "One jobnet", "any signed-in user", GetJobnet});
    r.Add({"PATCH", "/api/v1/jobnets/{id}", in, kAdmin, false, "Change a jobnet (If-Match)", "admin", UpdateJobnet});
    r.Add({"DELETE", "/api/v1/jobnets/{id}", in, kAdmin, false, "Delete a jobnet that never ran", "admin", DeleteJobnet});
    r.Add({"GET", "/api/v1/jobnets/{id}/schedule", in, 0, false, "Planned starts between from and to",
           "any signed-in user", JobnetSchedule});
    r.Add({"POST", "/api/v1/jobnets/{id}/runs", in, kStaff, true, "Run a jobnet now (params optional)", staff, StartRun});
    r.Add({"GET", "/api/v1/jobnet-runs", in, 0, false,
           "Runs, newest first (jobnet_id, status, business_day, from, to, limit, cursor; format=csv|xlsx: the result report)",
           "any signed-in user", ListRuns});
    r.Add({"GET", "/api/v1/jobnet-runs/{id}", in, 0, false, "One run with its jobs and events", "any signed-in user",
           GetRun});
    r.Add({"POST", "/api/v1/jobnet-runs/{id}/actions", in, kStaff, false,
           "An operator's action: rerun_failed, rerun_job, rerun_all, skip, force_complete, hold, release, kill; "
           "approve, reject (admin, manager)",
           staff,
           RunAction});
}

}  // namespace unyo::api
