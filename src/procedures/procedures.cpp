#include "procedures/procedures.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "notify/outbox.hpp"
#include "raci/raci_store.hpp"

namespace unyo::procedures {
namespace {

const std::vector<std::string> kKinds{"change",           "db_reorg",       "image_replacement", "planned_stop",
                                      "security_patch",   "security_patch_emergency", "virus_definition",
                                      "virus_detection",  "inspection",     "power_outage",      "restore_drill",
                                      "other"};

bool ValidKey(std::string_view k) {
    return !k.empty() && k.size() <= 64 && std::all_of(k.begin(), k.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

json::object GateJson(const Gate& g) {
    return {{"role", g.role}, {"organization_kind", g.organization_kind}, {"organization_id", OrNull(g.organization_id)}};
}

json::array StepsJson(const std::vector<StepDef>& steps) {
    json::array out;
    for (const auto& s : steps) {
        out.push_back(json::object{{"key", s.key},
                                   {"title", s.title},
                                   {"responsible", s.responsible},
                                   {"organization_id", OrNull(s.organization_id)},
                                   {"gate", s.gate ? json::value(GateJson(*s.gate)) : json::value(nullptr)},
                                   {"evidence", s.evidence},
                                   {"work_item_id", OrNull(s.work_item_id)}});
    }
    return out;
}

Result<std::vector<StepDef>> StepsFromJson(const json::value& v) {
    std::vector<FieldError> errors;
    std::vector<StepDef> steps;
    if (!v.is_array() || v.as_array().empty() || v.as_array().size() > 100) {
        return Fail(Error::Field("steps", "must be a list of 1–100 steps"));
    }
    std::set<std::string> keys;
    for (std::size_t i = 0; i < v.as_array().size(); ++i) {
        const std::string at = fmt::format("steps[{}]", i);
        if (!v.as_array()[i].is_object()) {
            errors.push_back({at, "must be an object"});
            continue;
        }
        const auto& o = v.as_array()[i].as_object();
        FieldReader f(o);
        f.AllowOnly({"key", "title", "responsible", "organization_id", "gate", "evidence", "work_item_id"});
        StepDef s;
        s.key = f.RequiredString("key", 64);
        if (!s.key.empty() && !ValidKey(s.key)) f.AddError("key", "use 1–64 letters, digits, _ or -");
        if (!s.key.empty() && !keys.insert(s.key).second) f.AddError("key", fmt::format("'{}' is used by another step", s.key));
        s.title = f.RequiredString("title", 200);
        s.responsible = f.OptionalString("responsible", 200).value_or("");
        if (const auto* org = o.if_contains("organization_id"); org && !org->is_null()) {
            if (org->is_int64()) {
                s.organization_id = org->as_int64();
            } else {
                f.AddError("organization_id", "must be an organization's id or null");
            }
        }
        s.evidence = f.OptionalString("evidence", 20).value_or("none");
        if (s.evidence != "none" && s.evidence != "comment" && s.evidence != "attachment" && s.evidence != "job_run" &&
            s.evidence != "backup") {
            f.AddError("evidence", "must be none, comment, attachment, job_run or backup");
        }
        if (const auto* w = o.if_contains("work_item_id"); w && !w->is_null()) {
            if (w->is_int64() && w->as_int64() > 0) {
                s.work_item_id = w->as_int64();
            } else {
                f.AddError("work_item_id", "must be a work item's id or null");
            }
        }
        if (const auto* g = o.if_contains("gate"); g && !g->is_null()) {
            if (!g->is_object()) {
                f.AddError("gate", "must be {role, organization_kind?, organization_id?} or null");
            } else {
                FieldReader gf(g->as_object());
                gf.AllowOnly({"role", "organization_kind", "organization_id"});
                Gate gate;
                gate.role = gf.OptionalString("role", 20).value_or("manager");
                if (gate.role != "manager" && gate.role != "admin") gf.AddError("role", "must be manager or admin");
                gate.organization_kind = gf.OptionalString("organization_kind", 20).value_or("");
                if (!gate.organization_kind.empty() && gate.organization_kind != "owner" && gate.organization_kind != "vendor") {
                    gf.AddError("organization_kind", "must be owner, vendor or empty");
                }
                if (const auto* org = g->as_object().if_contains("organization_id"); org && !org->is_null()) {
                    if (org->is_int64()) {
                        gate.organization_id = org->as_int64();
                    } else {
                        gf.AddError("organization_id", "must be an organization's id or null");
                    }
                }
                if (auto done = gf.Finish(); !done) {
                    f.AddErrors("gate", done.error());
                } else {
                    s.gate = gate;
                }
            }
        }
        if (s.gate && s.evidence != "none") f.AddError("evidence", "a gate is decided, not done: its evidence is the decision");
        if (auto done = f.Finish(); !done) {
            for (const auto& e : done.error().fields) errors.push_back({at + "." + e.field, e.message});
            continue;
        }
        steps.push_back(std::move(s));
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    return steps;
}

std::vector<StepState> StatesFromJson(const json::value& v) {
    std::vector<StepState> out;
    if (!v.is_array()) return out;
    for (const auto& e : v.as_array()) {
        if (!e.is_object()) continue;
        const auto& o = e.as_object();
        StepState s;
        s.status = StringOf(o, "status", "pending");
        s.by = StringOf(o, "by");
        if (const auto at = ParseRfc3339(StringOf(o, "at"))) s.at = *at;
        s.comment = StringOf(o, "comment");
        if (const auto* proof = o.if_contains("evidence"); proof && proof->is_object()) s.evidence = proof->as_object();
        out.push_back(std::move(s));
    }
    return out;
}

json::array StatesJson(const std::vector<StepState>& states) {
    json::array out;
    for (const auto& s : states) {
        json::object o{{"status", s.status}, {"by", s.by}, {"at", InstantOrNull(s.at)}, {"comment", s.comment}};
        if (!s.evidence.empty()) o["evidence"] = s.evidence;
        out.push_back(std::move(o));
    }
    return out;
}

constexpr const char* kTemplateColumns = "id, name, kind, description, steps_json, created_at, updated_at, version";
constexpr const char* kRunColumns =
    "id, template_id, name, status, record_id, steps_json, states_json, created_by, stop_reason, created_at, updated_at, "
    "ended_at, version";

Template TemplateFromRow(const storage::Row& r) {
    Template t;
    t.id = r.Int(0);
    t.name = r.Text(1);
    t.kind = r.Text(2);
    t.description = r.Text(3);
    auto steps = ParseArrayOrEmpty(r.Text(4));
    if (auto s = StepsFromJson(steps)) t.steps = std::move(*s);
    t.created_at = r.Int(5);
    t.updated_at = r.Int(6);
    t.version = r.Int(7);
    return t;
}

Run RunFromRow(const storage::Row& r) {
    Run run;
    run.id = r.Int(0);
    run.template_id = r.Int(1);
    run.name = r.Text(2);
    run.status = r.Text(3);
    run.record_id = r.OptInt(4);
    if (auto s = StepsFromJson(ParseArrayOrEmpty(r.Text(5)))) run.steps = std::move(*s);
    run.states = StatesFromJson(ParseArrayOrEmpty(r.Text(6)));
    run.states.resize(run.steps.size());
    run.created_by = r.Text(7);
    run.stop_reason = r.Text(8);
    run.created_at = r.Int(9);
    run.updated_at = r.Int(10);
    run.ended_at = r.OptInt(11);
    run.version = r.Int(12);
    return run;
}

Result<Run> LoadRun(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM procedure_runs WHERE id = $1", kRunColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("procedure run {} does not exist", id)));
    return RunFromRow(rows.front());
}

StepDef Step(std::string key, std::string title, std::string responsible, std::string evidence = "none") {
    return {std::move(key), std::move(title), std::move(responsible), std::nullopt, std::nullopt, std::move(evidence)};
}

StepDef OwnerGate(std::string key, std::string title) {
    StepDef s{std::move(key), std::move(title), "厚生労働省／日本年金機構", std::nullopt, Gate{"manager", "owner", std::nullopt}, "none"};
    return s;
}

Template Make(std::string name, std::string kind, std::string description, std::vector<StepDef> steps) {
    Template t;
    t.name = std::move(name);
    t.kind = std::move(kind);
    t.description = std::move(description);
    t.steps = std::move(steps);
    return t;
}

}  // namespace

Result<Template> TemplateFromJson(const json::object& body, Template t, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "kind", "description", "steps"});
    if (create || f.Has("name")) t.name = f.RequiredString("name", 200);
    if (auto k = f.OptionalString("kind", 40)) {
        if (std::find(kKinds.begin(), kKinds.end(), *k) == kKinds.end()) {
            f.AddError("kind", "must be change, db_reorg, image_replacement, planned_stop, security_patch, "
                               "security_patch_emergency, virus_definition, virus_detection, inspection, power_outage, "
                               "restore_drill or other");
        } else {
            t.kind = *k;
        }
    } else if (create) {
        t.kind = "other";
    }
    if (auto d = f.OptionalString("description", 4000)) t.description = *d;
    if (const auto* steps = body.if_contains("steps")) {
        if (auto s = StepsFromJson(*steps)) {
            t.steps = std::move(*s);
        } else {
            for (const auto& e : s.error().fields) f.AddError(e.field, e.message);
            if (s.error().fields.empty()) f.AddError("steps", s.error().message);
        }
    } else if (create) {
        f.AddError("steps", "is required: at least one step");
    }
    UNYO_TRY_VOID(f.Finish());
    return t;
}

json::object ToJson(const Template& t) {
    return {{"id", t.id},
            {"name", t.name},
            {"kind", t.kind},
            {"description", t.description},
            {"steps", StepsJson(t.steps)},
            {"created_at", FormatRfc3339(t.created_at)},
            {"updated_at", FormatRfc3339(t.updated_at)},
            {"version", t.version}};
}

json::object ToJson(const Run& r) {
    json::array steps;
    const auto defs = StepsJson(r.steps);
    std::optional<std::size_t> next;
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        if (!next && r.status == "running" && r.states[i].status == "pending") next = i;
        auto o = defs[i].as_object();
        const auto& s = r.states[i];
        o["status"] = s.status;
        o["by"] = s.by;
        o["at"] = InstantOrNull(s.at);
        o["comment"] = s.comment;
        o["proof"] = s.evidence.empty() ? json::value(nullptr) : json::value(s.evidence);
        steps.push_back(std::move(o));
    }
    return {{"id", r.id},
            {"template_id", r.template_id},
            {"name", r.name},
            {"status", r.status},
            {"record_id", OrNull(r.record_id)},
            {"next_step", next ? json::value(r.steps[*next].key) : json::value(nullptr)},
            {"waiting_for_approval", next && r.steps[*next].gate.has_value()},
            {"steps", std::move(steps)},
            {"created_by", r.created_by},
            {"stop_reason", r.stop_reason},
            {"created_at", FormatRfc3339(r.created_at)},
            {"updated_at", FormatRfc3339(r.updated_at)},
            {"ended_at", InstantOrNull(r.ended_at)},
            {"version", r.version}};
}

std::vector<Template> DefaultTemplates() {
    const std::string ops = "サーバアプリ開発等業者", maint = "サーバ保守等業者", owner = "厚生労働省／日本年金機構";
    const auto patch = [&](std::string name, std::string kind) {
        return Make(std::move(name), std::move(kind), "役割分担表 別紙1「保守」の手順 (seed 000 項番 62–73)",
                    {Step("info", "セキュリティパッチ情報の提供", maint), Step("desk", "机上検証", ops),
                     Step("verify", "稼働維持環境での実機検証", ops), OwnerGate("decide", "適用有無判断"),
                     Step("apply", "セキュリティパッチ適用", ops, "comment")});
    };
    return {
        Make("システム変更", "change", "システム変更の手順: 停止 → バックアップ → 変更 → バックアップ → 起動 → 確認 (seed 000 項番 37–43)",
             {Step("stop", "システム停止", ops), Step("backup_before", "バックアップ取得 (変更前)", ops, "backup"),
              Step("change", "システム変更", "", "comment"), Step("backup_after", "バックアップ取得 (変更後)", ops, "backup"),
              Step("start", "システム起動", ops), Step("verify", "確認 (起動後の状態/機能確認)", ops, "comment")}),
        Make("DB再編成", "db_reorg", "DB再編成 (手動対応時) の手順 (seed 000 項番 44–50)",
             {Step("stop", "システム停止", ops), Step("backup_before", "バックアップ取得 (再編成前)", ops, "comment"),
              Step("reorg", "DB再編成", ops, "comment"), Step("backup_after", "バックアップ取得 (再編成後)", ops, "comment"),
              Step("start", "システム起動", ops), Step("verify", "確認", ops, "comment")}),
        Make("電子画像ファイル差し替え", "image_replacement", "電子画像ファイル差し替えの手順 (seed 000 項番 51–56)",
             {Step("stop", "システム停止", ops), Step("backup_before", "システムバックアップ (差し替え前)", ops, "comment"),
              Step("store", "格納・確認", ops, "comment"), Step("backup_after", "システムバックアップ (差し替え後)", ops, "comment"),
              Step("start", "システム起動", ops)}),
        Make("計画停止", "planned_stop", "計画停止の手順 (seed 000 項番 57–60)",
             {Step("stop", "システム停止", ops), Step("start", "システム起動", ops), Step("verify", "確認", ops, "comment")}),
        patch("セキュリティパッチ適用", "security_patch"),
        patch("セキュリティパッチ(緊急パッチ)適用", "security_patch_emergency"),
        Make("ウイルス定義ファイル更新", "virus_definition", "ウイルス定義ファイル更新の手順 (seed 000 項番 74–80)",
             {Step("info", "ウイルス定義ファイル適用の情報提供", maint), Step("desk", "机上検証", ops),
              Step("verify", "稼働維持環境での実機検証", ops), OwnerGate("decide", "適用有無判断"),
              Step("register", "ウイルス定義ファイルの登録", ops), Step("update", "ウイルス定義ファイル更新", ops, "comment")}),
        Make("ウイルス検出時の対応", "virus_detection", "ウイルス検出時の手順 (seed 000 項番 122–128)",
             {Step("detect", "検出連絡", ops, "comment"), Step("receive", "発生連絡受付", owner),
              Step("analyze", "影響分析・対策検討", ops, "comment"), OwnerGate("decide", "対策内容判断"),
              Step("act", "対策実施", ops, "comment"), Step("close", "完了連絡", owner)}),
        Make("定期点検", "inspection", "定期点検 (計画停止) の手順 (seed 000 項番 105–108)",
             {OwnerGate("approve", "定期点検実施の承認"), Step("arrange", "定期点検の実施にかかる調整", ops),
              Step("inspect", "定期点検の実施", maint, "comment")}),
        Make("停電対応", "power_outage", "法定点検などの停電の手順 (seed 001 項番 37、seed 003)",
             {Step("notice", "停電予定の連絡・計画停止の登録", ops), Step("stop", "システム停止・VPN 装置の電源 OFF", ops),
              Step("start", "停電完了後のシステム起動・VPN 装置の電源 ON", ops), Step("verify", "確認", ops, "comment")}),
        Make("リストア訓練", "restore_drill", "バックアップからの復元訓練 (PRC-8、BAK-3)",
             {OwnerGate("approve", "訓練計画の承認"), Step("drill", "リストア訓練の実施 (訓練記録)", ops, "backup"),
              Step("report", "結果報告 (RTO・RPO)", ops, "comment")}),
    };
}

Result<std::vector<Template>> ProcedureStore::Templates() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Template>> {
        std::vector<Template> out;
        for (const auto& r : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM procedure_templates ORDER BY id", kTemplateColumns), {})).rows) {
            out.push_back(TemplateFromRow(r));
        }
        return out;
    });
}

Result<Template> ProcedureStore::GetTemplate(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) -> Result<Template> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM procedure_templates WHERE id = $1", kTemplateColumns), {id}));
        if (rows.empty()) return Fail(Error::NotFound(fmt::format("procedure template {} does not exist", id)));
        return TemplateFromRow(rows.front());
    });
}

namespace {
Result<Template> Insert(storage::Connection& c, Template t, const audit::Actor& actor, Millis now) {
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
        const auto& w = t.steps[i].work_item_id;
        if (!w) continue;
        auto item = UNYO_TRY(c.Query("SELECT section FROM raci_items WHERE id = $1", {*w}));
        if (item.empty()) {
            errors.push_back({fmt::format("steps[{}].work_item_id", i), fmt::format("work item {} does not exist", *w)});
        } else if (item.front().Bool(0)) {
            errors.push_back({fmt::format("steps[{}].work_item_id", i), "a heading routes nothing: choose a work item under it"});
        }
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    auto rows = c.Query("INSERT INTO procedure_templates (name, kind, description, steps_json, created_at, updated_at, version) "
                        "VALUES ($1, $2, $3, $4, $5, $5, 1) RETURNING id",
                        {t.name, t.kind, t.description, json::serialize(StepsJson(t.steps)), now});
    if (!rows && rows.error().code == ErrorCode::kConflict) {
        return Fail(Error::Field("name", fmt::format("a procedure template named \"{}\" already exists", t.name), ErrorCode::kConflict));
    }
    t.id = UNYO_TRY(std::move(rows)).front().Int(0);
    t.created_at = t.updated_at = now;
    UNYO_TRY(audit::Append(c, actor, {"procedure_template.create", "procedure_template", std::to_string(t.id), nullptr, ToJson(t)}, now));
    return t;
}

// The step that comes up next, if any: its work item's organisations are told (ORG-3) — the main
// one that the step is theirs, the supporting ones that they are to help — and the audit says so.
Result<void> TellNext(storage::Connection& c, const Run& r, const audit::Actor& actor, Millis now) {
    if (r.status != "running") return {};
    std::size_t i = 0;
    while (i < r.steps.size() && r.states[i].status != "pending") ++i;
    if (i == r.steps.size() || !r.steps[i].work_item_id) return {};
    const auto& step = r.steps[i];
    const auto route = UNYO_TRY(raci::RouteOf(c, *step.work_item_id));
    const auto tell = [&](const raci::RoutedOrganization& who, bool main) -> Result<void> {
        if (!who.organization_id) return {};
        auto users = UNYO_TRY(c.Query("SELECT email FROM users WHERE organization_id = $1 AND disabled = 0 AND email <> '' ORDER BY id",
                                      {*who.organization_id}));
        if (users.empty()) return {};
        notify::Message msg;
        msg.event_key = fmt::format("procedure:{}:{}:{}:{}", r.id, step.key, *who.organization_id, main ? "main" : "support");
        msg.subject = fmt::format("【unyo】{}: 手順「{}」の「{}」", main ? "手順の作業依頼" : "手順の作業協力の依頼", r.name, step.title);
        msg.body = fmt::format("手順「{}」(実行 {}) の「{}」が次の作業です。役割分担表「{}」の作業項目 {} {} に基づき、{}の{}として連絡します。\n",
                               r.name, r.id, step.title, route.matrix, route.seq, route.title, who.organization.value_or(who.column),
                               main ? "作業主体" : "作業協力");
        for (const auto& u : users.rows) msg.recipients.push_back(u.Text(0));
        UNYO_TRY(notify::Outbox::Enqueue(c, msg, now));
        return {};
    };
    if (route.main) UNYO_TRY_VOID(tell(*route.main, true));
    for (const auto& s : route.support) UNYO_TRY_VOID(tell(s, false));
    UNYO_TRY(audit::Append(c, actor, {"procedure_run.routed", "procedure_run", std::to_string(r.id), nullptr,
                                      json::object{{"step", step.key}, {"route", raci::ToJson(route)}}},
                           now));
    return {};
}

// The proof of a step of `kind` in `evidence`, checked against what unyo recorded; the stored
// form (empty for none and comment).
Result<json::object> Proof(storage::Connection& c, const Run& r, const std::string& kind, const json::object& evidence) {
    const auto id_of = [&](const char* name) -> std::optional<std::int64_t> {
        const auto* v = evidence.if_contains(name);
        return v && v->is_int64() ? std::optional(v->as_int64()) : std::nullopt;
    };
    if (kind == "attachment") {
        const auto id = id_of("attachment_id");
        if (!r.record_id) {
            return Fail(Error::Field("evidence.attachment_id", "this run is not for a record: start it for one to attach its evidence"));
        }
        if (!id) return Fail(Error::Field("evidence.attachment_id", "this step needs an attachment of the run's record as its evidence"));
        auto a = UNYO_TRY(c.Query("SELECT file_name, sha256 FROM attachments WHERE id = $1 AND record_id = $2", {*id, *r.record_id}));
        if (a.empty()) return Fail(Error::Field("evidence.attachment_id", fmt::format("attachment {} is not the record's", *id)));
        return json::object{{"attachment_id", *id}, {"file_name", a.front().Text(0)}, {"sha256", a.front().Text(1)}};
    }
    if (kind == "backup") {
        if (const auto drill = id_of("drill_id")) {
            auto d = UNYO_TRY(c.Query("SELECT backup_name, ok, duration_ms, data_age_ms, started_at FROM backup_drills WHERE id = $1", {*drill}));
            if (d.empty()) return Fail(Error::Field("evidence.drill_id", fmt::format("restore drill {} does not exist", *drill)));
            if (!d.front().Bool(1)) return Fail(Error::Field("evidence.drill_id", fmt::format("restore drill {} failed", *drill)));
            return json::object{{"drill_id", *drill}, {"backup_name", d.front().Text(0)}, {"duration_ms", d.front().Int(2)},
                                {"data_age_ms", d.front().Int(3)}, {"at", FormatRfc3339(d.front().Int(4))}};
        }
    } else if (kind != "job_run") {
        return json::object{};
    }
    const auto run = id_of("job_run_id");
    const char* field = "evidence.job_run_id";
    if (!run) {
        return Fail(Error::Field(field, kind == "backup" ? "this step needs a backup as its evidence: a jobnet run with a backup job, "
                                                           "or a restore drill (drill_id)"
                                                         : "this step needs a jobnet run as its evidence"));
    }
    auto j = UNYO_TRY(c.Query("SELECT jobnet_name, status, ended_at, definition_json FROM jobnet_runs WHERE id = $1", {*run}));
    if (j.empty()) return Fail(Error::Field(field, fmt::format("jobnet run {} does not exist", *run)));
    if (j.front().Text(1) != "succeeded") {
        return Fail(Error::Field(field, fmt::format("jobnet run {} is {}, not succeeded", *run, j.front().Text(1))));
    }
    if (kind == "backup") {
        bool backup = false;
        const auto definition = ParseObjectOrEmpty(j.front().Text(3));
        if (const auto* jobs = definition.if_contains("jobs"); jobs && jobs->is_array()) {
            for (const auto& job : jobs->as_array()) {
                if (job.is_object() && StringOf(job.as_object(), "type") == "backup") backup = true;
            }
        }
        if (!backup) return Fail(Error::Field(field, fmt::format("jobnet run {} has no backup job", *run)));
    }
    return json::object{{"job_run_id", *run}, {"jobnet", j.front().Text(0)}, {"ended_at", InstantOrNull(j.front().OptInt(2))}};
}

}  // namespace

Result<Template> ProcedureStore::CreateTemplate(const json::object& body, const audit::Actor& actor) {
    Template t = UNYO_TRY(TemplateFromJson(body, Template{}, true));
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) { return Insert(c, t, actor, now); });
}

Result<int> ProcedureStore::InstallDefaults(const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<int> {
        int made = 0;
        for (auto& t : DefaultTemplates()) {
            if (!UNYO_TRY(c.Query("SELECT 1 FROM procedure_templates WHERE name = $1", {t.name})).empty()) continue;
            UNYO_TRY(Insert(c, std::move(t), actor, now));
            ++made;
        }
        return made;
    });
}

Result<Run> ProcedureStore::Start(std::int64_t template_id, const std::string& name, std::optional<std::int64_t> record_id,
                                  const audit::Actor& actor) {
    const Template t = UNYO_TRY(GetTemplate(template_id));
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Run> {
        if (record_id && UNYO_TRY(c.Query("SELECT 1 FROM records WHERE id = $1", {*record_id})).empty()) {
            return Fail(Error::Field("record_id", fmt::format("record {} does not exist", *record_id)));
        }
        Run r;
        r.template_id = t.id;
        r.name = name.empty() ? t.name : name;
        r.record_id = record_id;
        r.steps = t.steps;
        // Steps raised against a work item go to its main organisation as the matrix says now.
        for (auto& step : r.steps) {
            if (!step.work_item_id) continue;
            const auto route = UNYO_TRY(raci::RouteOf(c, *step.work_item_id));
            if (route.main) {
                step.organization_id = route.main->organization_id;
                step.responsible = route.main->organization.value_or(route.main->column);
            }
        }
        r.states.assign(t.steps.size(), StepState{});
        r.created_by = actor.login;
        r.created_at = r.updated_at = now;
        auto rows = UNYO_TRY(c.Query("INSERT INTO procedure_runs (template_id, name, status, record_id, steps_json, states_json, "
                                     "created_by, stop_reason, created_at, updated_at, version) VALUES ($1, $2, 'running', $3, "
                                     "$4, $5, $6, '', $7, $7, 1) RETURNING id",
                                     {t.id, r.name, storage::Nullable(record_id), json::serialize(StepsJson(r.steps)),
                                      json::serialize(StatesJson(r.states)), r.created_by, now}));
        r.id = rows.front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"procedure_run.start", "procedure_run", std::to_string(r.id), nullptr, ToJson(r)}, now));
        UNYO_TRY_VOID(TellNext(c, r, actor, now));
        return r;
    });
}

Result<Run> ProcedureStore::GetRun(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return LoadRun(c, id); });
}

Result<std::vector<Run>> ProcedureStore::Runs(int limit) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Run>> {
        std::vector<Run> out;
        for (const auto& r : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM procedure_runs ORDER BY id DESC LIMIT $1", kRunColumns),
                                              {std::int64_t{limit}}))
                                 .rows) {
            out.push_back(RunFromRow(r));
        }
        return out;
    });
}

Result<Run> ProcedureStore::Act(std::int64_t id, const std::string& key, const std::string& action, const std::string& comment,
                                const auth::Principal& who, const audit::Actor& actor, const json::object& evidence) {
    if (action != "complete" && action != "approve" && action != "reject") {
        return Fail(Error::Field("action", "must be complete, approve or reject"));
    }
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Run> {
        Run r = UNYO_TRY(LoadRun(c, id));
        const Run before = r;
        if (r.status != "running") return Fail(Error::Conflict(fmt::format("procedure run {} is {}", id, r.status)));
        std::size_t i = 0;
        while (i < r.steps.size() && r.states[i].status != "pending") ++i;
        const auto it = std::find_if(r.steps.begin(), r.steps.end(), [&](const StepDef& s) { return s.key == key; });
        if (it == r.steps.end()) return Fail(Error::Field("step", fmt::format("procedure run {} has no step '{}'", id, key)));
        const auto& step = *it;
        if (static_cast<std::size_t>(it - r.steps.begin()) != i) {
            return Fail(Error::Conflict(fmt::format("step '{}' is not next: '{}' comes first", key, r.steps[i].key)));
        }
        auto& state = r.states[i];
        if (step.gate) {
            if (action == "complete") {
                return Fail(Error::Conflict(fmt::format("step '{}' is an approval: approve or reject it", key)));
            }
            const auto& g = *step.gate;
            const bool role_ok = who.Is(auth::Role::kAdmin) || (g.role == "manager" && who.Is(auth::Role::kManager));
            bool org_ok = true;
            if (g.organization_id) {
                org_ok = who.organization_id == *g.organization_id;
            } else if (!g.organization_kind.empty()) {
                auto kind = UNYO_TRY(c.Query("SELECT kind FROM organizations WHERE id = $1", {who.organization_id}));
                org_ok = !kind.empty() && kind.front().Text(0) == g.organization_kind;
            }
            if (!role_ok || !org_ok) {
                return Fail(Error::Denied(fmt::format("step '{}' is approved by a {} of {}", key, g.role,
                                                      g.organization_id     ? fmt::format("organization {}", *g.organization_id)
                                                      : g.organization_kind.empty() ? std::string("any organisation")
                                                                                    : "the " + g.organization_kind + " (発注者)")));
            }
            if (action == "reject" && comment.empty()) return Fail(Error::Field("comment", "say why it is rejected"));
            state.status = action == "approve" ? "approved" : "rejected";
        } else {
            if (action != "complete") return Fail(Error::Conflict(fmt::format("step '{}' is done, not approved: complete it", key)));
            const bool staff = who.Is(auth::Role::kAdmin) || who.Is(auth::Role::kManager) || who.Is(auth::Role::kOperator);
            const bool theirs = who.Is(auth::Role::kVendor) && step.organization_id && *step.organization_id == who.organization_id;
            if (!staff && !theirs) return Fail(Error::Denied(fmt::format("step '{}' is done by operations staff or its organisation", key)));
            if (step.evidence == "comment" && comment.empty()) {
                return Fail(Error::Field("comment", "this step needs its evidence: say what was done (and where its record is)"));
            }
            state.evidence = UNYO_TRY(Proof(c, r, step.evidence, evidence));
            state.status = "done";
        }
        state.by = who.login.empty() ? actor.login : who.login;
        state.at = now;
        state.comment = comment;
        if (state.status == "rejected") {
            r.status = "stopped";
            r.stop_reason = fmt::format("{} が「{}」を却下: {}", state.by, step.title, comment);
            r.ended_at = now;
        } else if (std::all_of(r.states.begin(), r.states.end(), [](const StepState& s) { return s.status != "pending"; })) {
            r.status = "completed";
            r.ended_at = now;
        }
        const auto n = UNYO_TRY(c.Exec("UPDATE procedure_runs SET status = $1, states_json = $2, stop_reason = $3, ended_at = $4, "
                                       "updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
                                       {r.status, json::serialize(StatesJson(r.states)), r.stop_reason,
                                        storage::Nullable(r.ended_at), now, id, r.version}));
        if (n == 0) return Fail({ErrorCode::kPreconditionFailed, fmt::format("procedure run {} changed meanwhile; reload", id), {}});
        r.version += 1;
        r.updated_at = now;
        UNYO_TRY(audit::Append(c, actor, {"procedure_run." + action, "procedure_run", std::to_string(id), ToJson(before), ToJson(r)},
                               now));
        UNYO_TRY_VOID(TellNext(c, r, actor, now));
        return r;
    });
}

}  // namespace unyo::procedures
