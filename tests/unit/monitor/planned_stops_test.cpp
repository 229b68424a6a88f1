// Planned stops and the outbox on both databases: the notice period, what a stop covers, and
// one notification per channel and event.
#include "opscal/planned_stops.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "monitor/monitor_store.hpp"
#include "monitor/yaml_io.hpp"
#include "notify/outbox.hpp"
#include "support/test_db.hpp"

namespace unyo {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

class MonitoringStoresTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
    }
    FakeClock clock_{ParseRfc3339("2026-11-23T10:00:00+09:00").value()};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
};

TEST_P(MonitoringStoresTest, AStopUnderFourteenDaysAheadNeedsAReasonAndCoversItsScope) {
    opscal::PlannedStops stops(t_->db(), clock_);
    json::object body{{"kind", "inspection"},
                      {"title", "定期点検"},
                      {"scope", "services"},
                      {"services", json::array{"住民記録"}},
                      {"starts_at", "2026-12-01T18:00:00+09:00"},
                      {"ends_at", "2026-12-01T22:00:00+09:00"}};
    const auto refused = stops.Create(body, kActor);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.at(0).field, "short_notice_reason");
    body["starts_at"] = "2026-12-07T18:00:00+09:00";  // 14 days and 8 hours ahead
    body["ends_at"] = "2026-12-07T22:00:00+09:00";
    const auto stop = stops.Create(body, kActor);
    ASSERT_TRUE(stop) << stop.error().message;
    const Millis inside = ParseRfc3339("2026-12-07T20:00:00+09:00").value();
    EXPECT_TRUE(stop->Covers(7, "住民記録", inside));
    EXPECT_FALSE(stop->Covers(7, "税務", inside)) << "another service";
    EXPECT_FALSE(stop->Covers(7, "住民記録", stop->ends_at)) << "the end is outside";
    EXPECT_TRUE(stops.Active(7, "住民記録", inside)->has_value());
    EXPECT_FALSE(stops.Active(7, "住民記録", clock_.Now())->has_value());

    const auto bad = stops.Create({{"kind", "nap"}, {"title", ""}, {"starts_at", "x"}, {"ends_at", "2020-01-01T00:00:00Z"}},
                                  kActor);
    ASSERT_FALSE(bad);
    std::vector<std::string> fields;
    for (const auto& f : bad.error().fields) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"kind", "title", "starts_at", "ends_at"}));
}

TEST_P(MonitoringStoresTest, OneNotificationPerChannelAndEventAndAnUnreachableServerIsRetried) {
    notify::Outbox outbox(t_->db(), clock_);
    ASSERT_TRUE(outbox.CreateChannel({{"name", "mail"}, {"type", "smtp"}, {"host", "127.0.0.1"}, {"port", 9},
                                      {"from", "unyo@example.jp"}, {"to", json::array{"ops@example.jp"}},
                                      {"password", "secret"}},
                                     kActor));
    const auto shown = notify::ToJson(outbox.Channels()->front());
    EXPECT_FALSE(shown.contains("password")) << "secrets are never shown";
    EXPECT_TRUE(shown.at("password_set").as_bool());
    const notify::Message m{"alert:1:open", "件名", "本文", std::nullopt, std::nullopt};
    const auto enqueue = [&] {
        return t_->db().Write([&](storage::Connection& c) { return notify::Outbox::Enqueue(c, m, clock_.Now()); });
    };
    EXPECT_EQ(enqueue().value(), 1);
    EXPECT_EQ(enqueue().value(), 0) << "never twice for one event";
    EXPECT_EQ(outbox.DeliverDue().value(), 0) << "nothing listens on port 9";
    const auto log = outbox.Recent(10).value();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].status, "pending");
    EXPECT_EQ(log[0].attempts, 1);
    EXPECT_FALSE(log[0].last_error.empty());
    EXPECT_EQ(outbox.DeliverDue().value(), 0);
    EXPECT_EQ(outbox.Recent(10)->at(0).attempts, 1) << "not retried before its back-off";
    clock_.Advance(16'000);
    EXPECT_EQ(outbox.DeliverDue().value(), 0);
    EXPECT_EQ(outbox.Recent(10)->at(0).attempts, 2);
    clock_.Advance(25 * kHourMs);
    EXPECT_EQ(outbox.DeliverDue().value(), 0);
    EXPECT_EQ(outbox.Recent(10)->at(0).status, "expired") << "given up after a day";
}

TEST_P(MonitoringStoresTest, APersonalMessageGoesOnceOverTheFirstMailChannelOnly) {
    notify::Outbox outbox(t_->db(), clock_);
    ASSERT_TRUE(outbox.CreateChannel({{"name", "chat"}, {"type", "webhook"}, {"url", "http://127.0.0.1:9/"}}, kActor));
    for (const char* name : {"mail", "mail2"}) {
        ASSERT_TRUE(outbox.CreateChannel({{"name", name}, {"type", "smtp"}, {"host", "127.0.0.1"}, {"port", 9},
                                          {"from", "unyo@example.jp"}, {"to", json::array{"ops@example.jp"}}},
                                         kActor));
    }
    notify::Message m{"assigned:1:2:1", "件名", "本文", std::nullopt, std::nullopt};
    m.recipients = {"hanako@example.jp"};
    const auto n = t_->db().Write([&](storage::Connection& c) { return notify::Outbox::Enqueue(c, m, clock_.Now()); });
    EXPECT_EQ(n.value(), 1) << "not to the webhook, not to both mail channels";
    const auto log = outbox.Recent(10).value();
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].channel_name, "mail");
    EXPECT_EQ(log[0].recipients, (std::vector<std::string>{"hanako@example.jp"}));
}

TEST_P(MonitoringStoresTest, ApprovalAnnouncesAStopToItsTopicAndCancellingTellsThemAgain) {
    notify::Outbox outbox(t_->db(), clock_);
    const json::object hook{{"type", "webhook"}, {"url", "http://127.0.0.1:9/"}};
    auto channel = [&](const char* name, json::array topics) {
        json::object body = hook;
        body["name"] = name;
        body["topics"] = std::move(topics);
        return outbox.CreateChannel(body, kActor);
    };
    ASSERT_TRUE(channel("運用者", json::array{"alerts"}));
    ASSERT_TRUE(channel("職員向け", json::array{"planned_stops", "outages"}));
    json::object plain = hook;
    plain["name"] = "既定";
    const auto defaults = outbox.CreateChannel(plain, kActor);
    ASSERT_TRUE(defaults);
    EXPECT_EQ(json::serialize(notify::ToJson(*defaults).at("topics")), R"(["alerts","planned_stops"])");
    const auto bad = channel("誤り", json::array{"gossip"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().fields.at(0).field, "topics");

    opscal::PlannedStops stops(t_->db(), clock_);
    stops.set_console_url("http://unyo.example.jp");
    const auto stop = stops.Create({{"kind", "security"}, {"title", "OS 更新"}, {"reason", "月例パッチ"},
                                    {"starts_at", "2026-12-12T18:00:00+09:00"}, {"ends_at", "2026-12-12T21:00:00+09:00"}},
                                   kActor);
    ASSERT_TRUE(stop) << stop.error().message;
    EXPECT_TRUE(outbox.Recent(10)->empty()) << "not announced before it is approved";
    ASSERT_TRUE(stops.Approve(stop->id, stop->version, kActor));
    auto log = outbox.Recent(10).value();
    std::vector<std::string> told;
    for (const auto& d : log) told.push_back(d.channel_name);
    std::sort(told.begin(), told.end());
    EXPECT_EQ(told, (std::vector<std::string>{"既定", "職員向け"})) << "the channels of the planned_stops topic";
    EXPECT_EQ(log[0].subject, "【unyo】計画停止のお知らせ: OS 更新 (2026/12/12)");
    ASSERT_TRUE(stops.Delete(stop->id, kActor));
    log = outbox.Recent(10).value();
    ASSERT_EQ(log.size(), 4u);
    EXPECT_EQ(log[0].subject, "【unyo】計画停止の中止: OS 更新");
}

TEST_P(MonitoringStoresTest, TheFingerprintChangesWithEveryCreateUpdateAndDelete) {
    monitor::MonitorStore store(t_->db(), clock_);
    std::vector<std::string> prints{store.Fingerprint().value()};
    json::object body{{"name", "web"}, {"type", "tcp"}, {"target", {{"host", "127.0.0.1"}, {"port", 80}}}};
    const auto m = store.Create(monitor::MonitorFromJson(body, {}, true).value(), kActor).value();
    prints.push_back(store.Fingerprint().value());
    ASSERT_TRUE(store.Update(m.id, m.version, {{"interval_s", 30}}, kActor));
    prints.push_back(store.Fingerprint().value());
    ASSERT_TRUE(store.Delete(m.id, kActor));
    prints.push_back(store.Fingerprint().value());
    for (std::size_t i = 1; i < prints.size(); ++i) EXPECT_NE(prints[i - 1], prints[i]) << "change " << i << " is seen";
}

TEST_P(MonitoringStoresTest, YamlRoundTripsWithParentsByNameAndImportsTwiceAsOnce) {
    monitor::MonitorStore store(t_->db(), clock_);
    const std::string yaml =
        "monitors:\n"
        "  - {name: 業務AP, type: tcp, target: {host: ap01, port: 8080}, parents: [基幹スイッチ]}\n"
        "  - {name: 基幹スイッチ, type: tcp, target: {host: sw01, port: 22}, service: \"123\", warning: 200}\n";
    const auto first = monitor::ImportYaml(store, yaml, kActor, false).value();
    EXPECT_EQ(first.created, 2);
    const auto list = store.List().value();
    const auto& ap = list[0].name == "業務AP" ? list[0] : list[1];
    const auto& sw = list[0].name == "業務AP" ? list[1] : list[0];
    EXPECT_EQ(ap.parent_ids, std::vector<std::int64_t>{sw.id}) << "a parent named later in the file";
    EXPECT_EQ(sw.service, "123") << "a quoted number stays text";
    EXPECT_EQ(sw.warning, 200.0);
    const auto exported = monitor::ExportYaml(list);
    const auto again = monitor::ImportYaml(store, exported, kActor, false).value();
    EXPECT_EQ(again.unchanged, 2) << exported;
    EXPECT_EQ(again.created + again.updated, 0);
}

TEST_P(MonitoringStoresTest, DependenciesMustExistAndNeverMakeACycle) {
    monitor::MonitorStore store(t_->db(), clock_);
    auto add = [&](const char* name, json::array parents) {
        json::object body{{"name", name}, {"type", "tcp"}, {"target", {{"host", "127.0.0.1"}, {"port", 80}}},
                          {"parent_ids", std::move(parents)}};
        return store.Create(monitor::MonitorFromJson(body, {}, true).value(), kActor);
    };
    const auto a = add("a", {}).value();
    const auto b = add("b", {a.id}).value();
    const auto c = add("c", {b.id}).value();
    EXPECT_EQ(add("d", {999}).error().fields.at(0).field, "parent_ids") << "an unknown parent";
    const auto cycle = store.Update(a.id, a.version, {{"parent_ids", json::array{c.id}}}, kActor);
    ASSERT_FALSE(cycle) << "a → c → b → a";
    EXPECT_EQ(cycle.error().fields.at(0).field, "parent_ids");
    EXPECT_TRUE(store.Get(a.id)->parent_ids.empty()) << "nothing changed";
    EXPECT_TRUE(store.Update(c.id, c.version, {{"parent_ids", json::array{a.id, b.id}}}, kActor));
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitoringStoresTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo
