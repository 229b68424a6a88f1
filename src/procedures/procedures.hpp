#pragma once
// Procedures (手順, PRC-1..8): templates of ordered steps, each with the organisation responsible
// for it, optional approval gates (a role of an organisation, e.g. the owner's manager, must
// approve) and the evidence it needs; runs that record who did each step and when. Steps are done
// in order; a gate blocks until approved; a rejected gate stops the run with its reason. The
// templates of the seed procedures ship with unyo (`DefaultTemplates`). docs/procedures.md.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "auth/roles.hpp"
#include "core/clock.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"

namespace unyo::procedures {

struct Gate {
    std::string role = "manager";      // who approves: manager or admin
    std::string organization_kind;     // "" any; "owner": an organisation of kind owner (発注者)
    std::optional<std::int64_t> organization_id;  // or that organisation
};

struct StepDef {
    std::string key, title;
    std::string responsible;  // the organisation responsible, as the role table names it
    std::optional<std::int64_t> organization_id;  // unyo's organisation, when known
    std::optional<Gate> gate;
    std::string evidence = "none";  // none | comment | attachment | job_run | backup
    /// A work item of the role division matrix (ORG-3): when a run starts, the step goes to the
    /// item's main organisation; when it comes up, that organisation and the supporting ones are told.
    std::optional<std::int64_t> work_item_id;
};

struct Template {
    std::int64_t id = 0;
    std::string name, kind, description;
    std::vector<StepDef> steps;
    Millis created_at = 0, updated_at = 0;
    std::int64_t version = 1;
};

struct StepState {
    std::string status = "pending";  // pending done approved rejected
    std::string by;
    std::optional<Millis> at;
    std::string comment;
    /// What proves the step: {attachment_id, file_name, sha256}, {job_run_id, jobnet, ended_at}
    /// or a backup: a jobnet run with a backup job, or {drill_id, backup_name, …} of a restore drill.
    json::object evidence;
};

struct Run {
    std::int64_t id = 0, template_id = 0;
    std::string name;
    std::string status = "running";  // running completed stopped
    std::optional<std::int64_t> record_id;
    std::vector<StepDef> steps;  // as the template was when the run began
    std::vector<StepState> states;
    std::string created_by, stop_reason;
    Millis created_at = 0, updated_at = 0;
    std::optional<Millis> ended_at;
    std::int64_t version = 1;
};

/// Reads a template's members (`create`: all required); each bad one named (`steps[2].gate.role`).
[[nodiscard]] Result<Template> TemplateFromJson(const json::object& body, Template base, bool create);
[[nodiscard]] json::object ToJson(const Template& t);
[[nodiscard]] json::object ToJson(const Run& r);
/// The seed procedures (seed 000 別紙1, seed 003): change, DB reorganisation, image-file
/// replacement, planned stop, security patch (regular and emergency), virus definition update,
/// virus detection response, periodic inspection, power outage, restore drill.
[[nodiscard]] std::vector<Template> DefaultTemplates();

class ProcedureStore {
public:
    ProcedureStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

    [[nodiscard]] Result<std::vector<Template>> Templates();
    [[nodiscard]] Result<Template> GetTemplate(std::int64_t id);
    [[nodiscard]] Result<Template> CreateTemplate(const json::object& body, const audit::Actor& actor);
    /// Creates the default templates whose names are not taken; returns how many it made.
    [[nodiscard]] Result<int> InstallDefaults(const audit::Actor& actor);

    /// A run of template `template_id` named `name` (default: the template's), optionally for a record.
    [[nodiscard]] Result<Run> Start(std::int64_t template_id, const std::string& name, std::optional<std::int64_t> record_id,
                                    const audit::Actor& actor);
    [[nodiscard]] Result<Run> GetRun(std::int64_t id);
    [[nodiscard]] Result<std::vector<Run>> Runs(int limit);
    /// `action` on step `key`: complete (a step without a gate), approve or reject (a gate). Only the
    /// next open step; 403 when `who` may not; 409 when the run is over or the step not next; 422
    /// when its evidence is missing or wrong (`comment`; `evidence.attachment_id`, `.job_run_id`,
    /// `.drill_id`) or a rejection has no reason.
    [[nodiscard]] Result<Run> Act(std::int64_t id, const std::string& key, const std::string& action,
                                  const std::string& comment, const auth::Principal& who, const audit::Actor& actor,
                                  const json::object& evidence = {});

private:
    storage::Database& db_;
    const Clock& clock_;
};

}  // namespace unyo::procedures
