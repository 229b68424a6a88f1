#pragma once
// The handover export and import (KNW-2, docs/export.md): everything unyo holds as JSON Lines per
// table in one tar + zstd archive, with a manifest, SHA-256 checksums and DATA-DICTIONARY.md (every
// file, field, type and meaning in Japanese and English), so that another vendor can read a
// municipality's history without unyo — and unyo can restore it into an empty data directory.
// Secrets (password hashes, sessions, API tokens, feed tokens) are never exported.
//
// Determinism: tables in the dictionary's order, rows ordered by every column, columns in the
// dictionary's order, archive entries sorted with fixed times and owners. Export → import → export
// gives the same files; only manifest.json's `exported_at` differs. Blocking.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "audit/audit_log.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::dataexport {

inline constexpr int kFormatVersion = 1;

/// The data dictionary (embedded from dictionary.json): {tables: {name: {ja, en, columns: {name:
/// {type, ja, en}}}}, omitted_tables: {name: {ja, en}}, omitted_columns: {"table.column": {ja, en}}}.
[[nodiscard]] const json::object& Dictionary();

/// DATA-DICTIONARY.md: the archive's files, then every table's fields with type and meaning.
[[nodiscard]] std::string DictionaryMarkdown();

/// Tables and columns of the live schema that the dictionary neither describes nor omits, and
/// the other way round ("table x: column y not described"); empty when they agree.
[[nodiscard]] Result<std::vector<std::string>> DictionaryGaps(storage::Database& db);

struct Progress {
    int tables_done = 0;
    int tables_total = 0;
    std::int64_t rows = 0;
    std::string table;  // the one just written
};

struct ExportSummary {
    int tables = 0;
    std::int64_t rows = 0;
    std::int64_t attachments = 0;
    std::int64_t bytes = 0;  // the archive's size
};

/// Writes the archive to `out` (through `out`.part, renamed when complete). `attachments_dir`:
/// the record attachments (DIR/attachments). `progress` is called after each table.
[[nodiscard]] Result<ExportSummary> Export(storage::Database& db, const std::filesystem::path& attachments_dir,
                                           const std::filesystem::path& out, Millis now, const std::string& unyo_version,
                                           const std::function<void(const Progress&)>& progress = {});

struct ImportSummary {
    int tables = 0;
    std::int64_t rows = 0;
    std::int64_t attachments = 0;
    std::int64_t users = 0;  // accounts that need a new password (none was exported)
};

/// Restores `archive` into `db` — freshly migrated to the same schema version and holding no
/// users or records (Error::Conflict otherwise) — and its files into `attachments_dir`. Every
/// checksum is verified before anything is written; any error leaves the database unchanged.
[[nodiscard]] Result<ImportSummary> Import(const std::filesystem::path& archive, storage::Database& db,
                                           const std::filesystem::path& attachments_dir);

/// The export the server makes for an admin (POST/GET /api/v1/export): one at a time, in the
/// background, into DIR/exports/, with its progress.
class ExportJob {
  public:
    ExportJob(storage::Database& db, std::filesystem::path data_dir, const Clock& clock, std::string unyo_version)
        : db_(db), data_dir_(std::move(data_dir)), clock_(clock), version_(std::move(unyo_version)) {}
    ~ExportJob();
    ExportJob(const ExportJob&) = delete;
    ExportJob& operator=(const ExportJob&) = delete;

    /// Starts an export (audited); Error::Conflict while one runs. Its status.
    [[nodiscard]] Result<json::object> Start(const audit::Actor& actor);
    /// {state: idle|running|done|failed, tables_done, tables_total, rows, table, file, bytes,
    ///  started_at, finished_at, error}.
    [[nodiscard]] json::object Status() const;
    /// The file of the last export that finished, if any.
    [[nodiscard]] std::optional<std::filesystem::path> LatestFile() const;

  private:
    storage::Database& db_;
    std::filesystem::path data_dir_;
    const Clock& clock_;
    std::string version_;
    mutable std::mutex mu_;
    std::string state_ = "idle";
    Progress progress_;
    std::optional<std::filesystem::path> file_, done_file_;
    std::int64_t bytes_ = 0;
    std::optional<Millis> started_at_, finished_at_;
    std::string error_;
    std::jthread worker_;
};

}  // namespace unyo::dataexport
