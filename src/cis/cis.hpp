#pragma once
// Configuration items (構成管理, CFG-1): what the service is made of — applications, software,
// middleware, licences, hardware, network, facilities, managed services, environments, terminals —
// with their version, owner organisation, environment (ENV-1) and lifecycle dates (release, end of
// sales, end of support, end of life; a licence's count and expiry), warnings ahead of each date,
// and relations (runs on, depends on, connects to, part of) with the impact of a failure: what is
// affected if this fails. docs/cis.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "calendar/civil_date.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::cis {

struct Ci {
    std::int64_t id = 0;
    std::string name, type, version, environment = "production", note;
    std::optional<std::int64_t> organization_id;
    json::object attributes;
    std::optional<calendar::Date> released_on, end_of_sales, end_of_support, end_of_life, licence_expiry;
    std::optional<std::int64_t> licence_count;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version_no = 1;
};

struct Relation {
    std::int64_t from_id = 0, to_id = 0;
    std::string kind;  // runs_on depends_on connects_to part_of: "from kind to"
};

/// A lifecycle date coming (or passed): what the dashboard warns of.
struct Milestone {
    std::int64_t ci_id = 0;
    std::string ci_name, milestone;  // end_of_sales end_of_support end_of_life licence_expiry
    calendar::Date date;
    int days_left = 0;  // negative: passed
};

/// What a failure of a CI touches: through `runs_on` and `depends_on` (those that run on or
/// depend on it, and so on), the whole it is `part_of`, and what it `connects_to` (either way).
struct Impact {
    std::int64_t ci_id = 0;
    std::string ci_name, via;  // the relation that brings it in
    int depth = 0;
};

[[nodiscard]] Result<Ci> CiFromJson(const json::object& body, Ci base, bool create);
[[nodiscard]] json::object ToJson(const Ci& c);
[[nodiscard]] json::object ToJson(const Milestone& m);
[[nodiscard]] json::object ToJson(const Impact& i);
/// What a failure of CI `id` affects (404 when there is no such CI), nearest first.
[[nodiscard]] Result<std::vector<Impact>> ImpactOf(storage::Connection& c, std::int64_t id);

class CiStore {
public:
    CiStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<Ci>> List();
    [[nodiscard]] Result<Ci> Get(std::int64_t id);
    [[nodiscard]] Result<Ci> Create(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<Ci> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                    const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

    [[nodiscard]] Result<std::vector<Relation>> Relations(std::int64_t id);
    [[nodiscard]] Result<void> Relate(const Relation& r, const audit::Actor& actor);
    [[nodiscard]] Result<void> Unrelate(const Relation& r, const audit::Actor& actor);
    [[nodiscard]] Result<std::vector<Impact>> ImpactOf(std::int64_t id);

    /// Lifecycle dates within `days` from today (Japan time), and those passed, soonest first.
    [[nodiscard]] Result<std::vector<Milestone>> Lifecycle(int days);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::cis
