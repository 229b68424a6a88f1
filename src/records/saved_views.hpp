#pragma once
// Saved list views: a user's name for a list's filters (the list page's URL query), kept for
// oneself or shared with everyone (admins and managers share). Thread-safe; blocks on the database.

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "auth/roles.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::records {

struct SavedView {
    std::int64_t id = 0;
    std::int64_t owner_id = 0;
    std::string owner_login;
    std::string collection;  // "incidents", …
    std::string name;
    std::string query;       // "status=received&severity=high" (no leading '?')
    bool shared = false;
    Millis created_at = 0;
};

[[nodiscard]] json::object ToJson(const SavedView& v);

class SavedViews {
public:
    SavedViews(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// One's own views and the shared ones, of `collection` (all collections when empty).
    [[nodiscard]] Result<std::vector<SavedView>> List(const auth::Principal& who, const std::string& collection);
    /// Error::Field naming name (empty, over 100 characters, or already used by this user for the
    /// collection), query (over 2000 characters) or shared (not an admin or manager).
    [[nodiscard]] Result<SavedView> Create(const auth::Principal& who, SavedView view, const audit::Actor& actor);
    /// Its owner or an admin; 404 otherwise.
    [[nodiscard]] Result<void> Delete(const auth::Principal& who, std::int64_t id, const audit::Actor& actor);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::records
