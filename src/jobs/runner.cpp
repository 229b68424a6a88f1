#include "jobs/runner.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/time_format.hpp"

namespace unyo::jobs {
namespace fs = std::filesystem;

struct Runner::Live {
    Run run;
    std::vector<std::vector<int>> children, parents;
    std::vector<int> waiting_on;  // parents not done yet
    std::deque<int> ready;        // pending with every parent done (held ones stay until released)
    std::set<int> retrying;
    std::vector<int> retry_base;  // the attempt at the last operator rerun: retries count from there
    std::set<int> dirty;
    bool dirty_run = false;
    bool maybe_over = false;  // a job ended or changed: Settle looks again
    int running = 0;          // processes of this run
    bool kill_requested = false;
    bool alerted = false;  // a failure alert was raised: success ends it
    bool drop = false;     // finished: leaves memory after the next write
};

namespace {

constexpr Millis kScheduleGraceMs = 60 * kSecondMs;
constexpr int kMaxCatchUp = 100;

int PidfdOpen(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

std::string ReadSmallFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The start time (field 22 of /proc/PID/stat) of a live process, or "" when there is none.
std::string ProcStartTime(int pid) {
    const std::string stat = ReadSmallFile(fmt::format("/proc/{}/stat", pid));
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos) return {};
    std::istringstream rest(stat.substr(paren + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
    }
    return field;
}

// argv or envp for posix_spawn, owning its strings.
struct CStrings {
    std::vector<std::string> strings;
    std::vector<char*> pointers;
    explicit CStrings(std::vector<std::string> s) : strings(std::move(s)) {
        for (auto& x : strings) pointers.push_back(x.data());
        pointers.push_back(nullptr);
    }
};

}  // namespace

Runner::Runner(storage::Database& db, const Clock& clock, JobnetStore& jobnets, RunnerOptions options)
    : db_(db), clock_(clock), jobnets_(jobnets), options_(std::move(options)) {
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

Runner::~Runner() {
    Stop();
    for (auto& p : procs_) {
        if (p.pidfd >= 0) close(p.pidfd);
    }
    if (wake_fd_ >= 0) close(wake_fd_);
}

void Runner::Wake() {
    look_again_ = true;
    const std::uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!write(wake_fd_, &one, sizeof one);
}

Result<int> Runner::PruneFiles(Millis before) {
    std::error_code ec;
    if (!fs::is_directory(options_.work_dir, ec)) return 0;
    auto ended = UNYO_TRY(db_.Read([&](storage::Connection& c) {
        return c.Query("SELECT id FROM jobnet_runs WHERE ended_at < $1 AND status IN ('succeeded', 'failed', 'killed', 'missed')",
                       {before});
    }));
    std::set<std::string> old;
    for (const auto& row : ended.rows) old.insert(std::to_string(row.Int(0)));
    int n = 0;
    for (const auto& e : fs::directory_iterator(options_.work_dir, ec)) {
        const auto name = e.path().filename().string();
        if (!old.contains(name)) continue;
        {
            std::lock_guard lock(mu_);
            if (Find(std::stoll(name))) continue;  // reopened by an operator
        }
        fs::remove_all(e.path(), ec);
        if (!ec) ++n;
    }
    return n;
}

std::size_t Runner::Running() const {
    std::lock_guard lock(mu_);
    return procs_.size();
}

Runner::Live* Runner::Find(std::int64_t run_id) {
    const auto it = live_.find(run_id);
    return it == live_.end() ? nullptr : it->second.get();
}

void Runner::Track(Run run) {
    auto l = std::make_unique<Live>();
    l->run = std::move(run);
    const auto n = l->run.jobs.size();
    l->children.assign(n, {});
    l->parents.assign(n, {});
    std::unordered_map<std::string_view, int> index;
    for (std::size_t i = 0; i < n; ++i) index.emplace(l->run.def.jobs[i].key, static_cast<int>(i));
    for (std::size_t i = 0; i < n; ++i) {
        for (const auto& k : l->run.def.jobs[i].after) {
            if (const auto p = index.find(k); p != index.end()) {
                l->children[static_cast<std::size_t>(p->second)].push_back(static_cast<int>(i));
                l->parents[i].push_back(p->second);
            }
        }
    }
    l->retry_base.assign(n, 0);  // after a restart, retries count from the first attempt
    Recount(*l);
    const auto id = l->run.id;
    live_[id] = std::move(l);
}

Result<Runner::Live*> Runner::Ensure(storage::Connection& c, std::int64_t run_id) {
    if (auto* l = Find(run_id)) return l;
    Run run = UNYO_TRY(runs::Load(c, run_id));
    const bool failed = run.status == "failed" || run.status == "killed";
    Track(std::move(run));
    auto* l = Find(run_id);
    l->alerted = failed;
    return l;
}

void Runner::Recount(Live& l) {
    const auto& jobs = l.run.jobs;
    const auto n = jobs.size();
    l.waiting_on.assign(n, 0);
    l.ready.clear();
    l.retrying.clear();
    for (std::size_t i = 0; i < n; ++i) {
        for (const int c : l.children[i]) {
            if (!Done(jobs[i].status)) ++l.waiting_on[static_cast<std::size_t>(c)];
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (jobs[i].status == "pending" && l.waiting_on[i] == 0) l.ready.push_back(static_cast<int>(i));
        if (jobs[i].status == "retrying") l.retrying.insert(static_cast<int>(i));
    }
    l.maybe_over = true;
}

void Runner::MarkJob(Live& l, int job) {
    l.dirty.insert(job);
    l.maybe_over = true;
}

void Runner::Event(Live& l, Millis now, std::optional<int> job, std::string kind, std::string message,
                   std::string actor) {
    std::optional<std::string> key;
    if (job) key = l.run.def.jobs[static_cast<std::size_t>(*job)].key;
    events_.push_back({l.run.id, RunEvent{now, std::move(key), std::move(kind), std::move(message), std::move(actor)}});
}

// --- a job's end ---------------------------------------------------------------------------------

void Runner::Lose(Live& l, int job, Millis now, const std::string& why) {
    auto& j = l.run.jobs[static_cast<std::size_t>(job)];
    j.status = "lost";
    j.ended_at = now;
    j.pid.reset();
    Event(l, now, job, "job_lost", why);
    MarkJob(l, job);
}

void Runner::FailOrRetry(Live& l, int job, Millis now, const std::string& why) {
    auto& j = l.run.jobs[static_cast<std::size_t>(job)];
    const auto& d = l.run.def.jobs[static_cast<std::size_t>(job)];
    const int tries = j.attempt - l.retry_base[static_cast<std::size_t>(job)];
    if (tries <= d.retries) {
        const Millis delay = static_cast<Millis>(d.retry_delay_s) * kSecondMs * (Millis{1} << std::min(tries - 1, 20));
        j.status = "retrying";
        j.next_attempt_at = now + delay;
        l.retrying.insert(job);
        Event(l, now, job, "job_retry",
              fmt::format("{}。{} 秒後に再試行します ({}/{})", why, delay / kSecondMs, tries, d.retries));
    } else {
        j.status = "failed";
        Event(l, now, job, "job_failed", why);
    }
    MarkJob(l, job);
}

void Runner::JobEnded(Live& l, int job, const std::string& status_line, std::optional<int> wait_status,
                      const std::string& stop_reason, const fs::path& dir, Millis now) {
    auto& j = l.run.jobs[static_cast<std::size_t>(job)];
    std::istringstream in(status_line);
    std::string how;
    long long code = 0, bytes = 0, end_ms = 0;
    in >> how >> code >> bytes >> end_ms;
    if (how != "exit" && how != "signal") {
        // The supervisor itself was killed (SIGKILL to the group): what we saw of it is all.
        how = wait_status && WIFSIGNALED(*wait_status) ? "signal" : "exit";
        code = !wait_status ? -1 : WIFSIGNALED(*wait_status) ? WTERMSIG(*wait_status) : WEXITSTATUS(*wait_status);
    }
    std::string output;
    {
        std::ifstream f(dir / "output", std::ios::binary);
        output.resize(options_.output_limit);
        f.read(output.data(), static_cast<std::streamsize>(options_.output_limit));
        output.resize(static_cast<std::size_t>(f.gcount()));
    }
    j.output = ValidUtf8(output);
    j.output_truncated = bytes > static_cast<long long>(options_.output_limit);
    // When the job really ended (the supervisor's stamp: also hours ago, when it ended while the
    // server was down), unless that is not between its start and now (another clock than ours,
    // such as a test's fake one).
    j.ended_at = end_ms > 0 && end_ms <= now && j.started_at && end_ms >= *j.started_at ? end_ms : now;
    j.pid.reset();
    j.exit_code = how == "exit" ? std::optional<int>(static_cast<int>(code)) : std::nullopt;
    const auto& d = l.run.def.jobs[static_cast<std::size_t>(job)];
    if (stop_reason == "kill") {
        j.status = "killed";
        Event(l, now, job, "job_killed", "操作により強制終了しました");
        MarkJob(l, job);
        return;
    }
    if (how == "exit" && std::find(d.success_codes.begin(), d.success_codes.end(), code) != d.success_codes.end()) {
        j.status = "succeeded";
        Event(l, now, job, "job_succeeded", code == 0 ? "正常終了しました" : fmt::format("終了コード {} で正常終了しました", code));
        Release(l, job);
        return;
    }
    std::string why = stop_reason == "timeout" ? fmt::format("タイムアウト ({} 秒) で停止しました", d.timeout_s)
                      : how == "exit"          ? fmt::format("終了コード {} で異常終了しました", code)
                                               : fmt::format("シグナル {} で終了しました", code);
    FailOrRetry(l, job, now, why);
}

void Runner::Release(Live& l, int job) {
    for (const int c : l.children[static_cast<std::size_t>(job)]) {
        if (--l.waiting_on[static_cast<std::size_t>(c)] == 0 && l.run.jobs[static_cast<std::size_t>(c)].status == "pending") {
            l.ready.push_back(c);
        }
    }
    MarkJob(l, job);
}

std::string Runner::BypassReason(const Live& l, int job) const {
    const auto& parents = l.parents[static_cast<std::size_t>(job)];
    if (parents.empty()) return {};
    bool all_bypassed = true;
    for (const int p : parents) {
        const auto& pd = l.run.def.jobs[static_cast<std::size_t>(p)];
        const auto& pj = l.run.jobs[static_cast<std::size_t>(p)];
        if (pd.type == "judge" && pj.status == "succeeded" && pj.exit_code) {
            const bool holds = *pj.exit_code == 0;
            if (holds == InElse(pd, l.run.def.jobs[static_cast<std::size_t>(job)].key)) {
                return fmt::format("判定ジョブ {} の条件が{}ため実行しません", pd.key, holds ? "成立した" : "成立しなかった");
            }
        }
        if (pj.status != "bypassed") all_bypassed = false;
    }
    return all_bypassed ? "先行ジョブがどれも分岐により実行されなかったため実行しません" : std::string();
}

// --- the state of a run ---------------------------------------------------------------------------

void Runner::Settle(Live& l, Millis now) {
    l.maybe_over = false;
    auto& r = l.run;
    if (r.status != "running") return;
    if (l.running > 0 || (!l.retrying.empty() && !l.kill_requested)) return;
    const auto n = r.jobs.size();
    bool all_done = true, open = false;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& s = r.jobs[i].status;
        if (!Done(s)) all_done = false;
        if ((s == "pending" || s == "retrying" || s == "waiting_approval") && l.waiting_on[i] == 0) open = true;
    }
    if (open && !l.kill_requested && !all_done) return;  // held, or about to start
    const std::string before = r.status;
    r.status = all_done ? "succeeded" : l.kill_requested ? "killed" : "failed";
    r.ended_at = now;
    l.dirty_run = true;
    l.kill_requested = false;
    const auto& def = r.def;
    if (r.status == "succeeded") {
        Event(l, now, std::nullopt, "finished", "正常終了しました");
        if (l.alerted || r.end_late) {
            alerts_.push_back({fmt::format("jobnet-run:{}", r.id), def.name, def.service, def.severity, false, "ok",
                               "正常終了", fmt::format("実行 {} は正常終了しました", r.id), now, def.ci_id});
        }
        if (r.end_late) {
            alerts_.push_back({fmt::format("jobnet-run:{}:end-late", r.id), def.name, def.service, def.severity, false,
                               "ok", "正常終了", fmt::format("実行 {} は正常終了しました", r.id), now, def.ci_id});
        }
        if (def.heartbeat_monitor_id) beats_.push_back(*def.heartbeat_monitor_id);
        l.drop = true;
        return;
    }
    // Failed or killed: immediate recovery while its limit lasts, else an alert.
    std::vector<int> broken;
    for (std::size_t i = 0; i < n; ++i) {
        if (r.jobs[i].status == "failed" || r.jobs[i].status == "lost") broken.push_back(static_cast<int>(i));
    }
    const bool recover = r.status == "failed" && def.recovery == Recovery::kImmediate && !broken.empty() &&
                         now < r.planned_at + def.recovery_limit_min * kMinuteMs;
    if (recover) {
        r.status = before;
        r.ended_at.reset();
        for (const int i : broken) {
            auto& j = r.jobs[static_cast<std::size_t>(i)];
            const Millis delay = std::max<Millis>(60 * kSecondMs, def.jobs[static_cast<std::size_t>(i)].retry_delay_s * kSecondMs);
            j.status = "retrying";
            j.next_attempt_at = now + delay;
            l.retry_base[static_cast<std::size_t>(i)] = j.attempt;
            l.retrying.insert(i);
            MarkJob(l, i);
        }
        Event(l, now, std::nullopt, "recovery",
              fmt::format("回復方針 immediate により失敗したジョブを再実行します (期限 {} 分)", def.recovery_limit_min));
        return;
    }
    std::string failed_jobs;
    for (const int i : broken) failed_jobs += (failed_jobs.empty() ? "" : ", ") + def.jobs[static_cast<std::size_t>(i)].key;
    const std::string message = r.status == "killed"
                                    ? fmt::format("実行 {} は強制終了されました", r.id)
                                    : fmt::format("実行 {} が異常終了しました (失敗したジョブ: {})", r.id, failed_jobs);
    Event(l, now, std::nullopt, "finished", message);
    alerts_.push_back({fmt::format("jobnet-run:{}", r.id), def.name, def.service, def.severity, true, "failed",
                       r.status == "killed" ? "強制終了" : "異常終了", message, now, def.ci_id});
    l.alerted = true;
    l.drop = true;
}

// --- making runs ---------------------------------------------------------------------------------

Result<Run> Runner::MakeRun(storage::Connection& c, const Jobnet& n, int utc_offset, const std::string& trigger,
                            Millis planned, const json::object& params, const std::string& by, Millis now) {
    Run r;
    r.jobnet_id = n.id;
    r.def = UNYO_TRY(JobnetStore::Expand(c, n));
    r.trigger = trigger;
    r.status = "waiting";
    r.planned_at = planned;
    r.created_at = now;
    r.created_by = by;
    r.params = params;
    const int base = n.schedule ? n.schedule->base_minutes : 0;
    r.business_day = BusinessDayOf(planned, base, utc_offset).ToString();
    if (n.start_by) r.start_deadline_at = NextClockTime(planned, *n.start_by, utc_offset);
    if (n.end_by) r.end_deadline_at = NextClockTime(planned, *n.end_by, utc_offset);
    r.jobs.assign(r.def.jobs.size(), JobState{});
    UNYO_TRY_VOID(runs::Insert(c, r));
    const std::string what = trigger == "schedule" ? "スケジュールにより作成しました"
                             : trigger == "recovery" ? "停止中に過ぎた開始を回復方針 immediate により作成しました"
                                                     : "手動で作成しました";
    UNYO_TRY_VOID(runs::AddEvent(c, r.id, {now, std::nullopt, "created", what, by}));
    return r;
}

Result<Run> Runner::RunNow(std::int64_t jobnet_id, const json::object& params, const audit::Actor& actor) {
    const Jobnet n = UNYO_TRY(jobnets_.Get(jobnet_id));
    const auto cal = UNYO_TRY(jobnets_.CalendarOf(n));
    std::vector<FieldError> bad;
    for (const auto& [k, v] : params) {
        const std::string name(k);
        const bool ok_name = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char ch) {
            return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
        });
        if (!ok_name) bad.push_back({"params." + name, "a parameter name is 1–64 of A–Z, 0–9 and _"});
        else if (!v.is_string() || v.as_string().size() > 4000) bad.push_back({"params." + name, "must be a string of at most 4000 bytes"});
    }
    if (!bad.empty()) return Fail(Error::Validation(std::move(bad)));
    std::lock_guard lock(mu_);
    if (!n.allow_overlap) {
        for (const auto& [id, l] : live_) {
            if (l->run.jobnet_id == jobnet_id && !Finished(l->run.status)) {
                return Fail(Error::Conflict(fmt::format(
                    "run {} of jobnet {} is still {}; the jobnet does not allow overlapping runs", id, jobnet_id,
                    l->run.status)));
            }
        }
    }
    const Millis now = clock_.Now();
    Run made = UNYO_TRY(db_.Write([&](storage::Connection& c) -> Result<Run> {
        Run r = UNYO_TRY(MakeRun(c, n, cal.rules().utc_offset_minutes, "manual", now, params, actor.login, now));
        UNYO_TRY(audit::Append(c, actor, {"jobnet_run.create", "jobnet_run", std::to_string(r.id), nullptr,
                                          json::object{{"jobnet_id", n.id}, {"params", params}}},
                               now));
        return r;
    }));
    Track(made);
    Wake();
    return made;
}

// --- operators' actions ----------------------------------------------------------------------------

Result<Run> Runner::Act(std::int64_t run_id, const std::string& action, const std::optional<std::string>& job,
                        const std::string& comment, const audit::Actor& actor, bool approver) {
    static const std::set<std::string> kJobActions{"rerun_job", "skip", "approve", "reject"};
    static const std::set<std::string> kActions{"rerun_failed", "rerun_job", "rerun_all", "skip", "force_complete",
                                                "hold", "release", "kill", "approve", "reject"};
    if (!kActions.contains(action)) {
        return Fail(Error::Field("action", "must be rerun_failed, rerun_job, rerun_all, skip, force_complete, hold, "
                                           "release, kill, approve or reject"));
    }
    if ((action == "approve" || action == "reject") && !approver) {
        return Fail(Error::Denied("only an admin or a manager decides an approval"));
    }
    if (action == "reject" && comment.empty()) return Fail(Error::Field("comment", "say why it is rejected"));
    if (kJobActions.contains(action) && !job) return Fail(Error::Field("job", fmt::format("{} needs the job's key", action)));
    std::lock_guard lock(mu_);
    const Millis now = clock_.Now();
    auto result = db_.Write([&](storage::Connection& c) -> Result<Run> {
        Live* l = UNYO_TRY(Ensure(c, run_id));
        auto& r = l->run;
        int ji = -1;
        if (job) {
            ji = r.def.IndexOf(*job);
            if (ji < 0) return Fail(Error::Field("job", fmt::format("run {} has no job '{}'", run_id, *job)));
        }
        const auto conflict = [&](std::string why) { return Fail(Error::Conflict(std::move(why))); };
        auto* j = ji >= 0 ? &r.jobs[static_cast<std::size_t>(ji)] : nullptr;
        const auto reopen = [&] {
            if (Finished(r.status) || r.status == "waiting") {
                if (r.status != "waiting") {
                    r.status = "running";
                    r.ended_at.reset();
                }
                l->drop = false;
            }
            l->kill_requested = false;
            l->dirty_run = true;
        };
        const auto reset = [&](int i) {
            auto& x = r.jobs[static_cast<std::size_t>(i)];
            x.status = "pending";
            x.next_attempt_at.reset();
            l->retry_base[static_cast<std::size_t>(i)] = x.attempt;
            MarkJob(*l, i);
        };
        if (r.status == "missed") return conflict(fmt::format("run {} was missed while the server was down; start the jobnet instead", run_id));
        if (action == "rerun_failed") {
            int n = 0;
            for (std::size_t i = 0; i < r.jobs.size(); ++i) {
                if (Broken(r.jobs[i].status)) {
                    reset(static_cast<int>(i));
                    ++n;
                }
            }
            if (n == 0) return conflict(fmt::format("run {} has no failed, killed or lost job", run_id));
            reopen();
        } else if (action == "rerun_job") {
            if (!Done(j->status) && !Broken(j->status)) {
                return conflict(fmt::format("job {} is {}; only a finished job can be rerun", *job, j->status));
            }
            reset(ji);
            reopen();
        } else if (action == "rerun_all") {
            if (l->running > 0) return conflict(fmt::format("run {} has jobs running; kill them first", run_id));
            for (std::size_t i = 0; i < r.jobs.size(); ++i) reset(static_cast<int>(i));
            reopen();
        } else if (action == "skip") {
            if (j->status != "pending" && j->status != "retrying" && !Broken(j->status)) {
                return conflict(fmt::format("job {} is {}; only a pending, failed, killed or lost job can be skipped", *job, j->status));
            }
            j->status = "skipped";
            j->next_attempt_at.reset();
            MarkJob(*l, ji);
            reopen();
        } else if (action == "force_complete") {
            if (j) {
                if (!Broken(j->status)) return conflict(fmt::format("job {} is {}; only a failed, killed or lost job can be completed by force", *job, j->status));
                j->status = "forced";
                MarkJob(*l, ji);
            } else {
                if (l->running > 0) return conflict(fmt::format("run {} has jobs running; kill them first", run_id));
                if (r.status == "succeeded") return conflict(fmt::format("run {} has succeeded already", run_id));
                for (std::size_t i = 0; i < r.jobs.size(); ++i) {
                    if (r.jobs[i].status == "waiting_approval") {
                        return conflict(fmt::format("job {} waits for approval; decide it first", r.def.jobs[i].key));
                    }
                }
                for (std::size_t i = 0; i < r.jobs.size(); ++i) {
                    if (!Done(r.jobs[i].status)) {
                        r.jobs[i].status = "forced";
                        r.jobs[i].next_attempt_at.reset();
                        MarkJob(*l, static_cast<int>(i));
                    }
                }
            }
            reopen();
        } else if (action == "hold" || action == "release") {
            const bool hold = action == "hold";
            if (j) {
                if (hold && j->status != "pending" && j->status != "retrying") {
                    return conflict(fmt::format("job {} is {}; only a job not started yet can be held", *job, j->status));
                }
                if (j->held == hold) return conflict(fmt::format("job {} is {} already", *job, hold ? "held" : "not held"));
                j->held = hold;
                MarkJob(*l, ji);
            } else {
                if (Finished(r.status)) return conflict(fmt::format("run {} is {}", run_id, r.status));
                if (r.held == hold) return conflict(fmt::format("run {} is {} already", run_id, hold ? "held" : "not held"));
                r.held = hold;
                l->dirty_run = true;
            }
        } else if (action == "approve" || action == "reject") {
            if (j->status != "waiting_approval") {
                return conflict(fmt::format("job {} is {}; only a job waiting for approval is decided", *job, j->status));
            }
            j->ended_at = now;
            if (action == "approve") {
                j->status = "succeeded";
                j->output = fmt::format("{} が承認しました{}", actor.login, comment.empty() ? "" : ": " + comment);
            } else {
                j->status = "failed";
                j->output = fmt::format("{} が却下しました: {}", actor.login, comment);
            }
            MarkJob(*l, ji);
        } else if (action == "kill") {
            int n = 0;
            for (auto& p : procs_) {
                if (p.run_id != run_id || (j && p.job != ji)) continue;
                if (p.stop_reason.empty()) {
                    kill(-p.pid, SIGTERM);
                    p.stop_reason = "kill";
                    p.kill_at = now + options_.kill_grace_ms;
                }
                ++n;
            }
            if (j && n == 0) return conflict(fmt::format("job {} is {}, not running", *job, j->status));
            if (!j) {
                if (Finished(r.status)) return conflict(fmt::format("run {} is {}", run_id, r.status));
                l->kill_requested = true;
                l->maybe_over = true;
                for (std::size_t i = 0; i < r.jobs.size(); ++i) {
                    if (r.jobs[i].status != "waiting_approval") continue;
                    r.jobs[i].status = "killed";
                    r.jobs[i].ended_at = now;
                    MarkJob(*l, static_cast<int>(i));
                }
            }
        }
        Recount(*l);
        const std::string what = fmt::format("{}{}{}", action, job ? " " + *job : "", comment.empty() ? "" : ": " + comment);
        Event(*l, now, ji >= 0 ? std::optional<int>(ji) : std::nullopt, "action", what, actor.login);
        UNYO_TRY(audit::Append(c, actor, {"jobnet_run." + action, "jobnet_run", std::to_string(run_id), nullptr,
                                          json::object{{"action", action}, {"job", OrNull(job)}, {"comment", comment}}},
                               now));
        Settle(*l, now);
        l->dirty_run = true;
        UNYO_TRY_VOID(WriteChanges(c));
        return r;
    });
    if (!result) {
        // Refused (nothing changed) or not written: memory follows the database again. A run
        // with processes stays in memory, so their ends are still taken.
        live_.erase(run_id);
        events_.clear();
        const auto running = std::count_if(procs_.begin(), procs_.end(), [&](const Proc& p) { return p.run_id == run_id; });
        if (running > 0) {
            if (auto again = db_.Read([&](storage::Connection& c) { return runs::Load(c, run_id); })) {
                Track(std::move(*again));
                Find(run_id)->running = static_cast<int>(running);
            }
        }
        return result;
    }
    if (auto* l = Find(run_id); l && Finished(l->run.status) && l->running == 0) live_.erase(run_id);
    Wake();
    return result;
}

// --- the turn --------------------------------------------------------------------------------------

void Runner::Reap(Millis now) {
    for (std::size_t k = 0; k < procs_.size();) {
        auto& p = procs_[k];
        std::optional<int> wait_status;
        bool ended = false;
        const fs::path status_file = p.dir / "status";
        if (p.child) {
            int st = 0;
            const int w = waitpid(p.pid, &st, WNOHANG);
            if (w == p.pid || (w < 0 && errno == ECHILD)) {
                ended = true;
                if (w == p.pid) wait_status = st;
            }
        } else {
            ended = fs::exists(status_file) || ProcStartTime(p.pid) != p.start_time;
        }
        if (!ended) {
            ++k;
            continue;
        }
        Live* l = Find(p.run_id);
        const std::string status_line = ReadSmallFile(status_file);
        if (l) {
            --l->running;
            if (status_line.empty() && !p.child && !wait_status) {
                Lose(*l, p.job, now, "プロセスが終了しましたが、終了状態が見つかりません");
            } else {
                JobEnded(*l, p.job, status_line, wait_status, p.stop_reason, p.dir, now);
            }
        }
        if (p.pidfd >= 0) close(p.pidfd);
        procs_.erase(procs_.begin() + static_cast<std::ptrdiff_t>(k));
    }
}

void Runner::Timeouts(Millis now) {
    for (auto& p : procs_) {
        if (p.stop_reason.empty() && now >= p.deadline) {
            kill(-p.pid, SIGTERM);
            p.stop_reason = "timeout";
            p.kill_at = now + options_.kill_grace_ms;
        } else if (!p.stop_reason.empty() && p.kill_at > 0 && now >= p.kill_at) {
            kill(-p.pid, SIGKILL);
            p.kill_at = 0;
        }
    }
}

void Runner::Retries(Millis now) {
    for (auto& [id, l] : live_) {
        if (l->kill_requested) continue;
        for (auto it = l->retrying.begin(); it != l->retrying.end();) {
            auto& j = l->run.jobs[static_cast<std::size_t>(*it)];
            if (j.status != "retrying") {
                it = l->retrying.erase(it);
                continue;
            }
            if (j.next_attempt_at && *j.next_attempt_at > now) {
                ++it;
                continue;
            }
            j.status = "pending";
            j.next_attempt_at.reset();
            if (l->waiting_on[static_cast<std::size_t>(*it)] == 0) l->ready.push_back(*it);
            MarkJob(*l, *it);
            it = l->retrying.erase(it);
        }
    }
}

Result<void> Runner::Schedules(Millis now) {
    auto due = UNYO_TRY(db_.Read([&](storage::Connection& c) {
        return c.Query("SELECT id, next_start_at FROM jobnets WHERE enabled = 1 AND next_start_at <= $1 ORDER BY next_start_at",
                       {now});
    }));
    for (const auto& row : due.rows) {
        const Jobnet n = UNYO_TRY(jobnets_.Get(row.Int(0)));
        const auto cal = UNYO_TRY(jobnets_.CalendarOf(n));
        Millis planned = row.Int(1);
        for (int k = 0; k < kMaxCatchUp && planned <= now; ++k) {
            const auto next = JobnetStore::NextStart(n, cal, planned);
            const bool late = now - planned > kScheduleGraceMs;
            const bool recover = late && n.recovery == Recovery::kImmediate && now - planned <= n.recovery_limit_min * kMinuteMs;
            std::optional<Run> made;
            const bool advanced = UNYO_TRY(db_.Write([&](storage::Connection& c) -> Result<bool> {
                if (!UNYO_TRY(JobnetStore::AdvanceNextStart(c, n.id, planned, next))) return false;
                Run r = UNYO_TRY(MakeRun(c, n, cal.rules().utc_offset_minutes, recover ? "recovery" : "schedule", planned, {}, "schedule", now));
                if (late && !recover) {
                    r.status = "missed";
                    r.ended_at = now;
                    UNYO_TRY_VOID(runs::Save(c, r, {}));
                    UNYO_TRY_VOID(runs::AddEvent(c, r.id, {now, std::nullopt, "missed",
                                                           "サーバー停止中に開始時刻を過ぎたため実行しませんでした", "system"}));
                }
                made = std::move(r);
                return true;
            }));
            if (!advanced) break;
            if (made->status == "missed") {
                if (n.recovery == Recovery::kNone) {
                    alerts_.push_back({fmt::format("jobnet:{}:missed:{}", n.id, planned), n.name, n.service, n.severity,
                                       true, "missed", "未実行",
                                       fmt::format("ジョブネット {} の開始 (実行 {}) はサーバー停止中に過ぎたため実行されていません",
                                                   n.name, made->id),
                                       now, n.ci_id});
                }
            } else {
                Track(std::move(*made));
            }
            if (!next) break;
            planned = *next;
        }
    }
    // The next start due: the loop wakes for it, not a second later.
    auto next = UNYO_TRY(db_.Read([&](storage::Connection& c) {
        return c.Query("SELECT MIN(next_start_at) FROM jobnets WHERE enabled = 1", {});
    }));
    next_due_ = next.empty() ? std::numeric_limits<Millis>::max()
                             : next.front().OptInt(0).value_or(std::numeric_limits<Millis>::max());
    return {};
}

Result<void> Runner::Deadlines(Millis now) {
    const auto late_alert = [&](const Run& r, bool start) {
        const auto& d = r.def;
        const std::string message =
            start ? fmt::format("実行 {} が開始時限 {} までに開始していません", r.id, FormatRfc3339(*r.start_deadline_at))
                  : fmt::format("実行 {} が終了時限 {} までに正常終了していません (状態: {})", r.id,
                                FormatRfc3339(*r.end_deadline_at), r.status);
        alerts_.push_back({fmt::format("jobnet-run:{}:{}", r.id, start ? "start-late" : "end-late"), d.name, d.service,
                           d.severity, true, "late", start ? "開始遅延" : "終了遅延", message, now, d.ci_id});
        return message;
    };
    for (auto& [id, l] : live_) {
        auto& r = l->run;
        if (!r.start_late && r.start_deadline_at && !r.started_at && now >= *r.start_deadline_at) {
            r.start_late = true;
            l->dirty_run = true;
            Event(*l, now, std::nullopt, "deadline", late_alert(r, true));
        }
        if (!r.end_late && r.end_deadline_at && r.status != "succeeded" && now >= *r.end_deadline_at) {
            r.end_late = true;
            l->dirty_run = true;
            Event(*l, now, std::nullopt, "deadline", late_alert(r, false));
        }
    }
    // Runs not in memory (failed, killed, missed) are late too when they have not succeeded.
    auto rows = UNYO_TRY(db_.Read([&](storage::Connection& c) {
        return c.Query("SELECT id FROM jobnet_runs WHERE (end_late = 0 AND end_deadline_at <= $1 AND status <> 'succeeded') "
                       "OR (start_late = 0 AND start_deadline_at <= $1 AND started_at IS NULL AND status = 'missed')",
                       {now});
    }));
    std::vector<std::int64_t> ids;
    for (const auto& row : rows.rows) {
        if (!Find(row.Int(0))) ids.push_back(row.Int(0));
    }
    if (ids.empty()) return {};
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        for (const auto id : ids) {
            Run r = UNYO_TRY(runs::Load(c, id));
            for (const bool start : {true, false}) {
                const bool due = start ? !r.start_late && r.start_deadline_at && !r.started_at && now >= *r.start_deadline_at
                                       : !r.end_late && r.end_deadline_at && r.status != "succeeded" && now >= *r.end_deadline_at;
                if (!due) continue;
                (start ? r.start_late : r.end_late) = true;
                UNYO_TRY_VOID(runs::AddEvent(c, r.id, {now, std::nullopt, "deadline", late_alert(r, start), "system"}));
            }
            UNYO_TRY_VOID(runs::Save(c, r, {}));
        }
        return {};
    });
}

bool Runner::Bypass(Live& l, int i, Millis now) {
    auto why = BypassReason(l, i);
    if (why.empty()) return false;
    // A branch a judge did not take: the job does not run, and what waits on it goes on.
    auto& j = l.run.jobs[static_cast<std::size_t>(i)];
    j.status = "bypassed";
    j.started_at.reset();
    j.ended_at = now;
    j.exit_code.reset();
    j.output = why;
    Event(l, now, i, "job_bypassed", why);
    Release(l, i);
    return true;
}

bool Runner::WithoutProcess(Live& l, int i, Millis now) {
    auto& r = l.run;
    auto& j = r.jobs[static_cast<std::size_t>(i)];
    const auto& d = r.def.jobs[static_cast<std::size_t>(i)];
    if (d.type == "judge") {
        // The condition on an earlier job's exit code or output.
        const int ref = r.def.IndexOf(StringOf(d.spec, "job"));
        const JobState none;
        const auto& rj = ref >= 0 ? r.jobs[static_cast<std::size_t>(ref)] : none;
        const auto verdict = Judge(d, rj.exit_code, rj.output);
        j.status = "succeeded";
        j.ended_at = now;
        j.exit_code = verdict.holds ? 0 : 1;
        j.output = verdict.text;
        Event(l, now, i, "job_judged", verdict.text);
        Release(l, i);
        return true;
    }
    if (d.type == "jobnet") {
        // A nested jobnet that could not be expanded when the run was made.
        j.status = "failed";
        j.ended_at = now;
        j.output = fmt::format("ジョブネット {} を展開できませんでした: {}", StringOf(d.spec, "name"), StringOf(d.spec, "error"));
        Event(l, now, i, "job_failed", j.output);
        MarkJob(l, i);
        return true;
    }
    if (d.type == "approval") {
        // The job waits for an admin's or a manager's decision (JOB-6).
        j.status = "waiting_approval";
        MarkJob(l, i);
        Event(l, now, i, "job_waiting", fmt::format("承認を待っています: {}", StringOf(d.spec, "message")));
        return true;
    }
    return false;
}

std::vector<std::pair<std::int64_t, int>> Runner::Dispatch(Millis now) {
    std::vector<std::pair<std::int64_t, int>> start;
    // Jobs running in each limited queue.
    std::map<std::string, int> in_queue;
    if (!options_.queue_limits.empty()) {
        for (const auto& [id, l] : live_) {
            if (options_.queue_limits.contains(l->run.def.queue)) in_queue[l->run.def.queue] += l->running;
        }
    }
    for (auto& [id, lp] : live_) {
        Live& l = *lp;
        auto& r = l.run;
        if (r.status == "waiting") {
            bool blocked = false;
            if (!r.def.allow_overlap) {
                for (const auto& [other_id, o] : live_) {
                    if (other_id != id && o->run.jobnet_id == r.jobnet_id && o->run.status == "running") blocked = true;
                }
            }
            if (blocked) continue;
            r.status = "running";
            r.started_at = now;
            l.dirty_run = true;
            l.maybe_over = true;
            Event(l, now, std::nullopt, "started", "実行を開始しました");
            if (r.start_late) {
                alerts_.push_back({fmt::format("jobnet-run:{}:start-late", r.id), r.def.name, r.def.service,
                                   r.def.severity, false, "ok", "開始", fmt::format("実行 {} が開始しました", r.id), now, r.def.ci_id});
            }
        }
        if (r.status != "running" || r.held || l.kill_requested) continue;
        std::deque<int> held;
        while (!l.ready.empty()) {
            if (static_cast<int>(procs_.size() + start.size()) >= options_.max_parallel) break;
            if (r.def.max_parallel > 0 && l.running >= r.def.max_parallel) break;
            const auto limit = options_.queue_limits.find(r.def.queue);
            if (limit != options_.queue_limits.end() && in_queue[r.def.queue] >= limit->second) break;
            const int i = l.ready.front();
            l.ready.pop_front();
            auto& j = r.jobs[static_cast<std::size_t>(i)];
            if (j.status != "pending") continue;
            if (j.held) {
                held.push_back(i);
                continue;
            }
            if (Bypass(l, i, now)) continue;
            ++j.attempt;
            j.started_at = now;
            j.ended_at.reset();
            j.exit_code.reset();
            j.output.clear();
            j.output_truncated = false;
            if (WithoutProcess(l, i, now)) continue;
            j.status = "running";
            ++l.running;
            if (limit != options_.queue_limits.end()) ++in_queue[r.def.queue];
            MarkJob(l, i);
            Event(l, now, i, "job_started", fmt::format("開始しました (試行 {})", j.attempt));
            start.emplace_back(id, i);
        }
        l.ready.insert(l.ready.begin(), held.begin(), held.end());
    }
    return start;
}

Result<void> Runner::WriteChanges(storage::Connection& c) {
    for (const auto& [id, l] : live_) {
        if (!l->dirty_run && l->dirty.empty()) continue;
        UNYO_TRY_VOID(runs::Save(c, l->run, std::vector<int>(l->dirty.begin(), l->dirty.end())));
        l->dirty.clear();
        l->dirty_run = false;
    }
    for (const auto& [id, e] : events_) UNYO_TRY_VOID(runs::AddEvent(c, id, e));
    events_.clear();
    return {};
}

Result<void> Runner::Flush() {
    bool any = !events_.empty();
    for (const auto& [id, l] : live_) any = any || l->dirty_run || !l->dirty.empty();
    if (!any) return {};
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) { return WriteChanges(c); }));
    bool big = false;
    for (auto it = live_.begin(); it != live_.end();) {
        if (it->second->drop && it->second->running == 0) {
            big = big || it->second->run.jobs.size() >= 1000;
            it = live_.erase(it);
        } else {
            ++it;
        }
    }
    // A large run leaves the heaps of several threads (this one, the database writer's) holding
    // freed memory; hand it back to the system (measured: bench/BENCHMARKS.md).
    if (big) malloc_trim(0);
    return {};
}

std::vector<std::string> Runner::CommandOf(const JobDef& d) const {
    if (d.type == "command") return d.command;
    // A spec goes in UNYO_JOB_SPEC (Spawn), not in argv: argv is readable by every local user.
    if (d.type == "http" || d.type == "file_wait" || d.type == "file_transfer") return {options_.unyo_path, "job-step", d.type};
    if (d.type == "report") {
        // The report of the period just ended, saved in var/reports (docs/reports.md).
        std::string formats;
        if (const auto* f = d.spec.if_contains("formats"); f && f->is_array()) {
            for (const auto& x : f->as_array()) {
                if (x.is_string()) formats += (formats.empty() ? "" : ",") + std::string(x.as_string());
            }
        }
        std::vector<std::string> argv{options_.unyo_path, "report", StringOf(d.spec, "kind", "monthly"), "--data-dir",
                                      options_.data_dir.string(), "--out-dir", (options_.data_dir / "reports").string(),
                                      "--formats", formats.empty() ? "html,xlsx" : formats};
        if (const auto* mail = d.spec.if_contains("mail"); mail && mail->is_bool() && mail->as_bool()) argv.push_back("--mail");
        return argv;
    }
    const bool self = d.spec.contains("self");
    std::vector<std::string> argv{options_.unyo_path, "backup"};
    if (d.type == "backup") {
        if (!self) return {options_.unyo_path, "backup", "files"};
    } else {
        argv.push_back("drill");
        if (!self) {
            argv.insert(argv.end(), {"--dir", StringOf(d.spec, "destination"), "--name", StringOf(d.spec, "name")});
        }
    }
    argv.insert(argv.end(), {"--data-dir", options_.data_dir.string()});
    return argv;
}

void Runner::Spawn(std::int64_t run_id, int job, Millis now) {
    Live* l = Find(run_id);
    if (!l) return;
    auto& j = l->run.jobs[static_cast<std::size_t>(job)];
    const auto& d = l->run.def.jobs[static_cast<std::size_t>(job)];
    const fs::path dir = options_.work_dir / std::to_string(run_id) / fmt::format("{}.{}", d.key, j.attempt);
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::map<std::string, std::string> env{{"PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"},
                                           {"LANG", "C.UTF-8"},
                                           {"HOME", options_.work_dir.string()}};
    for (const auto& [k, v] : d.env) env[k] = v;
    env["UNYO_RUN_ID"] = std::to_string(run_id);
    env["UNYO_JOBNET"] = l->run.def.name;
    env["UNYO_JOB"] = d.key;
    env["UNYO_ATTEMPT"] = std::to_string(j.attempt);
    env["UNYO_BUSINESS_DAY"] = l->run.business_day;
    if (d.type != "command") env["UNYO_JOB_SPEC"] = json::serialize(d.spec);
    for (const auto& [k, v] : l->run.params) {
        if (v.is_string()) env["UNYO_PARAM_" + std::string(k)] = std::string(v.as_string());
    }
    std::vector<std::string> envp;
    for (const auto& [k, v] : env) envp.push_back(k + "=" + v);
    std::vector<std::string> argv{options_.exec_path, dir.string(), d.workdir.empty() ? "-" : d.workdir, "--"};
    const auto program = CommandOf(d);
    argv.insert(argv.end(), program.begin(), program.end());
    CStrings a(std::move(argv)), e(std::move(envp));
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    pid_t pid = 0;
    const int rc = ec ? ec.value() : posix_spawn(&pid, a.pointers[0], nullptr, &attr, a.pointers.data(), e.pointers.data());
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        --l->running;
        j.ended_at = now;
        FailOrRetry(*l, job, now, fmt::format("起動できませんでした: {} ({})", std::strerror(rc), options_.exec_path));
        return;
    }
    j.pid = pid;
    procs_.push_back(Proc{run_id, job, pid, PidfdOpen(pid), true, {}, now + d.timeout_s * kSecondMs, {}, 0, dir});
}

Result<void> Runner::Step() {
    std::vector<JobAlert> alerts;
    std::vector<std::int64_t> beats;
    {
        std::lock_guard lock(mu_);
        const Millis now = clock_.Now();
        Reap(now);
        Timeouts(now);
        Retries(now);
        if (now >= next_periodic_ || now >= next_due_ || look_again_.exchange(false)) {
            next_periodic_ = now + kSecondMs;
            UNYO_TRY_VOID(Schedules(now));
            UNYO_TRY_VOID(Deadlines(now));
        }
        const auto start = Dispatch(now);
        for (auto& [id, l] : live_) {
            if (l->maybe_over) Settle(*l, now);
        }
        UNYO_TRY_VOID(Flush());
        for (const auto& [run_id, job] : start) Spawn(run_id, job, now);
        alerts.swap(alerts_);
        beats.swap(beats_);
    }
    for (const auto& a : alerts) {
        if (alert_sink_) alert_sink_(a);
    }
    for (const auto id : beats) {
        if (heartbeat_) heartbeat_(id);
    }
    return {};
}

// --- after a restart -------------------------------------------------------------------------------

Result<void> Runner::Reconcile() {
    std::lock_guard lock(mu_);
    const Millis now = clock_.Now();
    const auto ids = UNYO_TRY(db_.Read([](storage::Connection& c) { return runs::IdsWithStatus(c, {"waiting", "running"}); }));
    for (const auto id : ids) {
        if (Find(id)) continue;
        UNYO_TRY_VOID(db_.Read([&](storage::Connection& c) -> Result<void> {
            Track(UNYO_TRY(runs::Load(c, id)));
            return {};
        }));
        Live& l = *Find(id);
        for (std::size_t i = 0; i < l.run.jobs.size(); ++i) {
            auto& j = l.run.jobs[i];
            if (j.status != "running") continue;
            const auto& d = l.run.def.jobs[i];
            const fs::path dir = options_.work_dir / std::to_string(id) / fmt::format("{}.{}", d.key, j.attempt);
            const std::string status_line = ReadSmallFile(dir / "status");
            if (!status_line.empty()) {
                Event(l, now, static_cast<int>(i), "reconciled", "サーバー停止中に終了していました");
                JobEnded(l, static_cast<int>(i), status_line, std::nullopt, {}, dir, now);
                continue;
            }
            std::istringstream pid_file(ReadSmallFile(dir / "pid"));
            int pid = 0;
            std::string start_time;
            pid_file >> pid >> start_time;
            if (pid > 0 && !start_time.empty() && ProcStartTime(pid) == start_time) {
                Event(l, now, static_cast<int>(i), "reconciled", fmt::format("実行中のプロセス {} を引き続き監視します", pid));
                const Millis deadline = j.started_at.value_or(now) + d.timeout_s * kSecondMs;
                procs_.push_back(Proc{id, static_cast<int>(i), pid, PidfdOpen(pid), false, start_time, deadline,
                                      {}, 0, dir});
                ++l.running;
                continue;
            }
            Lose(l, static_cast<int>(i), now, "サーバー停止時に実行中でしたが、プロセスも終了状態も見つかりません");
        }
        Recount(l);
        l.dirty_run = true;
    }
    for (auto& [id, l] : live_) Settle(*l, now);
    return Flush();
}

Result<void> Runner::Start() {
    UNYO_TRY_VOID(Reconcile());
    stop_ = false;
    thread_ = std::thread([this] { Loop(); });
    return {};
}

void Runner::Stop() {
    stop_ = true;
    Wake();
    if (thread_.joinable()) thread_.join();
}

void Runner::Loop() {
    while (!stop_) {
        if (auto r = Step(); !r) spdlog::warn("jobs: {}", r.error().message);
        std::vector<pollfd> fds{{wake_fd_, POLLIN, 0}};
        Millis wait = 1000;
        {
            std::lock_guard lock(mu_);
            for (const auto& p : procs_) {
                if (p.pidfd >= 0) fds.push_back({p.pidfd, POLLIN, 0});
            }
            if (!procs_.empty() || !live_.empty()) wait = 200;
            wait = std::clamp<Millis>(next_due_ - clock_.Now(), 0, wait);
        }
        // Wakes at a job's end (its pidfd), at Wake(), when the next scheduled start is due, and
        // at least each 200 ms while runs are live (retries, timeouts) or each second (deadlines).
        if (poll(fds.data(), fds.size(), static_cast<int>(wait)) > 0 && (fds[0].revents & POLLIN)) {
            std::uint64_t n = 0;
            (void)!read(wake_fd_, &n, sizeof n);
        }
    }
}

}  // namespace unyo::jobs
