#pragma once
// The audit log (X-3, ACC-7): every write appends who, when, what, before and after to an
// append-only table whose rows form a SHA-256 hash chain, with the head kept apart so that a
// removed tail is caught too. Append() runs inside the caller's write transaction, so an entry
// exists exactly when the change it describes committed. Thread-safe; stateless beyond the db.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::audit {

/// Who acted, from where. actor_id is empty for the system or an anonymous login attempt.
struct Actor {
    std::optional<std::int64_t> id;
    std::string login;
    std::string address;
};

/// One change to append. `before`/`after` are the resource's JSON (null when absent).
struct Change {
    std::string action;       // "<entity>.<verb>", e.g. "user.create"
    std::string entity_type;  // "user"
    std::string entity_id;
    json::value before;
    json::value after;
};

struct Entry {
    std::int64_t seq = 0;
    Millis at = 0;
    std::optional<std::int64_t> actor_id;
    std::string actor_login;
    std::string action;
    std::string entity_type;
    std::string entity_id;
    json::value before;
    json::value after;
    std::string address;
    std::string prev_hash;
    std::string hash;
};

struct Filter {
    std::optional<std::string> actor;  // login
    std::optional<std::string> action;
    std::optional<std::string> entity_type;
    std::optional<std::string> entity_id;
    std::optional<Millis> from;
    std::optional<Millis> to;
    std::optional<std::int64_t> before_seq;  // cursor: entries with seq < this
    std::optional<std::int64_t> after_seq;   // entries with seq > this, oldest first (live updates)
    int limit = 50;
};

/// Outcome of a chain verification.
struct VerifyReport {
    std::int64_t entries = 0;
    std::optional<std::int64_t> broken_seq;  // first entry that fails
    std::string reason;
};

/// Appends `change` by `actor` at `at`. Call inside Database::Write. Error from storage only.
[[nodiscard]] Result<std::int64_t> Append(storage::Connection& conn, const Actor& actor,
                                          const Change& change, Millis at);

/// Newest first (oldest first when after_seq is set), at most filter.limit entries.
[[nodiscard]] Result<std::vector<Entry>> List(storage::Database& db, const Filter& filter);

/// The newest entry's seq (0 when empty).
[[nodiscard]] Result<std::int64_t> HeadSeq(storage::Database& db);

/// Walks the whole chain from the first entry and recomputes every hash.
[[nodiscard]] Result<VerifyReport> Verify(storage::Database& db);

/// The entry's JSON for the API.
[[nodiscard]] json::object ToJson(const Entry& e);

}  // namespace unyo::audit
