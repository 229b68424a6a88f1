#pragma once
// The integration partner list (連携先一覧, CFG-3): the systems ours exchange data with — partner,
// its department and vendor, which of our configuration items it connects to, direction, timing,
// cycle, protocol, route, whether a failed transfer is resent the same day, and its contacts —
// in one format for every system, with what is at hand when a failure strikes. An incident naming
// a configuration item informs the partners of every item its failure affects (INC-11:
// alerts/alert_service.cpp mails them). docs/partners.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "cis/cis.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::cis {

struct Contact {
    std::string name, role, email, phone;
};

/// Contacts as JSON, from a stored JSON array, and read from a request member `field` (every bad
/// one named on `f`: `contacts[1].email`).
[[nodiscard]] json::array ContactsJson(const std::vector<Contact>& contacts);
[[nodiscard]] std::vector<Contact> ContactsOf(std::string_view text);
[[nodiscard]] std::vector<Contact> ContactsFromJson(FieldReader& f, std::string_view field, const json::value& v);

struct Partner {
    std::int64_t id = 0;
    std::string name, department, vendor;
    std::optional<std::int64_t> ci_id;  // our configuration item that exchanges the data
    std::string direction = "both";      // send receive both (seen from our system)
    std::string timing, cycle, protocol;
    std::string route = "direct";         // data_platform direct media other
    std::string resend = "ask";           // required not_required ask: resent the same day on failure
    std::string resend_note, note;
    std::vector<Contact> contacts;
    bool inform = true;  // told when an incident affects its configuration item
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

/// `body`'s members over `base`; every bad one named (`contacts[1].email`).
[[nodiscard]] Result<Partner> PartnerFromJson(const json::object& body, Partner base, bool create);
[[nodiscard]] json::object ToJson(const Partner& p);

/// A partner affected by a failure of a configuration item, and through which item.
struct AffectedPartner {
    Partner partner;
    Impact via;  // depth 0: the failed item itself
};

/// The partners to inform (inform = true) of a failure of CI `ci_id`: those connected to it or to
/// anything its failure affects (ImpactOf), nearest first.
[[nodiscard]] Result<std::vector<AffectedPartner>> AffectedPartners(storage::Connection& c, std::int64_t ci_id);

class PartnerStore {
public:
    PartnerStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// By name; only those connected to `ci_id` when given.
    [[nodiscard]] Result<std::vector<Partner>> List(std::optional<std::int64_t> ci_id);
    [[nodiscard]] Result<Partner> Get(std::int64_t id);
    [[nodiscard]] Result<Partner> Create(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<Partner> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                         const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::cis
