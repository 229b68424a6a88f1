#pragma once
// Stored role division matrices (ORG-2): imported from the owners' tables (matrix.hpp), their cells
// changed one at a time (optimistic concurrency), their columns pointed at unyo's organisations so
// that work can be routed to them (ORG-3). Every write is audited in its transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "raci/matrix.hpp"
#include "storage/sql/database.hpp"

namespace unyo::raci {

struct Column {
    int position = 0;
    std::string name;  // as the table printed it
    std::optional<std::int64_t> organization_id;
};

struct StoredItem {
    std::int64_t id = 0;
    int position = 0;
    Item item;
};

struct StoredMatrix {
    std::int64_t id = 0;
    std::string name, main_mark, support_mark;
    bool levels = false;
    std::vector<Column> columns;
    std::vector<StoredItem> items;  // empty in a list
    std::int64_t item_count = 0;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

struct ImportOptions {
    std::string name;                   // the matrix's name (unique)
    bool dry_run = false;               // read and check only
    bool create_organizations = false;  // make an organisation for each column no organisation is named as
};

struct ImportResult {
    StoredMatrix matrix;  // as written (or as it would be)
    std::vector<std::string> warnings;
    std::vector<std::string> organizations_created;
    std::vector<std::string> unmatched;  // columns without an organisation
};

/// The matrix with its columns and items (`items`: with them) as JSON.
[[nodiscard]] json::object ToJson(const StoredMatrix& m, bool items);

/// An organisation a work item names: its column, and unyo's organisation when mapped.
struct RoutedOrganization {
    std::string column;
    std::optional<std::int64_t> organization_id;
    std::optional<std::string> organization;
};

/// Where work raised against a work item goes (ORG-3): its main organisation (the first main
/// column pointed at one of unyo's organisations) and its supporting ones.
struct WorkItemRoute {
    std::int64_t work_item_id = 0;
    bool found = false;
    std::int64_t seq = 0;
    std::string title, matrix;
    std::optional<RoutedOrganization> main;
    std::vector<RoutedOrganization> support;
};

[[nodiscard]] Result<WorkItemRoute> RouteOf(storage::Connection& c, std::int64_t work_item_id);
/// `{work_item_id, seq, title, matrix, main: {column, organization_id, organization} | null,
/// support: [...]}` (only `work_item_id` when the item is gone).
[[nodiscard]] json::object ToJson(const WorkItemRoute& r);
/// Back to a matrix, for writing it out as a table.
[[nodiscard]] Matrix ToMatrix(const StoredMatrix& m);

class RaciStore {
public:
    RaciStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<StoredMatrix>> List();
    [[nodiscard]] Result<StoredMatrix> Get(std::int64_t id);
    /// Stores `m` under `o.name` (409 when the name is taken); columns matched to organisations by
    /// name.
    [[nodiscard]] Result<ImportResult> Import(const Matrix& m, const ImportOptions& o, const audit::Actor& actor);
    /// Sets one cell (`role` nullopt: empty); 412 when the matrix changed since `expected_version`.
    [[nodiscard]] Result<StoredMatrix> SetCell(std::int64_t id, std::int64_t expected_version, std::int64_t item_id,
                                               int column, std::optional<Role> role, const audit::Actor& actor);
    /// Points column `column` at an organisation (nullopt: none).
    [[nodiscard]] Result<StoredMatrix> MapColumn(std::int64_t id, std::int64_t expected_version, int column,
                                                 std::optional<std::int64_t> organization_id, const audit::Actor& actor);
    [[nodiscard]] Result<void> Delete(std::int64_t id, const audit::Actor& actor);

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::raci
