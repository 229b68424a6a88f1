#pragma once
// A jobnet's definition (JOB-1..5): a DAG of jobs with a schedule on a business calendar,
// deadlines (処理時限), a recovery policy and limits. Pure: reading and checking a definition,
// writing it back, and the instants its deadlines fall on. docs/jobs.md is the contract.

#include <cstdint>
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
    /// `backup`: {self: true} (unyo's own data) or a backup spec (backup::CreateOptionsFromJson);
    /// `restore_drill`: {self: true} or {destination, name} (the newest generation there).
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
/// among the jobs is named with its keys. References to other rows (calendar, monitor) are
/// checked by the store.
[[nodiscard]] Result<Jobnet> JobnetFromJson(const json::object& body, Jobnet base, bool create);
/// The definition members only: what a run copies and an export carries.
[[nodiscard]] json::object DefinitionToJson(const Jobnet& n);
/// The definition with id, next_start_at, times and version.
[[nodiscard]] json::object ToJson(const Jobnet& n);
[[nodiscard]] std::string_view RecoveryName(Recovery r);

/// The first instant at or after `from` whose clock time (at `utc_offset_minutes`) is `minutes`.
[[nodiscard]] Millis NextClockTime(Millis from, int minutes, int utc_offset_minutes);

}  // namespace unyo::jobs
