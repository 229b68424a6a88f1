#pragma once
// The April reorganisation (年度替わり, ACC-6): a sheet (CSV or XLSX) of the users whose
// organisation, roles, name, address or standing change on a date — staged, shown as a diff of
// what will change against what is, and applied on its date (or at once by an admin), every
// change through the account rules (the last admin stays, roles exist) and audited. Organisations
// the sheet names that do not exist yet are created when it is applied. docs/reorganisation.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/accounts.hpp"
#include "calendar/civil_date.hpp"
#include "core/sheet.hpp"

namespace unyo::auth {

/// One line of the sheet: empty members leave the user's as they are.
struct ReorgRow {
    int line = 0;  // in the file, from 1
    std::string login;
    std::optional<std::string> display_name, email, organization, status;  // status: active | disabled
    std::optional<std::vector<std::string>> roles;                         // role names
};

struct Reorganisation {
    std::int64_t id = 0;
    std::string name;
    calendar::Date effective_on;
    std::string status = "staged";  // staged applying applied cancelled
    std::vector<ReorgRow> rows;
    json::array result;  // after applying: per line, what happened
    std::string created_by, applied_by;
    Millis created_at = 0;
    std::optional<Millis> applied_at;
    std::int64_t version = 1;
};

/// The sheet's rows under a header row naming at least the login column (ログインID / login) and
/// one of 氏名, メール, 組織 (所属), ロール (権限), 状態. Roles may be written as names or in
/// Japanese (管理者, 承認者, 運用担当, 保守事業者, 依頼者, 閲覧者), separated by 、, ・ or commas;
/// 状態 is 在籍/有効 or 退職/無効/停止. Each bad cell named as `line N: column`.
[[nodiscard]] Result<std::vector<ReorgRow>> ReadReorgSheet(const sheet::Rows& rows);

class Reorganisations {
public:
    Reorganisations(storage::Database& db, const Clock& clock, AccountService& accounts)
        : db_(db), clock_(clock), accounts_(accounts) {}

    /// What applying `rows` would change now: per line the user, each change {field, from, to}
    /// or the error; the organisations it would create. `ok` when no line has an error.
    [[nodiscard]] Result<json::object> Diff(const std::vector<ReorgRow>& rows);
    /// Stores the plan; 422 naming each line in error (nothing stored).
    [[nodiscard]] Result<Reorganisation> Stage(const std::string& name, calendar::Date effective_on, std::vector<ReorgRow> rows,
                                               const audit::Actor& actor);
    [[nodiscard]] Result<std::vector<Reorganisation>> List();
    [[nodiscard]] Result<Reorganisation> Get(std::int64_t id);
    /// Applies a staged plan now; each line through AccountService, its outcome kept. `resume`:
    /// one a crash left half applied.
    [[nodiscard]] Result<Reorganisation> Apply(std::int64_t id, const audit::Actor& actor, bool resume = false);
    [[nodiscard]] Result<Reorganisation> Cancel(std::int64_t id, const audit::Actor& actor);
    /// Applies every staged plan whose date has come (Japan time), and resumes any left half
    /// applied; how many.
    [[nodiscard]] Result<int> ApplyDue();

private:
    storage::Database& db_;
    const Clock& clock_;
    AccountService& accounts_;
};

[[nodiscard]] json::object ToJson(const Reorganisation& r);

}  // namespace unyo::auth
