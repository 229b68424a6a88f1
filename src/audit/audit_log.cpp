#include "audit/audit_log.hpp"

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "storage/sql/query_builder.hpp"

namespace unyo::audit {
namespace {

constexpr std::int64_t kAuditLockKey = 0x756e796f0002;
constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string JsonOrEmpty(const json::value& v) {
    return v.is_null() ? std::string() : json::serialize(v);
}

// The hashed form: a JSON array of every stored field, so that no two rows serialise alike.
std::string ComputeHash(std::int64_t seq, Millis at, const std::optional<std::int64_t>& actor_id,
                        const std::string& actor_login, const std::string& action,
                        const std::string& entity_type, const std::string& entity_id,
                        const std::string& before, const std::string& after,
                        const std::string& address, const std::string& prev_hash) {
    json::array a{seq,
                  at,
                  OrNull(actor_id),
                  json::string(actor_login),
                  json::string(action),
                  json::string(entity_type),
                  json::string(entity_id),
                  json::string(before),
                  json::string(after),
                  json::string(address),
                  json::string(prev_hash)};
    return Sha256Hex(json::serialize(a));
}

json::value ParseOrNull(const std::optional<std::string>& text) {
    if (!text || text->empty()) {
        return nullptr;
    }
    boost::system::error_code ec;
    auto v = json::parse(*text, ec);
    return ec ? json::value(json::string(*text)) : v;
}

constexpr const char* kColumns =
    "seq, at, actor_id, actor_login, action, entity_type, entity_id, before_json, after_json, "
    "address, "
    "prev_hash, hash";

}  // namespace

Result<std::int64_t> Append(storage::Connection& conn, const Actor& actor, const Change& change,
                            Millis at) {
    UNYO_TRY_VOID(conn.LockSection(kAuditLockKey));
    auto head = UNYO_TRY(conn.Query("SELECT seq, hash FROM audit_head WHERE id = 1"));
    const std::int64_t seq = head.empty() ? 1 : head.front().Int(0) + 1;
    const std::string prev = head.empty() ? kGenesis : head.front().Text(1);
    const std::string before = JsonOrEmpty(change.before);
    const std::string after = JsonOrEmpty(change.after);
    const std::string hash =
        ComputeHash(seq, at, actor.id, actor.login, change.action, change.entity_type,
                    change.entity_id, before, after, actor.address, prev);
    UNYO_TRY(conn.Exec(
        fmt::format(
            "INSERT INTO audit_log ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            kColumns),
        {seq, at, storage::Nullable(actor.id), actor.login, change.action, change.entity_type,
         change.entity_id, before.empty() ? storage::Value() : storage::Value(before),
         after.empty() ? storage::Value() : storage::Value(after), actor.address, prev, hash}));
    if (head.empty()) {
        UNYO_TRY(
            conn.Exec("INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)", {seq, hash}));
    } else {
        UNYO_TRY(conn.Exec("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", {seq, hash}));
    }
    return seq;
}

namespace {

Entry FromRow(const storage::Row& r) {
    Entry e;
    e.seq = r.Int(0);
    e.at = r.Int(1);
    e.actor_id = r.OptInt(2);
    e.actor_login = r.Text(3);
    e.action = r.Text(4);
    e.entity_type = r.Text(5);
    e.entity_id = r.Text(6);
    e.before = ParseOrNull(r.OptText(7));
    e.after = ParseOrNull(r.OptText(8));
    e.address = r.Text(9);
    e.prev_hash = r.Text(10);
    e.hash = r.Text(11);
    return e;
}

}  // namespace

Result<std::vector<Entry>> List(storage::Database& db, const Filter& f) {
    storage::QueryBuilder q(fmt::format("SELECT {} FROM audit_log WHERE 1 = 1", kColumns));
    if (f.actor) q.And("actor_login = {0}", *f.actor);
    if (f.action) q.And("action = {0}", *f.action);
    if (f.entity_type) q.And("entity_type = {0}", *f.entity_type);
    if (f.entity_id) q.And("entity_id = {0}", *f.entity_id);
    if (f.from) q.And("at >= {0}", *f.from);
    if (f.to) q.And("at < {0}", *f.to);
    if (f.before_seq) q.And("seq < {0}", *f.before_seq);
    if (f.after_seq) q.And("seq > {0}", *f.after_seq);
    q.Append(f.after_seq ? " ORDER BY seq LIMIT {0}" : " ORDER BY seq DESC LIMIT {0}",
             static_cast<std::int64_t>(f.limit));
    return db.Read([&](storage::Connection& c) -> Result<std::vector<Entry>> {
        auto rows = UNYO_TRY(c.Query(q.sql(), q.params()));
        std::vector<Entry> out;
        out.reserve(rows.rows.size());
        for (const auto& r : rows.rows) {
            out.push_back(FromRow(r));
        }
        return out;
    });
}

Result<std::int64_t> HeadSeq(storage::Database& db) {
    return db.Read([](storage::Connection& c) -> Result<std::int64_t> {
        auto rows = UNYO_TRY(c.Query("SELECT seq FROM audit_head WHERE id = 1"));
        return rows.empty() ? 0 : rows.front().Int(0);
    });
}

Result<VerifyReport> Verify(storage::Database& db) {
    return db.Read([](storage::Connection& c) -> Result<VerifyReport> {
        VerifyReport report;
        std::string prev = kGenesis;
        std::int64_t expected_seq = 1;
        // Page through the chain so that a long log does not sit in memory at once.
        constexpr std::int64_t kPage = 1000;
        for (;;) {
            auto rows = UNYO_TRY(c.Query(
                fmt::format("SELECT {} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
                            kColumns),
                {expected_seq, kPage}));
            for (const auto& r : rows.rows) {
                const std::int64_t seq = r.Int(0);
                auto fail = [&](std::int64_t at_seq, std::string why) {
                    report.broken_seq = at_seq;
                    report.reason = std::move(why);
                    return report;
                };
                if (seq != expected_seq) {
                    return fail(expected_seq,
                                fmt::format("entry missing (next present is seq {})", seq));
                }
                if (r.Text(10) != prev) {
                    return fail(seq, "its previous-hash does not match the entry before it");
                }
                const std::string hash = ComputeHash(
                    seq, r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                    r.OptText(7).value_or(""), r.OptText(8).value_or(""), r.Text(9), r.Text(10));
                if (hash != r.Text(11)) {
                    return fail(seq, "its content does not match its hash (altered)");
                }
                prev = hash;
                ++expected_seq;
                ++report.entries;
            }
            if (static_cast<std::int64_t>(rows.rows.size()) < kPage) {
                break;
            }
        }
        auto head = UNYO_TRY(c.Query("SELECT seq, hash FROM audit_head WHERE id = 1"));
        const std::int64_t head_seq = head.empty() ? 0 : head.front().Int(0);
        if (head_seq != report.entries || (!head.empty() && head.front().Text(1) != prev)) {
            report.broken_seq = report.entries + 1;
            report.reason =
                fmt::format("the chain ends at seq {} but its head says seq {} (entries removed)",
                            report.entries, head_seq);
        }
        return report;
    });
}

json::object ToJson(const Entry& e) {
    return json::object{{"seq", e.seq},
                        {"at", FormatRfc3339(e.at)},
                        {"actor_id", OrNull(e.actor_id)},
                        {"actor_login", e.actor_login},
                        {"action", e.action},
                        {"entity_type", e.entity_type},
                        {"entity_id", e.entity_id},
                        {"before", e.before},
                        {"after", e.after},
                        {"address", e.address},
                        {"hash", e.hash}};
}

}  // namespace unyo::audit
