#include "storage/postgres/pg_database.hpp"

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include <fmt/format.h>
#include <libpq-fe.h>

namespace unyo::storage {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

Error PgError(PGconn* conn, const PGresult* res, std::string_view what) {
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string detail = res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) {
        detail.pop_back();
    }
    std::string msg = fmt::format("{}: {}", what, detail);
    // 23505 unique_violation, 23503 foreign_key_violation, 40001/40P01 serialization/deadlock.
    if (state != nullptr &&
        (std::strcmp(state, "23505") == 0 || std::strcmp(state, "23503") == 0)) {
        return Error::Conflict(std::move(msg));
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        return {ErrorCode::kUnavailable, std::move(msg), {}};
    }
    return Error::Internal(std::move(msg));
}

class PgConnection final : public Connection {
  public:
    explicit PgConnection(PGconn* conn) : conn_(conn) {}
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;
    ~PgConnection() override { PQfinish(conn_); }

    Dialect dialect() const override { return Dialect::kPostgres; }
    [[nodiscard]] bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
    void Reset() { PQreset(conn_); }

    Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
        PgResult res = UNYO_TRY(Run(sql, params));
        Rows rows;
        const int ncol = PQnfields(res.get());
        for (int c = 0; c < ncol; ++c) {
            rows.columns.emplace_back(PQfname(res.get(), c));
        }
        const int nrow = PQntuples(res.get());
        rows.rows.reserve(nrow);
        for (int r = 0; r < nrow; ++r) {
            std::vector<Value> values;
            values.reserve(ncol);
            for (int c = 0; c < ncol; ++c) {
                if (PQgetisnull(res.get(), r, c)) {
                    values.emplace_back(std::monostate{});
                    continue;
                }
                const char* v = PQgetvalue(res.get(), r, c);
                switch (PQftype(res.get(), c)) {
                    case kInt8Oid:
                    case kInt4Oid:
                    case kInt2Oid:
                        values.emplace_back(
                            static_cast<std::int64_t>(std::strtoll(v, nullptr, 10)));
                        break;
                    case kFloat4Oid:
                    case kFloat8Oid:
                    case kNumericOid:
                        values.emplace_back(std::strtod(v, nullptr));
                        break;
                    case kBoolOid:
                        values.emplace_back(static_cast<std::int64_t>(v[0] == 't'));
                        break;
                    default:
                        values.emplace_back(std::string(v, PQgetlength(res.get(), r, c)));
                }
            }
            rows.rows.emplace_back(std::move(values));
        }
        return rows;
    }

    Result<std::int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
        PgResult res = UNYO_TRY(Run(sql, params));
        const char* n = PQcmdTuples(res.get());
        return static_cast<std::int64_t>(n[0] ? std::strtoll(n, nullptr, 10) : 0);
    }

    Result<void> ExecScript(std::string_view sql) override {
        const std::string s(sql);
        PgResult res(PQexec(conn_, s.c_str()));
        const auto st = PQresultStatus(res.get());
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            return Fail(PgError(conn_, res.get(), "SQL script failed"));
        }
        return {};
    }

    Result<void> LockSection(std::int64_t key) override {
        UNYO_TRY(Exec("SELECT pg_advisory_xact_lock($1)", {key}));
        return {};
    }

  private:
    Result<PgResult> Run(std::string_view sql, const std::vector<Value>& params) {
        const std::string s(sql);
        std::vector<std::string> text(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        std::vector<Oid> types(params.size(), 0);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto& p = params[i];
            if (const auto* n = std::get_if<std::int64_t>(&p)) {
                text[i] = std::to_string(*n);
                types[i] = kInt8Oid;
            } else if (const auto* d = std::get_if<double>(&p)) {
                text[i] = fmt::format("{}", *d);
                types[i] = kFloat8Oid;
            } else if (const auto* str = std::get_if<std::string>(&p)) {
                text[i] = *str;
                types[i] = kTextOid;
            } else {
                continue;  // NULL
            }
            values[i] = text[i].c_str();
        }
        PgResult res(PQexecParams(conn_, s.c_str(), static_cast<int>(params.size()), types.data(),
                                  values.data(), nullptr, nullptr, 0));
        const auto st = PQresultStatus(res.get());
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            return Fail(PgError(conn_, res.get(), "statement failed"));
        }
        return res;
    }

    PGconn* conn_;
};

class PgDatabase final : public Database {
  public:
    PgDatabase(std::string url, int pool_size) : url_(std::move(url)), pool_size_(pool_size) {}

    Result<void> Open() {
        auto c = UNYO_TRY(Connect());
        idle_.push_back(std::move(c));
        created_ = 1;
        return {};
    }

    Dialect dialect() const override { return Dialect::kPostgres; }

    Result<void> WriteJob(Job job) override {
        ++queue_depth_;
        auto conn = Acquire();
        --queue_depth_;
        if (!conn) {
            return Fail(std::move(conn).error());
        }
        Result<void> r = (*conn)->ExecScript("BEGIN");
        if (r) {
            try {
                r = job(**conn);
            } catch (const std::exception& ex) {
                r = Fail(Error::Internal(fmt::format("write job threw: {}", ex.what())));
            }
            if (r) {
                r = (*conn)->ExecScript("COMMIT");
            } else {
                (void)(*conn)->ExecScript("ROLLBACK");
            }
        }
        ++batches_;
        ++jobs_;
        Release(std::move(*conn));
        return r;
    }

    Result<void> ReadJob(Job job) override {
        auto conn = UNYO_TRY(Acquire());
        Result<void> r = conn->ExecScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        if (r) {
            r = job(*conn);
            (void)conn->ExecScript(r ? "COMMIT" : "ROLLBACK");
        }
        Release(std::move(conn));
        return r;
    }

    DatabaseStats Stats() const override {
        return {queue_depth_.load(), batches_.load(), jobs_.load()};
    }

    void Close() override {
        std::lock_guard lock(mutex_);
        closed_ = true;
        idle_.clear();
        cv_.notify_all();
    }

  private:
    Result<std::unique_ptr<PgConnection>> Connect() {
        PGconn* raw = PQconnectdb(url_.c_str());
        auto conn = std::make_unique<PgConnection>(raw);
        if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
            std::string msg = raw ? PQerrorMessage(raw) : "out of memory";
            while (!msg.empty() && msg.back() == '\n') {
                msg.pop_back();
            }
            return Fail({ErrorCode::kUnavailable,
                         fmt::format("cannot connect to PostgreSQL: {}", msg),
                         {}});
        }
        // Quiet NOTICEs (e.g. "relation already exists, skipping") and pin the time zone.
        UNYO_TRY_VOID(conn->ExecScript("SET client_min_messages = warning; SET TIME ZONE 'UTC'"));
        return conn;
    }

    Result<std::unique_ptr<PgConnection>> Acquire() {
        std::unique_lock lock(mutex_);
        for (;;) {
            if (closed_) {
                return Fail({ErrorCode::kUnavailable, "the database is closed", {}});
            }
            if (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                lock.unlock();
                if (!c->Healthy()) {
                    c->Reset();
                    if (!c->Healthy()) {
                        lock.lock();
                        --created_;
                        continue;
                    }
                }
                return c;
            }
            if (created_ < pool_size_) {
                ++created_;
                lock.unlock();
                auto c = Connect();
                if (!c) {
                    lock.lock();
                    --created_;
                    return c;
                }
                return c;
            }
            cv_.wait(lock);
        }
    }

    void Release(std::unique_ptr<PgConnection> c) {
        {
            std::lock_guard lock(mutex_);
            if (!closed_) {
                idle_.push_back(std::move(c));
            }
        }
        cv_.notify_one();
    }

    std::string url_;
    int pool_size_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mutex_
    int created_ = 0;                                  // guarded by mutex_
    bool closed_ = false;                              // guarded by mutex_
    std::atomic<std::int64_t> queue_depth_{0};
    std::atomic<std::int64_t> batches_{0};
    std::atomic<std::int64_t> jobs_{0};
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const OpenOptions& options) {
    auto db = std::make_unique<PgDatabase>(url, std::max(2, options.read_connections + 4));
    UNYO_TRY_VOID(db->Open());
    return std::unique_ptr<Database>(std::move(db));
}

}  // namespace unyo::storage
