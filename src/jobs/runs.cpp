#include "jobs/runs.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::jobs {
namespace {

constexpr const char* kRunColumns =
    "id, jobnet_id, definition_json, trigger_kind, status, planned_at, business_day, created_at, started_at, "
    "ended_at, created_by, params_json, start_deadline_at, end_deadline_at, start_late, end_late, held, version, "
    "jobnet_name, service";
constexpr const char* kJobColumns =
    "job_key, status, attempt, held, started_at, ended_at, exit_code, output, output_truncated, next_attempt_at, pid";

// `with_definition`: column 2 is the definition (else it is skipped: a list needs only the name
// and service, columns 18 and 19).
// A list's: the definition left out (its name and service have columns of their own).
constexpr const char* kListColumns =
    "id, jobnet_id, '', trigger_kind, status, planned_at, business_day, created_at, started_at, "
    "ended_at, created_by, params_json, start_deadline_at, end_deadline_at, start_late, end_late, held, version, "
    "jobnet_name, service";

Run RunFromRow(const storage::Row& row, bool with_definition) {
    Run r;
    r.id = row.Int(0);
    r.jobnet_id = row.Int(1);
    if (with_definition) {
        if (auto def = JobnetFromJson(ParseObjectOrEmpty(row.Text(2)), Jobnet{}, true, true)) r.def = std::move(*def);
    }
    r.def.name = row.Text(18);
    r.def.service = row.Text(19);
    r.def.id = r.jobnet_id;
    r.trigger = row.Text(3);
    r.status = row.Text(4);
    r.planned_at = row.Int(5);
    r.business_day = row.Text(6);
    r.created_at = row.Int(7);
    r.started_at = row.OptInt(8);
    r.ended_at = row.OptInt(9);
    r.created_by = row.Text(10);
    r.params = ParseObjectOrEmpty(row.Text(11));
    r.start_deadline_at = row.OptInt(12);
    r.end_deadline_at = row.OptInt(13);
    r.start_late = row.Bool(14);
    r.end_late = row.Bool(15);
    r.held = row.Bool(16);
    r.version = row.Int(17);
    return r;
}

std::optional<int> OptInt32(const std::optional<std::int64_t>& v) {
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

}  // namespace

std::map<std::string, std::int64_t> JobCounts(const Run& r) {
    if (r.jobs.empty()) return r.job_counts;
    std::map<std::string, std::int64_t> out;
    for (const auto& j : r.jobs) ++out[j.status];
    return out;
}

bool Done(std::string_view s) { return s == "succeeded" || s == "skipped" || s == "forced" || s == "bypassed"; }
bool Broken(std::string_view s) { return s == "failed" || s == "killed" || s == "lost"; }
bool Finished(std::string_view s) { return s == "succeeded" || s == "failed" || s == "killed" || s == "missed"; }

json::object ToJson(const Run& r, bool jobs, const std::vector<RunEvent>* events) {
    json::object out{{"id", r.id},
                     {"jobnet_id", r.jobnet_id},
                     {"jobnet_name", r.def.name},
                     {"service", r.def.service},
                     {"trigger", r.trigger},
                     {"status", r.status},
                     {"planned_at", FormatRfc3339(r.planned_at)},
                     {"business_day", r.business_day},
                     {"created_at", FormatRfc3339(r.created_at)},
                     {"started_at", InstantOrNull(r.started_at)},
                     {"ended_at", InstantOrNull(r.ended_at)},
                     {"created_by", r.created_by},
                     {"params", r.params},
                     {"start_deadline_at", InstantOrNull(r.start_deadline_at)},
                     {"end_deadline_at", InstantOrNull(r.end_deadline_at)},
                     {"start_late", r.start_late},
                     {"end_late", r.end_late},
                     {"held", r.held},
                     {"version", r.version}};
    json::object counts;
    for (const auto& [status, n] : JobCounts(r)) counts[status] = n;
    out["job_counts"] = std::move(counts);
    if (jobs) {
        json::array items;
        for (std::size_t i = 0; i < r.jobs.size() && i < r.def.jobs.size(); ++i) {
            const auto& d = r.def.jobs[i];
            const auto& j = r.jobs[i];
            items.push_back(json::object{{"key", d.key},
                                         {"name", d.name},
                                         {"type", d.type},
                                         {"after", json::value_from(d.after)},
                                         {"status", j.status},
                                         {"attempt", j.attempt},
                                         {"held", j.held},
                                         {"started_at", InstantOrNull(j.started_at)},
                                         {"ended_at", InstantOrNull(j.ended_at)},
                                         {"exit_code", OrNull(j.exit_code)},
                                         {"output", j.output},
                                         {"output_truncated", j.output_truncated},
                                         {"next_attempt_at", InstantOrNull(j.next_attempt_at)}});
            if (d.type == "approval") items.back().as_object()["approval_message"] = StringOf(d.spec, "message");
        }
        out["jobs"] = std::move(items);
    }
    if (events) {
        json::array items;
        for (const auto& e : *events) {
            items.push_back(json::object{{"at", FormatRfc3339(e.at)},
                                         {"job", OrNull(e.job)},
                                         {"kind", e.kind},
                                         {"message", e.message},
                                         {"actor", e.actor}});
        }
        out["events"] = std::move(items);
    }
    return out;
}

namespace runs {
namespace {

// Runs in list form (`tail`: the WHERE and ORDER clauses), with their job counts read at once.
Result<std::vector<Run>> ReadList(storage::Connection& c, const std::string& tail, const std::vector<storage::Value>& args) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM jobnet_runs {}", kListColumns, tail), args));
    std::vector<Run> out;
    std::vector<storage::Value> ids;
    std::string placeholders;
    for (const auto& row : rows.rows) {
        out.push_back(RunFromRow(row, false));
        ids.emplace_back(out.back().id);
        placeholders += fmt::format("{}${}", placeholders.empty() ? "" : ", ", ids.size());
    }
    if (out.empty()) return out;
    auto counts = UNYO_TRY(c.Query(
        fmt::format("SELECT run_id, status, COUNT(*) FROM job_runs WHERE run_id IN ({}) GROUP BY run_id, status", placeholders),
        ids));
    std::map<std::int64_t, Run*> by_id;
    for (auto& r : out) by_id[r.id] = &r;
    for (const auto& row : counts.rows) by_id.at(row.Int(0))->job_counts[row.Text(1)] = row.Int(2);
    return out;
}

}  // namespace

Result<Run> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM jobnet_runs WHERE id = $1", kRunColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("jobnet run {} does not exist", id)));
    Run r = RunFromRow(rows.front(), true);
    r.jobs.resize(r.def.jobs.size());
    auto jobs = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM job_runs WHERE run_id = $1", kJobColumns), {id}));
    for (const auto& row : jobs.rows) {
        const int i = r.def.IndexOf(row.Text(0));
        if (i < 0) continue;
        auto& j = r.jobs[static_cast<std::size_t>(i)];
        j.status = row.Text(1);
        j.attempt = static_cast<int>(row.Int(2));
        j.held = row.Bool(3);
        j.started_at = row.OptInt(4);
        j.ended_at = row.OptInt(5);
        j.exit_code = OptInt32(row.OptInt(6));
        j.output = row.Text(7);
        j.output_truncated = row.Bool(8);
        j.next_attempt_at = row.OptInt(9);
        j.pid = row.OptInt(10);
    }
    return r;
}

Result<std::vector<RunEvent>> Events(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(
        c.Query("SELECT at, job_key, kind, message, actor FROM jobnet_run_events WHERE run_id = $1 ORDER BY id", {id}));
    std::vector<RunEvent> out;
    for (const auto& row : rows.rows) out.push_back({row.Int(0), row.OptText(1), row.Text(2), row.Text(3), row.Text(4)});
    return out;
}

Result<std::vector<Run>> List(storage::Database& db, const RunFilter& f) {
    return db.Read([&](storage::Connection& c) -> Result<std::vector<Run>> {
        std::string where = "1 = 1";
        std::vector<storage::Value> args;
        const auto add = [&](const char* cond, storage::Value v) {
            args.push_back(std::move(v));
            where += fmt::format(" AND {} ${}", cond, args.size());
        };
        if (f.jobnet_id) add("jobnet_id =", *f.jobnet_id);
        if (f.status) add("status =", *f.status);
        if (f.from) add("planned_at >=", *f.from);
        if (f.to) add("planned_at <", *f.to);
        if (f.business_day) add("business_day =", *f.business_day);
        if (f.before_id) add("id <", *f.before_id);
        args.push_back(std::int64_t{f.limit});
        return ReadList(c, fmt::format("WHERE {} ORDER BY id DESC LIMIT ${}", where, args.size()), args);
    });
}

Result<std::vector<Run>> LatestPerJobnet(storage::Database& db) {
    return db.Read([&](storage::Connection& c) {
        return ReadList(c, "WHERE id IN (SELECT MAX(id) FROM jobnet_runs GROUP BY jobnet_id) ORDER BY id DESC", {});
    });
}

Result<std::vector<std::string>> BrokenJobs(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query("SELECT job_key FROM job_runs WHERE run_id = $1 AND status IN ('failed', 'killed', 'lost') "
                                 "ORDER BY position",
                                 {id}));
    std::vector<std::string> out;
    for (const auto& r : rows.rows) out.push_back(r.Text(0));
    return out;
}

Result<std::int64_t> Reruns(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query("SELECT COUNT(*) FROM jobnet_run_events WHERE run_id = $1 AND kind = 'action' AND "
                                 "message LIKE 'rerun%'",
                                 {id}));
    return rows.front().Int(0);
}

Result<void> Insert(storage::Connection& c, Run& r) {
    auto rows = UNYO_TRY(c.Query(
        "INSERT INTO jobnet_runs (jobnet_id, jobnet_name, service, definition_json, trigger_kind, status, planned_at, "
        "business_day, created_at, started_at, ended_at, created_by, params_json, start_deadline_at, end_deadline_at, "
        "start_late, end_late, held, version) VALUES ($1, $2, $18, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
        "$15, $16, $17, 1) RETURNING id",
        {r.jobnet_id, r.def.name, json::serialize(DefinitionToJson(r.def)), r.trigger, r.status, r.planned_at,
         r.business_day, r.created_at, storage::Nullable(r.started_at), storage::Nullable(r.ended_at), r.created_by,
         json::serialize(r.params), storage::Nullable(r.start_deadline_at), storage::Nullable(r.end_deadline_at),
         std::int64_t{r.start_late}, std::int64_t{r.end_late}, std::int64_t{r.held}, r.def.service}));
    r.id = rows.front().Int(0);
    r.jobs.resize(r.def.jobs.size());
    for (std::size_t i = 0; i < r.jobs.size(); ++i) {
        UNYO_TRY(c.Exec("INSERT INTO job_runs (run_id, job_key, position, status) VALUES ($1, $2, $3, $4)",
                        {r.id, r.def.jobs[i].key, static_cast<std::int64_t>(i), r.jobs[i].status}));
    }
    return {};
}

Result<void> Save(storage::Connection& c, const Run& r, const std::vector<int>& job_indices) {
    UNYO_TRY(c.Exec("UPDATE jobnet_runs SET status = $1, started_at = $2, ended_at = $3, start_late = $4, end_late = $5, "
                    "held = $6, version = $7 WHERE id = $8",
                    {r.status, storage::Nullable(r.started_at), storage::Nullable(r.ended_at), std::int64_t{r.start_late},
                     std::int64_t{r.end_late}, std::int64_t{r.held}, r.version, r.id}));
    for (const int i : job_indices) {
        const auto& j = r.jobs[static_cast<std::size_t>(i)];
        const std::optional<std::int64_t> exit_code =
            j.exit_code ? std::optional<std::int64_t>(*j.exit_code) : std::nullopt;
        UNYO_TRY(c.Exec("UPDATE job_runs SET status = $1, attempt = $2, held = $3, started_at = $4, ended_at = $5, "
                        "exit_code = $6, output = $7, output_truncated = $8, next_attempt_at = $9, pid = $10 "
                        "WHERE run_id = $11 AND job_key = $12",
                        {j.status, std::int64_t{j.attempt}, std::int64_t{j.held}, storage::Nullable(j.started_at),
                         storage::Nullable(j.ended_at), storage::Nullable(exit_code), j.output,
                         std::int64_t{j.output_truncated}, storage::Nullable(j.next_attempt_at),
                         storage::Nullable(j.pid), r.id, r.def.jobs[static_cast<std::size_t>(i)].key}));
    }
    return {};
}

Result<void> AddEvent(storage::Connection& c, std::int64_t run_id, const RunEvent& e) {
    UNYO_TRY(c.Exec("INSERT INTO jobnet_run_events (run_id, at, job_key, kind, message, actor) VALUES ($1, $2, $3, $4, "
                    "$5, $6)",
                    {run_id, e.at, storage::Nullable(e.job), e.kind, e.message, e.actor}));
    return {};
}

Result<std::vector<std::int64_t>> IdsWithStatus(storage::Connection& c, const std::vector<std::string>& statuses) {
    std::vector<std::int64_t> out;
    for (const auto& s : statuses) {
        auto rows = UNYO_TRY(c.Query("SELECT id FROM jobnet_runs WHERE status = $1 ORDER BY id", {s}));
        for (const auto& row : rows.rows) out.push_back(row.Int(0));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace runs
}  // namespace unyo::jobs
