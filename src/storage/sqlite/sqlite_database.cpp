#include "storage/sqlite/sqlite_database.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace unyo::storage {
namespace {

// Statements are written with PostgreSQL's `$N`; SQLite reads `?N` the same way. Quoted text
// is left alone.
std::string ToSqlitePlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    char quote = 0;
    for (char c : sql) {
        if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '$') {
            c = '?';
        }
        out.push_back(c);
    }
    return out;
}

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
    const int ext = sqlite3_extended_errcode(db);
    std::string msg = fmt::format("{}: {}", what, sqlite3_errmsg(db));
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ||
        ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return Error::Conflict(std::move(msg));
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        return {ErrorCode::kUnavailable, std::move(msg), {}};
    }
    return Error::Internal(std::move(msg));
}

class SqliteConnection final : public Connection {
  public:
    SqliteConnection() = default;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;
    ~SqliteConnection() override {
        for (auto& [sql, stmt] : cache_) {
            sqlite3_finalize(stmt);
        }
        if (db_ != nullptr) {
            sqlite3_close_v2(db_);
        }
    }

    Result<void> Open(const std::string& path, bool read_only, bool sync_full) {
        // Readers open read-write too (WAL readers need the shared-memory file) but are query_only.
        const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        if (int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
            return Fail(
                Error::Internal(fmt::format("cannot open SQLite database {}: {}", path,
                                            db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc))));
        }
        sqlite3_busy_timeout(db_, 10000);
        sqlite3_extended_result_codes(db_, 1);
        std::string pragmas = "PRAGMA foreign_keys=ON;";
        if (read_only) {
            pragmas += "PRAGMA query_only=1;";
        } else {
            pragmas += "PRAGMA journal_mode=WAL;";
            pragmas += sync_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
        }
        return ExecScript(pragmas);
    }

    Dialect dialect() const override { return Dialect::kSqlite; }

    Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
        Rows rows;
        UNYO_TRY_VOID(Run(sql, params, &rows));
        return rows;
    }

    Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
        UNYO_TRY_VOID(Run(sql, params, nullptr));
        return static_cast<std::int64_t>(sqlite3_changes(db_));
    }

    Result<void> ExecScript(std::string_view sql) override {
        char* err = nullptr;
        const std::string s(sql);
        if (int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            return Fail(Error::Internal(fmt::format("SQL script failed: {}", msg)));
        }
        return {};
    }

    Result<void> LockSection(std::int64_t /*key*/) override { return {}; }

  private:
    Result<sqlite3_stmt*> Prepare(std::string_view sql) {
        std::string key(sql);
        if (auto it = cache_.find(key); it != cache_.end()) {
            return it->second;
        }
        const std::string translated = ToSqlitePlaceholders(sql);
        sqlite3_stmt* stmt = nullptr;
        if (int rc =
                sqlite3_prepare_v3(db_, translated.c_str(), static_cast<int>(translated.size()),
                                   SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
            rc != SQLITE_OK) {
            return Fail(SqliteError(db_, rc, "cannot prepare statement"));
        }
        cache_.emplace(std::move(key), stmt);
        return stmt;
    }

    Result<void> Run(std::string_view sql, const std::vector<Value>& params, Rows* rows) {
        sqlite3_stmt* stmt = UNYO_TRY(Prepare(sql));
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int idx = static_cast<int>(i + 1);
            const auto& p = params[i];
            int rc = SQLITE_OK;
            if (const auto* n = std::get_if<std::int64_t>(&p)) {
                rc = sqlite3_bind_int64(stmt, idx, *n);
            } else if (const auto* d = std::get_if<double>(&p)) {
                rc = sqlite3_bind_double(stmt, idx, *d);
            } else if (const auto* s = std::get_if<std::string>(&p)) {
                rc = sqlite3_bind_text(stmt, idx, s->data(), static_cast<int>(s->size()),
                                       SQLITE_TRANSIENT);
            } else {
                rc = sqlite3_bind_null(stmt, idx);
            }
            if (rc != SQLITE_OK) {
                return Fail(SqliteError(db_, rc, "cannot bind parameter"));
            }
        }
        const int ncol = sqlite3_column_count(stmt);
        if (rows != nullptr) {
            for (int c = 0; c < ncol; ++c) {
                rows->columns.emplace_back(sqlite3_column_name(stmt, c));
            }
        }
        for (;;) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) {
                break;
            }
            if (rc != SQLITE_ROW) {
                Error e = SqliteError(db_, rc, "statement failed");
                sqlite3_reset(stmt);
                return Fail(std::move(e));
            }
            if (rows == nullptr) {
                continue;
            }
            std::vector<Value> values;
            values.reserve(ncol);
            for (int c = 0; c < ncol; ++c) {
                switch (sqlite3_column_type(stmt, c)) {
                    case SQLITE_INTEGER:
                        values.emplace_back(
                            static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
                        break;
                    case SQLITE_FLOAT:
                        values.emplace_back(sqlite3_column_double(stmt, c));
                        break;
                    case SQLITE_NULL:
                        values.emplace_back(std::monostate{});
                        break;
                    default: {
                        const auto* text =
                            reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                        values.emplace_back(std::string(text, sqlite3_column_bytes(stmt, c)));
                    }
                }
            }
            rows->rows.emplace_back(std::move(values));
        }
        sqlite3_reset(stmt);
        return {};
    }

    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

struct WriteRequest {
    Database::Job job;
    std::promise<Result<void>> done;
};

class SqliteDatabase final : public Database {
  public:
    SqliteDatabase() = default;
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;
    ~SqliteDatabase() override { Close(); }

    Result<void> Open(const std::string& path, const OpenOptions& options) {
        UNYO_TRY_VOID(writer_conn_.Open(path, false, options.sync_full));
        for (int i = 0; i < std::max(1, options.read_connections); ++i) {
            auto c = std::make_unique<SqliteConnection>();
            UNYO_TRY_VOID(c->Open(path, true, false));
            readers_.push_back(std::move(c));
        }
        writer_ = std::thread([this] { WriterLoop(); });
        return {};
    }

    Dialect dialect() const override { return Dialect::kSqlite; }

    Result<void> WriteJob(Job job) override {
        std::future<Result<void>> fut;
        {
            std::lock_guard lock(queue_mutex_);
            if (closed_) {
                return Fail({ErrorCode::kUnavailable, "the database is closed", {}});
            }
            queue_.push_back(WriteRequest{std::move(job), {}});
            fut = queue_.back().done.get_future();
            queue_depth_ = static_cast<std::int64_t>(queue_.size());
        }
        queue_cv_.notify_one();
        return fut.get();
    }

    Result<void> ReadJob(Job job) override {
        std::unique_ptr<SqliteConnection> conn;
        {
            std::unique_lock lock(readers_mutex_);
            readers_cv_.wait(lock, [this] { return closed_ || !readers_.empty(); });
            if (closed_) {
                return Fail({ErrorCode::kUnavailable, "the database is closed", {}});
            }
            conn = std::move(readers_.back());
            readers_.pop_back();
        }
        // A read spans one transaction so that it sees one consistent snapshot.
        Result<void> r = conn->ExecScript("BEGIN");
        if (r) {
            r = job(*conn);
            (void)conn->ExecScript("COMMIT");
        }
        {
            std::lock_guard lock(readers_mutex_);
            readers_.push_back(std::move(conn));
        }
        readers_cv_.notify_one();
        return r;
    }

    DatabaseStats Stats() const override {
        return {queue_depth_.load(), batches_.load(), jobs_.load()};
    }

    void Close() override {
        {
            std::lock_guard lock(queue_mutex_);
            if (closed_) {
                return;
            }
            closed_ = true;
        }
        queue_cv_.notify_all();
        if (writer_.joinable()) {
            writer_.join();
        }
        {
            std::lock_guard lock(readers_mutex_);
            readers_.clear();
        }
        readers_cv_.notify_all();
    }

  private:
    // Group commit: everything queued while the previous batch committed goes into one
    // transaction; each job runs in a savepoint so that its failure rolls back only itself.
    void WriterLoop() {
        for (;;) {
            std::deque<WriteRequest> batch;
            {
                std::unique_lock lock(queue_mutex_);
                queue_cv_.wait(lock, [this] { return closed_ || !queue_.empty(); });
                if (queue_.empty()) {
                    return;  // closed and drained
                }
                constexpr std::size_t kMaxBatch = 512;
                while (!queue_.empty() && batch.size() < kMaxBatch) {
                    batch.push_back(std::move(queue_.front()));
                    queue_.pop_front();
                }
                queue_depth_ = static_cast<std::int64_t>(queue_.size());
            }
            RunBatch(batch);
        }
    }

    void RunBatch(std::deque<WriteRequest>& batch) {
        std::vector<Result<void>> results;
        results.reserve(batch.size());
        if (auto begin = writer_conn_.ExecScript("BEGIN IMMEDIATE"); !begin) {
            for (auto& req : batch) {
                req.done.set_value(begin);
            }
            return;
        }
        for (auto& req : batch) {
            (void)writer_conn_.ExecScript("SAVEPOINT job");
            Result<void> r;
            try {
                r = req.job(writer_conn_);
            } catch (const std::exception& ex) {
                r = Fail(Error::Internal(fmt::format("write job threw: {}", ex.what())));
            }
            if (!r) {
                (void)writer_conn_.ExecScript("ROLLBACK TO job");
            }
            (void)writer_conn_.ExecScript("RELEASE job");
            results.push_back(std::move(r));
        }
        auto commit = writer_conn_.ExecScript("COMMIT");
        if (!commit) {
            spdlog::error("SQLite commit of {} writes failed: {}", batch.size(),
                          commit.error().message);
            (void)writer_conn_.ExecScript("ROLLBACK");
        }
        batches_++;
        jobs_ += static_cast<std::int64_t>(batch.size());
        for (std::size_t i = 0; i < batch.size(); ++i) {
            batch[i].done.set_value(commit ? std::move(results[i]) : commit);
        }
    }

    SqliteConnection writer_conn_;
    std::thread writer_;
    std::mutex queue_mutex_;
    std::condition_variable queue_cv_;
    std::deque<WriteRequest> queue_;
    std::atomic<bool> closed_{false};
    std::atomic<std::int64_t> queue_depth_{0};
    std::atomic<std::int64_t> batches_{0};
    std::atomic<std::int64_t> jobs_{0};

    // Idle read connections; guarded by readers_mutex_ (a plain mutex: the pool needs a
    // condition variable, which LockGuarded does not offer).
    std::mutex readers_mutex_;
    std::condition_variable readers_cv_;
    std::vector<std::unique_ptr<SqliteConnection>> readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options) {
    auto db = std::make_unique<SqliteDatabase>();
    UNYO_TRY_VOID(db->Open(path, options));
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace unyo::storage
