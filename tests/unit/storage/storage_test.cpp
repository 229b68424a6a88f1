// Storage conformance: the same behaviour on SQLite and PostgreSQL.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "storage/migrations.hpp"
#include "support/test_db.hpp"

namespace unyo::storage {
namespace {

using unyo::testing::TestDatabase;

class StorageTest : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<TestDatabase>(GetParam());
        auto r = t_->db().Write([](Connection& c) {
            return c.ExecScript(
                "CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL, note TEXT)");
        });
        ASSERT_TRUE(r) << r.error().message;
    }
    Database& db() { return t_->db(); }
    std::int64_t Count() {
        auto n = db().Read([](Connection& c) -> Result<std::int64_t> {
            auto rows = UNYO_TRY(c.Query("SELECT COUNT(*) FROM kv"));
            return rows.front().Int(0);
        });
        EXPECT_TRUE(n);
        return n.value_or(-1);
    }
    std::unique_ptr<TestDatabase> t_;
};

TEST_P(StorageTest, BindsAndReadsEveryValueType) {
    auto r = db().Write([](Connection& c) -> Result<void> {
        UNYO_TRY(
            c.Exec("INSERT INTO kv (k, v, note) VALUES ($1, $2, $3)",
                   {std::string("日本語'キー\""), std::int64_t{9'007'199'254'740'993}, Value{}}));
        return {};
    });
    ASSERT_TRUE(r) << r.error().message;
    auto rows = db().Read([](Connection& c) {
        return c.Query("SELECT k, v, note FROM kv WHERE k = $1", {std::string("日本語'キー\"")});
    });
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->rows.size(), 1u);
    EXPECT_EQ(rows->front().Text(0), "日本語'キー\"");
    EXPECT_EQ(rows->front().Int(1), 9'007'199'254'740'993);
    EXPECT_TRUE(rows->front().IsNull(2));
    EXPECT_EQ(rows->columns, (std::vector<std::string>{"k", "v", "note"}));
}

TEST_P(StorageTest, DollarInsideQuotedTextIsNotAPlaceholder) {
    auto rows =
        db().Read([](Connection& c) { return c.Query("SELECT '$1', $1", {std::string("x")}); });
    ASSERT_TRUE(rows) << rows.error().message;
    EXPECT_EQ(rows->front().Text(0), "$1");
    EXPECT_EQ(rows->front().Text(1), "x");
}

TEST_P(StorageTest, UniqueViolationIsConflictAndChangesNothing) {
    auto insert = [](Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("INSERT INTO kv (k, v) VALUES ('a', 1)"));
        return {};
    };
    ASSERT_TRUE(db().Write(insert));
    auto second = db().Write([](Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("UPDATE kv SET v = 2 WHERE k = 'a'"));
        UNYO_TRY(c.Exec("INSERT INTO kv (k, v) VALUES ('a', 3)"));
        return {};
    });
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    auto v = db().Read([](Connection& c) { return c.Query("SELECT v FROM kv WHERE k = 'a'"); });
    ASSERT_TRUE(v);
    EXPECT_EQ(v->front().Int(0), 1) << "the failed job's update must be rolled back";
}

TEST_P(StorageTest, FailedJobRollsBackOnlyItself) {
    // Many concurrent writers, every third of which fails after writing: exactly the others stay.
    constexpr int kWriters = 60;
    std::vector<std::thread> threads;
    std::atomic<int> acknowledged{0};
    for (int i = 0; i < kWriters; ++i) {
        threads.emplace_back([this, i, &acknowledged] {
            auto r = db().Write([i](Connection& c) -> Result<void> {
                UNYO_TRY(c.Exec("INSERT INTO kv (k, v) VALUES ($1, $2)",
                                {std::to_string(i), std::int64_t{i}}));
                if (i % 3 == 0) {
                    return Fail(Error::Conflict("refused on purpose"));
                }
                return {};
            });
            if (r) {
                acknowledged++;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(acknowledged.load(), kWriters - kWriters / 3);
    EXPECT_EQ(Count(), kWriters - kWriters / 3);
    EXPECT_GE(db().Stats().write_jobs, kWriters);
}

TEST_P(StorageTest, AcknowledgedWritesSurviveReopen) {
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(db().Write([i](Connection& c) -> Result<void> {
            UNYO_TRY(c.Exec("INSERT INTO kv (k, v) VALUES ($1, $2)",
                            {std::to_string(i), std::int64_t{i}}));
            return {};
        }));
    }
    t_->Reopen();
    EXPECT_EQ(Count(), 20);
}

TEST_P(StorageTest, ReadSeesEveryAcknowledgedWrite) {
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(db().Write([i](Connection& c) -> Result<void> {
            UNYO_TRY(c.Exec("INSERT INTO kv (k, v) VALUES ($1, $2)",
                            {std::to_string(i), std::int64_t{i}}));
            return {};
        }));
        ASSERT_EQ(Count(), i + 1);
    }
}

TEST_P(StorageTest, ReturningGivesGeneratedIds) {
    auto id = db().Write([](Connection& c) -> Result<std::int64_t> {
        auto rows =
            UNYO_TRY(c.Query("INSERT INTO organizations (name, kind, created_at, updated_at) "
                             "VALUES ('x', 'owner', 1, 1) RETURNING id"));
        return rows.front().Int(0);
    });
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_GT(*id, 0);
}

TEST_P(StorageTest, ClosedDatabaseRefusesWork) {
    db().Close();
    auto r = db().Write([](Connection&) -> Result<void> { return {}; });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    t_->Reopen();
}

TEST_P(StorageTest, RefusesDatabaseNewerThanBinary) {
    const int latest = LatestVersion(db().dialect());
    ASSERT_TRUE(db().Write([latest](Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)",
            {static_cast<std::int64_t>(latest + 1)}));
        return {};
    }));
    auto check = CheckSchema(db());
    ASSERT_FALSE(check);
    EXPECT_NE(check.error().message.find("newer than this unyo"), std::string::npos)
        << check.error().message;
    auto migrate = Migrate(db(), 0);
    ASSERT_FALSE(migrate);
    EXPECT_EQ(migrate.error().code, ErrorCode::kConflict);
}

TEST_P(StorageTest, MigrateIsIdempotent) {
    auto again = Migrate(db(), 0);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, 0);
    EXPECT_TRUE(CheckSchema(db()));
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo::storage
