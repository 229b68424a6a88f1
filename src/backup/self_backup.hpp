#pragma once
// unyo's own backup and the restore drill. The server's data — the database (SQLite's online
// backup API, so the server keeps running; `pg_dump` on PostgreSQL), the attachments and
// config.json — is one backup generation named `unyo` (7 kept by default, nightly). A drill
// restores a generation to a scratch directory, checks every file against its manifest (and, for
// unyo's own SQLite backup, opens the restored database and verifies its audit chain), removes the
// scratch and records the result: how long it took (RTO evidence) and how old the data was (RPO
// evidence). Blocking: call from a worker thread.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "backup/backup.hpp"
#include "storage/sql/database.hpp"

namespace unyo::backup {

inline constexpr const char* kSelfName = "unyo";

struct SelfOptions {
    std::filesystem::path data_dir;
    std::string database_target;  // a SQLite path or a PostgreSQL URL
    std::filesystem::path destination;
    std::vector<std::filesystem::path> copies;
    int generations = 7;
    std::filesystem::path key_file;  // encrypt with it (CreateOptions::key_file)
    std::optional<transfer::Endpoint> remote;  // CreateOptions::remote
};

/// A new generation of unyo's own data at `now`.
[[nodiscard]] Result<Generation> BackupSelf(const SelfOptions& o, Millis now);

struct Drill {
    std::int64_t id = 0;
    std::string archive, backup_name;
    Millis generation_at = 0, started_at = 0;
    std::int64_t duration_ms = 0;  // restore and checks: RTO evidence
    std::int64_t data_age_ms = 0;  // the drill's start minus the generation's time: RPO evidence
    bool ok = false;
    int files = 0;
    std::int64_t bytes = 0;
    std::string message;
    std::string actor;
};

[[nodiscard]] json::object ToJson(const Drill& d);

/// Drills `archive` in a scratch directory under `scratch_root` and records the result (also a
/// failed drill: that is evidence too), with an audit entry.
[[nodiscard]] Result<Drill> RunDrill(storage::Database& db, const Clock& clock, const std::filesystem::path& archive,
                                     const std::filesystem::path& scratch_root, const audit::Actor& actor);
/// Newest first.
[[nodiscard]] Result<std::vector<Drill>> ListDrills(storage::Database& db, int limit);

}  // namespace unyo::backup
