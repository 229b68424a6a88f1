// Stored role matrices on both databases: seed 000 imported with its organisations made (a dry run
// writes nothing), read back with the same items and marks, one cell changed with optimistic
// concurrency, a column pointed at another organisation, deleted with its rows; each write audited.
#include "raci/raci_store.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "audit/audit_log.hpp"
#include "core/time_format.hpp"
#include "support/test_db.hpp"

namespace unyo::raci {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

std::string Seed000() {
    std::ifstream in(std::filesystem::path(UNYO_FIXTURES) / "seeds" / "raci_000.txt", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class RaciStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
    }
    std::int64_t Count(const char* table) {
        return t_->db().Read([&](storage::Connection& c) -> Result<std::int64_t> {
                          auto r = UNYO_TRY(c.Query(std::string("SELECT COUNT(*) FROM ") + table, {}));
                          return r.front().Int(0);
                      })
            .value();
    }
    FakeClock clock_{ParseRfc3339("2026-12-03T00:00:00Z").value()};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
};

TEST_P(RaciStoreTest, ImportReadChangeAndDelete) {
    RaciStore store(t_->db(), clock_);
    const Matrix read = ReadText(Seed000()).value();
    const auto orgs_before = Count("organizations");
    auto dry = store.Import(read, {"年金", true, true}, kActor);
    ASSERT_TRUE(dry) << dry.error().message;
    EXPECT_EQ(dry->matrix.item_count, 135);
    EXPECT_EQ(dry->organizations_created.size(), 8u);
    EXPECT_EQ(Count("raci_matrices"), 0) << "a dry run writes nothing";
    EXPECT_EQ(Count("organizations"), orgs_before);

    const auto done = store.Import(read, {"年金", false, true}, kActor);
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(Count("organizations"), orgs_before + 8);
    const auto m = store.Get(done->matrix.id).value();
    ASSERT_EQ(m.items.size(), 135u);
    for (std::size_t i = 0; i < m.items.size(); ++i) {
        EXPECT_EQ(m.items[i].item.seq, read.items[i].seq);
        EXPECT_EQ(m.items[i].item.path, read.items[i].path);
        EXPECT_EQ(m.items[i].item.marks, read.items[i].marks) << read.items[i].seq;
    }
    EXPECT_EQ(Write(ToMatrix(m), false), Write(read, false)) << "exports the table it read";
    EXPECT_EQ(store.Import(read, {"年金", false, false}, kActor).error().code, ErrorCode::kConflict);

    const auto item = m.items[111];  // 項番 112
    ASSERT_EQ(item.item.seq, 112);
    auto changed = store.SetCell(m.id, m.version, item.id, 4, Role::kSupport, kActor);
    ASSERT_TRUE(changed) << changed.error().message;
    EXPECT_EQ(changed->items[111].item.marks, (std::map<int, Role>{{3, Role::kMain}, {4, Role::kSupport}}));
    EXPECT_EQ(store.SetCell(m.id, m.version, item.id, 4, std::nullopt, kActor).error().code,
              ErrorCode::kPreconditionFailed);
    auto cleared = store.SetCell(m.id, changed->version, item.id, 4, std::nullopt, kActor);
    ASSERT_TRUE(cleared);
    EXPECT_EQ(cleared->items[111].item.marks, (std::map<int, Role>{{3, Role::kMain}}));
    auto mapped = store.MapColumn(m.id, cleared->version, 0, std::nullopt, kActor);
    ASSERT_TRUE(mapped);
    EXPECT_FALSE(mapped->columns[0].organization_id);
    EXPECT_EQ(store.MapColumn(m.id, mapped->version, 0, 999999, kActor).error().fields.at(0).field, "organization_id");

    ASSERT_TRUE(store.Delete(m.id, kActor));
    EXPECT_EQ(Count("raci_items"), 0);
    EXPECT_EQ(Count("raci_cells"), 0);
    EXPECT_EQ(Count("raci_columns"), 0);
    const auto report = audit::Verify(t_->db()).value();
    EXPECT_FALSE(report.broken_seq) << report.reason;
    EXPECT_EQ(report.entries, 8 + 1 + 3 + 1) << "8 organisations, the import, three changes (not the refused ones nor the dry run), the delete";
}

INSTANTIATE_TEST_SUITE_P(Backends, RaciStoreTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName{});

}  // namespace
}  // namespace unyo::raci
