// Alerts on both databases with a fake clock: a signal opens one alert and one incident, repeats
// are counted, channels with a delay hear only of alerts left unacknowledged (or whose
// acknowledgement lapsed), and the end is told where the beginning was.
#include "alerts/alert_service.hpp"

#include <algorithm>

#include <filesystem>

#include <gtest/gtest.h>

#include "alerts/alert_rules.hpp"
#include "calendar/calendar_store.hpp"
#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "monitor/monitor_store.hpp"
#include "records/sla_policy_store.hpp"
#include "records/workflow.hpp"
#include "support/test_db.hpp"

namespace unyo {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

class AlertServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        calendars_ = std::make_unique<calendar::CalendarStore>(t_->db(), clock_);
        ASSERT_TRUE(calendars_->Create("標準", "", calendar::CalendarRules{}, kActor));
        policies_ = records::SlaPolicyStore::Open(t_->db(), clock_, *calendars_, sla::DefaultPolicies()).value();
        files_ = std::filesystem::temp_directory_path() / ("unyo-alerts-" + RandomToken(6));
        records_ = std::make_unique<records::RecordService>(t_->db(), clock_, *calendars_, *policies_, files_);
        stops_ = std::make_unique<opscal::PlannedStops>(t_->db(), clock_);
        outbox_ = std::make_unique<notify::Outbox>(t_->db(), clock_);
        alerts_ = std::make_unique<alerts::AlertService>(t_->db(), clock_, *records_, *stops_, *outbox_,
                                                         "http://unyo.example");
        // Port 9: nothing listens, so messages stay in the outbox for the test to read.
        ASSERT_TRUE(outbox_->CreateChannel({{"name", "ops"}, {"type", "webhook"}, {"url", "http://127.0.0.1:9/"}},
                                           kActor));
        ASSERT_TRUE(outbox_->CreateChannel({{"name", "vendor"}, {"type", "webhook"}, {"url", "http://127.0.0.1:9/"},
                                            {"escalate_after_min", 30}},
                                           kActor));
    }
    void TearDown() override {
        if (!files_.empty()) std::filesystem::remove_all(files_);
    }

    alerts::Signal Event(bool firing) {
        alerts::Signal s;
        s.source = "event";
        s.dedup_key = "event:nightly-batch";
        s.name = "夜間バッチ";
        s.target = "batch01";
        s.severity = "high";
        s.firing = firing;
        s.state = firing ? "critical" : "ok";
        s.state_label = firing ? "異常" : "正常";
        s.message = firing ? "終了コード 8" : "再実行で正常終了";
        s.detected_at = s.at = clock_.Now();
        return s;
    }
    // (channel, event key) of every message in the outbox, oldest first.
    std::vector<std::pair<std::string, std::string>> Messages() {
        std::vector<std::pair<std::string, std::string>> out;
        auto log = outbox_->Recent(100).value();
        for (auto it = log.rbegin(); it != log.rend(); ++it) out.emplace_back(it->channel_name, it->event_key);
        return out;
    }

    FakeClock clock_{ParseRfc3339("2026-11-23T02:00:00+09:00").value()};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::unique_ptr<calendar::CalendarStore> calendars_;
    std::unique_ptr<records::SlaPolicyStore> policies_;
    std::unique_ptr<records::RecordService> records_;
    std::unique_ptr<opscal::PlannedStops> stops_;
    std::unique_ptr<notify::Outbox> outbox_;
    std::unique_ptr<alerts::AlertService> alerts_;
    std::filesystem::path files_;
};

TEST_P(AlertServiceTest, AnEventOpensOneIncidentEscalatesWhenUnacknowledgedAndItsEndIsTold) {
    const auto id = alerts_->Raise(Event(true)).value();
    ASSERT_TRUE(id.has_value());
    auto alert = alerts_->Get(*id).value();
    ASSERT_TRUE(alert.incident_id.has_value()) << "the first alert opens an incident";
    const std::string open_key = fmt::format("alert:{}:open", *id);
    EXPECT_EQ(Messages(), (std::vector<std::pair<std::string, std::string>>{{"ops", open_key}}))
        << "the vendor's channel waits 30 minutes";

    clock_.Advance(10 * kMinuteMs);
    EXPECT_EQ(alerts_->Raise(Event(true)).value(), id) << "the same key: the same alert";
    EXPECT_EQ(alerts_->Get(*id)->repeat_count, 2);
    EXPECT_EQ(alerts_->Escalate().value(), 0) << "not yet 30 minutes";

    clock_.Advance(21 * kMinuteMs);
    EXPECT_EQ(alerts_->Escalate().value(), 1);
    EXPECT_EQ(alerts_->Escalate().value(), 0) << "escalated once";
    EXPECT_EQ(Messages().back(), (std::pair<std::string, std::string>{"vendor", open_key}));

    clock_.Advance(5 * kMinuteMs);
    EXPECT_EQ(alerts_->Raise(Event(false)).value(), id);
    alert = alerts_->Get(*id).value();
    EXPECT_EQ(alert.status, "resolved");
    const std::string end_key = fmt::format("alert:{}:recovered", *id);
    const auto all = Messages();
    EXPECT_EQ(std::count(all.begin(), all.end(), std::pair<std::string, std::string>{"ops", end_key}), 1);
    EXPECT_EQ(std::count(all.begin(), all.end(), std::pair<std::string, std::string>{"vendor", end_key}), 1);
    const auto timeline = records_->Timeline(*alert.incident_id).value();
    EXPECT_EQ(timeline.back().body.at("event").as_string(), "recovered");
}

TEST_P(AlertServiceTest, TheFirstMatchingRuleSetsSeverityAndRoute) {
    alerts::AlertRules rules(t_->db(), clock_);
    const auto channels = outbox_->Channels().value();
    const auto vendor = std::find_if(channels.begin(), channels.end(), [](const auto& c) { return c.name == "vendor"; })->id;
    ASSERT_TRUE(outbox_->CreateChannel({{"name", "db-team"}, {"type", "webhook"}, {"url", "http://127.0.0.1:9/"}}, kActor));
    const auto db_team = outbox_->Channels().value().back().id;
    const auto bad = rules.Create({{"name", "x"}, {"match", {{"source", "fax"}, {"states", json::array{"sad"}}}},
                                   {"channel_ids", json::array{999}}},
                                  kActor);
    ASSERT_FALSE(bad);
    std::vector<std::string> fields;
    for (const auto& f : bad.error().fields) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"match.source", "match.states", "channel_ids"}));
    // Tried by position: the batch rule (10) before the catch-all for events (20).
    ASSERT_TRUE(rules.Create({{"name", "イベントは低"}, {"position", 20}, {"match", {{"source", "event"}}}, {"severity", "low"}},
                             kActor));
    const auto batch = rules.Create({{"name", "夜間バッチは DB 班へ"}, {"position", 10},
                                     {"match", {{"source", "event"}, {"name_contains", "バッチ"}, {"states", json::array{"critical"}}}},
                                     {"severity", "critical"}, {"channel_ids", json::array{db_team, vendor}}},
                                    kActor);
    ASSERT_TRUE(batch) << batch.error().message;

    const auto id = *alerts_->Raise(Event(true)).value();
    const auto alert = alerts_->Get(id).value();
    EXPECT_EQ(alert.severity, "critical");
    EXPECT_EQ(alert.rule_id, batch->id);
    auth::Principal admin;
    admin.user_id = 1;
    admin.login = "admin";
    admin.roles = auth::Bit(auth::Role::kAdmin);
    EXPECT_EQ(records_->Get(*records::WorkflowByKind("incident"), *alert.incident_id, admin)->severity, "critical")
        << "the incident takes the rule's severity";
    const std::string open_key = fmt::format("alert:{}:open", id);
    EXPECT_EQ(Messages(), (std::vector<std::pair<std::string, std::string>>{{"db-team", open_key}}))
        << "routed: not to ops; the vendor still waits its 30 minutes";
    clock_.Advance(31 * kMinuteMs);
    EXPECT_EQ(alerts_->Escalate().value(), 1);
    EXPECT_EQ(Messages().back(), (std::pair<std::string, std::string>{"vendor", open_key}));

    auto other = Event(true);
    other.dedup_key = "event:disk";
    other.name = "ディスク残量";
    const auto second = alerts_->Get(*alerts_->Raise(other).value()).value();
    EXPECT_EQ(second.severity, "low") << "the next rule matched";
    EXPECT_FALSE(second.route) << "no route: every alerts channel";
}

TEST_P(AlertServiceTest, AnAcknowledgementStopsEscalationUntilItLapses) {
    const auto id = *alerts_->Raise(Event(true)).value();
    clock_.Advance(5 * kMinuteMs);
    EXPECT_FALSE(alerts_->Acknowledge(id, "", clock_.Now() - 1, kActor)) << "an expiry in the past";
    ASSERT_TRUE(alerts_->Acknowledge(id, "調査中", clock_.Now() + 60 * kMinuteMs, kActor));
    const auto again = alerts_->Acknowledge(id, "", std::nullopt, kActor);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);

    clock_.Advance(30 * kMinuteMs);
    EXPECT_EQ(alerts_->Escalate().value(), 0) << "acknowledged: the vendor is not called";
    clock_.Advance(31 * kMinuteMs);
    EXPECT_FALSE(alerts::ToJson(alerts_->Get(id).value(), clock_.Now()).at("acknowledged").as_bool());
    EXPECT_EQ(alerts_->Escalate().value(), 1) << "the acknowledgement lapsed";
    EXPECT_TRUE(alerts_->Acknowledge(id, "再確認", std::nullopt, kActor)) << "a lapsed one may be acknowledged anew";
}

TEST_P(AlertServiceTest, TheEngineRunningLateRaisesItsOwnAlertUntilOnTimeAgain) {
    ASSERT_TRUE(alerts_->WatchEngine(800, 900, 30'000));
    EXPECT_TRUE(alerts_->List("open", 10)->empty()) << "on time";
    ASSERT_TRUE(alerts_->WatchEngine(45'000, 900, 30'000));
    ASSERT_TRUE(alerts_->WatchEngine(0, 60'000, 30'000)) << "still late: its loop stopped";
    const auto open = alerts_->List("open", 10).value();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].source, "engine");
    EXPECT_EQ(open[0].repeat_count, 1) << "raised once while late";
    EXPECT_TRUE(open[0].incident_id.has_value());
    ASSERT_TRUE(alerts_->WatchEngine(200, 1'000, 30'000));
    EXPECT_EQ(alerts_->Get(open[0].id)->status, "resolved");
}

TEST_P(AlertServiceTest, AFlappingMonitorIsOneStoryNotAFloodOfMail) {
    using monitor::State;
    monitor::MonitorStore monitors(t_->db(), clock_);
    json::object body{{"name", "窓口端末"}, {"type", "tcp"}, {"target", {{"host", "10.0.0.5"}, {"port", 445}}}};
    const auto m = monitors.Create(monitor::MonitorFromJson(body, {}, true).value(), kActor).value();
    const auto change = [&](State from, State to, bool flapping) {
        monitor::HardChange ch{from, to, clock_.Now(), clock_.Now(), clock_.Now(), "接続できません", flapping};
        ASSERT_TRUE(alerts_->OnMonitorChange(m, ch));
        clock_.Advance(kMinuteMs);
    };
    change(State::kOk, State::kCritical, false);
    ASSERT_TRUE(alerts_->OnFlapping(m, {true, 42.0}, State::kCritical));
    for (int i = 0; i < 3; ++i) {
        change(State::kCritical, State::kOk, true);
        change(State::kOk, State::kCritical, true);
    }
    change(State::kCritical, State::kOk, true);
    EXPECT_EQ(monitors.Events(m.id, 0, clock_.Now())->size(), 8u) << "every change is still recorded";
    const auto open = alerts_->List("open", 10).value();
    ASSERT_EQ(open.size(), 2u) << "the monitor's alert and its flapping";
    EXPECT_EQ(open[0].dedup_key, fmt::format("flap:{}", m.id));
    EXPECT_EQ(open[0].incident_id, open[1].incident_id) << "no second incident";
    EXPECT_EQ(open[1].repeat_count, 1) << "the flapping changes did not touch the alert";

    ASSERT_TRUE(alerts_->OnFlapping(m, {false, 20.0}, State::kOk));
    EXPECT_TRUE(alerts_->List("open", 10)->empty()) << "settled: it ended ok";
    const auto sent = Messages();
    const auto opens = std::count_if(sent.begin(), sent.end(), [](const auto& x) { return x.second.ends_with(":open"); });
    EXPECT_EQ(opens, 1) << "one mail for the failure, none per flap";
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertServiceTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo
