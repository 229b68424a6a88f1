// The audit chain detects altered, removed and truncated entries on both databases.
#include <gtest/gtest.h>

#include "audit/audit_log.hpp"
#include "support/test_db.hpp"

namespace unyo::audit {
namespace {

class AuditLogTest : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        for (int i = 1; i <= 5; ++i) {
            auto r = db().Write([i](storage::Connection& c) {
                return Append(c, {std::int64_t{1}, "admin", "127.0.0.1"},
                              {"organization.create", "organization", std::to_string(i), nullptr,
                               json::object{{"name", "組織" + std::to_string(i)}}},
                              1'700'000'000'000 + i);
            });
            ASSERT_TRUE(r) << r.error().message;
            ASSERT_EQ(*r, i);
        }
    }
    storage::Database& db() { return t_->db(); }
    void Tamper(const std::string& sql) {
        auto r = db().Write([&](storage::Connection& c) { return c.ExecScript(sql); });
        ASSERT_TRUE(r) << r.error().message;
    }
    VerifyReport Check() {
        auto r = Verify(db());
        EXPECT_TRUE(r);
        return r.value_or(VerifyReport{});
    }
    std::unique_ptr<unyo::testing::TestDatabase> t_;
};

TEST_P(AuditLogTest, IntactChainVerifies) {
    const auto report = Check();
    EXPECT_EQ(report.entries, 5);
    EXPECT_FALSE(report.broken_seq.has_value()) << report.reason;
}

TEST_P(AuditLogTest, AlteredContentIsFoundAtItsEntry) {
    Tamper("UPDATE audit_log SET after_json = '{\"name\":\"改ざん\"}' WHERE seq = 3");
    const auto report = Check();
    ASSERT_TRUE(report.broken_seq.has_value());
    EXPECT_EQ(*report.broken_seq, 3);
    EXPECT_NE(report.reason.find("altered"), std::string::npos);
}

TEST_P(AuditLogTest, AlteredActorIsFound) {
    Tamper("UPDATE audit_log SET actor_login = 'someone' WHERE seq = 2");
    EXPECT_EQ(Check().broken_seq, 2);
}

TEST_P(AuditLogTest, RemovedMiddleEntryIsFound) {
    Tamper("DELETE FROM audit_log WHERE seq = 2");
    EXPECT_EQ(Check().broken_seq, 2);
}

TEST_P(AuditLogTest, RemovedNewestEntryIsFoundByTheHead) {
    Tamper("DELETE FROM audit_log WHERE seq = 5");
    const auto report = Check();
    ASSERT_TRUE(report.broken_seq.has_value());
    EXPECT_EQ(*report.broken_seq, 5);
}

TEST_P(AuditLogTest, RehashedEntryBreaksTheNextLink) {
    // Someone who rewrites an entry and its hash still breaks the next entry's previous-hash.
    Tamper("UPDATE audit_log SET hash = 'ff' WHERE seq = 4");
    EXPECT_EQ(Check().broken_seq, 4);
}

TEST_P(AuditLogTest, ListsNewestFirstWithFilters) {
    Filter f;
    f.limit = 2;
    auto page = List(db(), f);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ((*page)[0].seq, 5);
    EXPECT_EQ((*page)[1].seq, 4);
    f.before_seq = 4;
    f.entity_id = "1";
    page = List(db(), f);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ((*page)[0].after.as_object().at("name").as_string(), "組織1");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo::audit
