#include "auth/reorganisation.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::auth {
namespace {

constexpr const char* kColumns =
    "id, name, effective_on, status, rows_json, result_json, created_by, applied_by, created_at, applied_at, version";

enum class Col { kLogin, kName, kEmail, kOrganization, kRoles, kStatus };

std::optional<Col> ColumnOf(std::string_view header) {
    static const std::vector<std::pair<std::string_view, Col>> kNames{
        {"ログインid", Col::kLogin}, {"ログイン", Col::kLogin},     {"login", Col::kLogin},        {"id", Col::kLogin},
        {"氏名", Col::kName},        {"表示名", Col::kName},        {"名前", Col::kName},          {"display_name", Col::kName},
        {"メール", Col::kEmail},     {"メールアドレス", Col::kEmail}, {"email", Col::kEmail},
        {"組織", Col::kOrganization}, {"所属", Col::kOrganization}, {"新所属", Col::kOrganization}, {"organization", Col::kOrganization},
        {"ロール", Col::kRoles},     {"権限", Col::kRoles},         {"役割", Col::kRoles},         {"roles", Col::kRoles},
        {"状態", Col::kStatus},      {"在籍", Col::kStatus},        {"status", Col::kStatus}};
    std::string key;
    for (unsigned char c : header) {
        if (c != ' ') key.push_back(static_cast<char>(std::tolower(c)));
    }
    for (const auto& [name, col] : kNames) {
        if (key == name) return col;
    }
    return std::nullopt;
}

std::optional<std::string> RoleOf(std::string_view word) {
    static const std::vector<std::pair<std::string_view, std::string_view>> kJapanese{
        {"管理者", "admin"},      {"承認者", "manager"}, {"運用担当", "operator"},
        {"保守事業者", "vendor"}, {"依頼者", "requester"}, {"閲覧者", "viewer"}};
    for (const auto& [ja, en] : kJapanese) {
        if (word == ja) return std::string(en);
    }
    if (ParseRole(word)) return std::string(word);
    return std::nullopt;
}

// "運用担当・閲覧者", "operator, viewer", "管理者、承認者" → the names.
std::vector<std::string> Words(const std::string& cell) {
    std::string s = cell;
    for (const std::string_view sep : {"、", "・", "，"}) {
        for (auto at = s.find(sep); at != std::string::npos; at = s.find(sep)) s.replace(at, sep.size(), ",");
    }
    std::vector<std::string> out;
    std::string word;
    for (char c : s + ",") {
        if (c == ',' || c == ' ' || c == '/') {
            if (!word.empty()) out.push_back(word);
            word.clear();
        } else {
            word.push_back(c);
        }
    }
    return out;
}

json::array RowsJson(const std::vector<ReorgRow>& rows) {
    json::array out;
    for (const auto& r : rows) {
        json::object o{{"line", r.line}, {"login", r.login}};
        if (r.display_name) o["display_name"] = *r.display_name;
        if (r.email) o["email"] = *r.email;
        if (r.organization) o["organization"] = *r.organization;
        if (r.status) o["status"] = *r.status;
        if (r.roles) o["roles"] = json::value_from(*r.roles);
        out.push_back(std::move(o));
    }
    return out;
}

std::vector<ReorgRow> RowsOf(std::string_view text) {
    std::vector<ReorgRow> out;
    for (const auto& v : ParseArrayOrEmpty(text)) {
        if (!v.is_object()) continue;
        const auto& o = v.as_object();
        ReorgRow r;
        r.line = static_cast<int>(IntOf(o, "line", 0));
        r.login = StringOf(o, "login");
        const auto opt = [&](const char* name) -> std::optional<std::string> {
            return o.contains(name) ? std::optional(StringOf(o, name)) : std::nullopt;
        };
        r.display_name = opt("display_name");
        r.email = opt("email");
        r.organization = opt("organization");
        r.status = opt("status");
        if (const auto* roles = o.if_contains("roles"); roles && roles->is_array()) {
            std::vector<std::string> names;
            for (const auto& n : roles->as_array()) {
                if (n.is_string()) names.emplace_back(n.as_string());
            }
            r.roles = std::move(names);
        }
        out.push_back(std::move(r));
    }
    return out;
}

Reorganisation FromRow(const storage::Row& row) {
    Reorganisation r;
    r.id = row.Int(0);
    r.name = row.Text(1);
    r.effective_on = calendar::Date::Parse(row.Text(2)).value_or(calendar::Date{});
    r.status = row.Text(3);
    r.rows = RowsOf(row.Text(4));
    r.result = ParseArrayOrEmpty(row.Text(5));
    r.created_by = row.Text(6);
    r.applied_by = row.Text(7);
    r.created_at = row.Int(8);
    r.applied_at = row.OptInt(9);
    r.version = row.Int(10);
    return r;
}

Result<Reorganisation> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM reorganisations WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("reorganisation {} does not exist", id)));
    return FromRow(rows.front());
}

struct Current {
    std::int64_t id = 0, version = 0;
    std::string display_name, email, organization;
    std::vector<std::string> roles;
    bool disabled = false;
};

Result<std::optional<Current>> UserNow(storage::Connection& c, const std::string& login) {
    auto rows = UNYO_TRY(c.Query("SELECT u.id, u.version, u.display_name, u.email, o.name, u.roles, u.disabled FROM users u "
                                 "JOIN organizations o ON o.id = u.organization_id WHERE u.login = $1",
                                 {login}));
    if (rows.empty()) return std::optional<Current>{};
    const auto& r = rows.front();
    return std::optional(Current{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), RoleNames(ParseRoles(r.Text(5))), r.Bool(6)});
}

std::string Joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

// The changes of one row against the user as they are.
json::array Changes(const ReorgRow& r, const Current& now) {
    json::array out;
    const auto change = [&](const char* field, const std::string& from, const std::optional<std::string>& to) {
        if (to && *to != from) out.push_back(json::object{{"field", field}, {"from", from}, {"to", *to}});
    };
    change("display_name", now.display_name, r.display_name);
    change("email", now.email, r.email);
    change("organization", now.organization, r.organization);
    if (r.roles) {
        auto sorted = *r.roles;
        std::sort(sorted.begin(), sorted.end());
        auto had = now.roles;
        std::sort(had.begin(), had.end());
        if (sorted != had) out.push_back(json::object{{"field", "roles"}, {"from", Joined(now.roles)}, {"to", Joined(*r.roles)}});
    }
    change("status", now.disabled ? "disabled" : "active", r.status);
    return out;
}

}  // namespace

Result<std::vector<ReorgRow>> ReadReorgSheet(const sheet::Rows& rows) {
    std::size_t header = rows.size();
    std::vector<std::optional<Col>> cols;
    for (std::size_t i = 0; i < rows.size() && header == rows.size(); ++i) {
        std::vector<std::optional<Col>> found;
        for (const auto& cell : rows[i]) found.push_back(ColumnOf(cell));
        if (std::find(found.begin(), found.end(), std::optional(Col::kLogin)) != found.end()) {
            header = i;
            cols = std::move(found);
        }
    }
    if (header == rows.size()) {
        return Fail(Error::Field("file", "no header row naming the login column (ログインID or login)"));
    }
    std::vector<FieldError> errors;
    std::vector<ReorgRow> out;
    std::set<std::string> seen;
    for (std::size_t i = header + 1; i < rows.size(); ++i) {
        const auto& cells = rows[i];
        if (std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); })) continue;
        ReorgRow r;
        r.line = static_cast<int>(i + 1);
        const auto at = [&](const char* col) { return fmt::format("line {}: {}", r.line, col); };
        for (std::size_t k = 0; k < cells.size() && k < cols.size(); ++k) {
            if (!cols[k] || cells[k].empty()) continue;
            const auto& v = cells[k];
            switch (*cols[k]) {
                case Col::kLogin: r.login = v; break;
                case Col::kName: r.display_name = v; break;
                case Col::kEmail:
                    if (v.find('@') == std::string::npos) errors.push_back({at("email"), fmt::format("'{}' is not an e-mail address", v)});
                    r.email = v;
                    break;
                case Col::kOrganization: r.organization = v; break;
                case Col::kRoles: {
                    std::vector<std::string> names;
                    for (const auto& w : Words(v)) {
                        if (auto role = RoleOf(w)) {
                            names.push_back(*role);
                        } else {
                            errors.push_back({at("roles"), fmt::format("'{}' is not a role", w)});
                        }
                    }
                    r.roles = std::move(names);
                    break;
                }
                case Col::kStatus:
                    if (v == "在籍" || v == "有効" || v == "active") {
                        r.status = "active";
                    } else if (v == "退職" || v == "無効" || v == "停止" || v == "disabled") {
                        r.status = "disabled";
                    } else {
                        errors.push_back({at("status"), fmt::format("'{}' is neither 在籍 (active) nor 退職 (disabled)", v)});
                    }
                    break;
            }
        }
        if (r.login.empty()) {
            errors.push_back({at("login"), "is empty"});
        } else if (!seen.insert(r.login).second) {
            errors.push_back({at("login"), fmt::format("{} is on an earlier line too", r.login)});
        }
        out.push_back(std::move(r));
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    if (out.empty()) return Fail(Error::Field("file", "the sheet has a header but no users under it"));
    return out;
}

json::object ToJson(const Reorganisation& r) {
    return {{"id", r.id},
            {"name", r.name},
            {"effective_on", r.effective_on.ToString()},
            {"status", r.status},
            {"rows", RowsJson(r.rows)},
            {"result", r.result},
            {"created_by", r.created_by},
            {"applied_by", r.applied_by},
            {"created_at", FormatRfc3339(r.created_at)},
            {"applied_at", InstantOrNull(r.applied_at)},
            {"version", r.version}};
}

Result<json::object> Reorganisations::Diff(const std::vector<ReorgRow>& rows) {
    return db_.Read([&](storage::Connection& c) -> Result<json::object> {
        json::array lines;
        std::set<std::string> new_orgs;
        bool ok = true;
        int changing = 0;
        for (const auto& r : rows) {
            json::object line{{"line", r.line}, {"login", r.login}};
            const auto now = UNYO_TRY(UserNow(c, r.login));
            if (!now) {
                line["error"] = fmt::format("no user {} (new users are added one by one, with their initial password)", r.login);
                ok = false;
            } else {
                auto changes = Changes(r, *now);
                changing += changes.empty() ? 0 : 1;
                line["user_id"] = now->id;
                line["changes"] = std::move(changes);
            }
            if (r.organization &&
                UNYO_TRY(c.Query("SELECT 1 FROM organizations WHERE name = $1", {*r.organization})).empty()) {
                new_orgs.insert(*r.organization);
            }
            lines.push_back(std::move(line));
        }
        return json::object{{"ok", ok},
                            {"lines", std::move(lines)},
                            {"users_changing", changing},
                            {"organizations_to_create", json::value_from(std::vector<std::string>(new_orgs.begin(), new_orgs.end()))}};
    });
}

Result<Reorganisation> Reorganisations::Stage(const std::string& name, calendar::Date effective_on, std::vector<ReorgRow> rows,
                                              const audit::Actor& actor) {
    const auto diff = UNYO_TRY(Diff(rows));
    if (!diff.at("ok").as_bool()) {
        std::vector<FieldError> errors;
        for (const auto& l : diff.at("lines").as_array()) {
            const auto& o = l.as_object();
            if (o.contains("error")) errors.push_back({fmt::format("line {}: login", IntOf(o, "line", 0)), StringOf(o, "error")});
        }
        return Fail(Error::Validation(std::move(errors)));
    }
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Reorganisation> {
        Reorganisation r;
        r.name = name;
        r.effective_on = effective_on;
        r.rows = std::move(rows);
        r.created_by = actor.login;
        r.created_at = now;
        auto ins = UNYO_TRY(c.Query("INSERT INTO reorganisations (name, effective_on, status, rows_json, result_json, created_by, "
                                    "applied_by, created_at, version) VALUES ($1, $2, 'staged', $3, '[]', $4, '', $5, 1) RETURNING id",
                                    {name, effective_on.ToString(), json::serialize(RowsJson(r.rows)), actor.login, now}));
        r.id = ins.front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"reorganisation.stage", "reorganisation", std::to_string(r.id), nullptr,
                                          json::object{{"name", name}, {"effective_on", effective_on.ToString()}, {"lines", r.rows.size()}}},
                               now));
        return r;
    });
}

Result<std::vector<Reorganisation>> Reorganisations::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Reorganisation>> {
        std::vector<Reorganisation> out;
        for (const auto& r : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM reorganisations ORDER BY effective_on DESC, id DESC", kColumns), {})).rows) {
            out.push_back(FromRow(r));
        }
        return out;
    });
}

Result<Reorganisation> Reorganisations::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<Reorganisation> Reorganisations::Apply(std::int64_t id, const audit::Actor& actor, bool resume) {
    // Claimed first (staged → applying) so that the scheduler and a hand never apply it at once;
    // one left `applying` by a crash is resumed by the scheduler (each line's change is the same
    // the second time: unchanged).
    const Millis now = clock_.Now();
    const auto plan = UNYO_TRY(db_.Write([&](storage::Connection& c) -> Result<Reorganisation> {
        auto r = UNYO_TRY(Load(c, id));
        if (r.status != "staged" && !(resume && r.status == "applying")) {
            return Fail(Error::Conflict(fmt::format("reorganisation {} is {}", id, r.status)));
        }
        UNYO_TRY(c.Exec("UPDATE reorganisations SET status = 'applying', version = version + 1 WHERE id = $1", {id}));
        return r;
    }));
    json::array result;
    for (const auto& row : plan.rows) {
        json::object outcome{{"line", row.line}, {"login", row.login}};
        const auto step = [&]() -> Result<std::string> {
            auto user = UNYO_TRY(accounts_.FindUserByLogin(row.login));
            UserInput in;
            in.display_name = row.display_name;
            in.email = row.email;
            if (row.roles) in.roles = row.roles;
            if (row.status) in.disabled = *row.status == "disabled";
            if (row.organization) {
                auto org = UNYO_TRY(db_.Read([&](storage::Connection& c) {
                    return c.Query("SELECT id FROM organizations WHERE name = $1", {*row.organization});
                }));
                if (org.empty()) {
                    OrganizationInput o;
                    o.name = *row.organization;
                    o.kind = "owner";
                    o.note = fmt::format("reorganisation {} ({})", plan.name, plan.effective_on.ToString());
                    in.organization_id = UNYO_TRY(accounts_.CreateOrganization(o, actor)).id;
                } else {
                    in.organization_id = org.front().Int(0);
                }
            }
            const auto changed = UNYO_TRY(accounts_.UpdateUser(user.id, user.version, in, actor));
            return changed.version == user.version ? "unchanged" : "applied";
        }();
        if (step) {
            outcome["outcome"] = *step;
        } else {
            outcome["outcome"] = "failed";
            outcome["error"] = step.error().message;
        }
        result.push_back(std::move(outcome));
    }
    return db_.Write([&](storage::Connection& c) -> Result<Reorganisation> {
        UNYO_TRY(c.Exec("UPDATE reorganisations SET status = 'applied', result_json = $1, applied_by = $2, applied_at = $3, "
                        "version = version + 1 WHERE id = $4",
                        {json::serialize(result), actor.login, now, id}));
        UNYO_TRY(audit::Append(c, actor, {"reorganisation.apply", "reorganisation", std::to_string(id), nullptr, result}, now));
        return Load(c, id);
    });
}

Result<Reorganisation> Reorganisations::Cancel(std::int64_t id, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Reorganisation> {
        auto r = UNYO_TRY(Load(c, id));
        if (r.status != "staged") return Fail(Error::Conflict(fmt::format("reorganisation {} is {}", id, r.status)));
        UNYO_TRY(c.Exec("UPDATE reorganisations SET status = 'cancelled', version = version + 1 WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"reorganisation.cancel", "reorganisation", std::to_string(id), nullptr, nullptr}, now));
        return Load(c, id);
    });
}

Result<int> Reorganisations::ApplyDue() {
    const auto today = calendar::Date::FromInstant(clock_.Now()).ToString();
    const auto due = UNYO_TRY(db_.Read([&](storage::Connection& c) {
        return c.Query("SELECT id, status FROM reorganisations WHERE status IN ('staged', 'applying') AND effective_on <= $1 "
                       "ORDER BY effective_on, id",
                       {today});
    }));
    int applied = 0;
    const audit::Actor system{std::nullopt, "system (reorganisation)", ""};
    for (const auto& r : due.rows) {
        if (auto done = Apply(r.Int(0), system, r.Text(1) == "applying"); done) {
            ++applied;
        } else if (done.error().code != ErrorCode::kConflict) {
            return Fail(done.error());
        }
    }
    return applied;
}

}  // namespace unyo::auth
