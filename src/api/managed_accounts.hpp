#pragma once
// Accounts on the managed systems (ACC-4), shared by their handlers and the account reviews
// (checklist runs that decide keep, disable or delete for each).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calendar/civil_date.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::api {

/// Not used within this many days: dormant (the list's default).
inline constexpr int kDormantDays = 90;
/// An active account not reviewed within this many days is due for review (twice a year).
inline constexpr int kReviewCycleDays = 183;

struct ManagedAccount {
    std::int64_t id = 0, ci_id = 0;
    std::string ci_name, account, holder;
    std::optional<std::int64_t> holder_user_id, organization_id;
    std::string privilege = "general";  // privileged general service
    std::string status = "active";      // active disabled deleted
    std::optional<calendar::Date> last_used_on, leaves_on, last_reviewed_on;
    std::string last_reviewed_by, note;
    bool holder_disabled = false;  // the holder's unyo user is disabled: a leaver
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

[[nodiscard]] Result<std::vector<ManagedAccount>> ListManagedAccounts(storage::Connection& c, std::optional<std::int64_t> ci_id);
[[nodiscard]] Result<ManagedAccount> LoadManagedAccount(storage::Connection& c, std::int64_t id);
/// With `dormant`, `leaver` and `review_due` as of `now`.
[[nodiscard]] json::object ToJson(const ManagedAccount& a, Millis now, int dormant_days);

}  // namespace unyo::api
