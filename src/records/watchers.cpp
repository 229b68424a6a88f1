// Watchers of a record: who follows it (and, with the notification outbox, is told of it). The
// one who raises a record watches it from the start.

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "records/record_service.hpp"

namespace unyo::records {
namespace {

using auth::Role;

bool ManagesWatchers(const auth::Principal& p) {
    return p.Is(Role::kAdmin) || p.Is(Role::kManager) || p.Is(Role::kOperator);
}

}  // namespace

json::object ToJson(const Watcher& w) {
    return {{"user_id", w.user_id},
            {"login", w.login},
            {"display_name", w.display_name},
            {"added_at", w.added_at == 0 ? json::value(nullptr) : json::value(FormatRfc3339(w.added_at))}};
}

Result<std::vector<Watcher>> RecordService::Watchers(const Workflow& w, std::int64_t id, const auth::Principal& who) {
    UNYO_TRY(Get(w, id, who));
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Watcher>> {
        auto rows = UNYO_TRY(c.Query("SELECT u.id, u.login, u.display_name, rw.added_at FROM record_watchers rw "
                                     "JOIN users u ON u.id = rw.user_id WHERE rw.record_id = $1 ORDER BY u.login",
                                     {id}));
        std::vector<Watcher> out;
        for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3)});
        return out;
    });
}

Result<bool> RecordService::Watch(const Workflow& w, std::int64_t id, std::optional<std::int64_t> user_id,
                                  const auth::Principal& who, const audit::Actor& actor) {
    const Record r = UNYO_TRY(Get(w, id, who));
    const std::int64_t target = user_id.value_or(who.user_id);
    if (target != who.user_id && !ManagesWatchers(who)) {
        return Fail(Error::Denied("only admins, managers and operators may add someone else as a watcher"));
    }
    return db_.Write([&](storage::Connection& c) -> Result<bool> {
        if (target != who.user_id) {
            auto rows = UNYO_TRY(c.Query(
                "SELECT id, login, display_name, organization_id, roles, disabled FROM users WHERE id = $1", {target}));
            if (rows.empty() || rows.front().Bool(5)) {
                return Fail(Error::Field("user_id", fmt::format("no active user {}", target)));
            }
            auth::Principal other;
            other.user_id = rows.front().Int(0);
            other.organization_id = rows.front().Int(3);
            other.roles = auth::ParseRoles(rows.front().Text(4));
            if (!CanSee(other, r)) {
                return Fail(Error::Field("user_id", fmt::format("user {} may not see {}", target, r.key)));
            }
        }
        const Millis now = clock_.Now();
        const auto n = UNYO_TRY(c.Exec(
            "INSERT INTO record_watchers (record_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            {id, target, now}));
        if (n == 0) {
            return false;
        }
        UNYO_TRY(audit::Append(c, actor,
                               {w.kind + ".watch", w.kind, r.key, nullptr, json::object{{"user_id", target}}}, now));
        return true;
    });
}

Result<void> RecordService::Unwatch(const Workflow& w, std::int64_t id, std::int64_t user_id,
                                    const auth::Principal& who, const audit::Actor& actor) {
    const Record r = UNYO_TRY(Get(w, id, who));
    if (user_id != who.user_id && !ManagesWatchers(who)) {
        return Fail(Error::Denied("only admins, managers and operators may remove someone else as a watcher"));
    }
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const auto n =
            UNYO_TRY(c.Exec("DELETE FROM record_watchers WHERE record_id = $1 AND user_id = $2", {id, user_id}));
        if (n == 0) {
            return Fail(Error::NotFound(fmt::format("user {} does not watch {}", user_id, r.key)));
        }
        UNYO_TRY(audit::Append(c, actor,
                               {w.kind + ".unwatch", w.kind, r.key, json::object{{"user_id", user_id}}, nullptr},
                               clock_.Now()));
        return {};
    });
}

}  // namespace unyo::records
