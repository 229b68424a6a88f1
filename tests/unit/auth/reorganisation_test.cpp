// The April reorganisation on both databases with a fake clock: a sheet read with Japanese headers
// and role labels (bad cells named by line), staged for 4/1, nothing changed on 3/31, applied by
// the scheduler on 4/1 (a new organisation made, users moved, roles changed, a leaver disabled),
// each line's outcome kept; once applied it cannot be applied or cancelled again.
#include "auth/reorganisation.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "support/test_db.hpp"

namespace unyo::auth {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

sheet::Rows Sheet(std::initializer_list<std::initializer_list<const char*>> rows) {
    sheet::Rows out;
    for (const auto& r : rows) {
        std::vector<std::string> cells;
        for (const char* c : r) cells.emplace_back(c);
        out.push_back(std::move(cells));
    }
    return out;
}

TEST(ReorgSheet, HeadersRolesAndBadCells) {
    const auto rows = ReadReorgSheet(Sheet({{"令和9年度 人事異動"},
                                            {"ログインID", "氏名", "所属", "ロール", "状態"},
                                            {"tanaka", "田中 一郎", "こども家庭課", "運用担当・承認者", ""},
                                            {"sato", "", "", "", "退職"},
                                            {"", "", "", "", ""}}))
                          .value();
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].line, 3);
    EXPECT_EQ(*rows[0].organization, "こども家庭課");
    EXPECT_EQ(*rows[0].roles, (std::vector<std::string>{"operator", "manager"}));
    EXPECT_FALSE(rows[0].status.has_value()) << "an empty cell leaves it as it is";
    EXPECT_EQ(*rows[1].status, "disabled");

    const auto bad = ReadReorgSheet(Sheet({{"login", "roles", "status", "email"}, {"a", "operator, 社長", "休職", "x"}, {"a", "", "", ""}}));
    ASSERT_FALSE(bad);
    std::vector<std::string> fields;
    for (const auto& e : bad.error().fields) fields.push_back(e.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"line 2: roles", "line 2: status", "line 2: email", "line 3: login"}));
    EXPECT_EQ(ReadReorgSheet(Sheet({{"氏名", "所属"}, {"田中", "市民課"}})).error().fields.front().field, "file");
}

class ReorganisationTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        AuthConfig config;
        config.hash_cost = HashCost::kMinimal;
        accounts_ = std::make_unique<AccountService>(t_->db(), clock_, config);
        org_ = accounts_->CreateOrganization({"市民課", "owner", std::nullopt, std::nullopt, std::nullopt}, kActor).value();
        for (const auto& [login, role] : {std::pair{"admin1", "admin"}, {"tanaka", "operator"}, {"sato", "viewer"}}) {
            UserInput in;
            in.login = login;
            in.display_name = login;
            in.organization_id = org_.id;
            in.roles = std::vector<std::string>{role};
            in.password = "Correct-Horse-Battery-9";
            accounts_->CreateUser(in, kActor).value();
        }
    }
    FakeClock clock_{ParseRfc3339("2027-03-31T03:00:00Z").value()};  // 3/31 12:00 in Japan
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::unique_ptr<AccountService> accounts_;
    Organization org_;
};

TEST_P(ReorganisationTest, StagedForItsDateAndAppliedThen) {
    Reorganisations reorg(t_->db(), clock_, *accounts_);
    const auto rows = ReadReorgSheet(Sheet({{"ログインID", "氏名", "所属", "ロール", "状態"},
                                            {"tanaka", "田中 一郎", "こども家庭課", "運用担当・承認者", ""},
                                            {"sato", "", "", "", "退職"}}))
                          .value();
    const auto diff = reorg.Diff(rows).value();
    EXPECT_TRUE(diff.at("ok").as_bool());
    EXPECT_EQ(diff.at("users_changing").as_int64(), 2);
    EXPECT_EQ(json::serialize(diff.at("organizations_to_create")), R"(["こども家庭課"])");
    const auto& tanaka = diff.at("lines").as_array()[0].as_object().at("changes").as_array();
    EXPECT_EQ(tanaka.size(), 3U) << json::serialize(tanaka);  // name, organisation, roles

    const auto unknown = ReadReorgSheet(Sheet({{"login", "status"}, {"nobody", "退職"}})).value();
    const auto refused = reorg.Stage("x", calendar::Date::Parse("2027-04-01").value(), unknown, kActor);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().fields.front().field, "line 2: login");

    const auto plan = reorg.Stage("令和9年度 4月異動", calendar::Date::Parse("2027-04-01").value(), rows, kActor).value();
    EXPECT_EQ(reorg.ApplyDue().value(), 0) << "not before its date";
    EXPECT_EQ(accounts_->FindUserByLogin("tanaka").value().organization_id, org_.id);

    clock_.Advance(12 * 3'600'000);  // 4/1 00:00 in Japan
    EXPECT_EQ(reorg.ApplyDue().value(), 1);
    const auto done = reorg.Get(plan.id).value();
    EXPECT_EQ(done.status, "applied");
    EXPECT_EQ(done.applied_by, "system (reorganisation)");
    EXPECT_EQ(json::serialize(done.result),
              R"([{"line":2,"login":"tanaka","outcome":"applied"},{"line":3,"login":"sato","outcome":"applied"}])");
    const auto t = accounts_->FindUserByLogin("tanaka").value();
    EXPECT_NE(t.organization_id, org_.id);
    EXPECT_EQ(accounts_->GetOrganization(t.organization_id).value().name, "こども家庭課");
    EXPECT_EQ(RoleNames(t.roles), (std::vector<std::string>{"manager", "operator"}));
    EXPECT_EQ(t.display_name, "田中 一郎");
    EXPECT_TRUE(accounts_->FindUserByLogin("sato").value().disabled);

    EXPECT_EQ(reorg.Apply(plan.id, kActor).error().code, ErrorCode::kConflict);
    EXPECT_EQ(reorg.Cancel(plan.id, kActor).error().code, ErrorCode::kConflict);
    EXPECT_EQ(reorg.ApplyDue().value(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReorganisationTest, ::testing::ValuesIn(unyo::testing::Backends()), unyo::testing::BackendName{});

}  // namespace
}  // namespace unyo::auth
