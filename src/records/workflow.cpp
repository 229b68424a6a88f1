#include "records/workflow.hpp"

#include <algorithm>

namespace unyo::records {
namespace {

using auth::Bit;
using auth::Role;

constexpr auth::RoleSet kWorkers = Bit(Role::kAdmin) | Bit(Role::kManager) | Bit(Role::kOperator) | Bit(Role::kVendor);
constexpr auth::RoleSet kApprovers = Bit(Role::kAdmin) | Bit(Role::kManager);
constexpr auth::RoleSet kDesk = kWorkers;

FieldDef Text(std::string name, std::string ja, std::string en, bool long_text = true) {
    return {std::move(name), std::move(ja), std::move(en), long_text ? FieldType::kLongText : FieldType::kText, {}, false};
}
FieldDef Time(std::string name, std::string ja, std::string en) {
    return {std::move(name), std::move(ja), std::move(en), FieldType::kTime, {}, false};
}
FieldDef Enum(std::string name, std::string ja, std::string en, std::vector<std::string> options, bool required = false) {
    return {std::move(name), std::move(ja), std::move(en), FieldType::kEnum, std::move(options), required};
}

// The work item of the role division matrix a record is raised against (ORG-3).
const FieldDef kWorkItemField{"work_item_id", "作業項目 (役割分担)", "Work item", FieldType::kWorkItem, {}, false};
// The configuration item a record is about (CFG-1; an incident's informs partners: INC-11).
const FieldDef kCiField{"ci_id", "構成アイテム", "Configuration item", FieldType::kCi, {}, false};

std::vector<Workflow> Build() {
    std::vector<Workflow> w;

    // INC-2/3/5: receipt → isolation → response → recovery → root fix → close.
    w.push_back(Workflow{
        "incident", "incidents", "INC", "障害", "Incident", true, "received",
        {{"received", "受付", "Received"},
         {"isolating", "切り分け中", "Isolating"},
         {"responding", "対応中", "Responding"},
         {"recovered", "復旧", "Recovered"},
         {"resolved", "本対応済み", "Resolved"},
         {"closed", "完了", "Closed", true}},
        {Enum("source", "検知経路", "Source", {"user_report", "monitoring", "virus", "unauthorized_access", "other"}, true),
         Time("recognized_at", "障害認知日時", "Recognized at"),
         Text("event", "事象", "Event"),
         Text("impact", "影響", "Impact"),
         Text("cause", "原因", "Cause"),
         Text("interim_fix", "暫定対応", "Interim fix"),
         Text("permanent_fix", "本対応", "Permanent fix"),
         Time("owner_notified_at", "発注者への通知日時", "Owner notified at"),
         Time("recovery_eta", "復旧見込み", "Recovery ETA"),
         Time("recovered_at", "復旧日時", "Recovered at"),
         kWorkItemField, kCiField},
        {{{"received"}, "isolating", {}, kWorkers, "", "切り分け開始"},
         {{"received", "isolating"}, "responding", {}, kWorkers, "", "対応開始"},
         {{"isolating", "responding"}, "recovered", {}, kWorkers, "", "復旧", "recovered_at"},
         {{"recovered"}, "resolved", {"cause", "permanent_fix"}, kWorkers, "", "本対応済み"},
         {{"recovered", "resolved"}, "closed", {}, kWorkers, "permanent_fix_or_problem", "完了"},
         {{"recovered", "resolved"}, "responding", {}, kWorkers, "", "対応再開"}}});

    w.push_back(Workflow{
        "problem", "problems", "PRB", "問題", "Problem", true, "open",
        {{"open", "起票", "Open"},
         {"analyzing", "原因分析中", "Analyzing"},
         {"countermeasure", "対策実施中", "Countermeasure"},
         {"closed", "完了", "Closed", true}},
        {Text("root_cause", "根本原因", "Root cause"), Text("countermeasure", "対策", "Countermeasure"),
         Text("recurrence_prevention", "再発防止策", "Recurrence prevention"), kCiField},
        {{{"open"}, "analyzing", {}, kWorkers, "", "分析開始"},
         {{"analyzing"}, "countermeasure", {"root_cause"}, kWorkers, "", "対策へ"},
         {{"countermeasure"}, "closed", {"countermeasure", "recurrence_prevention"}, kWorkers, "", "完了"}}});

    // CHG-1/2: the owner's manager approves before implementation; the change closes only when
    // every listed document update is done.
    w.push_back(Workflow{
        "change", "changes", "CHG", "変更", "Change", false, "requested",
        {{"requested", "申請", "Requested"},
         {"approved", "承認済み", "Approved"},
         {"rejected", "却下", "Rejected", true},
         {"implementing", "実施中", "Implementing"},
         {"implemented", "実施済み", "Implemented"},
         {"closed", "完了", "Closed", true}},
        {Enum("scope", "区分", "Scope", {"maintenance", "additional_contract"}),
         Text("reason", "理由", "Reason"),
         Time("planned_at", "実施予定日時", "Planned at"),
         {"documents", "更新する文書", "Documents to update", FieldType::kDocuments, {}, false},
         Text("result", "実施結果", "Result"),
         kWorkItemField, kCiField},
        {{{"requested"}, "approved", {}, kApprovers, "", "承認"},
         {{"requested"}, "rejected", {}, kApprovers, "", "却下"},
         {{"approved"}, "implementing", {}, kWorkers, "", "実施開始"},
         {{"implementing"}, "implemented", {"result"}, kWorkers, "", "実施完了"},
         {{"implemented"}, "closed", {}, kWorkers, "documents_done", "完了"}}});

    // REL-1: release judgement on the test-result report.
    w.push_back(Workflow{
        "release", "releases", "REL", "リリース", "Release", false, "planned",
        {{"planned", "計画", "Planned"},
         {"approved", "リリース判定: 可", "Approved"},
         {"rejected", "リリース判定: 否", "Rejected"},
         {"released", "リリース済み", "Released"},
         {"closed", "完了", "Closed", true}},
        {Text("system", "対象システム", "System", false), Text("release_version", "版", "Version", false),
         Text("judgement_note", "判定理由", "Judgement note")},
        {{{"planned", "rejected"}, "approved", {"judgement_note"}, kApprovers, "test_report_attached", "判定: 可"},
         {{"planned"}, "rejected", {"judgement_note"}, kApprovers, "test_report_attached", "判定: 否"},
         {{"rejected"}, "planned", {}, kWorkers, "", "再計画"},
         {{"approved"}, "released", {}, kWorkers, "", "リリース"},
         {{"released"}, "closed", {}, kWorkers, "", "完了"}}});

    // ISS-1: an owner and a due date from the start.
    w.push_back(Workflow{
        "issue", "issues", "ISS", "課題", "Issue", false, "open",
        {{"open", "未着手", "Open"},
         {"in_progress", "対応中", "In progress"},
         {"resolved", "解決", "Resolved"},
         {"closed", "完了", "Closed", true}},
        {{"owner_id", "担当者 (責任者)", "Owner", FieldType::kUser, {}, true},
         {"due_date", "期限", "Due date", FieldType::kDate, {}, true},
         Text("resolution", "対応結果", "Resolution")},
        {{{"open"}, "in_progress", {}, kWorkers, "", "着手"},
         {{"open", "in_progress"}, "resolved", {"resolution"}, kWorkers, "", "解決"},
         {{"resolved"}, "closed", {}, kWorkers, "", "完了"},
         {{"resolved"}, "in_progress", {}, kWorkers, "", "再開"}}});

    // INQ-1/2: first answer measured.
    w.push_back(Workflow{
        "inquiry", "inquiries", "INQ", "問い合わせ", "Inquiry", false, "received",
        {{"received", "受付", "Received"},
         {"answering", "回答準備中", "Answering"},
         {"answered", "回答済み", "Answered"},
         {"closed", "完了", "Closed", true}},
        {Text("requester", "問い合わせ者", "Requester", false),
         Enum("channel", "受付方法", "Channel", {"phone", "mail", "portal", "counter", "other"}),
         Text("answer", "回答", "Answer"),
         Time("first_answered_at", "一次回答日時", "First answered at")},
        {{{"received"}, "answering", {}, kDesk, "", "回答準備"},
         {{"received", "answering"}, "answered", {"answer"}, kDesk, "", "回答", "first_answered_at"},
         {{"answered"}, "closed", {}, kDesk, "", "完了"},
         {{"answered"}, "answering", {}, kDesk, "", "追加対応"}}});

    // REQ-1: service requests.
    w.push_back(Workflow{
        "request", "requests", "REQ", "依頼", "Request", false, "received",
        {{"received", "受付", "Received"},
         {"accepted", "受理", "Accepted"},
         {"rejected", "不受理", "Rejected", true},
         {"in_progress", "作業中", "In progress"},
         {"done", "作業完了", "Done"},
         {"closed", "完了", "Closed", true}},
        {Enum("request_type", "依頼種別", "Request type",
              {"printer", "terminal", "link_change", "data_maintenance", "network", "parameter", "account", "batch",
               "other"},
              true),
         {"needed_by", "希望期限", "Needed by", FieldType::kDate, {}, false},
         Text("requester", "依頼者", "Requester", false),
         Text("result", "作業結果", "Result"),
         kWorkItemField, kCiField},
        {{{"received"}, "accepted", {}, kWorkers, "", "受理"},
         {{"received"}, "rejected", {}, kWorkers, "", "不受理"},
         {{"accepted"}, "in_progress", {}, kWorkers, "", "作業開始"},
         {{"accepted", "in_progress"}, "done", {"result"}, kWorkers, "", "作業完了"},
         {{"done"}, "closed", {}, kWorkers, "", "完了"}}});
    return w;
}

std::string_view TypeName(FieldType t) {
    switch (t) {
        case FieldType::kText: return "text";
        case FieldType::kLongText: return "long_text";
        case FieldType::kTime: return "time";
        case FieldType::kDate: return "date";
        case FieldType::kEnum: return "enum";
        case FieldType::kUser: return "user";
        case FieldType::kDocuments: return "documents";
        case FieldType::kWorkItem: return "work_item";
        case FieldType::kCi: return "ci";
    }
    return "text";
}

}  // namespace

const StateDef* Workflow::State(std::string_view name) const {
    for (const auto& s : states) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

const FieldDef* Workflow::Field(std::string_view name) const {
    for (const auto& f : fields) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

const TransitionDef* Workflow::Find(std::string_view state, std::string_view to) const {
    for (const auto& t : transitions) {
        if (t.to == to && std::find(t.from.begin(), t.from.end(), state) != t.from.end()) {
            return &t;
        }
    }
    return nullptr;
}

std::vector<const TransitionDef*> Workflow::From(std::string_view state) const {
    std::vector<const TransitionDef*> out;
    for (const auto& t : transitions) {
        if (std::find(t.from.begin(), t.from.end(), state) != t.from.end()) {
            out.push_back(&t);
        }
    }
    return out;
}

const std::vector<Workflow>& Workflows() {
    static const std::vector<Workflow> k = Build();
    return k;
}

const Workflow* WorkflowByKind(std::string_view kind) {
    for (const auto& w : Workflows()) {
        if (w.kind == kind) return &w;
    }
    return nullptr;
}

const Workflow* WorkflowByCollection(std::string_view collection) {
    for (const auto& w : Workflows()) {
        if (w.collection == collection) return &w;
    }
    return nullptr;
}

const std::vector<std::string>& Severities() {
    static const std::vector<std::string> k{"critical", "high", "medium", "low"};
    return k;
}

json::object ToJson(const Workflow& w) {
    json::array states;
    for (const auto& s : w.states) {
        states.push_back(json::object{{"name", s.name}, {"label", s.label_ja}, {"label_en", s.label_en}, {"closed", s.closed}});
    }
    json::array fields;
    for (const auto& f : w.fields) {
        json::array options(f.options.begin(), f.options.end());
        fields.push_back(json::object{{"name", f.name},
                                      {"label", f.label_ja},
                                      {"label_en", f.label_en},
                                      {"type", TypeName(f.type)},
                                      {"options", std::move(options)},
                                      {"required_at_creation", f.required_at_creation}});
    }
    json::array transitions;
    for (const auto& t : w.transitions) {
        json::array roles;
        for (const auto& r : auth::RoleNames(t.roles)) roles.emplace_back(r);
        transitions.push_back(json::object{{"from", json::array(t.from.begin(), t.from.end())},
                                           {"to", t.to},
                                           {"label", t.label_ja},
                                           {"required", json::array(t.required.begin(), t.required.end())},
                                           {"roles", std::move(roles)},
                                           {"guard", t.guard}});
    }
    return {{"kind", w.kind},
            {"collection", w.collection},
            {"prefix", w.prefix},
            {"label", w.label_ja},
            {"label_en", w.label_en},
            {"has_severity", w.has_severity},
            {"initial", w.initial},
            {"states", std::move(states)},
            {"fields", std::move(fields)},
            {"transitions", std::move(transitions)}};
}

}  // namespace unyo::records
