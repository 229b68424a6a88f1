#pragma once
// Workflows as data: for each record kind, its states, its fields, and the allowed transitions
// with the fields each needs, the roles that may make it and an optional named guard (a rule
// that needs more than fields: INC-5, CHG-2, REL-1). The console reads the same definitions.
// Immutable after start; safe from any thread.

#include <optional>
#include <string>
#include <vector>

#include "auth/roles.hpp"
#include "core/json.hpp"

namespace unyo::records {

// kWorkItem: a work item of a role division matrix (its id): the record is routed by it (ORG-3).
// kCi: a configuration item (its id): what the record is about; an incident's informs the
// integration partners its failure affects (INC-11).
enum class FieldType { kText, kLongText, kTime, kDate, kEnum, kUser, kDocuments, kWorkItem, kCi };

struct FieldDef {
    std::string name;
    std::string label_ja;
    std::string label_en;
    FieldType type = FieldType::kText;
    std::vector<std::string> options;  // kEnum
    bool required_at_creation = false;
};

struct StateDef {
    std::string name;
    std::string label_ja;
    std::string label_en;
    bool closed = false;  // a final state: the record is no longer open
};

struct TransitionDef {
    std::vector<std::string> from;
    std::string to;
    std::vector<std::string> required;  // fields that must have a value after the transition
    auth::RoleSet roles = 0;            // any of these (0: anyone who may edit the record)
    std::string guard;                  // "" or the name of a rule checked by the service
    std::string label_ja;
    std::string stamp;                  // a time field set to the transition's instant if empty
};

struct Workflow {
    std::string kind;        // "incident"
    std::string collection;  // "incidents" (the URL segment)
    std::string prefix;      // "INC"
    std::string label_ja;
    std::string label_en;
    bool has_severity = false;
    std::string initial;
    std::vector<StateDef> states;
    std::vector<FieldDef> fields;
    std::vector<TransitionDef> transitions;

    [[nodiscard]] const StateDef* State(std::string_view name) const;
    [[nodiscard]] const FieldDef* Field(std::string_view name) const;
    /// The transitions allowed from `state` to `to` (null when none).
    [[nodiscard]] const TransitionDef* Find(std::string_view state, std::string_view to) const;
    /// Every transition leaving `state`.
    [[nodiscard]] std::vector<const TransitionDef*> From(std::string_view state) const;
};

/// The seven default workflows, in a fixed order.
[[nodiscard]] const std::vector<Workflow>& Workflows();
/// By kind ("incident") or collection ("incidents"); null when unknown.
[[nodiscard]] const Workflow* WorkflowByKind(std::string_view kind);
[[nodiscard]] const Workflow* WorkflowByCollection(std::string_view collection);

/// Severities of the kinds that have one.
[[nodiscard]] const std::vector<std::string>& Severities();

[[nodiscard]] json::object ToJson(const Workflow& w);

}  // namespace unyo::records
