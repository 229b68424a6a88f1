// Jobnets end to end below the API, on both databases, with real processes and a fake clock:
// definitions are checked (cycles, unknown keys), a DAG runs in order, a failed job stops its
// dependents and raises an alert, an operator's rerun from the failed job completes the run,
// retries wait for their back-off, a timeout stops a job, schedules make each start once, starts
// missed while down are recorded, a deadline passed by a failed run still raises its alert, and a
// runner started again after its predecessor vanished finds finished, still running and lost jobs.
#include "jobs/runner.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "support/test_db.hpp"

namespace unyo::jobs {
namespace {

namespace fs = std::filesystem;
const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

json::object Parse(std::string_view text) { return json::parse(text).as_object(); }

std::vector<std::string> FieldsOf(const Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field);
    return out;
}

TEST(JobnetDefinition, EveryBadMemberIsNamedAndACycleIsSpelledOut) {
    auto bad = JobnetFromJson(Parse(R"({"name": "n", "severity": "huge", "jobs": [
        {"key": "a", "command": ["/bin/true"], "after": ["c"]},
        {"key": "b", "command": ["/bin/true"], "after": ["a", "nope"]},
        {"key": "c", "command": ["/bin/true"], "after": ["b"]},
        {"key": "a", "command": []},
        {"key": "d", "type": "judge"},
        {"key": "e", "type": "backup", "backup": {"name": "x", "sources": [{"path": "rel"}], "destination": "/b"}}]})"),
                              Jobnet{}, true);
    ASSERT_FALSE(bad);
    const auto fields = FieldsOf(bad.error());
    for (const char* f : {"severity", "jobs[1].after", "jobs[3].key", "jobs[3].command", "jobs[4].judge",
                          "jobs[5].backup.sources[0].path", "jobs"}) {
        EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f << " not named";
    }
    const auto cycle = std::find_if(bad.error().fields.begin(), bad.error().fields.end(),
                                    [](const FieldError& f) { return f.field == "jobs"; });
    ASSERT_NE(cycle, bad.error().fields.end());
    EXPECT_NE(cycle->message.find("a → c → b → a"), std::string::npos) << cycle->message;

    auto sched = JobnetFromJson(Parse(R"({"name": "n", "jobs": [{"key": "a", "command": ["/bin/true"]}],
        "schedule": {"days": {"rule": "every_open_day"}, "start_times": ["12:00"]}, "deadlines": {"end_by": "25:00"}})"),
                                Jobnet{}, true);
    ASSERT_FALSE(sched);
    EXPECT_EQ(FieldsOf(sched.error()), (std::vector<std::string>{"schedule.start_times", "deadlines.end_by"}));

    auto good = JobnetFromJson(Parse(R"({"name": "n", "jobs": [{"key": "a", "command": ["/bin/true"]},
        {"key": "b", "command": ["/bin/true"], "after": ["a"], "retries": 2}]})"),
                               Jobnet{}, true);
    ASSERT_TRUE(good) << good.error().message;
    // What is written back reads the same.
    auto again = JobnetFromJson(DefinitionToJson(*good), Jobnet{}, true);
    ASSERT_TRUE(again);
    EXPECT_EQ(json::serialize(DefinitionToJson(*again)), json::serialize(DefinitionToJson(*good)));
}

TEST(JobnetDefinition, AJudgeNamesAJobItWaitsForAndItsElseBranchWaitsForIt) {
    auto bad = JobnetFromJson(Parse(R"({"name": "n", "jobs": [
        {"key": "a", "command": ["/bin/true"]},
        {"key": "b", "command": ["/bin/true"]},
        {"key": "j", "type": "judge", "judge": {"job": "b", "output_matches": "(", "else": ["x", "a"]}, "after": ["a"]},
        {"key": "k", "type": "judge", "judge": {"job": "a"}, "after": ["a"]},
        {"key": "t", "type": "nope"}]})"),
                              Jobnet{}, true);
    ASSERT_FALSE(bad);
    EXPECT_EQ(FieldsOf(bad.error()),
              (std::vector<std::string>{"jobs[2].judge.output_matches", "jobs[3].judge.exit_codes", "jobs[4].type",
                                        "jobs[2].judge.job", "jobs[2].judge.else", "jobs[2].judge.else"}));

    Jobnet n = JobnetFromJson(Parse(R"({"name": "n", "jobs": [
        {"key": "a", "command": ["/bin/true"]},
        {"key": "j", "type": "judge", "judge": {"job": "a", "exit_codes": [0, 4], "output_contains": "OK"}, "after": ["a"]}]})"),
                              Jobnet{}, true)
                   .value();
    EXPECT_TRUE(Judge(n.jobs[1], 4, "all OK").holds);
    EXPECT_FALSE(Judge(n.jobs[1], 4, "NG").holds) << "every condition must hold";
    EXPECT_FALSE(Judge(n.jobs[1], 1, "OK").holds);
    const auto v = Judge(n.jobs[1], std::nullopt, "OK");
    EXPECT_FALSE(v.holds) << "a job that did not run has no exit code";
    EXPECT_EQ(v.text, "a の判定: 終了コード なし ∈ [0, 4]: 偽、出力に「OK」を含む: 真 → 条件不成立");
}

TEST(JobnetDefinition, NestedJobnetsAreExpandedWithTheirEdgesAndTheUnexpandableSayWhy) {
    const auto def = [](std::string_view text) { return JobnetFromJson(Parse(text), Jobnet{}, true).value(); };
    const Jobnet inner = def(R"({"name": "inner", "jobs": [
        {"key": "a", "command": ["/bin/true"]}, {"key": "b", "command": ["/bin/true"]},
        {"key": "c", "command": ["/bin/true"], "after": ["a", "b"]}]})");
    const Jobnet loop = def(R"({"name": "loop", "jobs": [{"key": "x", "type": "jobnet", "jobnet": {"name": "outer"}}]})");
    const Jobnet outer = def(R"({"name": "outer", "jobs": [
        {"key": "pre", "command": ["/bin/true"]},
        {"key": "sub", "type": "jobnet", "jobnet": {"name": "inner"}, "after": ["pre"]},
        {"key": "post", "command": ["/bin/true"], "after": ["sub"]},
        {"key": "bad", "type": "jobnet", "jobnet": {"name": "loop"}},
        {"key": "gone", "type": "jobnet", "jobnet": {"name": "missing"}}]})");
    const JobnetLookup lookup = [&](std::string_view name) -> std::optional<Jobnet> {
        if (name == "inner") return inner;
        if (name == "loop") return loop;
        if (name == "outer") return outer;
        return std::nullopt;
    };
    std::vector<std::string> problems;
    const Jobnet e = ExpandNested(outer, lookup, &problems);
    std::vector<std::string> keys;
    for (const auto& j : e.jobs) keys.push_back(j.key + "<" + fmt::format("{}", fmt::join(j.after, ",")));
    EXPECT_EQ(keys, (std::vector<std::string>{"pre<", "sub/a<pre", "sub/b<pre", "sub/c<sub/a,sub/b", "post<sub/c",
                                              "bad/x<", "gone<"}));
    EXPECT_EQ(problems, (std::vector<std::string>{"bad/x: jobnet \"outer\" would run inside itself",
                                                  "gone: no jobnet is named \"missing\""}));
    EXPECT_EQ(StringOf(e.jobs[6].spec, "error"), "no jobnet is named \"missing\"");
    // A run reads its expanded copy back.
    auto again = JobnetFromJson(DefinitionToJson(e), Jobnet{}, true, true);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->jobs.size(), 7u);
    EXPECT_FALSE(JobnetFromJson(DefinitionToJson(e), Jobnet{}, true)) << "'/' is not a key of a definition";
}

TEST(JobnetDefinition, DeadlinesFallOnTheNextSuchClockTime) {
    const Millis at = ParseRfc3339("2026-12-01T13:00:00Z").value();  // 22:00 JST
    EXPECT_EQ(FormatRfc3339(NextClockTime(at, 23 * 60, 540)), "2026-12-01T14:00:00.000Z");
    EXPECT_EQ(FormatRfc3339(NextClockTime(at, 4 * 60, 540)), "2026-12-01T19:00:00.000Z") << "04:00 the next morning";
    EXPECT_EQ(NextClockTime(at, 22 * 60, 540), at);
}

class RunnerTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        dir_ = fs::temp_directory_path() / ("unyo-jobs-" + RandomToken(6));
        fs::create_directories(dir_);
        calendars_ = std::make_unique<calendar::CalendarStore>(t_->db(), clock_);
        store_ = std::make_unique<JobnetStore>(t_->db(), clock_, *calendars_);
        runner_ = MakeRunner();
    }
    void TearDown() override {
        runner_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    std::unique_ptr<Runner> MakeRunner(std::map<std::string, int> queues = {}) {
        RunnerOptions o;
        o.work_dir = dir_ / "work";
        o.exec_path = UNYO_JOBEXEC;
        o.max_parallel = 8;
        o.queue_limits = std::move(queues);
        auto r = std::make_unique<Runner>(t_->db(), clock_, *store_, o);
        r->set_alert_sink([this](const JobAlert& a) { alerts_.push_back(a); });
        return r;
    }

    Jobnet Create(std::string_view body) {
        auto n = store_->Create(Parse(body), kActor);
        EXPECT_TRUE(n) << (n ? "" : n.error().message);
        return *n;
    }

    jobs::Run Load(std::int64_t id) {
        return t_->db().Read([&](storage::Connection& c) { return runs::Load(c, id); }).value();
    }

    std::string StatusOf(std::int64_t run, const std::string& key) {
        const auto r = Load(run);
        return r.jobs[static_cast<std::size_t>(r.def.IndexOf(key))].status;
    }

    // Steps the runner (real processes need real time) until `done` or 10 s.
    template <typename F>
    bool StepUntil(F done, Runner* runner = nullptr) {
        runner = runner ? runner : runner_.get();
        for (int i = 0; i < 2000; ++i) {
            EXPECT_TRUE(runner->Step());
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }

    std::string Flag() const { return (dir_ / "flag").string(); }

    FakeClock clock_{ParseRfc3339("2026-11-30T13:00:00Z").value()};  // Mon 22:00 JST
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    fs::path dir_;
    std::unique_ptr<calendar::CalendarStore> calendars_;
    std::unique_ptr<JobnetStore> store_;
    std::unique_ptr<Runner> runner_;
    std::vector<JobAlert> alerts_;
};

TEST_P(RunnerTest, AFailedJobStopsItsDependentsAndARerunFromItCompletesTheRun) {
    const auto n = Create(fmt::format(R"({{"name": "nightly", "service": "住民記録", "jobs": [
        {{"key": "extract", "command": ["/bin/sh", "-c", "echo extracted; echo $UNYO_PARAM_DAY"]}},
        {{"key": "load", "command": ["/bin/sh", "-c", "test -f {}"], "after": ["extract"]}},
        {{"key": "report", "command": ["/bin/true"], "after": ["load"]}}]}})",
                                      Flag()));
    const auto run = runner_->RunNow(n.id, Parse(R"({"DAY": "2026-11-30"})"), kActor);
    ASSERT_TRUE(run) << run.error().message;
    EXPECT_EQ(runner_->RunNow(n.id, {}, kActor).error().code, ErrorCode::kConflict) << "no overlap by default";
    ASSERT_TRUE(StepUntil([&] { return Load(run->id).status == "failed"; }));
    auto r = Load(run->id);
    EXPECT_EQ(r.jobs[0].status, "succeeded");
    EXPECT_EQ(r.jobs[0].output, "extracted\n2026-11-30\n") << "output captured, parameters given";
    EXPECT_EQ(r.jobs[1].status, "failed");
    EXPECT_EQ(r.jobs[1].exit_code, 1);
    EXPECT_EQ(r.jobs[2].status, "pending") << "a job after a failed one does not start";
    ASSERT_EQ(alerts_.size(), 1u);
    EXPECT_TRUE(alerts_[0].firing);
    EXPECT_EQ(alerts_[0].dedup_key, fmt::format("jobnet-run:{}", run->id));
    EXPECT_EQ(alerts_[0].service, "住民記録");
    EXPECT_NE(alerts_[0].message.find("load"), std::string::npos) << alerts_[0].message;

    // Actions that do not fit say why and change nothing.
    EXPECT_EQ(runner_->Act(run->id, "rerun_job", "report", "", kActor).error().code, ErrorCode::kConflict);
    EXPECT_EQ(runner_->Act(run->id, "kill", std::nullopt, "", kActor).error().code, ErrorCode::kConflict);
    EXPECT_EQ(runner_->Act(run->id, "jump", std::nullopt, "", kActor).error().code, ErrorCode::kValidation);
    EXPECT_EQ(Load(run->id).status, "failed");

    std::ofstream(Flag()) << "ok";
    const auto rerun = runner_->Act(run->id, "rerun_failed", std::nullopt, "原因を取り除いた", kActor);
    ASSERT_TRUE(rerun) << rerun.error().message;
    EXPECT_EQ(rerun->status, "running");
    ASSERT_TRUE(StepUntil([&] { return Load(run->id).status == "succeeded"; }));
    r = Load(run->id);
    EXPECT_EQ(r.jobs[0].attempt, 1) << "a succeeded job is not run again";
    EXPECT_EQ(r.jobs[1].attempt, 2);
    EXPECT_EQ(r.jobs[2].status, "succeeded");
    ASSERT_EQ(alerts_.size(), 2u);
    EXPECT_FALSE(alerts_[1].firing) << "the success ends the alert";
    const auto events = t_->db().Read([&](storage::Connection& c) { return runs::Events(c, run->id); }).value();
    const auto action = std::find_if(events.begin(), events.end(), [](const RunEvent& e) { return e.kind == "action"; });
    ASSERT_NE(action, events.end());
    EXPECT_EQ(action->actor, "admin");
    EXPECT_EQ(action->message, "rerun_failed: 原因を取り除いた");
    // Its attempt files go once it ended long enough ago; the output stays in the database.
    const auto files = dir_ / "work" / std::to_string(run->id);
    ASSERT_TRUE(fs::exists(files / "load.2" / "status"));
    EXPECT_EQ(runner_->PruneFiles(clock_.Now() - kDayMs).value(), 0);
    EXPECT_EQ(runner_->PruneFiles(clock_.Now() + 1).value(), 1);
    EXPECT_FALSE(fs::exists(files));
    EXPECT_EQ(Load(run->id).jobs[0].output, "extracted\n2026-11-30\n");
}

TEST_P(RunnerTest, AnApprovalJobHoldsTheRunUntilAManagerDecides) {
    const auto n = Create(R"({"name": "rerun", "jobs": [
        {"key": "check", "command": ["/bin/true"]},
        {"key": "ok", "type": "approval", "approval": {"message": "再実行してよいか"}, "after": ["check"]},
        {"key": "rerun", "command": ["/bin/true"], "after": ["ok"]}]})");
    auto run = runner_->RunNow(n.id, {}, kActor).value();
    ASSERT_TRUE(StepUntil([&] { return StatusOf(run.id, "ok") == "waiting_approval"; }));
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(runner_->Step());
    EXPECT_EQ(Load(run.id).status, "running") << "waiting, not failed";
    EXPECT_EQ(StatusOf(run.id, "rerun"), "pending");
    EXPECT_EQ(ToJson(Load(run.id), true).at("jobs").as_array()[1].as_object().at("approval_message"), "再実行してよいか");
    EXPECT_EQ(runner_->Act(run.id, "approve", "ok", "", kActor, false).error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(runner_->Act(run.id, "skip", "ok", "", kActor).error().code, ErrorCode::kConflict) << "no bypass";
    EXPECT_EQ(runner_->Act(run.id, "force_complete", std::nullopt, "", kActor).error().code, ErrorCode::kConflict);
    ASSERT_TRUE(runner_->Act(run.id, "approve", "ok", "確認済み", kActor, true));
    ASSERT_TRUE(StepUntil([&] { return Load(run.id).status == "succeeded"; }));
    EXPECT_EQ(Load(run.id).jobs[1].output, "admin が承認しました: 確認済み");

    run = runner_->RunNow(n.id, {}, kActor).value();
    ASSERT_TRUE(StepUntil([&] { return StatusOf(run.id, "ok") == "waiting_approval"; }));
    EXPECT_EQ(runner_->Act(run.id, "reject", "ok", "", kActor, true).error().code, ErrorCode::kValidation)
        << "a rejection says why";
    ASSERT_TRUE(runner_->Act(run.id, "reject", "ok", "原因が未確認", kActor, true));
    ASSERT_TRUE(StepUntil([&] { return Load(run.id).status == "failed"; }));
    EXPECT_EQ(StatusOf(run.id, "rerun"), "pending");
}

TEST_P(RunnerTest, AJudgeRunsOneBranchAndTheOtherIsBypassedUpToTheJoin) {
    const auto n = Create(R"J({"name": "branch", "jobs": [
        {"key": "check", "command": ["/bin/sh", "-c", "echo MODE=light; exit 3"], "success_codes": [0, 3]},
        {"key": "j", "type": "judge", "judge": {"job": "check", "exit_codes": [0], "else": ["light"]}, "after": ["check"]},
        {"key": "full", "command": ["/bin/true"], "after": ["j"]},
        {"key": "full2", "command": ["/bin/true"], "after": ["full"]},
        {"key": "light", "command": ["/bin/true"], "after": ["j"]},
        {"key": "m", "type": "judge", "judge": {"job": "check", "output_matches": "MODE=(light|none)"}, "after": ["check"]},
        {"key": "report", "command": ["/bin/true"], "after": ["m"]},
        {"key": "join", "command": ["/bin/true"], "after": ["full2", "light"]}]})J");
    const auto run = runner_->RunNow(n.id, {}, kActor).value();
    ASSERT_TRUE(StepUntil([&] { return Finished(Load(run.id).status); }));
    const auto r = Load(run.id);
    EXPECT_EQ(r.status, "succeeded");
    std::map<std::string, std::string> status;
    for (std::size_t i = 0; i < r.jobs.size(); ++i) status[r.def.jobs[i].key] = r.jobs[i].status;
    EXPECT_EQ(status, (std::map<std::string, std::string>{{"check", "succeeded"}, {"j", "succeeded"}, {"full", "bypassed"},
                                                          {"full2", "bypassed"}, {"light", "succeeded"}, {"m", "succeeded"},
                                                          {"report", "succeeded"}, {"join", "succeeded"}}));
    EXPECT_EQ(r.jobs[0].exit_code, 3) << "a success code other than 0";
    EXPECT_EQ(r.jobs[1].exit_code, 1) << "the condition did not hold";
    EXPECT_EQ(r.jobs[5].exit_code, 0);
    EXPECT_FALSE(r.jobs[2].started_at) << "a bypassed job never starts";
    EXPECT_NE(r.jobs[1].output.find("条件不成立"), std::string::npos) << r.jobs[1].output;
    EXPECT_NE(r.jobs[3].output.find("分岐"), std::string::npos) << r.jobs[3].output;
}

TEST_P(RunnerTest, ANestedJobnetRunsItsJobsInsideTheRunAndCannotBeRemovedUnderIt) {
    const auto inner = Create(fmt::format(R"({{"name": "inner", "jobs": [
        {{"key": "a", "command": ["/bin/sh", "-c", "echo a >> {0}"]}},
        {{"key": "b", "command": ["/bin/sh", "-c", "echo b >> {0}"], "after": ["a"]}}]}})",
                                          Flag()));
    auto missing = store_->Create(Parse(R"({"name": "x", "jobs": [{"key": "s", "type": "jobnet", "jobnet": {"name": "none"}}]})"), kActor);
    ASSERT_FALSE(missing);
    EXPECT_EQ(FieldsOf(missing.error()), (std::vector<std::string>{"jobs[0].jobnet.name"}));
    auto self = store_->Create(Parse(R"({"name": "self", "jobs": [{"key": "s", "type": "jobnet", "jobnet": {"name": "self"}}]})"), kActor);
    ASSERT_FALSE(self);
    EXPECT_NE(self.error().fields.at(0).message.find("inside itself"), std::string::npos);
    const auto outer = Create(fmt::format(R"({{"name": "outer", "jobs": [
        {{"key": "pre", "command": ["/bin/sh", "-c", "echo pre >> {0}"]}},
        {{"key": "sub", "type": "jobnet", "jobnet": {{"name": "inner"}}, "after": ["pre"]}},
        {{"key": "post", "command": ["/bin/sh", "-c", "echo post >> {0}"], "after": ["sub"]}}]}})",
                                          Flag()));
    const auto run = runner_->RunNow(outer.id, {}, kActor).value();
    ASSERT_TRUE(StepUntil([&] { return Finished(Load(run.id).status); }));
    const auto r = Load(run.id);
    EXPECT_EQ(r.status, "succeeded");
    ASSERT_EQ(r.jobs.size(), 4u);
    EXPECT_EQ(r.def.jobs[1].key, "sub/a");
    std::ifstream in(Flag());
    std::stringstream order;
    order << in.rdbuf();
    EXPECT_EQ(order.str(), "pre\na\nb\npost\n");
    EXPECT_EQ(store_->Delete(inner.id, kActor).error().code, ErrorCode::kConflict) << "outer runs it";
    EXPECT_EQ(store_->Update(inner.id, inner.version, Parse(R"({"name": "renamed"})"), kActor).error().code,
              ErrorCode::kConflict);
}

TEST_P(RunnerTest, AnImportChecksNestedJobnetsAgainstTheFileAndWritesTheInnerOnesFirst) {
    const auto missing = store_->ImportYaml(R"(jobnets:
  - name: outer
    jobs: [{key: sub, type: jobnet, jobnet: {name: nowhere}}]
)",
                                            kActor, false);
    ASSERT_FALSE(missing);
    EXPECT_EQ(FieldsOf(missing.error()), (std::vector<std::string>{"jobnets[0].jobs[0].jobnet.name"}));
    EXPECT_TRUE(store_->List().value().empty()) << "nothing written";
    const auto loop = store_->ImportYaml(R"(jobnets:
  - name: a
    jobs: [{key: x, type: jobnet, jobnet: {name: b}}]
  - name: b
    jobs: [{key: y, type: jobnet, jobnet: {name: a}}]
)",
                                         kActor, false);
    ASSERT_FALSE(loop);
    EXPECT_TRUE(store_->List().value().empty());
    const auto done = store_->ImportYaml(R"(jobnets:
  - name: outer
    jobs: [{key: sub, type: jobnet, jobnet: {name: inner}}]
  - name: inner
    jobs: [{key: a, command: [/bin/true]}]
)",
                                         kActor, false);
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done->created, 2);
    EXPECT_EQ(store_->List().value().size(), 2u);
}

TEST_P(RunnerTest, AQueueLimitsTheJobsOfItsJobnetsTogether) {
    runner_ = MakeRunner({{"juki", 1}});
    std::vector<jobs::Run> runs;
    for (const char* name : {"a", "b"}) {
        const auto n = Create(fmt::format(R"({{"name": "{}", "queue": "juki", "jobs": [
            {{"key": "x", "command": ["/bin/sleep", "0.2"]}}, {{"key": "y", "command": ["/bin/sleep", "0.2"]}}]}})",
                                          name));
        runs.push_back(runner_->RunNow(n.id, {}, kActor).value());
    }
    const auto other = Create(R"({"name": "c", "jobs": [{"key": "x", "command": ["/bin/sleep", "0.2"]}]})");
    runner_->RunNow(other.id, {}, kActor).value();
    std::size_t most = 0;
    ASSERT_TRUE(StepUntil([&] {
        most = std::max(most, runner_->Running());
        return Load(runs[0].id).status == "succeeded" && Load(runs[1].id).status == "succeeded";
    }));
    EXPECT_EQ(most, 2u) << "one job of the queue at a time, and the jobnet outside it beside";
}

TEST_P(RunnerTest, RetriesWaitForTheirBackOffAndATimeoutStopsTheJob) {
    const auto n = Create(fmt::format(R"({{"name": "retry", "jobs": [
        {{"key": "flaky", "command": ["/bin/sh", "-c", "test -f {}"], "retries": 2, "retry_delay_s": 60}},
        {{"key": "slow", "command": ["/bin/sleep", "30"], "timeout_s": 5}}]}})",
                                      Flag()));
    const auto run = runner_->RunNow(n.id, {}, kActor).value();
    ASSERT_TRUE(StepUntil([&] { return StatusOf(run.id, "flaky") == "retrying"; }));
    EXPECT_EQ(StatusOf(run.id, "slow"), "running");
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(runner_->Step());
    EXPECT_EQ(StatusOf(run.id, "flaky"), "retrying") << "not before its back-off";
    clock_.Advance(61 * kSecondMs);  // past the first back-off and the 5 s timeout
    ASSERT_TRUE(StepUntil([&] { return Load(run.id).jobs[0].attempt == 2 && StatusOf(run.id, "flaky") == "retrying"; }));
    EXPECT_EQ(*Load(run.id).jobs[0].next_attempt_at, clock_.Now() + 120 * kSecondMs) << "the delay doubles";
    ASSERT_TRUE(StepUntil([&] { return StatusOf(run.id, "slow") == "failed"; }));
    std::ofstream(Flag()) << "ok";
    clock_.Advance(121 * kSecondMs);
    ASSERT_TRUE(StepUntil([&] { return StatusOf(run.id, "flaky") == "succeeded"; }));
    const auto r = Load(run.id);
    EXPECT_EQ(r.jobs[0].attempt, 3);
    EXPECT_EQ(r.status, "failed") << "the timed-out job failed the run";
    const auto events = t_->db().Read([&](storage::Connection& c) { return runs::Events(c, run.id); }).value();
    EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const RunEvent& e) {
        return e.kind == "job_failed" && e.message.find("タイムアウト") != std::string::npos;
    }));
}

TEST_P(RunnerTest, ScheduledStartsAreMadeOnceAndStartsMissedWhileDownAreRecorded) {
    // Every open day at 23:00; the clock is Monday 22:00 JST.
    const auto n = Create(R"({"name": "daily", "jobs": [{"key": "a", "command": ["/bin/true"]}],
        "schedule": {"days": {"rule": "every_open_day"}, "start_times": ["23:00"]},
        "deadlines": {"end_by": "23:30"}})");
    ASSERT_EQ(FormatRfc3339(*n.next_start_at), "2026-11-30T14:00:00.000Z");
    ASSERT_TRUE(runner_->Step());
    EXPECT_TRUE(runs::List(t_->db(), {}).value().empty()) << "nothing before its time";
    clock_.Advance(kHourMs);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(runner_->Step());
        clock_.Advance(kSecondMs);
    }
    auto all = runs::List(t_->db(), {}).value();
    ASSERT_EQ(all.size(), 1u) << "one run for one start, however often the runner looks";
    EXPECT_EQ(all[0].trigger, "schedule");
    EXPECT_EQ(all[0].business_day, "2026-11-30");
    EXPECT_EQ(FormatRfc3339(*store_->Get(n.id)->next_start_at), "2026-12-01T14:00:00.000Z");
    ASSERT_TRUE(StepUntil([&] { return Load(all[0].id).status == "succeeded"; }));

    // Down from Tuesday 22:00 until Thursday 22:30: two starts missed, recorded, alerted (policy none).
    clock_.Set(ParseRfc3339("2026-12-03T13:30:00Z").value());
    ASSERT_TRUE(runner_->Step());
    all = runs::List(t_->db(), {}).value();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].status, "missed");
    EXPECT_EQ(all[1].status, "missed");
    EXPECT_EQ(FormatRfc3339(*store_->Get(n.id)->next_start_at), "2026-12-03T14:00:00.000Z");
    const auto missed = std::count_if(alerts_.begin(), alerts_.end(), [](const JobAlert& a) { return a.state == "missed"; });
    EXPECT_EQ(missed, 2);
    // Their end deadlines have passed too, unmet.
    clock_.Advance(2 * kSecondMs);
    ASSERT_TRUE(runner_->Step());
    EXPECT_TRUE(Load(all[0].id).end_late);
    EXPECT_FALSE(Load(all[2].id).end_late) << "the run that succeeded in time";
}

TEST_P(RunnerTest, AnEndDeadlinePassedByAFailedRunStillRaisesItsAlert) {
    const auto n = Create(R"({"name": "deadline", "deadlines": {"end_by": "23:00"},
        "jobs": [{"key": "a", "command": ["/bin/false"]}]})");
    const auto run = runner_->RunNow(n.id, {}, kActor).value();
    ASSERT_EQ(FormatRfc3339(*run.end_deadline_at), "2026-11-30T14:00:00.000Z");
    ASSERT_TRUE(StepUntil([&] { return Load(run.id).status == "failed"; }));
    EXPECT_FALSE(Load(run.id).end_late);
    clock_.Advance(kHourMs);
    ASSERT_TRUE(runner_->Step());
    EXPECT_TRUE(Load(run.id).end_late);
    EXPECT_TRUE(std::any_of(alerts_.begin(), alerts_.end(), [&](const JobAlert& a) {
        return a.firing && a.dedup_key == fmt::format("jobnet-run:{}:end-late", run.id);
    }));
    // Completed by force, it ends both alerts.
    alerts_.clear();
    ASSERT_TRUE(runner_->Act(run.id, "force_complete", std::nullopt, "手作業で完了", kActor));
    EXPECT_EQ(Load(run.id).status, "succeeded");
    ASSERT_TRUE(runner_->Step());
    EXPECT_EQ(std::count_if(alerts_.begin(), alerts_.end(), [](const JobAlert& a) { return !a.firing; }), 2);
}

TEST_P(RunnerTest, ARestartedRunnerFindsFinishedRunningAndLostJobsAndRunsNoneTwice) {
    const auto n = Create(R"({"name": "restart", "max_parallel": 3, "jobs": [
        {"key": "quick", "command": ["/bin/sh", "-c", "echo done"]},
        {"key": "long", "command": ["/bin/sleep", "1"]},
        {"key": "doomed", "command": ["/bin/sleep", "30"]},
        {"key": "after", "command": ["/bin/true"], "after": ["quick"]}]})");
    // The real time now (the supervisor stamps a job's end with it).
    clock_.Set(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    const auto run = runner_->RunNow(n.id, {}, kActor).value();
    ASSERT_TRUE(runner_->Step());  // the three first jobs start
    const auto r = Load(run.id);
    ASSERT_EQ(r.jobs[0].status, "running");
    ASSERT_EQ(r.jobs[2].status, "running");
    // The runner vanishes (as with kill -9); `doomed` dies with its supervisor, leaving no status.
    runner_.reset();
    const auto pid_file = dir_ / "work" / std::to_string(run.id) / "doomed.1" / "pid";
    for (int i = 0; i < 400 && !fs::exists(pid_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    pid_t doomed_pid = 0;
    std::ifstream(pid_file) >> doomed_pid;
    ASSERT_GT(doomed_pid, 0);
    kill(-doomed_pid, SIGKILL);
    waitpid(doomed_pid, nullptr, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // `quick` ends while no one watches

    const Millis down_at = clock_.Now();
    clock_.Advance(30 * kMinuteMs);  // the server comes back half an hour later (within the jobs' timeouts)
    runner_ = MakeRunner();
    ASSERT_TRUE(runner_->Reconcile());
    auto after = Load(run.id);
    EXPECT_EQ(after.jobs[0].status, "succeeded") << "finished while down: its exit status was found";
    ASSERT_TRUE(after.jobs[0].ended_at);
    EXPECT_LT(*after.jobs[0].ended_at, down_at + 5 * kSecondMs) << "when it ended, not when it was found";
    EXPECT_GE(*after.jobs[0].ended_at, *after.jobs[0].started_at);
    EXPECT_EQ(after.jobs[0].output, "done\n");
    EXPECT_EQ(after.jobs[1].status, "running") << "still alive: followed";
    EXPECT_EQ(after.jobs[2].status, "lost");
    ASSERT_TRUE(StepUntil([&] { return StatusOf(run.id, "long") == "succeeded" && StatusOf(run.id, "after") == "succeeded"; }));
    after = Load(run.id);
    EXPECT_EQ(after.status, "failed") << "the lost job waits for an operator";
    for (const auto& j : after.jobs) EXPECT_EQ(j.attempt, 1) << "nothing ran twice";
    // Reap the processes the first runner started (the test process is still their parent).
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, RunnerTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName{});

}  // namespace
}  // namespace unyo::jobs
