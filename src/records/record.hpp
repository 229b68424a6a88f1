#pragma once
// A record of the ledger and its timeline, as values with their API JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/json.hpp"
#include "records/workflow.hpp"
#include "storage/sql/value.hpp"

namespace unyo::records {

struct Record {
    std::int64_t id = 0;
    std::string kind;
    std::string key;  // "INC-000123"
    std::string title;
    std::string description;
    std::string status;
    std::string severity;  // "" for kinds without one
    std::optional<std::int64_t> organization_id;
    std::optional<std::int64_t> assignee_id;
    /// Organisations that support the work (routed by a work item, ORG-3): their vendors see it too.
    std::vector<std::int64_t> support_organization_ids;
    json::object fields;  // the kind's own fields (workflow.fields), absent when empty
    std::optional<std::int64_t> created_by;
    Millis created_at = 0;
    Millis updated_at = 0;
    std::optional<Millis> closed_at;
    std::int64_t version = 1;

    /// The field's value, or null.
    [[nodiscard]] json::value Field(std::string_view name) const;
    [[nodiscard]] bool HasValue(std::string_view name) const;
};

struct TimelineEntry {
    std::int64_t id = 0;
    Millis at = 0;
    std::optional<std::int64_t> actor_id;
    std::string actor_login;
    std::string type;  // created | status | field | comment | link | sla
    json::object body;
};

extern const char* const kRecordColumns;
[[nodiscard]] Record RecordFromRow(const storage::Row& r);

/// The common core and the kind's fields side by side, plus labels for the console.
[[nodiscard]] json::object ToJson(const Record& r, const Workflow& w);
[[nodiscard]] json::object ToJson(const TimelineEntry& e);

}  // namespace unyo::records
