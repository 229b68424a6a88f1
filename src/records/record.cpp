#include "records/record.hpp"

#include "core/time_format.hpp"

namespace unyo::records {

const char* const kRecordColumns =
    "id, kind, key, title, description, status, severity, organization_id, assignee_id, fields_json, created_by, "
    "created_at, updated_at, closed_at, version";

json::value Record::Field(std::string_view name) const {
    const auto* v = fields.if_contains(name);
    return v ? *v : json::value(nullptr);
}

bool Record::HasValue(std::string_view name) const {
    const auto v = Field(name);
    if (v.is_null()) return false;
    if (v.is_string()) return !v.as_string().empty();
    if (v.is_array()) return !v.as_array().empty();
    return true;
}

Record RecordFromRow(const storage::Row& r) {
    Record rec;
    rec.id = r.Int(0);
    rec.kind = r.Text(1);
    rec.key = r.Text(2);
    rec.title = r.Text(3);
    rec.description = r.Text(4);
    rec.status = r.Text(5);
    rec.severity = r.Text(6);
    rec.organization_id = r.OptInt(7);
    rec.assignee_id = r.OptInt(8);
    rec.fields = ParseObjectOrEmpty(r.Text(9));
    rec.created_by = r.OptInt(10);
    rec.created_at = r.Int(11);
    rec.updated_at = r.Int(12);
    rec.closed_at = r.OptInt(13);
    rec.version = r.Int(14);
    return rec;
}

json::object ToJson(const Record& r, const Workflow& w) {
    const auto* state = w.State(r.status);
    json::object o{{"id", r.id},
                   {"kind", r.kind},
                   {"key", r.key},
                   {"title", r.title},
                   {"description", r.description},
                   {"status", r.status},
                   {"status_label", state ? state->label_ja : r.status},
                   {"closed", state != nullptr && state->closed},
                   {"severity", r.severity.empty() ? json::value(nullptr) : json::value(r.severity)},
                   {"organization_id", OrNull(r.organization_id)},
                   {"assignee_id", OrNull(r.assignee_id)},
                   {"created_by", OrNull(r.created_by)},
                   {"created_at", FormatRfc3339(r.created_at)},
                   {"updated_at", FormatRfc3339(r.updated_at)},
                   {"closed_at", InstantOrNull(r.closed_at)},
                   {"version", r.version}};
    for (const auto& f : w.fields) {
        o[f.name] = r.Field(f.name);
    }
    if (!r.support_organization_ids.empty()) o["support_organization_ids"] = json::value_from(r.support_organization_ids);
    return o;
}

json::object ToJson(const TimelineEntry& e) {
    return {{"id", e.id},
            {"at", FormatRfc3339(e.at)},
            {"actor_id", OrNull(e.actor_id)},
            {"actor_login", e.actor_login},
            {"type", e.type},
            {"body", e.body}};
}

}  // namespace unyo::records
