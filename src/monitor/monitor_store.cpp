#include "monitor/monitor_store.hpp"

#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/time_format.hpp"

namespace unyo::monitor {
namespace {

constexpr const char* kColumns =
    "id, name, type, target_json, service, interval_s, timeout_ms, retries, warning, critical, parent_ids, severity, "
    "enabled, created_at, updated_at, version, ci_id";

Monitor FromRow(const storage::Row& r) {
    Monitor m;
    m.id = r.Int(0);
    m.name = r.Text(1);
    m.type = r.Text(2);
    m.target = ParseObjectOrEmpty(r.Text(3));
    m.service = r.Text(4);
    m.interval_s = static_cast<int>(r.Int(5));
    m.timeout_ms = static_cast<int>(r.Int(6));
    m.retries = static_cast<int>(r.Int(7));
    m.warning = r.OptReal(8);
    m.critical = r.OptReal(9);
    m.parent_ids = ParseIntArray(r.Text(10));
    m.severity = r.Text(11);
    m.enabled = r.Bool(12);
    m.created_at = r.Int(13);
    m.updated_at = r.Int(14);
    m.version = r.Int(15);
    m.ci_id = r.OptInt(16);
    return m;
}

// The configuration item it watches exists.
Result<void> CheckCi(storage::Connection& c, const Monitor& m) {
    if (m.ci_id && UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {*m.ci_id})).empty()) {
        return Fail(Error::Field("ci_id", fmt::format("configuration item {} does not exist", *m.ci_id)));
    }
    return {};
}

std::string Parents(const Monitor& m) {
    return json::serialize(json::array(m.parent_ids.begin(), m.parent_ids.end()));
}

// The twelve definition columns (name … enabled) as $1–$12, then `more`.
std::vector<storage::Value> Definition(const Monitor& m, std::initializer_list<storage::Value> more) {
    std::vector<storage::Value> v{m.name,
                                  m.type,
                                  json::serialize(m.target),
                                  m.service,
                                  std::int64_t{m.interval_s},
                                  std::int64_t{m.timeout_ms},
                                  std::int64_t{m.retries},
                                  storage::Nullable(m.warning),
                                  storage::Nullable(m.critical),
                                  Parents(m),
                                  m.severity,
                                  std::int64_t{m.enabled ? 1 : 0},
                                  storage::Nullable(m.ci_id)};
    v.insert(v.end(), more);
    return v;
}

Error NameTaken(const Error& e, const std::string& name) {
    if (e.code == ErrorCode::kConflict) {
        return Error::Field("name", fmt::format("a monitor named \"{}\" already exists", name), ErrorCode::kConflict);
    }
    return e;
}

}  // namespace

json::object ToJson(const StoredState& s) {
    return {{"monitor_id", s.monitor_id},
            {"state", StateName(s.state)},
            {"since", FormatRfc3339(s.since)},
            {"last_check_at", InstantOrNull(s.last_check_at)},
            {"message", s.message}};
}

json::object ToJson(const MonitorEvent& e) {
    return {{"id", e.id},   {"monitor_id", e.monitor_id}, {"at", FormatRfc3339(e.at)},
            {"from", StateName(e.from)}, {"to", StateName(e.to)}, {"message", e.message}};
}

Result<Monitor> MonitorStore::Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM monitors WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("monitor {} does not exist", id)));
    return FromRow(rows.front());
}

Result<void> MonitorStore::CheckParents(storage::Connection& c, const Monitor& m) {
    if (m.parent_ids.empty()) return {};
    // The whole dependency graph in one read: every parent must exist, and none may depend on
    // this monitor at any depth (a cycle would make each wait for the other forever).
    auto rows = UNYO_TRY(c.Query("SELECT id, parent_ids FROM monitors", {}));
    std::map<std::int64_t, std::vector<std::int64_t>> parents_of;
    for (const auto& r : rows.rows) parents_of[r.Int(0)] = ParseIntArray(r.Text(1));
    for (const auto p : m.parent_ids) {
        if (!parents_of.contains(p)) {
            return Fail(Error::Field("parent_ids", fmt::format("monitor {} does not exist", p)));
        }
    }
    if (m.id == 0) return {};  // a new monitor: nothing depends on it yet
    parents_of[m.id] = m.parent_ids;
    std::vector<std::int64_t> stack(m.parent_ids.begin(), m.parent_ids.end());
    std::set<std::int64_t> seen;
    while (!stack.empty()) {
        const auto id = stack.back();
        stack.pop_back();
        if (id == m.id) {
            return Fail(Error::Field("parent_ids", "would make a cycle: a parent depends on this monitor"));
        }
        if (!seen.insert(id).second) continue;
        const auto& next = parents_of[id];
        stack.insert(stack.end(), next.begin(), next.end());
    }
    return {};
}

Result<std::vector<Monitor>> MonitorStore::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Monitor>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM monitors ORDER BY id", kColumns), {}));
        std::vector<Monitor> out;
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<Monitor> MonitorStore::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<Monitor> MonitorStore::Create(Monitor m, const audit::Actor& actor) {
    m.created_at = m.updated_at = clock_.Now();
    m.version = 1;
    auto created = db_.Write([&](storage::Connection& c) -> Result<Monitor> {
        UNYO_TRY_VOID(CheckParents(c, m));
        UNYO_TRY_VOID(CheckCi(c, m));
        auto rows = c.Query(
            "INSERT INTO monitors (name, type, target_json, service, interval_s, timeout_ms, retries, warning, critical, "
            "parent_ids, severity, enabled, ci_id, created_at, updated_at, version) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1) RETURNING id",
            Definition(m, {m.created_at, m.updated_at}));
        if (!rows) return Fail(NameTaken(rows.error(), m.name));
        m.id = rows->front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"monitor.create", "monitor", std::to_string(m.id), nullptr, ToJson(m)},
                               m.created_at));
        return m;
    });
    if (created) Changed();
    return created;
}

Result<Monitor> MonitorStore::Update(std::int64_t id, std::int64_t expected_version, const json::object& patch,
                                     const audit::Actor& actor) {
    auto updated = db_.Write([&](storage::Connection& c) -> Result<Monitor> {
        const Monitor before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("monitor {} was changed by someone else (now version {}); reload and retry", id,
                                     before.version),
                         {}});
        }
        Monitor m = UNYO_TRY(MonitorFromJson(patch, before, false));
        UNYO_TRY_VOID(CheckParents(c, m));
        UNYO_TRY_VOID(CheckCi(c, m));
        m.updated_at = clock_.Now();
        m.version = before.version + 1;
        auto n = c.Exec(
            "UPDATE monitors SET name = $1, type = $2, target_json = $3, service = $4, interval_s = $5, timeout_ms = $6, "
            "retries = $7, warning = $8, critical = $9, parent_ids = $10, severity = $11, enabled = $12, ci_id = $13, "
            "updated_at = $14, version = $15 WHERE id = $16 AND version = $17",
            Definition(m, {m.updated_at, m.version, id, expected_version}));
        if (!n) return Fail(NameTaken(n.error(), m.name));
        UNYO_TRY(audit::Append(c, actor, {"monitor.update", "monitor", std::to_string(id), ToJson(before), ToJson(m)},
                               m.updated_at));
        return m;
    });
    if (updated) Changed();
    return updated;
}

Result<void> MonitorStore::Delete(std::int64_t id, const audit::Actor& actor) {
    auto deleted = db_.Write([&](storage::Connection& c) -> Result<void> {
        const Monitor before = UNYO_TRY(Load(c, id));
        UNYO_TRY(c.Exec("DELETE FROM monitors WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"monitor.delete", "monitor", std::to_string(id), ToJson(before), nullptr},
                               clock_.Now()));
        return {};
    });
    if (deleted) Changed();
    return deleted;
}

Result<std::vector<StoredState>> MonitorStore::States() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<StoredState>> {
        auto rows = UNYO_TRY(
            c.Query("SELECT monitor_id, state, since, last_check_at, message FROM monitor_state ORDER BY monitor_id", {}));
        std::vector<StoredState> out;
        for (const auto& r : rows.rows) {
            out.push_back({r.Int(0), ParseState(r.Text(1)).value_or(State::kUnknown), r.Int(2), r.OptInt(3), r.Text(4)});
        }
        return out;
    });
}

Result<void> MonitorStore::WriteChange(storage::Connection& c, std::int64_t monitor_id, State from, State to,
                                       Millis at, const std::string& message) {
    const auto n = UNYO_TRY(c.Exec("UPDATE monitor_state SET state = $1, since = $2, last_check_at = $2, message = $3 "
                                   "WHERE monitor_id = $4",
                                   {std::string(StateName(to)), at, message, monitor_id}));
    if (n == 0) {
        UNYO_TRY(c.Exec("INSERT INTO monitor_state (monitor_id, state, since, last_check_at, message) "
                        "VALUES ($1, $2, $3, $3, $4)",
                        {monitor_id, std::string(StateName(to)), at, message}));
    }
    UNYO_TRY(c.Exec("INSERT INTO monitor_events (monitor_id, at, from_state, to_state, message) VALUES ($1, $2, $3, $4, $5)",
                    {monitor_id, at, std::string(StateName(from)), std::string(StateName(to)), message}));
    return {};
}

void MonitorStore::WriteFirstStates(const std::vector<std::pair<std::int64_t, HardChange>>& batch) {
    const auto write = [&](auto first, auto last) {
        return db_.Write([&](storage::Connection& c) -> Result<void> {
            for (auto it = first; it != last; ++it) {
                UNYO_TRY_VOID(WriteChange(c, it->first, it->second.from, it->second.to, it->second.began_at,
                                          it->second.message));
            }
            return {};
        });
    };
    if (write(batch.begin(), batch.end())) return;
    for (auto it = batch.begin(); it != batch.end(); ++it) {
        if (auto one = write(it, it + 1); !one) {
            spdlog::error("writing the first state of monitor {} failed: {}", it->first, one.error().message);
        }
    }
}

Result<std::string> MonitorStore::Fingerprint() {
    return db_.Read([](storage::Connection& c) -> Result<std::string> {
        auto rows = UNYO_TRY(c.Query(
            "SELECT COUNT(*), CAST(COALESCE(SUM(id), 0) AS BIGINT), CAST(COALESCE(SUM(version), 0) AS BIGINT), "
            "COALESCE(MAX(updated_at), 0) FROM monitors",
            {}));
        const auto& r = rows.front();
        return fmt::format("{}:{}:{}:{}", r.Int(0), r.Int(1), r.Int(2), r.Int(3));
    });
}

Result<std::vector<MonitorEvent>> MonitorStore::Events(std::int64_t monitor_id, Millis from, Millis to) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<MonitorEvent>> {
        constexpr const char* kCols = "id, monitor_id, at, from_state, to_state, message";
        auto first = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM monitor_events WHERE monitor_id = $1 AND at <= $2 "
                                                  "ORDER BY at DESC, id DESC LIMIT 1",
                                                  kCols),
                                      {monitor_id, from}));
        auto rest = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM monitor_events WHERE monitor_id = $1 AND at > $2 AND "
                                                 "at <= $3 ORDER BY at, id",
                                                 kCols),
                                     {monitor_id, from, to}));
        std::vector<MonitorEvent> out;
        auto add = [&](const storage::Row& r) {
            out.push_back({r.Int(0), r.Int(1), r.Int(2), ParseState(r.Text(3)).value_or(State::kUnknown),
                           ParseState(r.Text(4)).value_or(State::kUnknown), r.Text(5)});
        };
        for (const auto& r : first.rows) add(r);
        for (const auto& r : rest.rows) add(r);
        return out;
    });
}

}  // namespace unyo::monitor
