// The ledger on both databases with a fake clock: keys, workflows, guards, clocks, visibility.
#include "records/record_service.hpp"

#include <algorithm>

#include "records/saved_views.hpp"

#include <gtest/gtest.h>

#include "calendar/civil_date.hpp"
#include "core/crypto.hpp"
#include "support/test_db.hpp"

namespace unyo::records {
namespace {

using calendar::Date;

// Friday 2026-11-20 23:00 JST.
const Millis kFriday23 = Date(2026, 11, 20).StartInstant() + 23 * kHourMs;
const audit::Actor kActor{std::int64_t{1}, "admin", "127.0.0.1"};

auth::Principal Admin() {
    auth::Principal p;
    p.user_id = 1;
    p.login = "admin";
    p.organization_id = 1;
    p.roles = auth::Bit(auth::Role::kAdmin);
    return p;
}

class RecordServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        auth::AuthConfig config;
        config.hash_cost = HashCost::kMinimal;
        accounts_ = std::make_unique<auth::AccountService>(t_->db(), clock_, config);
        owner_ = accounts_->CreateOrganization({"市役所", "owner", std::nullopt, std::nullopt, std::nullopt}, kActor)->id;
        vendor_org_ = accounts_->CreateOrganization({"保守会社", "vendor", std::nullopt, std::nullopt, std::nullopt}, kActor)->id;
        auth::UserInput admin;
        admin.login = "admin";
        admin.display_name = "管理者";
        admin.organization_id = owner_;
        admin.roles = std::vector<std::string>{"admin"};
        admin.password = "Strong-Pass-2026";
        ASSERT_EQ(accounts_->CreateUser(admin, kActor).value().id, 1) << "Admin() is user 1";
        calendars_ = std::make_unique<calendar::CalendarStore>(t_->db(), clock_);
        ASSERT_TRUE(calendars_->Create("標準", "", calendar::CalendarRules{}, kActor));
        files_ = std::filesystem::temp_directory_path() / ("unyo-attachments-" + RandomToken(6));
        policies_ = SlaPolicyStore::Open(t_->db(), clock_, *calendars_, sla::DefaultPolicies()).value();
        records_ = std::make_unique<RecordService>(t_->db(), clock_, *calendars_, *policies_, files_);
    }

    const Workflow& W(const char* kind) { return *WorkflowByKind(kind); }

    std::int64_t AddUser(const char* login, const char* role) {
        auth::UserInput u;
        u.login = login;
        u.display_name = std::string("利用者 ") + login;
        u.organization_id = owner_;
        u.roles = std::vector<std::string>{role};
        u.password = "Strong-Pass-2026";
        return accounts_->CreateUser(u, kActor).value().id;
    }

    Record Raise(const char* kind, json::object fields, std::string severity = "") {
        RecordInput in;
        in.title = std::string("テスト ") + kind;
        if (!severity.empty()) in.severity = severity;
        in.fields = std::move(fields);
        auto r = records_->Create(W(kind), in, Admin(), kActor);
        EXPECT_TRUE(r) << r.error().message;
        return r.value_or(Record{});
    }

    Result<Record> Move(const char* kind, const Record& r, const char* to, json::object fields = {}) {
        RecordInput in;
        in.fields = std::move(fields);
        return records_->Transition(W(kind), r.id, to, in, Admin(), kActor);
    }

    std::map<std::string, sla::ClockStatus> ClocksOf(const Record& r) {
        std::map<std::string, sla::ClockStatus> out;
        const auto clocks = records_->Clocks(r).value();
        for (const auto& c : clocks) out[c.name] = c;
        return out;
    }

    FakeClock clock_{kFriday23 + 10 * kMinuteMs};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::unique_ptr<auth::AccountService> accounts_;
    std::unique_ptr<calendar::CalendarStore> calendars_;
    std::unique_ptr<SlaPolicyStore> policies_;
    std::unique_ptr<RecordService> records_;
    std::int64_t owner_ = 0, vendor_org_ = 0;
    std::filesystem::path files_;

    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(files_, ec);
    }
};

TEST_P(RecordServiceTest, FridayNightIncidentHasThreeClocksToSaturday11) {
    const auto r = Raise("incident", {{"source", "monitoring"}, {"recognized_at", "2026-11-20T23:00:00+09:00"}}, "high");
    EXPECT_EQ(r.key, "INC-000001");
    EXPECT_EQ(r.status, "received");
    const auto clocks = ClocksOf(r);
    ASSERT_EQ(clocks.size(), 3u);
    for (const char* name : {"notify", "eta", "recovery"}) {
        EXPECT_EQ(clocks.at(name).target_at, Date(2026, 11, 21).StartInstant() + 11 * kHourMs) << name;
        EXPECT_EQ(clocks.at(name).state, sla::ClockState::kRunning) << name;
    }
}

TEST_P(RecordServiceTest, WalksThroughAndClosesOnlyWithAPermanentFix) {
    const auto r = Raise("incident", {{"source", "user_report"}}, "medium");
    EXPECT_EQ(Move("incident", r, "closed").error().code, ErrorCode::kConflict) << "not from received";
    ASSERT_TRUE(Move("incident", r, "isolating"));
    clock_.Advance(2 * kHourMs);  // Saturday 01:10: the operator records the call made at 00:30
    RecordInput notified;
    notified.fields = {{"owner_notified_at", "2026-11-21T00:30:00+09:00"}};
    const auto current = records_->Get(W("incident"), r.id, Admin()).value();
    ASSERT_TRUE(records_->Update(W("incident"), r.id, current.version, notified, Admin(), kActor));
    auto recovered = Move("incident", r, "recovered");
    ASSERT_TRUE(recovered) << recovered.error().message;
    EXPECT_TRUE(recovered->HasValue("recovered_at")) << "stamped by the transition";
    auto refused = Move("incident", r, "closed");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_EQ(refused.error().fields.at(0).field, "permanent_fix");
    auto closed = Move("incident", r, "closed", {{"permanent_fix", "設定を修正し再発防止の監視を追加"}});
    ASSERT_TRUE(closed) << closed.error().message;
    EXPECT_TRUE(closed->closed_at.has_value());
    const auto clocks = ClocksOf(*closed);
    EXPECT_EQ(clocks.at("notify").state, sla::ClockState::kMet);
    EXPECT_EQ(clocks.at("notify").met_at, Date(2026, 11, 21).StartInstant() + 30 * kMinuteMs)
        << "the notification time the operator recorded";
    EXPECT_EQ(clocks.at("recovery").state, sla::ClockState::kMet);
    EXPECT_EQ(clocks.at("eta").state, sla::ClockState::kMet) << "recovery ends the ETA clock too";
}

TEST_P(RecordServiceTest, ALinkedProblemAlsoAllowsClosing) {
    const auto inc = Raise("incident", {{"source", "monitoring"}}, "low");
    const auto prb = Raise("problem", {});
    ASSERT_TRUE(Move("incident", inc, "responding"));
    ASSERT_TRUE(Move("incident", inc, "recovered"));
    ASSERT_TRUE(records_->Link(W("incident"), inc.id, prb.key, "resolved_by", Admin(), kActor));
    EXPECT_TRUE(Move("incident", inc, "closed"));
}

TEST_P(RecordServiceTest, CriticalAndUnauthorizedAccessClocks) {
    const auto critical = Raise("incident", {{"source", "monitoring"}, {"recognized_at", "2026-11-20T23:00:00+09:00"}},
                                "critical");
    EXPECT_EQ(ClocksOf(critical).at("recovery").target_at, kFriday23 + 24 * kHourMs);
    const auto intrusion = Raise(
        "incident", {{"source", "unauthorized_access"}, {"recognized_at", "2026-11-20T23:00:00+09:00"}}, "high");
    auto clocks = ClocksOf(intrusion);
    ASSERT_EQ(clocks.size(), 2u);
    EXPECT_EQ(clocks.at("response_start").target_at, kFriday23 + kHourMs);
    clock_.Set(kFriday23 + 50 * kMinuteMs);
    ASSERT_TRUE(Move("incident", intrusion, "responding"));
    clocks = ClocksOf(records_->Get(W("incident"), intrusion.id, Admin()).value());
    EXPECT_EQ(clocks.at("response_start").state, sla::ClockState::kMet);
}

TEST_P(RecordServiceTest, ChangeNeedsAManagerAndItsDocuments) {
    auto chg = Raise("change", {{"scope", "maintenance"},
                                {"documents", json::array{json::object{{"name", "運用手順書"}, {"done", false}}}}});
    auth::Principal op = Admin();
    op.roles = auth::Bit(auth::Role::kOperator);
    auto denied = records_->Transition(W("change"), chg.id, "approved", {}, op, kActor);
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
    ASSERT_TRUE(Move("change", chg, "approved"));
    ASSERT_TRUE(Move("change", chg, "implementing"));
    EXPECT_EQ(Move("change", chg, "implemented").error().fields.at(0).field, "result");
    ASSERT_TRUE(Move("change", chg, "implemented", {{"result", "適用完了"}}));
    auto refused = Move("change", chg, "closed");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.at(0).field, "documents");
    EXPECT_NE(refused.error().message.find("運用手順書"), std::string::npos);
    EXPECT_TRUE(Move("change", chg, "closed",
                     {{"documents", json::array{json::object{{"name", "運用手順書"}, {"done", true}}}}}));
}

TEST_P(RecordServiceTest, IssueNeedsOwnerAndDueDateAndKeepsTheirHistory) {
    RecordInput in;
    in.title = std::string("バックアップ容量の見直し");
    auto missing = records_->Create(W("issue"), in, Admin(), kActor);
    ASSERT_FALSE(missing);
    std::vector<std::string> fields;
    for (const auto& f : missing.error().fields) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"owner_id", "due_date"}));
    const auto issue = Raise("issue", {{"owner_id", 1}, {"due_date", "2026-12-25"}});
    RecordInput change;
    change.fields = {{"due_date", "2027-01-15"}};
    ASSERT_TRUE(records_->Update(W("issue"), issue.id, issue.version, change, Admin(), kActor));
    const auto timeline = records_->Timeline(issue.id).value();
    ASSERT_EQ(timeline.back().type, "field");
    EXPECT_EQ(timeline.back().body.at("before").as_string(), "2026-12-25");
    EXPECT_EQ(timeline.back().body.at("after").as_string(), "2027-01-15");
}

TEST_P(RecordServiceTest, StaleVersionsAndBadFieldsChangeNothing) {
    const auto r = Raise("inquiry", {{"channel", "phone"}});
    RecordInput bad;
    bad.fields = {{"channel", "fax"}};
    auto refused = records_->Update(W("inquiry"), r.id, r.version, bad, Admin(), kActor);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.at(0).field, "channel");
    RecordInput ok;
    ok.title = std::string("件名を修正");
    ASSERT_TRUE(records_->Update(W("inquiry"), r.id, r.version, ok, Admin(), kActor));
    auto stale = records_->Update(W("inquiry"), r.id, r.version, ok, Admin(), kActor);
    EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
    EXPECT_EQ(records_->Get(W("inquiry"), r.id, Admin())->version, 2);
}

TEST_P(RecordServiceTest, VendorsSeeTheirOrganisationsRecordsOnly) {
    RecordInput in;
    in.title = std::string("ベンダー担当");
    in.organization_id = std::optional<std::int64_t>(vendor_org_);
    in.fields = {{"source", "monitoring"}};
    const auto theirs = records_->Create(W("incident"), in, Admin(), kActor).value();
    const auto other = Raise("incident", {{"source", "monitoring"}});
    auth::Principal vendor;
    vendor.user_id = 99;
    vendor.organization_id = vendor_org_;
    vendor.roles = auth::Bit(auth::Role::kVendor);
    const auto listed = records_->List(W("incident"), {}, vendor).value();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].key, theirs.key);
    EXPECT_EQ(records_->Get(W("incident"), other.id, vendor).error().code, ErrorCode::kNotFound);
    // A supporting organisation of a routed record (ORG-3) sees it as well.
    ASSERT_TRUE(t_->db().Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("INSERT INTO record_support_organizations (record_id, organization_id) VALUES ($1, $2)",
                        {other.id, vendor_org_}));
        return {};
    }));
    EXPECT_EQ(records_->List(W("incident"), {}, vendor).value().size(), 2u);
    const auto helped = records_->Get(W("incident"), other.id, vendor);
    ASSERT_TRUE(helped);
    EXPECT_EQ(helped->support_organization_ids, (std::vector<std::int64_t>{vendor_org_}));
}

TEST_P(RecordServiceTest, SweepWritesWarningsAndBreachesOnce) {
    const auto r = Raise("incident", {{"source", "unauthorized_access"}, {"recognized_at", "2026-11-20T23:00:00+09:00"}},
                         "high");
    clock_.Set(kFriday23 + 50 * kMinuteMs);
    EXPECT_EQ(records_->Sweep().value(), 1) << "response_start warning at 45 min";
    EXPECT_EQ(records_->Sweep().value(), 0) << "once";
    clock_.Set(kFriday23 + 2 * kHourMs);
    EXPECT_EQ(records_->Sweep().value(), 1) << "response_start breach";
    const auto timeline = records_->Timeline(r.id).value();
    ASSERT_EQ(timeline.back().type, "sla");
    EXPECT_EQ(timeline.back().body.at("event").as_string(), "breach");
    EXPECT_EQ(timeline.back().body.at("name").as_string(), "response_start");
}

TEST_P(RecordServiceTest, SweepLooksOnlyAtRecordsWhoseNextInstantHasCome) {
    const auto next_of = [&](std::int64_t id) {
        return t_->db()
            .Read([&](storage::Connection& c) -> Result<std::optional<std::int64_t>> {
                auto rows = UNYO_TRY(c.Query("SELECT sla_next_at FROM records WHERE id = $1", {id}));
                return rows.front().OptInt(0);
            })
            .value();
    };
    const auto r = Raise("incident", {{"source", "unauthorized_access"}, {"recognized_at", "2026-11-20T23:00:00+09:00"}},
                         "high");
    EXPECT_EQ(next_of(r.id), clock_.Now()) << "a new record is due at once";
    EXPECT_EQ(records_->Sweep().value(), 0);
    EXPECT_EQ(next_of(r.id), kFriday23 + 45 * kMinuteMs) << "then at the response_start warning";
    const auto problem = Raise("problem", {});
    EXPECT_EQ(next_of(problem.id), std::nullopt) << "a kind without clocks is never swept";

    clock_.Set(kFriday23 + 30 * kMinuteMs);
    ASSERT_TRUE(Move("incident", r, "isolating"));
    const auto moved = records_->Get(W("incident"), r.id, Admin()).value();
    ASSERT_TRUE(Move("incident", moved, "responding"));
    EXPECT_EQ(next_of(r.id), clock_.Now()) << "a change makes it due";
    EXPECT_EQ(records_->Sweep().value(), 0);
    EXPECT_EQ(next_of(r.id), kFriday23 + 9 * kHourMs) << "response_start met; next the notify warning (75 % of 12 h)";

    // Every clock decided and written: never looked at again.
    const auto now = records_->Get(W("incident"), r.id, Admin()).value();
    RecordInput notified;
    notified.fields = {{"owner_notified_at", "2026-11-20T23:40:00+09:00"}};
    ASSERT_TRUE(records_->Update(W("incident"), r.id, now.version, notified, Admin(), kActor));
    EXPECT_EQ(records_->Sweep().value(), 0);
    EXPECT_EQ(next_of(r.id), std::nullopt);
}

TEST_P(RecordServiceTest, PolicyChangesApplyToClocksStartingAfterThem) {
    const auto before = Raise("incident", {{"source", "monitoring"}, {"recognized_at", "2026-11-20T23:00:00+09:00"}},
                              "high");
    const auto all = policies_->All();
    const auto normal = std::find_if(all->begin(), all->end(),
                                     [](const StoredPolicy& p) { return p.Newest().policy.name == "障害 (通常)"; });
    ASSERT_NE(normal, all->end());
    TargetChange recovery{"recovery", std::nullopt, 48 * kHourMs, 50, std::nullopt};
    const auto changed = policies_->Update(normal->id, normal->version, {recovery}, std::nullopt, kActor);
    ASSERT_TRUE(changed) << changed.error().message;
    EXPECT_EQ(changed->version, 2);
    EXPECT_EQ(changed->versions.size(), 2u);

    EXPECT_EQ(ClocksOf(before)["recovery"].target_at, kFriday23 + 12 * kHourMs) << "the old terms still apply";
    const auto after = Raise("incident", {{"source", "monitoring"}}, "high");
    const auto clocks = ClocksOf(after);
    EXPECT_EQ(clocks.at("recovery").target_at, clock_.Now() + 48 * kHourMs);
    EXPECT_EQ(clocks.at("recovery").warn_at, clock_.Now() + 24 * kHourMs);
    EXPECT_EQ(clocks.at("notify").target_at, clock_.Now() + 12 * kHourMs) << "other targets unchanged";

    // Stale versions and bad changes change nothing.
    EXPECT_EQ(policies_->Update(normal->id, 1, {recovery}, std::nullopt, kActor).error().code,
              ErrorCode::kPreconditionFailed);
    const auto bad = policies_->Update(normal->id, 2,
                                       {{"nope", std::nullopt, kHourMs, std::nullopt, std::nullopt},
                                        {"notify", std::nullopt, std::nullopt, 100, std::int64_t{999}}},
                                       kFriday23 - kHourMs, kActor);
    ASSERT_FALSE(bad);
    std::vector<std::string> fields;
    for (const auto& f : bad.error().fields) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"valid_from", "targets[0].name", "targets[1].warn_percent",
                                                "targets[1].calendar_id"}));
    EXPECT_EQ(policies_->Get(normal->id)->version, 2);

    // Kept across a restart.
    const auto reopened = SlaPolicyStore::Open(t_->db(), clock_, *calendars_, sla::DefaultPolicies()).value();
    EXPECT_EQ(reopened->Get(normal->id)->Newest().policy.targets.back().duration, 48 * kHourMs);
}

TEST_P(RecordServiceTest, WatchersAreTheRaiserAndThoseAdded) {
    const auto r = Raise("incident", {{"source", "monitoring"}});
    const auto op_id = AddUser("operator1", "operator");
    auto watchers = records_->Watchers(W("incident"), r.id, Admin()).value();
    ASSERT_EQ(watchers.size(), 1u);
    EXPECT_EQ(watchers[0].login, "admin");
    EXPECT_TRUE(records_->Watch(W("incident"), r.id, op_id, Admin(), kActor).value());
    EXPECT_FALSE(records_->Watch(W("incident"), r.id, op_id, Admin(), kActor).value()) << "already watching";
    EXPECT_EQ(records_->Watchers(W("incident"), r.id, Admin())->size(), 2u);
    EXPECT_EQ(records_->Watch(W("incident"), r.id, 4242, Admin(), kActor).error().fields.at(0).field, "user_id");

    auth::Principal vendor;
    vendor.user_id = op_id;  // any id: a vendor may not add others
    vendor.organization_id = vendor_org_;
    vendor.roles = auth::Bit(auth::Role::kVendor);
    EXPECT_EQ(records_->Watch(W("incident"), r.id, 1, vendor, kActor).error().code, ErrorCode::kNotFound)
        << "a vendor does not see another organisation's record";
    ASSERT_TRUE(records_->Unwatch(W("incident"), r.id, op_id, Admin(), kActor));
    EXPECT_EQ(records_->Unwatch(W("incident"), r.id, op_id, Admin(), kActor).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(records_->Watchers(W("incident"), r.id, Admin())->size(), 1u);
}

TEST_P(RecordServiceTest, SavedViewsAreOnesOwnOrShared) {
    SavedViews views(t_->db(), clock_);
    auth::Principal op = Admin();
    op.user_id = AddUser("op2", "operator");
    op.login = "op2";
    op.roles = auth::Bit(auth::Role::kOperator);
    const auto mine = views.Create(op, {0, 0, "", "incidents", "重大のみ", "?severity=critical", false, 0}, kActor);
    ASSERT_TRUE(mine) << mine.error().message;
    EXPECT_EQ(mine->query, "severity=critical");
    const auto again = views.Create(op, {0, 0, "", "incidents", "重大のみ", "", false, 0}, kActor);
    EXPECT_EQ(again.error().fields.at(0).field, "name");
    const auto share = views.Create(op, {0, 0, "", "incidents", "共有", "", true, 0}, kActor);
    EXPECT_EQ(share.error().fields.at(0).field, "shared") << "operators do not share";
    ASSERT_TRUE(views.Create(Admin(), {0, 0, "", "incidents", "未完了", "open=true", true, 0}, kActor));
    ASSERT_TRUE(views.Create(Admin(), {0, 0, "", "incidents", "管理者用", "", false, 0}, kActor));

    std::vector<std::string> seen;
    const auto listed = views.List(op, "incidents").value();
    for (const auto& v : listed) seen.push_back(v.name);
    EXPECT_EQ(seen, (std::vector<std::string>{"未完了", "重大のみ"})) << "own and shared, not the admin's own";
    EXPECT_EQ(views.Delete(Admin(), mine->id, kActor).has_value(), true) << "an admin may delete any";
    EXPECT_EQ(views.List(op, "incidents")->size(), 1u);
    const auto shared = views.List(op, "incidents")->front();
    EXPECT_EQ(views.Delete(op, shared.id, kActor).error().code, ErrorCode::kNotFound) << "not one's own";
}

TEST_P(RecordServiceTest, PagesNewestFirstWithoutGapsOrRepeats) {
    std::vector<std::string> raised;
    for (int i = 0; i < 5; ++i) {
        raised.push_back(Raise("request", {{"request_type", "printer"}}).key);
        if (i != 2) clock_.Advance(kMinuteMs);  // two records share an instant
    }
    std::vector<std::string> seen;
    RecordQuery q;
    q.limit = 2;
    for (int page = 0; page < 5; ++page) {
        const auto items = records_->List(W("request"), q, Admin()).value();
        for (const auto& r : items) seen.push_back(r.key);
        if (items.size() < 2) break;
        q.before_id = items.back().id;
    }
    std::reverse(raised.begin(), raised.end());
    EXPECT_EQ(seen, raised);
}

TEST_P(RecordServiceTest, KeysCountPerKind) {
    EXPECT_EQ(Raise("request", {{"request_type", "printer"}}).key, "REQ-000001");
    EXPECT_EQ(Raise("request", {{"request_type", "account"}}).key, "REQ-000002");
    EXPECT_EQ(Raise("problem", {}).key, "PRB-000001");
}

TEST_P(RecordServiceTest, SearchesJapaneseTextAndComments) {
    auto print = Raise("incident", {{"source", "user_report"}, {"event", "住民票の写しが印刷できない"}});
    auto net = Raise("incident", {{"source", "monitoring"}, {"event", "庁内ネットワークの遅延"}});
    ASSERT_TRUE(records_->Comment(W("incident"), net.id, "コアスイッチのポート障害を確認", Admin(), kActor));
    auto keys = [&](const std::string& q) {
        RecordQuery query;
        query.q = q;
        std::vector<std::string> out;
        const auto found = records_->List(W("incident"), query, Admin()).value();
        for (const auto& r : found) out.push_back(r.key);
        return out;
    };
    EXPECT_EQ(keys("住民票の写し"), std::vector<std::string>{print.key}) << "a field's text";
    EXPECT_EQ(keys("コアスイッチ"), std::vector<std::string>{net.key}) << "a comment's text";
    EXPECT_EQ(keys("遅延"), std::vector<std::string>{net.key}) << "two characters: below the trigram length";
    EXPECT_EQ(keys("INC-000001"), std::vector<std::string>{print.key}) << "the key";
    EXPECT_TRUE(keys("存在しない語句").empty());
}

TEST_P(RecordServiceTest, OffersSimilarPastIncidents) {
    RecordInput in;
    in.title = std::string("住民記録システムで帳票が印刷できない");
    in.fields = {{"source", "user_report"}};
    const auto past = records_->Create(W("incident"), in, Admin(), kActor).value();
    in.title = std::string("庁内ネットワークが遅い");
    ASSERT_TRUE(records_->Create(W("incident"), in, Admin(), kActor));
    in.title = std::string("住民記録システムの帳票印刷でエラー");
    const auto now = records_->Create(W("incident"), in, Admin(), kActor).value();
    const auto similar = records_->Similar(W("incident"), now, Admin()).value();
    ASSERT_FALSE(similar.empty());
    EXPECT_EQ(similar.front().key, past.key);
}

TEST_P(RecordServiceTest, ReleaseJudgementNeedsAnAttachedTestReport) {
    const auto rel = Raise("release", {{"system", "住民記録"}, {"release_version", "2.4.0"}});
    auto refused = Move("release", rel, "approved", {{"judgement_note", "試験完了"}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.at(0).field, "attachments");
    const std::string pdf = "%PDF-1.7\n試験結果報告書\n%%EOF";
    auto fake = records_->Attach(W("release"), rel.id, "報告書.pdf", "application/pdf", "<html>not a pdf", Admin(), kActor);
    ASSERT_FALSE(fake);
    EXPECT_EQ(fake.error().fields.at(0).field, "content_type");
    EXPECT_FALSE(records_->Attach(W("release"), rel.id, "x.exe", "application/x-msdownload", "MZ", Admin(), kActor));
    auto a = records_->Attach(W("release"), rel.id, "試験結果報告書.pdf", "application/pdf", pdf, Admin(), kActor);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->sha256, Sha256Hex(pdf));
    const auto [stored, bytes] = records_->ReadAttachment(rel.id, a->id).value();
    EXPECT_EQ(bytes, pdf);
    EXPECT_EQ(stored.file_name, "試験結果報告書.pdf");
    EXPECT_TRUE(Move("release", rel, "approved", {{"judgement_note", "試験完了"}}));
}

INSTANTIATE_TEST_SUITE_P(Backends, RecordServiceTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo::records
