// Procedures on both databases: the seed templates installed once, a run that waits at its gate
// for the owner's manager (others refused), finishes in order, and a rejection that stops a run.
#include "procedures/procedures.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"
#include "support/test_db.hpp"

namespace unyo::procedures {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

class ProcedureTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        ASSERT_TRUE(t_->db().Write([&](storage::Connection& c) -> Result<void> {
            auto o = UNYO_TRY(c.Query("INSERT INTO organizations (name, kind, created_at, updated_at) VALUES ('発注者課', 'owner', 0, 0) RETURNING id", {}));
            owner_org_ = o.front().Int(0);
            auto v = UNYO_TRY(c.Query("INSERT INTO organizations (name, kind, created_at, updated_at) VALUES ('保守会社', 'vendor', 0, 0) RETURNING id", {}));
            vendor_org_ = v.front().Int(0);
            return {};
        }));
    }
    auth::Principal Who(std::int64_t org, auth::Role role, const char* login) {
        auth::Principal p;
        p.user_id = 7;
        p.login = login;
        p.organization_id = org;
        p.roles = auth::Bit(role);
        return p;
    }
    FakeClock clock_{ParseRfc3339("2026-12-03T00:00:00Z").value()};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::int64_t owner_org_ = 0, vendor_org_ = 0;
};

TEST_P(ProcedureTest, AGateWaitsForTheOwnersManagerAndARejectionStopsTheRun) {
    ProcedureStore store(t_->db(), clock_);
    EXPECT_EQ(store.InstallDefaults(kActor).value(), static_cast<int>(DefaultTemplates().size()));
    EXPECT_EQ(store.InstallDefaults(kActor).value(), 0);
    const auto templates = store.Templates().value();
    const auto patch = *std::find_if(templates.begin(), templates.end(), [](const Template& t) { return t.kind == "security_patch"; });
    const auto op = Who(vendor_org_, auth::Role::kOperator, "op");
    auto run = store.Start(patch.id, "", std::nullopt, kActor).value();
    EXPECT_EQ(run.name, "セキュリティパッチ適用");
    for (const char* key : {"info", "desk", "verify"}) run = store.Act(run.id, key, "complete", "", op, kActor).value();
    EXPECT_EQ(store.Act(run.id, "decide", "approve", "", op, kActor).error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(store.Act(run.id, "decide", "approve", "", Who(vendor_org_, auth::Role::kManager, "vm"), kActor).error().code,
              ErrorCode::kPermissionDenied);
    run = store.Act(run.id, "decide", "approve", "", Who(owner_org_, auth::Role::kManager, "om"), kActor).value();
    EXPECT_EQ(run.states[3].status, "approved");
    EXPECT_EQ(run.states[3].by, "om");
    EXPECT_EQ(store.Act(run.id, "apply", "complete", "", op, kActor).error().code, ErrorCode::kValidation);
    clock_.Advance(kHourMs);
    run = store.Act(run.id, "apply", "complete", "適用済み", op, kActor).value();
    EXPECT_EQ(run.status, "completed");
    EXPECT_EQ(run.ended_at, clock_.Now());
    EXPECT_EQ(store.GetRun(run.id).value().states[4].comment, "適用済み") << "as stored";

    auto second = store.Start(patch.id, "緊急", std::nullopt, kActor).value();
    for (const char* key : {"info", "desk", "verify"}) second = store.Act(second.id, key, "complete", "", op, kActor).value();
    second = store.Act(second.id, "decide", "reject", "影響が大きい", Who(owner_org_, auth::Role::kManager, "om"), kActor).value();
    EXPECT_EQ(second.status, "stopped");
    EXPECT_NE(second.stop_reason.find("影響が大きい"), std::string::npos);
    EXPECT_EQ(store.Act(second.id, "apply", "complete", "x", op, kActor).error().code, ErrorCode::kConflict);
    EXPECT_EQ(store.Runs(10).value().size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProcedureTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName{});

}  // namespace
}  // namespace unyo::procedures
