// Both dialects have the same migration steps and, once applied, the same tables.
#include <cstdlib>

#include <gtest/gtest.h>

#include "storage/migrations.hpp"
#include "support/test_db.hpp"

namespace unyo::storage {
namespace {

TEST(MigrationsTest, BothDialectsHaveTheSameSteps) {
    const auto& lite = Migrations(Dialect::kSqlite);
    const auto& pg = Migrations(Dialect::kPostgres);
    ASSERT_FALSE(lite.empty());
    ASSERT_EQ(lite.size(), pg.size());
    for (std::size_t i = 0; i < lite.size(); ++i) {
        EXPECT_EQ(lite[i].version, static_cast<int>(i + 1)) << "versions are numbered without gaps";
        EXPECT_EQ(lite[i].version, pg[i].version);
        EXPECT_STREQ(lite[i].name, pg[i].name);
    }
}

TEST(MigrationsTest, BothDialectsCreateTheSameTables) {
    UNYO_SKIP_IF_UNAVAILABLE("postgres");
    unyo::testing::TestDatabase lite("sqlite");
    unyo::testing::TestDatabase pg("postgres");
    auto a = ListTables(lite.db());
    auto b = ListTables(pg.db());
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    EXPECT_NE(std::find(a->begin(), a->end(), "audit_log"), a->end());

    // Same columns per table; and every instant (…_at, …_until) is 64-bit on PostgreSQL, where
    // INTEGER is 32-bit and would overflow on milliseconds.
    for (const auto& table : *a) {
        auto lite_cols = lite.db().Read([&](Connection& c) -> Result<std::vector<std::string>> {
            auto rows =
                UNYO_TRY(c.Query("SELECT name FROM pragma_table_info($1) ORDER BY name", {table}));
            std::vector<std::string> out;
            for (const auto& r : rows.rows) out.push_back(r.Text(0));
            return out;
        });
        auto pg_cols = pg.db().Read(
            [&](Connection& c) -> Result<std::vector<std::pair<std::string, std::string>>> {
                auto rows = UNYO_TRY(
                    c.Query("SELECT column_name, data_type FROM information_schema.columns WHERE "
                            "table_schema = current_schema() "
                            "AND table_name = $1 ORDER BY column_name",
                            {table}));
                std::vector<std::pair<std::string, std::string>> out;
                for (const auto& r : rows.rows) out.emplace_back(r.Text(0), r.Text(1));
                return out;
            });
        ASSERT_TRUE(lite_cols && pg_cols) << table;
        std::vector<std::string> pg_names;
        for (const auto& [name, type] : *pg_cols) {
            pg_names.push_back(name);
            if (name.ends_with("_at") || name.ends_with("_until") || name == "at") {
                EXPECT_EQ(type, "bigint") << table << "." << name;
            }
        }
        EXPECT_EQ(*lite_cols, pg_names) << table;
    }
}

}  // namespace
}  // namespace unyo::storage
