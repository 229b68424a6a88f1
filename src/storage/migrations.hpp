#pragma once
// Forward-only, numbered schema migrations per dialect, embedded in the binary at build time
// from storage/migrations/<dialect>/NNNN_name.sql (cmake/embed_migrations.cmake).
// Each migration is applied in its own transaction and recorded in schema_migrations.

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "storage/sql/database.hpp"

namespace unyo::storage {

struct Migration {
    int version;
    const char* name;
    const char* sql;
};

/// The embedded migrations of `dialect`, in order.
[[nodiscard]] const std::vector<Migration>& Migrations(Dialect dialect);

/// Highest version this binary knows for `dialect`.
[[nodiscard]] int LatestVersion(Dialect dialect);

/// The database's current schema version (0 when new).
[[nodiscard]] Result<int> CurrentVersion(Database& db);

/// Applies every pending migration; returns how many ran. Error::Conflict (with an operator
/// message) when the database is newer than this binary; nothing is changed then.
[[nodiscard]] Result<int> Migrate(Database& db, Millis now);

/// Ok when the schema is exactly this binary's; else an error saying to migrate or upgrade.
[[nodiscard]] Result<void> CheckSchema(Database& db);

/// Names of the tables the schema has (sorted), for comparing the dialects in tests; full-text
/// index tables (`*_fts*`, SQLite only) are left out.
[[nodiscard]] Result<std::vector<std::string>> ListTables(Database& db);

}  // namespace unyo::storage
