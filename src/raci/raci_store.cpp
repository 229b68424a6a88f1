#include "raci/raci_store.hpp"

#include <map>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::raci {
namespace {

constexpr const char* kMatrixColumns = "id, name, main_mark, support_mark, levels, created_at, updated_at, version";

StoredMatrix MatrixFromRow(const storage::Row& r) {
    StoredMatrix m;
    m.id = r.Int(0);
    m.name = r.Text(1);
    m.main_mark = r.Text(2);
    m.support_mark = r.Text(3);
    m.levels = r.Bool(4);
    m.created_at = r.Int(5);
    m.updated_at = r.Int(6);
    m.version = r.Int(7);
    return m;
}

Result<StoredMatrix> Load(storage::Connection& c, std::int64_t id, bool items) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM raci_matrices WHERE id = $1", kMatrixColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("role matrix {} does not exist", id)));
    StoredMatrix m = MatrixFromRow(rows.front());
    for (const auto& r : UNYO_TRY(c.Query("SELECT position, name, organization_id FROM raci_columns WHERE matrix_id = $1 "
                                          "ORDER BY position",
                                          {id}))
                             .rows) {
        m.columns.push_back({static_cast<int>(r.Int(0)), r.Text(1), r.OptInt(2)});
    }
    const auto count = UNYO_TRY(c.Query("SELECT COUNT(*) FROM raci_items WHERE matrix_id = $1", {id}));
    m.item_count = count.front().Int(0);
    if (!items) return m;
    std::map<std::int64_t, std::size_t> index;
    for (const auto& r : UNYO_TRY(c.Query("SELECT id, position, seq, path_json, title, content, cycle, note, section "
                                          "FROM raci_items WHERE matrix_id = $1 ORDER BY position",
                                          {id}))
                             .rows) {
        StoredItem s;
        s.id = r.Int(0);
        s.position = static_cast<int>(r.Int(1));
        s.item.seq = static_cast<int>(r.Int(2));
        s.item.path = ParseStringArray(r.Text(3));
        s.item.title = r.Text(4);
        s.item.content = r.Text(5);
        s.item.cycle = r.Text(6);
        s.item.note = r.Text(7);
        s.item.section = r.Bool(8);
        index[s.id] = m.items.size();
        m.items.push_back(std::move(s));
    }
    for (const auto& r : UNYO_TRY(c.Query("SELECT c.item_id, c.position, c.role FROM raci_cells c JOIN raci_items i ON "
                                          "i.id = c.item_id WHERE i.matrix_id = $1",
                                          {id}))
                             .rows) {
        const auto it = index.find(r.Int(0));
        const auto role = RoleFromName(r.Text(2));
        if (it != index.end() && role) m.items[it->second].item.marks[static_cast<int>(r.Int(1))] = *role;
    }
    return m;
}

Result<void> Touch(storage::Connection& c, std::int64_t id, std::int64_t expected_version, Millis now) {
    const auto n = UNYO_TRY(c.Exec("UPDATE raci_matrices SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3",
                                   {now, id, expected_version}));
    if (n == 0) {
        return Fail({ErrorCode::kPreconditionFailed,
                     fmt::format("role matrix {} was changed by someone else (reload it)", id), {}});
    }
    return {};
}

}  // namespace

json::object ToJson(const StoredMatrix& m, bool items) {
    json::array columns;
    for (const auto& c : m.columns) {
        columns.push_back(json::object{{"position", c.position}, {"name", c.name}, {"organization_id", OrNull(c.organization_id)}});
    }
    json::object out{{"id", m.id},
                     {"name", m.name},
                     {"main_mark", m.main_mark},
                     {"support_mark", m.support_mark},
                     {"levels", m.levels},
                     {"columns", std::move(columns)},
                     {"item_count", m.item_count},
                     {"created_at", FormatRfc3339(m.created_at)},
                     {"updated_at", FormatRfc3339(m.updated_at)},
                     {"version", m.version}};
    if (items) {
        json::array list;
        for (const auto& s : m.items) {
            json::object cells;
            for (const auto& [pos, role] : s.item.marks) cells[std::to_string(pos)] = RoleName(role);
            list.push_back(json::object{{"id", s.id},
                                        {"position", s.position},
                                        {"seq", s.item.seq},
                                        {"path", json::value_from(s.item.path)},
                                        {"title", s.item.title},
                                        {"content", s.item.content},
                                        {"cycle", s.item.cycle},
                                        {"note", s.item.note},
                                        {"section", s.item.section},
                                        {"cells", std::move(cells)}});
        }
        out["items"] = std::move(list);
    }
    return out;
}

Matrix ToMatrix(const StoredMatrix& m) {
    Matrix out;
    out.main_mark = m.main_mark;
    out.support_mark = m.support_mark;
    out.levels = m.levels;
    for (const auto& c : m.columns) out.organizations.push_back(c.name);
    for (const auto& s : m.items) out.items.push_back(s.item);
    return out;
}

Result<std::vector<StoredMatrix>> RaciStore::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<StoredMatrix>> {
        std::vector<StoredMatrix> out;
        for (const auto& r : UNYO_TRY(c.Query("SELECT id FROM raci_matrices ORDER BY name", {})).rows) {
            out.push_back(UNYO_TRY(Load(c, r.Int(0), false)));
        }
        return out;
    });
}

Result<StoredMatrix> RaciStore::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id, true); });
}

Result<ImportResult> RaciStore::Import(const Matrix& m, const ImportOptions& o, const audit::Actor& actor) {
    if (o.name.empty() || o.name.size() > 200) return Fail(Error::Field("name", "give the matrix a name of 1–200 characters"));
    if (m.items.empty()) return Fail(Error::Field("file", "the table has no work items"));
    const Millis now = clock_.Now();
    // A dry run writes inside a transaction it then rolls back: what it says is what a real one does.
    ImportResult result;
    bool previewed = false;
    auto written = db_.Write([&](storage::Connection& c) -> Result<ImportResult> {
        const auto taken = UNYO_TRY(c.Query("SELECT id FROM raci_matrices WHERE name = $1", {o.name}));
        if (!taken.empty()) {
            return Fail(Error::Field("name", fmt::format("a role matrix named \"{}\" already exists", o.name), ErrorCode::kConflict));
        }
        auto ids = UNYO_TRY(c.Query("INSERT INTO raci_matrices (name, main_mark, support_mark, levels, created_at, updated_at, "
                                    "version) VALUES ($1, $2, $3, $4, $5, $5, 1) RETURNING id",
                                    {o.name, m.main_mark, m.support_mark, std::int64_t{m.levels ? 1 : 0}, now}));
        const std::int64_t id = ids.front().Int(0);
        ImportResult r;
        r.warnings = m.warnings;
        for (std::size_t k = 0; k < m.organizations.size(); ++k) {
            const auto& name = m.organizations[k];
            auto org = UNYO_TRY(c.Query("SELECT id FROM organizations WHERE name = $1", {name}));
            std::optional<std::int64_t> org_id;
            if (!org.empty()) {
                org_id = org.front().Int(0);
            } else if (o.create_organizations) {
                auto made = UNYO_TRY(c.Query("INSERT INTO organizations (name, kind, note, created_at, updated_at, version) "
                                             "VALUES ($1, 'other', $2, $3, $3, 1) RETURNING id",
                                             {name, std::string("役割分担表「") + o.name + "」から作成", now}));
                org_id = made.front().Int(0);
                r.organizations_created.push_back(name);
                UNYO_TRY(audit::Append(c, actor, {"organization.create", "organization", std::to_string(*org_id), nullptr,
                                                  json::object{{"name", name}, {"kind", "other"}, {"from_raci", o.name}}},
                                       now));
            } else {
                r.unmatched.push_back(name);
            }
            UNYO_TRY(c.Exec("INSERT INTO raci_columns (matrix_id, position, name, organization_id) VALUES ($1, $2, $3, $4)",
                            {id, static_cast<std::int64_t>(k), name, storage::Nullable(org_id)}));
        }
        for (std::size_t p = 0; p < m.items.size(); ++p) {
            const auto& it = m.items[p];
            auto item = UNYO_TRY(c.Query("INSERT INTO raci_items (matrix_id, position, seq, path_json, title, content, cycle, "
                                         "note, section) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                                         {id, static_cast<std::int64_t>(p), std::int64_t{it.seq},
                                          json::serialize(json::value_from(it.path)), it.title, it.content, it.cycle,
                                          it.note, std::int64_t{it.section ? 1 : 0}}));
            const std::int64_t item_id = item.front().Int(0);
            for (const auto& [pos, role] : it.marks) {
                UNYO_TRY(c.Exec("INSERT INTO raci_cells (item_id, position, role) VALUES ($1, $2, $3)",
                                {item_id, std::int64_t{pos}, std::string(RoleName(role))}));
            }
        }
        UNYO_TRY(audit::Append(c, actor, {"raci.import", "raci_matrix", std::to_string(id), nullptr,
                                          json::object{{"name", o.name},
                                                       {"items", static_cast<std::int64_t>(m.items.size())},
                                                       {"organizations", json::value_from(m.organizations)},
                                                       {"warnings", static_cast<std::int64_t>(m.warnings.size())}}},
                               now));
        r.matrix = UNYO_TRY(Load(c, id, true));
        if (o.dry_run) {
            result = std::move(r);
            previewed = true;
            return Fail(Error::Internal("dry run"));  // an error rolls the transaction back
        }
        return r;
    });
    if (previewed) return result;
    return written;
}

Result<StoredMatrix> RaciStore::SetCell(std::int64_t id, std::int64_t expected_version, std::int64_t item_id, int column,
                                        std::optional<Role> role, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<StoredMatrix> {
        const StoredMatrix before = UNYO_TRY(Load(c, id, false));
        if (column < 0 || column >= static_cast<int>(before.columns.size())) {
            return Fail(Error::Field("column", fmt::format("must be 0–{} (the matrix's organisations)", before.columns.size() - 1)));
        }
        const auto item = UNYO_TRY(c.Query("SELECT seq, section FROM raci_items WHERE id = $1 AND matrix_id = $2", {item_id, id}));
        if (item.empty()) return Fail(Error::Field("item_id", fmt::format("role matrix {} has no work item {}", id, item_id)));
        if (item.front().Bool(1)) return Fail(Error::Field("item_id", "a heading row has no roles"));
        UNYO_TRY_VOID(Touch(c, id, expected_version, now));
        const auto old = UNYO_TRY(c.Query("SELECT role FROM raci_cells WHERE item_id = $1 AND position = $2",
                                          {item_id, std::int64_t{column}}));
        UNYO_TRY(c.Exec("DELETE FROM raci_cells WHERE item_id = $1 AND position = $2", {item_id, std::int64_t{column}}));
        if (role) {
            UNYO_TRY(c.Exec("INSERT INTO raci_cells (item_id, position, role) VALUES ($1, $2, $3)",
                            {item_id, std::int64_t{column}, std::string(RoleName(*role))}));
        }
        const auto cell = [&](const std::optional<std::string>& r) {
            return json::object{{"item_id", item_id}, {"seq", item.front().Int(0)}, {"organization", before.columns[static_cast<std::size_t>(column)].name},
                                {"role", r ? json::value(*r) : json::value(nullptr)}};
        };
        UNYO_TRY(audit::Append(c, actor, {"raci.cell", "raci_matrix", std::to_string(id),
                                          cell(old.empty() ? std::nullopt : std::optional<std::string>(old.front().Text(0))),
                                          cell(role ? std::optional<std::string>(std::string(RoleName(*role))) : std::nullopt)},
                               now));
        return Load(c, id, true);
    });
}

Result<StoredMatrix> RaciStore::MapColumn(std::int64_t id, std::int64_t expected_version, int column,
                                          std::optional<std::int64_t> organization_id, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<StoredMatrix> {
        const StoredMatrix before = UNYO_TRY(Load(c, id, false));
        if (column < 0 || column >= static_cast<int>(before.columns.size())) {
            return Fail(Error::Field("column", fmt::format("must be 0–{} (the matrix's organisations)", before.columns.size() - 1)));
        }
        if (organization_id && UNYO_TRY(c.Query("SELECT 1 FROM organizations WHERE id = $1", {*organization_id})).empty()) {
            return Fail(Error::Field("organization_id", fmt::format("organization {} does not exist", *organization_id)));
        }
        UNYO_TRY_VOID(Touch(c, id, expected_version, now));
        UNYO_TRY(c.Exec("UPDATE raci_columns SET organization_id = $1 WHERE matrix_id = $2 AND position = $3",
                        {storage::Nullable(organization_id), id, std::int64_t{column}}));
        const auto& col = before.columns[static_cast<std::size_t>(column)];
        UNYO_TRY(audit::Append(c, actor, {"raci.column", "raci_matrix", std::to_string(id),
                                          json::object{{"column", col.name}, {"organization_id", OrNull(col.organization_id)}},
                                          json::object{{"column", col.name}, {"organization_id", OrNull(organization_id)}}},
                               now));
        return Load(c, id, true);
    });
}

Result<void> RaciStore::Delete(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const StoredMatrix before = UNYO_TRY(Load(c, id, false));
        UNYO_TRY(c.Exec("DELETE FROM raci_cells WHERE item_id IN (SELECT id FROM raci_items WHERE matrix_id = $1)", {id}));
        UNYO_TRY(c.Exec("DELETE FROM raci_items WHERE matrix_id = $1", {id}));
        UNYO_TRY(c.Exec("DELETE FROM raci_columns WHERE matrix_id = $1", {id}));
        UNYO_TRY(c.Exec("DELETE FROM raci_matrices WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"raci.delete", "raci_matrix", std::to_string(id), ToJson(before, false), nullptr},
                               clock_.Now()));
        return {};
    });
}

Result<WorkItemRoute> RouteOf(storage::Connection& c, std::int64_t work_item_id) {
    WorkItemRoute route;
    route.work_item_id = work_item_id;
    auto item = UNYO_TRY(c.Query("SELECT i.seq, i.title, m.name FROM raci_items i JOIN raci_matrices m ON m.id = i.matrix_id "
                                 "WHERE i.id = $1",
                                 {work_item_id}));
    if (item.empty()) return route;
    route.found = true;
    route.seq = item.front().Int(0);
    route.title = item.front().Text(1);
    route.matrix = item.front().Text(2);
    auto cells = UNYO_TRY(c.Query("SELECT c.role, col.name, col.organization_id, o.name FROM raci_cells c "
                                  "JOIN raci_items i ON i.id = c.item_id "
                                  "JOIN raci_columns col ON col.matrix_id = i.matrix_id AND col.position = c.position "
                                  "LEFT JOIN organizations o ON o.id = col.organization_id "
                                  "WHERE c.item_id = $1 ORDER BY c.position",
                                  {work_item_id}));
    for (const auto& row : cells.rows) {
        RoutedOrganization who{row.Text(1), row.OptInt(2), row.OptText(3)};
        if (row.Text(0) == "main") {
            if (!route.main && who.organization_id) route.main = std::move(who);
        } else {
            route.support.push_back(std::move(who));
        }
    }
    return route;
}

json::object ToJson(const WorkItemRoute& r) {
    json::object body{{"work_item_id", r.work_item_id}};
    if (!r.found) return body;
    const auto who = [](const RoutedOrganization& o) {
        return json::object{{"column", o.column},
                            {"organization_id", OrNull(o.organization_id)},
                            {"organization", o.organization ? json::value(*o.organization) : json::value(nullptr)}};
    };
    body["seq"] = r.seq;
    body["title"] = r.title;
    body["matrix"] = r.matrix;
    body["main"] = r.main ? json::value(who(*r.main)) : json::value(nullptr);
    json::array support;
    for (const auto& s : r.support) support.push_back(who(s));
    body["support"] = std::move(support);
    return body;
}

}  // namespace unyo::raci
