#pragma once
// Security advisories (SEC-1): what vendors, IPA (JVN iPedia / MyJVN) and JPCERT/CC announce,
// recorded by hand or imported from files (MyJVN's VULDEF detail XML and JVNRSS overview, or JSON:
// closed networks carry them on media), matched against the configuration items' products and
// versions, and followed to a security-patch procedure. docs/advisories.md.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "cis/cis.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::cis {

struct AffectedProduct {
    std::string vendor, name, cpe;      // cpe: "cpe:/a:vendor:product" (2.2) when known
    std::vector<std::string> versions;  // "< 2.4.58", "2.4.0 - 2.4.57", "5.8 未満", "*"; empty: not said
};

struct Advisory {
    std::int64_t id = 0;
    std::string source = "other";  // vendor ipa jpcert jvn nvd other
    std::string ref;               // JVNDB-2021-002774, a vendor's advisory number; unique
    std::string title, summary, url;
    std::string severity = "unknown";  // critical high medium low none unknown
    std::string cvss;                  // base score as written ("9.8"), or empty
    std::optional<calendar::Date> published_on;
    std::vector<AffectedProduct> products;
    std::vector<std::string> cves;
    std::string status = "open";  // open not_affected patching patched accepted
    std::string note;
    std::optional<std::int64_t> procedure_run_id;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

/// One configuration item an advisory's product names, and whether its version is affected.
struct AdvisoryMatch {
    std::int64_t ci_id = 0;
    std::string ci_name, ci_version, product;
    std::string verdict;  // affected, unknown (no version to compare, or the range not understood), not_affected
};

/// -1, 0 or 1: versions compared part by part ("2.4.9" < "2.4.10"; "2.4" == "2.4.0").
[[nodiscard]] int CompareVersions(std::string_view a, std::string_view b);
/// Whether `version` is in `spec` ("< 2.4.58", "<= 1.2", ">= 3", "= 1.0", "1.0", "2.0 - 2.3", "*",
/// and as JVN writes them: "5.8 (Build 1575) 未満", "2.4.57 およびそれ以前", "3.0 以降"); nullopt
/// when `spec` has no version it can read.
[[nodiscard]] std::optional<bool> VersionIn(std::string_view spec, std::string_view version);
/// Whether the CI (name, its attributes "product" and "cpe") is the product.
[[nodiscard]] bool NamesProduct(const AffectedProduct& p, const Ci& ci);
/// The CIs `a` names, with a verdict each (affected first).
[[nodiscard]] std::vector<AdvisoryMatch> Match(const Advisory& a, const std::vector<Ci>& cis);

/// The advisories of a file: JSON (`{"advisories": [...]}` or a list, members as the API's), MyJVN
/// VULDEF (`<Vulinfo>`) or JVNRSS (`<item>`). Error::Invalid saying what is wrong.
[[nodiscard]] Result<std::vector<Advisory>> ReadAdvisories(std::string_view file);

/// `body`'s members over `base`; every bad one named (`products[0].name`).
[[nodiscard]] Result<Advisory> AdvisoryFromJson(const json::object& body, Advisory base, bool create);
[[nodiscard]] json::object ToJson(const Advisory& a);
[[nodiscard]] json::object ToJson(const AdvisoryMatch& m);

struct ImportResult {
    int created = 0, updated = 0, unchanged = 0;
    std::vector<Advisory> advisories;  // as stored (or as they would be, on a dry run)
};

class AdvisoryStore {
public:
    AdvisoryStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    /// Newest published first; `status` filters.
    [[nodiscard]] Result<std::vector<Advisory>> List(std::optional<std::string> status);
    [[nodiscard]] Result<Advisory> Get(std::int64_t id);
    [[nodiscard]] Result<Advisory> Create(const json::object& body, const audit::Actor& actor);
    [[nodiscard]] Result<Advisory> Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                          const audit::Actor& actor);
    /// Adds the advisories not known by `ref`, refreshes what the file says of the known ones (their
    /// status, note and procedure stay); nothing written on a dry run.
    [[nodiscard]] Result<ImportResult> Import(std::vector<Advisory> advisories, bool dry_run, const audit::Actor& actor);
    /// Records that procedure run `run_id` applies the patch: status `patching`.
    [[nodiscard]] Result<Advisory> LinkProcedure(std::int64_t id, std::int64_t run_id, const audit::Actor& actor);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::cis
