#pragma once
// A jobnet's definition (JOB-1..5): a DAG of jobs with a schedule on a business calendar,
// deadlines (処理時限), a recovery policy and limits. Pure: reading and checking a definition,
// writing it back, and the instants its deadlines fall on. docs/jobs.md is the contract.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "jobs/schedule.hpp"

namespace unyo::jobs {

struct JobDef {
    std::string key;   // unique in the jobnet
    std::string name;  // shown to people; the key when not given
    std::string type = "command";
    std::vector<std::string> command;  // argv, no shell
    std::vector<std::pair<std::string, std::string>> env;
    std::string workdir;
    int timeout_s = 3600;
    int retries = 0;
    int retry_delay_s = 60;
    std::vector<std::string> after;  // keys that must end first
    std::vector<int> success_codes{0};  // exit codes that count as success (a judge may tell them apart)
    /// `backup`: {self: true} (unyo's own data) or a backup spec (backup::CreateOptionsFromJson);
    /// `restore_drill`: {self: true} or {destination, name} (the newest generation there);
    /// `judge`: {job, exit_codes?, output_contains?, output_matches?, else?}; `jobnet`: {name}
    /// (in a run, a nested jobnet that could not be expanded: {name, error}).
    json::object spec;
};

enum class Recovery { kNone, kNextRun, kImmediate };

struct Jobnet {
    std::int64_t id = 0;
    std::string name, description, service;
    std::optional<std::int64_t> calendar_id;
    bool enabled = true;
    std::string severity = "high";
    std::optional<Schedule> schedule;
    std::optional<int> start_by, end_by;  // clock minutes
    Recovery recovery = Recovery::kNone;
    int recovery_limit_min = 120;
    bool allow_overlap = false;
    int max_parallel = 0;  // jobs of one run at once; 0: only the global limit
    std::string queue;     // jobnets sharing a queue share its limit (config jobs.queues); "" none
    std::optional<std::int64_t> heartbeat_monitor_id;
    std::optional<std::int64_t> ci_id;  // the configuration item it serves (its failures' incidents are about it)
    std::vector<JobDef> jobs;

    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
    std::optional<Millis> next_start_at;

    /// The index of the job with `key`, or -1.
    [[nodiscard]] int IndexOf(std::string_view key) const;
};

inline constexpr std::size_t kMaxJobs = 10'000;

/// Reads the definition members of `body` over `base` (all of them when `create`); every bad
/// member is named (`jobs[1].after`, `schedule.start_times`, `deadlines.end_by`), and a cycle
/// among the jobs is named with its keys. References to other rows (calendar, monitor, nested
/// jobnets) are checked by the store. `in_run`: a run's copy, whose nested jobnets are expanded
/// (keys `outer/inner`).
[[nodiscard]] Result<Jobnet> JobnetFromJson(const json::object& body, Jobnet base, bool create, bool in_run = false);
/// The definition members only: what a run copies and an export carries.
[[nodiscard]] json::object DefinitionToJson(const Jobnet& n);
/// The definition with id, next_start_at, times and version.
[[nodiscard]] json::object ToJson(const Jobnet& n);
[[nodiscard]] std::string_view RecoveryName(Recovery r);

/// The jobnet named `name`, if there is one.
using JobnetLookup = std::function<std::optional<Jobnet>(std::string_view name)>;
/// `n` with each `jobnet` job replaced by the jobs of the jobnet it names (recursively), keyed
/// `KEY/inner`: their first jobs wait for what the `jobnet` job waited for, and the jobs that
/// waited for it wait for their last ones; a judge's `job` and `else` follow. A nested jobnet
/// brings its jobs only: the outer jobnet's limits, deadlines and recovery apply. One that cannot
/// be expanded (missing, nesting itself, more than 10,000 jobs in all, deeper than 8) stays a
/// `jobnet` job whose spec says why (`error`), and the runner fails it. `problems` gets each reason.
[[nodiscard]] Jobnet ExpandNested(const Jobnet& n, const JobnetLookup& lookup, std::vector<std::string>* problems = nullptr);

/// A judge job's decision on the job it names.
struct Verdict {
    bool holds = false;
    std::string text;  // what was compared, in Japanese, for the run's output
};
/// All of the judge's conditions on `exit_code` and `output` of the job it names (a job that did
/// not run, e.g. skipped, has no exit code: an `exit_codes` condition does not hold).
[[nodiscard]] Verdict Judge(const JobDef& judge, std::optional<int> exit_code, const std::string& output);
/// Whether `key` is in the judge's `else` branch (runs when the condition does not hold).
[[nodiscard]] bool InElse(const JobDef& judge, std::string_view key);

/// The first instant at or after `from` whose clock time (at `utc_offset_minutes`) is `minutes`.
[[nodiscard]] Millis NextClockTime(Millis from, int minutes, int utc_offset_minutes);

}  // namespace unyo::jobs
