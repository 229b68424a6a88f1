#include "backup/self_backup.hpp"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/time_format.hpp"

namespace unyo::backup {
namespace fs = std::filesystem;
namespace {

// A consistent copy of the SQLite database at `from` in `to`, taken with the online backup API
// while other connections go on writing.
Result<void> CopySqlite(const std::string& from, const fs::path& to) {
    sqlite3* src = nullptr;
    sqlite3* dst = nullptr;
    const auto close = [&] {
        sqlite3_close(src);
        sqlite3_close(dst);
    };
    if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK ||
        sqlite3_open(to.c_str(), &dst) != SQLITE_OK) {
        const std::string why = sqlite3_errmsg(src ? src : dst);
        close();
        return Fail(Error::Internal(fmt::format("cannot open the database for the backup: {}", why)));
    }
    sqlite3_busy_timeout(src, 10'000);
    sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
    int rc = b ? SQLITE_OK : sqlite3_errcode(dst);
    while (b && (rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK) {
    }
    if (b) sqlite3_backup_finish(b);
    const std::string why = rc == SQLITE_DONE ? "" : sqlite3_errmsg(dst);
    close();
    if (rc != SQLITE_DONE) return Fail(Error::Internal(fmt::format("the database backup failed: {}", why)));
    return {};
}

// pg_dump of `url` (custom format) into `to`.
Result<void> DumpPostgres(const std::string& url, const fs::path& to) {
    const pid_t pid = fork();
    if (pid < 0) return Fail(Error::Internal("cannot start pg_dump"));
    if (pid == 0) {
        execlp("pg_dump", "pg_dump", "--format=custom", "--no-password", "--file", to.c_str(), url.c_str(),
               static_cast<char*>(nullptr));
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        return Fail(Error::Internal(fmt::format("pg_dump failed (status {})", WIFEXITED(st) ? WEXITSTATUS(st) : -1)));
    }
    return {};
}

Drill DrillFromRow(const storage::Row& r) {
    return {r.Int(0),  r.Text(1), r.Text(2),         r.Int(3),  r.Int(4),  r.Int(5), r.Int(6),
            r.Bool(7), static_cast<int>(r.Int(8)), r.Int(9), r.Text(10), r.Text(11)};
}

}  // namespace

Result<Generation> BackupSelf(const SelfOptions& o, Millis now) {
    const fs::path scratch = o.destination / (".snapshot-" + RandomToken(6));
    std::error_code ec;
    fs::create_directories(scratch, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot create {}: {}", scratch.string(), ec.message())));
    CreateOptions c;
    c.name = kSelfName;
    c.destination = o.destination;
    c.copies = o.copies;
    c.generations = o.generations;
    c.key_file = o.key_file;
    c.remote = o.remote;
    Result<void> snap;
    if (storage::IsPostgresUrl(o.database_target)) {
        snap = DumpPostgres(o.database_target, scratch / "unyo.pgdump");
        c.sources.push_back({scratch / "unyo.pgdump", "unyo.pgdump"});
    } else {
        snap = CopySqlite(o.database_target, scratch / "unyo.db");
        c.sources.push_back({scratch / "unyo.db", "unyo.db"});
    }
    if (snap) {
        if (fs::exists(o.data_dir / "config.json")) c.sources.push_back({o.data_dir / "config.json", "config.json"});
        if (fs::exists(o.data_dir / "attachments")) c.sources.push_back({o.data_dir / "attachments", "attachments"});
    }
    auto made = snap ? Create(c, now) : Result<Generation>(Fail(snap.error()));
    fs::remove_all(scratch, ec);
    return made;
}

json::object ToJson(const Drill& d) {
    return {{"id", d.id},
            {"archive", d.archive},
            {"backup_name", d.backup_name},
            {"generation_at", FormatRfc3339(d.generation_at)},
            {"started_at", FormatRfc3339(d.started_at)},
            {"duration_ms", d.duration_ms},
            {"data_age_ms", d.data_age_ms},
            {"ok", d.ok},
            {"files", d.files},
            {"bytes", d.bytes},
            {"message", d.message},
            {"actor", d.actor}};
}

Result<Drill> RunDrill(storage::Database& db, const Clock& clock, const fs::path& archive, const fs::path& scratch_root,
                       const audit::Actor& actor) {
    Drill d;
    d.archive = archive.filename().string();
    d.actor = actor.login;
    d.started_at = clock.Now();
    const auto t0 = std::chrono::steady_clock::now();
    const fs::path scratch = scratch_root / ("drill-" + RandomToken(6));
    auto restored = Restore(archive, scratch, false);
    if (restored) {
        d.backup_name = restored->name;
        d.generation_at = restored->created_at;
        d.files = static_cast<int>(restored->files.size());
        d.bytes = restored->bytes;
        d.ok = true;
        d.message = fmt::format("{} 件のファイル ({} バイト) を復元し、すべてのチェックサムが一致しました", d.files, d.bytes);
        // unyo's own SQLite backup: the restored database opens and its audit chain holds.
        if (fs::exists(scratch / "unyo.db")) {
            auto opened = storage::Open((scratch / "unyo.db").string());
            auto report = opened ? audit::Verify(**opened) : Result<audit::VerifyReport>(Fail(opened.error()));
            if (!report) {
                d.ok = false;
                d.message = fmt::format("復元したデータベースを開けません: {}", report.error().message);
            } else if (report->broken_seq) {
                d.ok = false;
                d.message = fmt::format("復元したデータベースの監査ログが連番 {} で壊れています: {}", *report->broken_seq,
                                        report->reason);
            } else {
                d.message += fmt::format("。監査ログ {} 件の連鎖を確認しました", report->entries);
            }
            if (opened) (*opened)->Close();
        }
    } else {
        d.message = fmt::format("復元できません: {}", restored.error().message);
        if (auto gens = List(archive.parent_path()); gens) {
            for (const auto& g : *gens) {
                if (g.archive == archive) {
                    d.backup_name = g.manifest.name;
                    d.generation_at = g.manifest.created_at;
                }
            }
        }
    }
    d.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    d.data_age_ms = d.generation_at > 0 ? d.started_at - d.generation_at : 0;
    std::error_code ec;
    fs::remove_all(scratch, ec);
    return db.Write([&](storage::Connection& c) -> Result<Drill> {
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO backup_drills (archive, backup_name, generation_at, started_at, duration_ms, data_age_ms, ok, "
            "files, bytes, message, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            {d.archive, d.backup_name, d.generation_at, d.started_at, d.duration_ms, d.data_age_ms,
             std::int64_t{d.ok ? 1 : 0}, std::int64_t{d.files}, d.bytes, d.message, d.actor}));
        d.id = rows.front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"backup.drill", "backup_drill", std::to_string(d.id), nullptr, ToJson(d)},
                               clock.Now()));
        return d;
    });
}

Result<std::vector<Drill>> ListDrills(storage::Database& db, int limit) {
    return db.Read([&](storage::Connection& c) -> Result<std::vector<Drill>> {
        auto rows = UNYO_TRY(c.Query("SELECT id, archive, backup_name, generation_at, started_at, duration_ms, data_age_ms, "
                                     "ok, files, bytes, message, actor FROM backup_drills ORDER BY id DESC LIMIT $1",
                                     {std::int64_t{limit}}));
        std::vector<Drill> out;
        for (const auto& r : rows.rows) out.push_back(DrillFromRow(r));
        return out;
    });
}

}  // namespace unyo::backup
