#pragma once
// The job runner (JOB-2..7): makes scheduled starts into runs (each planned instant once), starts
// each job of a run when the jobs it waits for are done, within the global and per-jobnet limits,
// retries failed attempts with back-off, kills jobs past their timeout, watches the deadlines, applies
// the recovery policy, and carries out operators' actions. Every change is in the database before
// the process it concerns starts, and each attempt runs under `unyo-jobexec`, which writes its end
// to files; so after a crash or kill -9 `Start()` finds each running job still alive (and follows
// it), finished while the server was down (and takes its exit status), or lost, and never runs a
// finished job again.
//
// Threading: one thread of its own (Start/Stop); RunNow, Act and Step may be called from any
// thread (a mutex guards the state). Tests drive it with Step() and a FakeClock, without Start().

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.hpp"
#include "jobs/jobnet_store.hpp"
#include "jobs/runs.hpp"

namespace unyo::jobs {

struct RunnerOptions {
    std::filesystem::path work_dir;  // per attempt: RUN/KEY.ATTEMPT/{pid,output,status}
    std::string exec_path;           // unyo-jobexec
    std::string unyo_path;           // unyo itself: backup and restore-drill jobs run `unyo backup …`
    std::filesystem::path data_dir;  // the server's, for those jobs
    int max_parallel = 16;           // jobs running at once, over all runs
    std::map<std::string, int> queue_limits;  // jobs running at once in the runs of a queue
    std::size_t output_limit = 64 * 1024;
    Millis kill_grace_ms = 10 * kSecondMs;  // SIGTERM, then SIGKILL this much later
};

/// What the runner tells the alert pipeline: a run failed or was late, or that is over.
struct JobAlert {
    std::string dedup_key;  // "jobnet-run:12", "jobnet-run:12:start-late", "jobnet:3:missed:…"
    std::string name;       // the jobnet
    std::string service;
    std::string severity;
    bool firing = true;
    std::string state, state_label;  // failed 異常終了, late 遅延, missed 未実行
    std::string message;
    Millis detected_at = 0;
    std::optional<std::int64_t> ci_id;  // the configuration item the jobnet serves: its incident is about it
};

class Runner {
public:
    Runner(storage::Database& db, const Clock& clock, JobnetStore& jobnets, RunnerOptions options);
    ~Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    void set_alert_sink(std::function<void(const JobAlert&)> sink) { alert_sink_ = std::move(sink); }
    void set_heartbeat(std::function<void(std::int64_t monitor_id)> beat) { heartbeat_ = std::move(beat); }

    /// Reconciles the runs left running, then runs the loop on a thread of its own.
    [[nodiscard]] Result<void> Start();
    /// Stops the loop; jobs keep running and are found again by the next Start().
    void Stop();
    /// Reconciles the runs left running by an earlier process (Start does it first).
    [[nodiscard]] Result<void> Reconcile();

    /// A run of jobnet `id` now; 409 when one is active and overlap is not allowed.
    [[nodiscard]] Result<Run> RunNow(std::int64_t jobnet_id, const json::object& params, const audit::Actor& actor);
    /// An operator's action on run `run_id` (docs/jobs.md); 409 naming why when it does not fit.
    /// `approver`: the caller may decide approval jobs (admin or manager).
    [[nodiscard]] Result<Run> Act(std::int64_t run_id, const std::string& action, const std::optional<std::string>& job,
                                  const std::string& comment, const audit::Actor& actor, bool approver = false);
    /// One turn: finished processes, timeouts, retries, schedules, deadlines, new starts.
    [[nodiscard]] Result<void> Step();
    /// Makes the loop turn now and look at the schedules again (a jobnet was changed, say).
    void Wake();
    /// Removes the attempt files (pid, output, status) of runs that ended before `before`: the
    /// database keeps each job's output (its first 64 KiB); the files matter only while a run can
    /// still be reconciled. Returns how many runs' files went.
    [[nodiscard]] Result<int> PruneFiles(Millis before);
    /// Processes running now.
    [[nodiscard]] std::size_t Running() const;

private:
    struct Live;  // a run in memory: its state and what the runner needs to drive it
    struct Proc {
        std::int64_t run_id = 0;
        int job = 0;
        int pid = 0;
        int pidfd = -1;
        bool child = true;       // ours to wait for (false: adopted after a restart)
        std::string start_time;  // of an adopted process, from its pid file
        Millis deadline = 0;     // the job's timeout
        std::string stop_reason;  // "timeout" | "kill" once a signal was sent
        Millis kill_at = 0;
        std::filesystem::path dir;
    };

    Live* Find(std::int64_t run_id);
    Result<Live*> Ensure(storage::Connection& c, std::int64_t run_id);
    void Track(Run run);
    void Recount(Live& l);
    void Settle(Live& l, Millis now);
    void MarkJob(Live& l, int job);
    void Event(Live& l, Millis now, std::optional<int> job, std::string kind, std::string message,
               std::string actor = "system");
    void JobEnded(Live& l, int job, const std::string& status_line, std::optional<int> wait_status,
                  const std::string& stop_reason, const std::filesystem::path& dir, Millis now);
    void FailOrRetry(Live& l, int job, Millis now, const std::string& why);
    /// `job` is done: the jobs waiting only for it become ready.
    void Release(Live& l, int job);
    /// Why `job` is bypassed (a judge before it chose the other branch, or every job before it
    /// was bypassed), or empty when it runs.
    [[nodiscard]] std::string BypassReason(const Live& l, int job) const;
    /// Bypasses `job` when BypassReason says so; whether it did.
    bool Bypass(Live& l, int job, Millis now);
    /// Carries out a job that needs no process (judge, an unexpanded nested jobnet, approval);
    /// false for one that runs a process.
    bool WithoutProcess(Live& l, int job, Millis now);
    void Lose(Live& l, int job, Millis now, const std::string& why);
    /// Inside `c`: a new run of `n` planned at `planned`, its business day and deadlines in the
    /// zone of the jobnet's calendar (read before the transaction).
    Result<Run> MakeRun(storage::Connection& c, const Jobnet& n, int utc_offset, const std::string& trigger,
                        Millis planned, const json::object& params, const std::string& by, Millis now);

    void Reap(Millis now);
    void Timeouts(Millis now);
    void Retries(Millis now);
    Result<void> Schedules(Millis now);
    Result<void> Deadlines(Millis now);
    std::vector<std::pair<std::int64_t, int>> Dispatch(Millis now);
    /// Inside `c`: every changed run and job, and the events not yet written.
    Result<void> WriteChanges(storage::Connection& c);
    Result<void> Flush();
    void Spawn(std::int64_t run_id, int job, Millis now);
    /// The program and arguments of a job (a backup job runs `unyo backup …`).
    [[nodiscard]] std::vector<std::string> CommandOf(const JobDef& d) const;
    void Loop();

    storage::Database& db_;
    const Clock& clock_;
    JobnetStore& jobnets_;
    RunnerOptions options_;
    std::function<void(const JobAlert&)> alert_sink_;
    std::function<void(std::int64_t)> heartbeat_;

    mutable std::mutex mu_;
    std::map<std::int64_t, std::unique_ptr<Live>> live_;
    std::vector<Proc> procs_;
    std::vector<std::pair<std::int64_t, RunEvent>> events_;  // not yet written
    std::vector<JobAlert> alerts_;                           // to send after the write
    std::vector<std::int64_t> beats_;
    Millis next_periodic_ = 0;  // schedules and deadlines, once a second
    Millis next_due_ = std::numeric_limits<Millis>::max();  // the next scheduled start of any jobnet
    std::atomic<bool> look_again_{false};                     // Wake() asked for schedules to be read

    int wake_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace unyo::jobs
