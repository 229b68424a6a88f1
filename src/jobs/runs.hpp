#pragma once
// Jobnet runs as stored: a run copies its jobnet's definition and keeps each job's state and the
// events of the run (what happened, who did what). Reading is free for any thread; writing is the
// runner's (jobs/runner.hpp), inside its own transactions.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jobs/jobnet.hpp"
#include "storage/sql/database.hpp"

namespace unyo::jobs {

struct JobState {
    std::string status = "pending";  // pending running retrying succeeded failed killed skipped forced lost
                                     // waiting_approval bypassed (a branch a judge did not take)
    int attempt = 0;
    bool held = false;
    std::optional<Millis> started_at, ended_at, next_attempt_at;
    std::optional<int> exit_code;
    std::string output;
    bool output_truncated = false;
    std::optional<std::int64_t> pid;
};

struct RunEvent {
    Millis at = 0;
    std::optional<std::string> job;
    std::string kind, message, actor = "system";
};

struct Run {
    std::int64_t id = 0, jobnet_id = 0;
    Jobnet def;  // as it was when the run was made
    std::string trigger = "manual";  // schedule | manual | recovery
    std::string status = "waiting";  // waiting running succeeded failed killed missed
    Millis planned_at = 0, created_at = 0;
    std::string business_day;
    std::optional<Millis> started_at, ended_at, start_deadline_at, end_deadline_at;
    std::string created_by;
    json::object params;
    bool start_late = false, end_late = false, held = false;
    std::int64_t version = 1;
    std::vector<JobState> jobs;  // in the definition's order (empty in a list)
    std::map<std::string, std::int64_t> job_counts;  // a list's only (no jobs read): see JobCounts
};

/// The run's jobs by status: counted from its jobs, or a list's counts.
[[nodiscard]] std::map<std::string, std::int64_t> JobCounts(const Run& r);
/// A job state that lets the jobs after it go on.
[[nodiscard]] bool Done(std::string_view status);
/// A job state that stops the jobs after it until an operator acts.
[[nodiscard]] bool Broken(std::string_view status);
/// A run state after which nothing starts by itself.
[[nodiscard]] bool Finished(std::string_view run_status);

/// The run; `jobs` adds each job (with its definition's name, type and after), `events` the events.
[[nodiscard]] json::object ToJson(const Run& r, bool jobs, const std::vector<RunEvent>* events = nullptr);

struct RunFilter {
    std::optional<std::int64_t> jobnet_id;
    std::optional<std::string> status;
    std::optional<Millis> from, to;  // planned_at in [from, to)
    std::optional<std::string> business_day;  // YYYY-MM-DD
    int limit = 50;
    std::optional<std::int64_t> before_id;
};

namespace runs {
/// Inside `c`: run `id` with its jobs.
[[nodiscard]] Result<Run> Load(storage::Connection& c, std::int64_t id);
/// Inside `c`: the events of run `id` in order.
[[nodiscard]] Result<std::vector<RunEvent>> Events(storage::Connection& c, std::int64_t id);
/// Newest first; without the definition (but its name and service), jobs or events: job_counts.
[[nodiscard]] Result<std::vector<Run>> List(storage::Database& db, const RunFilter& f);
/// The newest run of each jobnet, in list form.
[[nodiscard]] Result<std::vector<Run>> LatestPerJobnet(storage::Database& db);
/// Inside `c`: the keys of the failed, killed and lost jobs of run `id`, in the definition's order.
[[nodiscard]] Result<std::vector<std::string>> BrokenJobs(storage::Connection& c, std::int64_t id);
/// Inside `c`: how many times an operator reran jobs of run `id` (rerun_failed, rerun_job, rerun_all).
[[nodiscard]] Result<std::int64_t> Reruns(storage::Connection& c, std::int64_t id);
/// Inside `c`: inserts `r` (its id set) with a row per job.
[[nodiscard]] Result<void> Insert(storage::Connection& c, Run& r);
/// Inside `c`: writes the run's row and the jobs at `job_indices`.
[[nodiscard]] Result<void> Save(storage::Connection& c, const Run& r, const std::vector<int>& job_indices);
[[nodiscard]] Result<void> AddEvent(storage::Connection& c, std::int64_t run_id, const RunEvent& e);
/// The ids of runs in `statuses`.
[[nodiscard]] Result<std::vector<std::int64_t>> IdsWithStatus(storage::Connection& c, const std::vector<std::string>& statuses);
}  // namespace runs

}  // namespace unyo::jobs
