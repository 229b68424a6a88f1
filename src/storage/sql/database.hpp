#pragma once
// The SQL seam (after PowerDNS's SSql): one small interface over SQLite and PostgreSQL.
// Statements use PostgreSQL-style placeholders `$1…$n` and the common subset of both dialects;
// schema differences live in the per-dialect migrations. Domain modules depend on this header
// only, never on a concrete backend.
//
// Threading: a Database is shared by all threads. Read() and Write() block the calling thread
// (call them from the blocking pool, never from an I/O thread). A Connection handed to a callback
// belongs to that callback only and must not escape it.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "storage/sql/value.hpp"

namespace unyo::storage {

enum class Dialect { kSqlite, kPostgres };

/// One database connection inside a Read() or Write() callback.
class Connection {
  public:
    virtual ~Connection() = default;
    [[nodiscard]] virtual Dialect dialect() const = 0;
    /// Runs one statement with `params` bound to $1…$n and returns its rows.
    /// Error::Conflict on a unique or foreign-key violation, Error::Internal otherwise.
    [[nodiscard]] virtual Result<Rows> Query(std::string_view sql,
                                             const std::vector<Value>& params = {}) = 0;
    /// Runs one statement and returns the number of rows it changed.
    [[nodiscard]] virtual Result<std::int64_t> Exec(std::string_view sql,
                                                    const std::vector<Value>& params = {}) = 0;
    /// Runs a script of several statements without parameters (migrations only).
    [[nodiscard]] virtual Result<void> ExecScript(std::string_view sql) = 0;
    /// Serialises, until the transaction ends, all writers that lock the same `key` (e.g. the
    /// audit chain's head). A no-op on SQLite, whose writes are already serial.
    [[nodiscard]] virtual Result<void> LockSection(std::int64_t key) = 0;
};

/// Counters for /metrics.
struct DatabaseStats {
    std::int64_t writer_queue_depth = 0;
    std::int64_t write_batches = 0;
    std::int64_t write_jobs = 0;
};

/// A database: reads on a pool of connections, writes in transactions.
class Database {
  public:
    using Job = std::function<Result<void>(Connection&)>;

    virtual ~Database() = default;
    [[nodiscard]] virtual Dialect dialect() const = 0;

    /// Runs `job` in a write transaction and returns only after it committed (or failed).
    /// An error from `job` rolls back its own changes only. Blocks.
    [[nodiscard]] virtual Result<void> WriteJob(Job job) = 0;
    /// Runs `job` on a read connection that sees every write acknowledged before the call. Blocks.
    [[nodiscard]] virtual Result<void> ReadJob(Job job) = 0;
    [[nodiscard]] virtual DatabaseStats Stats() const = 0;
    /// Drains pending writes and closes all connections; later calls fail with kUnavailable.
    virtual void Close() = 0;

    /// Typed helpers over WriteJob/ReadJob: `fn` is `Result<T>(Connection&)`.
    template <typename F>
    auto Write(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
        return Run<F>(std::forward<F>(fn), true);
    }
    template <typename F>
    auto Read(F&& fn) -> decltype(fn(std::declval<Connection&>())) {
        return Run<F>(std::forward<F>(fn), false);
    }

  private:
    template <typename F>
    auto Run(F&& fn, bool write) -> decltype(fn(std::declval<Connection&>())) {
        using R = decltype(fn(std::declval<Connection&>()));
        using T = typename R::value_type;
        if constexpr (std::is_void_v<T>) {
            return write ? WriteJob(std::forward<F>(fn)) : ReadJob(std::forward<F>(fn));
        } else {
            std::optional<T> out;
            Job job = [&out, &fn](Connection& c) -> Result<void> {
                auto r = fn(c);
                if (!r) {
                    return Fail(std::move(r).error());
                }
                out.emplace(std::move(r).value());
                return {};
            };
            auto r = write ? WriteJob(std::move(job)) : ReadJob(std::move(job));
            if (!r) {
                return Fail(std::move(r).error());
            }
            return std::move(*out);
        }
    }
};

/// Options shared by the backends.
struct OpenOptions {
    int read_connections = 4;
    /// SQLite: synchronous=FULL instead of NORMAL (durable against power loss, slower).
    bool sync_full = false;
};

/// Opens `target`: a `postgresql://` or `postgres://` URL, or a SQLite file path.
[[nodiscard]] Result<std::unique_ptr<Database>> Open(const std::string& target,
                                                     const OpenOptions& options = {});

/// Whether `target` names PostgreSQL.
[[nodiscard]] bool IsPostgresUrl(std::string_view target);

}  // namespace unyo::storage
