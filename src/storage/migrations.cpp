#include "storage/migrations.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace unyo::storage {

const std::vector<Migration>& Embedded_sqlite();
const std::vector<Migration>& Embedded_postgres();

namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
    "NULL, "
    "applied_at BIGINT NOT NULL)";

// Serialises concurrent migrators on PostgreSQL (several nodes starting at once).
constexpr std::int64_t kMigrationLockKey = 0x756e796f0001;

}  // namespace

const std::vector<Migration>& Migrations(Dialect dialect) {
    return dialect == Dialect::kSqlite ? Embedded_sqlite() : Embedded_postgres();
}

int LatestVersion(Dialect dialect) {
    const auto& m = Migrations(dialect);
    return m.empty() ? 0 : m.back().version;
}

Result<int> CurrentVersion(Database& db) {
    return db.Write([](Connection& c) -> Result<int> {
        UNYO_TRY_VOID(c.ExecScript(kCreateTable));
        auto rows = UNYO_TRY(c.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
        return static_cast<int>(rows.front().Int(0));
    });
}

Result<int> Migrate(Database& db, Millis now) {
    const int current = UNYO_TRY(CurrentVersion(db));
    const int latest = LatestVersion(db.dialect());
    if (current > latest) {
        return Fail(Error::Conflict(fmt::format(
            "the database schema is version {}, newer than this unyo knows ({}); run a newer unyo "
            "or restore a backup made by this version",
            current, latest)));
    }
    int applied = 0;
    for (const auto& m : Migrations(db.dialect())) {
        if (m.version <= current) {
            continue;
        }
        UNYO_TRY_VOID(db.Write([&m, now](Connection& c) -> Result<void> {
            UNYO_TRY_VOID(c.LockSection(kMigrationLockKey));
            auto done = UNYO_TRY(c.Query("SELECT 1 FROM schema_migrations WHERE version = $1",
                                         {static_cast<std::int64_t>(m.version)}));
            if (!done.empty()) {
                return {};  // another node applied it meanwhile
            }
            if (auto r = c.ExecScript(m.sql); !r) {
                return Fail(Error::Internal(
                    fmt::format("migration {} failed: {}", m.name, r.error().message)));
            }
            UNYO_TRY(c.Exec(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {static_cast<std::int64_t>(m.version), std::string(m.name), now}));
            return {};
        }));
        ++applied;
    }
    return applied;
}

Result<void> CheckSchema(Database& db) {
    const int current = UNYO_TRY(CurrentVersion(db));
    const int latest = LatestVersion(db.dialect());
    if (current > latest) {
        return Fail(
            Error::Conflict(fmt::format("the database schema is version {}, newer than this unyo "
                                        "knows ({}); refusing to start: "
                                        "run a newer unyo",
                                        current, latest)));
    }
    if (current < latest) {
        return Fail(
            Error::Conflict(fmt::format("the database schema is version {}, older than this unyo "
                                        "({}); run `unyo migrate` first",
                                        current, latest)));
    }
    return {};
}

Result<std::vector<std::string>> ListTables(Database& db) {
    const bool sqlite = db.dialect() == Dialect::kSqlite;
    return db.Read([sqlite](Connection& c) -> Result<std::vector<std::string>> {
        auto rows = UNYO_TRY(c.Query(
            sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                  "current_schema()"));
        std::vector<std::string> out;
        for (const auto& r : rows.rows) {
            // Full-text indexes are the one thing the dialects build differently: SQLite's FTS5
            // tables (records_fts and its shadow tables) against PostgreSQL's trigram indexes.
            const std::string name = r.Text(0);
            if (name.find("_fts") == std::string::npos) {
                out.push_back(name);
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    });
}

}  // namespace unyo::storage
