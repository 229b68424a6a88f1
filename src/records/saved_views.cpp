#include "records/saved_views.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::records {
namespace {

constexpr const char* kColumns =
    "v.id, v.owner_id, u.login, v.collection, v.name, v.query, v.shared, v.created_at FROM saved_views v "
    "JOIN users u ON u.id = v.owner_id";

SavedView FromRow(const storage::Row& r) {
    return {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Bool(6), r.Int(7)};
}

}  // namespace

json::object ToJson(const SavedView& v) {
    return {{"id", v.id},         {"owner_id", v.owner_id}, {"owner_login", v.owner_login},
            {"collection", v.collection}, {"name", v.name},  {"query", v.query},
            {"shared", v.shared}, {"created_at", FormatRfc3339(v.created_at)}};
}

Result<std::vector<SavedView>> SavedViews::List(const auth::Principal& who, const std::string& collection) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<SavedView>> {
        std::string sql = fmt::format("SELECT {} WHERE (v.owner_id = $1 OR v.shared = 1)", kColumns);
        std::vector<storage::Value> params{who.user_id};
        if (!collection.empty()) {
            sql += " AND v.collection = $2";
            params.emplace_back(collection);
        }
        auto rows = UNYO_TRY(c.Query(sql + " ORDER BY v.name, v.id", params));
        std::vector<SavedView> out;
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<SavedView> SavedViews::Create(const auth::Principal& who, SavedView view, const audit::Actor& actor) {
    std::vector<FieldError> errors;
    if (view.name.empty() || view.name.size() > 300) {
        errors.push_back({"name", "is required, at most 100 characters"});
    }
    if (view.query.size() > 2000) {
        errors.push_back({"query", "must be at most 2000 characters"});
    }
    if (!view.query.empty() && view.query.front() == '?') {
        view.query.erase(0, 1);
    }
    if (view.shared && !who.Is(auth::Role::kAdmin) && !who.Is(auth::Role::kManager)) {
        errors.push_back({"shared", "only admins and managers may share a view"});
    }
    if (!errors.empty()) {
        return Fail(Error::Validation(std::move(errors)));
    }
    view.owner_id = who.user_id;
    view.owner_login = who.login;
    view.created_at = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<SavedView> {
        auto taken = UNYO_TRY(c.Query(
            "SELECT 1 FROM saved_views WHERE owner_id = $1 AND collection = $2 AND name = $3",
            {view.owner_id, view.collection, view.name}));
        if (!taken.empty()) {
            return Fail(Error::Field("name", fmt::format("you already have a view named '{}' here", view.name)));
        }
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO saved_views (owner_id, collection, name, query, shared, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            {view.owner_id, view.collection, view.name, view.query, std::int64_t{view.shared ? 1 : 0},
             view.created_at}));
        view.id = rows.front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"saved_view.create", "saved_view", std::to_string(view.id), nullptr,
                                          ToJson(view)},
                               view.created_at));
        return view;
    });
}

Result<void> SavedViews::Delete(const auth::Principal& who, std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} WHERE v.id = $1", kColumns), {id}));
        if (rows.empty() || (rows.front().Int(1) != who.user_id && !who.Is(auth::Role::kAdmin))) {
            return Fail(Error::NotFound(fmt::format("no saved view {} of yours", id)));
        }
        const SavedView before = FromRow(rows.front());
        UNYO_TRY(c.Exec("DELETE FROM saved_views WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"saved_view.delete", "saved_view", std::to_string(id), ToJson(before),
                                          nullptr},
                               clock_.Now()));
        return {};
    });
}

}  // namespace unyo::records
