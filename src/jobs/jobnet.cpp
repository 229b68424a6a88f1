#include "jobs/jobnet.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include <re2/re2.h>

#include "backup/backup.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"
#include "jobs/steps.hpp"

namespace unyo::jobs {
namespace {

constexpr std::pair<std::string_view, Recovery> kRecoveries[] = {
    {"none", Recovery::kNone}, {"next_run", Recovery::kNextRun}, {"immediate", Recovery::kImmediate}};
const std::vector<std::string> kSeverities{"critical", "high", "medium", "low"};
// Types of the issue not built yet: refused with a message that says so.
const std::vector<std::string> kTypes{"command", "backup", "restore_drill", "http", "file_wait", "file_transfer",
                                      "approval", "judge", "jobnet", "report"};
constexpr std::string_view kTypeList =
    "command, backup, restore_drill, http, file_wait, file_transfer, approval, judge, jobnet, report";
constexpr int kMaxDepth = 8;

// The member a job type keeps its spec in.
std::string_view SpecMember(std::string_view type) {
    if (type == "backup") return "backup";
    if (type == "restore_drill") return "drill";
    if (type == "http") return "http";
    if (type == "file_wait") return "file_wait";
    if (type == "file_transfer") return "transfer";
    if (type == "approval") return "approval";
    if (type == "judge") return "judge";
    if (type == "jobnet") return "jobnet";
    if (type == "report") return "report";
    return "";
}

// A non-empty list of exit codes 0–255.
bool ExitCodes(const json::value& v) {
    return v.is_array() && !v.as_array().empty() && std::all_of(v.as_array().begin(), v.as_array().end(), [](const json::value& c) {
               return c.is_int64() && c.as_int64() >= 0 && c.as_int64() <= 255;
           });
}

bool OneOf(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// A judge's condition; what it names of the other jobs is checked in ReadJobs.
void ReadJudge(const json::object& spec, FieldReader& f) {
    f.AllowOnly({"job", "exit_codes", "output_contains", "output_matches", "else"});
    f.RequiredString("job", 1000);
    bool any = false;
    if (const auto* e = spec.if_contains("exit_codes")) {
        any = true;
        if (!ExitCodes(*e)) f.AddError("exit_codes", "must be a list of exit codes 0–255");
    }
    if (auto c = f.OptionalString("output_contains", 1000)) any = true;
    if (auto m = f.OptionalString("output_matches", 1000)) {
        any = true;
        RE2 re(*m, RE2::Quiet);
        if (!re.ok()) f.AddError("output_matches", fmt::format("is not a regular expression (RE2): {}", re.error()));
    }
    if (!any) f.AddError("exit_codes", "give the condition: exit_codes, output_contains or output_matches");
    f.OptionalStrings("else");
}

// A backup or drill spec; errors under `member` ("backup.sources[0].path").
void ReadSpec(const json::object& o, JobDef& j, FieldReader& f, bool in_run) {
    const std::string member(SpecMember(j.type));
    const auto* v = o.if_contains(member);
    if (!v || !v->is_object()) {
        f.AddError(member, j.type == "backup"          ? "is required: {self: true} or {name, sources, destination, copies?, generations?}"
                           : j.type == "restore_drill" ? "is required: {self: true} or {destination, name}"
                           : j.type == "http"          ? "is required: {url, method?, body?, headers?, expect?, timeout_s?}"
                           : j.type == "approval"      ? "is required: {message} (what the approver decides)"
                           : j.type == "judge"         ? "is required: {job, exit_codes?, output_contains?, output_matches?, else?}"
                           : j.type == "file_transfer" ? "is required: {direction, local, url, …}"
                           : j.type == "jobnet"        ? "is required: {name} (the jobnet to run inside this one)"
                           : j.type == "report"        ? "is required: {kind, formats?, mail?} (an operation report)"
                                                       : "is required: {path, stable_s?, poll_s?}");
        return;
    }
    j.spec = v->as_object();
    if (j.type == "report") {
        // An operation report (docs/reports.md) of the period just ended, saved under var/reports
        // and, with mail, its summary sent to the report settings' recipients.
        FieldReader rf(j.spec);
        rf.AllowOnly({"kind", "formats", "mail"});
        const auto kind = rf.RequiredString("kind", 20);
        if (!kind.empty() && kind != "monthly" && kind != "yearly" && kind != "daily") {
            rf.AddError("kind", "must be monthly, yearly or daily");
        }
        if (const auto* formats = j.spec.if_contains("formats")) {
            static const std::vector<std::string> kFormats{"html", "pdf", "xlsx", "csv", "json"};
            const bool ok = formats->is_array() && !formats->as_array().empty() &&
                            std::all_of(formats->as_array().begin(), formats->as_array().end(), [](const json::value& x) {
                                return x.is_string() && OneOf(kFormats, x.as_string());
                            });
            if (!ok) rf.AddError("formats", "must be a list of html, pdf, xlsx, csv or json");
        }
        if (const auto* mail = j.spec.if_contains("mail"); mail && !mail->is_bool()) rf.AddError("mail", "must be true or false");
        if (auto r = rf.Finish(); !r) f.AddErrors(member, r.error());
        return;
    }
    if (j.type == "approval") {
        FieldReader af(j.spec);
        af.AllowOnly({"message"});
        af.RequiredString("message", 1000);
        if (auto r = af.Finish(); !r) {
            f.AddErrors(member, r.error());
        }
        return;
    }
    if (j.type == "judge" || j.type == "jobnet") {
        FieldReader sf(j.spec);
        if (j.type == "judge") {
            ReadJudge(j.spec, sf);
        } else {
            if (in_run) {
                sf.AllowOnly({"name", "error"});
            } else {
                sf.AllowOnly({"name"});
            }
            sf.RequiredString("name", 200);
            sf.OptionalString("error", 1000);
        }
        if (auto r = sf.Finish(); !r) f.AddErrors(member, r.error());
        return;
    }
    if (j.type == "http" || j.type == "file_wait" || j.type == "file_transfer") {
        if (auto ok = CheckStepSpec(j.type, j.spec); !ok) {
            f.AddErrors(member, ok.error());
        }
        return;
    }
    if (const auto* self = j.spec.if_contains("self")) {
        if (!(self->is_bool() && self->as_bool()) || j.spec.size() != 1) f.AddError(member + ".self", "give self: true alone");
        return;
    }
    if (j.type == "backup") {
        if (auto spec = backup::CreateOptionsFromJson(j.spec); !spec) {
            f.AddErrors(member, spec.error());
        }
        return;
    }
    FieldReader df(j.spec);
    df.AllowOnly({"destination", "name"});
    const auto dest = df.RequiredString("destination", 1000);
    if (!dest.empty() && dest.front() != '/') df.AddError("destination", "must be an absolute path");
    df.RequiredString("name", 64);
    if (auto r = df.Finish(); !r) {
        f.AddErrors(member, r.error());
    }
}


// `nested`: a run's key may join the keys of nested jobnets with '/'.
bool ValidKey(std::string_view k, bool nested = false) {
    return !k.empty() && k.size() <= (nested ? 600 : 64) && std::all_of(k.begin(), k.end(), [&](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               (nested && c == '/');
    });
}

JobDef ReadJob(const json::object& o, FieldReader& f, bool in_run) {
    JobDef j;
    f.AllowOnly({"key", "name", "type", "command", "env", "workdir", "timeout_s", "retries", "retry_delay_s", "after",
                 "success_codes", "backup", "drill", "http", "file_wait", "transfer", "approval", "judge", "jobnet", "report"});
    j.key = f.RequiredString("key", in_run ? 600 : 64);
    if (!j.key.empty() && !ValidKey(j.key, in_run)) f.AddError("key", "use 1–64 letters, digits, _ or -");
    j.name = f.OptionalString("name", 200).value_or(j.key);
    j.type = f.OptionalString("type", 40).value_or("command");
    if (!OneOf(kTypes, j.type)) {
        f.AddError("type", fmt::format("'{}' is not a job type ({})", j.type, kTypeList));
    } else if (j.type != "command") {
        ReadSpec(o, j, f, in_run);
    }
    if (const auto* sc = o.if_contains("success_codes")) {
        if (!ExitCodes(*sc)) {
            f.AddError("success_codes", "must be a list of exit codes 0–255 (default [0])");
        } else {
            j.success_codes.clear();
            for (const auto& v : sc->as_array()) j.success_codes.push_back(static_cast<int>(v.as_int64()));
        }
    }
    if (auto argv = f.OptionalStrings("command")) j.command = std::move(*argv);
    if (j.type == "command" && j.command.empty()) f.AddError("command", "give the program and its arguments, e.g. [\"/usr/local/bin/extract\", \"--all\"]");
    if (!j.command.empty() && j.command.front().empty()) f.AddError("command", "the program must not be empty");
    if (const auto* env = o.if_contains("env")) {
        if (!env->is_object()) {
            f.AddError("env", "must be an object of NAME: value");
        } else {
            for (const auto& [k, v] : env->as_object()) {
                const std::string name(k);
                if (!v.is_string()) {
                    f.AddError("env." + name, "must be a string");
                } else if (name.empty() || name.find('=') != std::string::npos || name.rfind("UNYO_", 0) == 0) {
                    f.AddError("env." + name, "must be a name without '=' and not starting with UNYO_");
                } else {
                    j.env.emplace_back(name, std::string(v.as_string()));
                }
            }
        }
    }
    j.workdir = f.OptionalString("workdir", 1000).value_or("");
    if (!j.workdir.empty() && j.workdir.front() != '/') f.AddError("workdir", "must be an absolute path");
    if (auto t = f.OptionalInt("timeout_s", 1, 7 * 24 * 3600)) j.timeout_s = static_cast<int>(*t);
    if (auto r = f.OptionalInt("retries", 0, 10)) j.retries = static_cast<int>(*r);
    if (auto d = f.OptionalInt("retry_delay_s", 0, 24 * 3600)) j.retry_delay_s = static_cast<int>(*d);
    if (auto a = f.OptionalStrings("after")) j.after = std::move(*a);
    return j;
}

// The keys of one cycle among `jobs`, or empty when the jobs form a DAG.
std::vector<std::string> FindCycle(const std::vector<JobDef>& jobs, const std::map<std::string, int>& index) {
    std::vector<int> mark(jobs.size(), 0);  // 0 new, 1 on the path, 2 done
    std::vector<int> path;
    std::vector<std::string> cycle;
    // Iterative DFS: (node, next parent to visit).
    for (std::size_t start = 0; start < jobs.size() && cycle.empty(); ++start) {
        if (mark[start] != 0) continue;
        std::vector<std::pair<int, std::size_t>> stack{{static_cast<int>(start), 0}};
        mark[start] = 1;
        path.assign(1, static_cast<int>(start));
        while (!stack.empty() && cycle.empty()) {
            auto& [node, next] = stack.back();
            const auto& after = jobs[static_cast<std::size_t>(node)].after;
            if (next == after.size()) {
                mark[static_cast<std::size_t>(node)] = 2;
                stack.pop_back();
                path.pop_back();
                continue;
            }
            const auto it = index.find(after[next++]);
            if (it == index.end()) continue;
            const int parent = it->second;
            if (mark[static_cast<std::size_t>(parent)] == 1) {
                const auto from = std::find(path.begin(), path.end(), parent);
                for (auto p = from; p != path.end(); ++p) cycle.push_back(jobs[static_cast<std::size_t>(*p)].key);
                cycle.push_back(jobs[static_cast<std::size_t>(parent)].key);
            } else if (mark[static_cast<std::size_t>(parent)] == 0) {
                mark[static_cast<std::size_t>(parent)] = 1;
                path.push_back(parent);
                stack.emplace_back(parent, 0);
            }
        }
    }
    return cycle;
}

// What a judge names: `job` among the jobs it waits for, and each `else` job waiting for it.
void CheckJudge(const std::vector<JobDef>& jobs, const std::map<std::string, int>& index, std::size_t i, FieldReader& f) {
    const auto& j = jobs[i];
    const std::string at = fmt::format("jobs[{}].judge", i);
    const std::string ref = StringOf(j.spec, "job");
    if (!ref.empty()) {
        const auto it = index.find(ref);
        if (std::find(j.after.begin(), j.after.end(), ref) == j.after.end()) {
            f.AddError(at + ".job", fmt::format("'{}' must be one of the jobs this one waits for (after)", ref));
        } else if (it != index.end() && (jobs[static_cast<std::size_t>(it->second)].type == "jobnet" ||
                                         jobs[static_cast<std::size_t>(it->second)].type == "approval")) {
            f.AddError(at + ".job", fmt::format("'{}' has no exit code or output to judge", ref));
        }
    }
    if (const auto* e = j.spec.if_contains("else"); e && e->is_array()) {
        for (const auto& k : e->as_array()) {
            const std::string key = k.is_string() ? std::string(k.as_string()) : "";
            const auto it = index.find(key);
            if (it == index.end()) {
                f.AddError(at + ".else", fmt::format("no job has the key '{}'", key));
            } else if (const auto& after = jobs[static_cast<std::size_t>(it->second)].after;
                       std::find(after.begin(), after.end(), j.key) == after.end()) {
                f.AddError(at + ".else", fmt::format("'{}' does not wait for this judge (add '{}' to its after)", key, j.key));
            }
        }
    }
}

void ReadJobs(const json::value& v, Jobnet& n, FieldReader& f, bool in_run) {
    if (!v.is_array() || v.as_array().empty()) {
        f.AddError("jobs", "must be a non-empty array of jobs");
        return;
    }
    if (v.as_array().size() > kMaxJobs) {
        f.AddError("jobs", fmt::format("at most {} jobs", kMaxJobs));
        return;
    }
    n.jobs.clear();
    std::map<std::string, int> index;
    const auto& a = v.as_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string at = fmt::format("jobs[{}]", i);
        if (!a[i].is_object()) {
            f.AddError(at, "must be an object");
            continue;
        }
        FieldReader jf(a[i].as_object());
        JobDef j = ReadJob(a[i].as_object(), jf, in_run);
        if (!j.key.empty() && !index.emplace(j.key, static_cast<int>(i)).second) {
            jf.AddError("key", fmt::format("'{}' is used by another job", j.key));
        }
        if (auto done = jf.Finish(); !done) f.AddErrors(at, done.error());
        n.jobs.push_back(std::move(j));
    }
    for (std::size_t i = 0; i < n.jobs.size(); ++i) {
        std::set<std::string> seen;
        for (const auto& k : n.jobs[i].after) {
            if (!index.contains(k)) {
                f.AddError(fmt::format("jobs[{}].after", i), fmt::format("no job has the key '{}'", k));
            } else if (k == n.jobs[i].key) {
                f.AddError(fmt::format("jobs[{}].after", i), "a job cannot wait for itself");
            } else if (!seen.insert(k).second) {
                f.AddError(fmt::format("jobs[{}].after", i), fmt::format("'{}' is named twice", k));
            }
        }
    }
    for (std::size_t i = 0; i < n.jobs.size(); ++i) {
        if (n.jobs[i].type == "judge") CheckJudge(n.jobs, index, i, f);
    }
    if (auto cycle = FindCycle(n.jobs, index); !cycle.empty()) {
        std::string text;
        for (const auto& k : cycle) text += (text.empty() ? "" : " → ") + k;
        f.AddError("jobs", fmt::format("the jobs wait for each other in a cycle: {}", text));
    }
}

}  // namespace

int Jobnet::IndexOf(std::string_view key) const {
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i].key == key) return static_cast<int>(i);
    }
    return -1;
}

std::string_view RecoveryName(Recovery r) {
    for (const auto& [name, value] : kRecoveries) {
        if (value == r) return name;
    }
    return "none";
}

Result<Jobnet> JobnetFromJson(const json::object& body, Jobnet n, bool create, bool in_run) {
    FieldReader f(body);
    f.AllowOnly({"name", "description", "service", "calendar_id", "enabled", "severity", "schedule", "deadlines",
                 "recovery", "allow_overlap", "max_parallel", "queue", "heartbeat_monitor_id", "ci_id", "jobs"});
    if (create || f.Has("name")) n.name = f.RequiredString("name", 200);
    if (auto d = f.OptionalString("description", 4000)) n.description = *d;
    if (auto s = f.OptionalString("service", 200)) n.service = *s;
    if (const auto* c = body.if_contains("calendar_id")) {
        if (c->is_null()) {
            n.calendar_id.reset();
        } else if (!c->is_int64()) {
            f.AddError("calendar_id", "must be a calendar id or null");
        } else {
            n.calendar_id = c->as_int64();
        }
    }
    if (auto e = f.OptionalBool("enabled")) n.enabled = *e;
    if (auto s = f.OptionalString("severity", 20)) {
        if (OneOf(kSeverities, *s)) {
            n.severity = *s;
        } else {
            f.AddError("severity", "must be critical, high, medium or low");
        }
    }
    if (const auto* s = body.if_contains("schedule")) {
        if (s->is_null()) {
            n.schedule.reset();
        } else if (!s->is_object()) {
            f.AddError("schedule", "must be an object or null (started by hand only)");
        } else if (auto sched = ScheduleFromJson(s->as_object())) {
            n.schedule = std::move(*sched);
        } else {
            f.AddErrors("schedule", sched.error());
        }
    }
    if (const auto* d = body.if_contains("deadlines")) {
        if (d->is_null()) {
            n.start_by.reset();
            n.end_by.reset();
        } else if (!d->is_object()) {
            f.AddError("deadlines", "must be an object {start_by?, end_by?}");
        } else {
            FieldReader df(d->as_object());
            df.AllowOnly({"start_by", "end_by"});
            n.start_by = calendar::ReadClock(df, "start_by");
            n.end_by = calendar::ReadClock(df, "end_by");
            if (auto done = df.Finish(); !done) f.AddErrors("deadlines", done.error());
        }
    }
    if (const auto* r = body.if_contains("recovery")) {
        if (!r->is_object()) {
            f.AddError("recovery", "must be an object {policy, limit_min?}");
        } else {
            FieldReader rf(r->as_object());
            rf.AllowOnly({"policy", "limit_min"});
            if (auto p = rf.OptionalString("policy", 20)) {
                const auto* it = std::find_if(std::begin(kRecoveries), std::end(kRecoveries),
                                              [&](const auto& x) { return x.first == *p; });
                if (it == std::end(kRecoveries)) {
                    rf.AddError("policy", "must be none, next_run or immediate");
                } else {
                    n.recovery = it->second;
                }
            }
            if (auto l = rf.OptionalInt("limit_min", 1, 7 * 24 * 60)) n.recovery_limit_min = static_cast<int>(*l);
            if (auto done = rf.Finish(); !done) f.AddErrors("recovery", done.error());
        }
    }
    if (auto o = f.OptionalBool("allow_overlap")) n.allow_overlap = *o;
    if (auto m = f.OptionalInt("max_parallel", 0, 1000)) n.max_parallel = static_cast<int>(*m);
    if (auto q = f.OptionalString("queue", 64)) {
        n.queue = *q;
        if (!n.queue.empty() && !ValidKey(n.queue)) f.AddError("queue", "use 1–64 letters, digits, _ or -");
    }
    if (const auto* h = body.if_contains("heartbeat_monitor_id")) {
        if (h->is_null()) {
            n.heartbeat_monitor_id.reset();
        } else if (!h->is_int64()) {
            f.AddError("heartbeat_monitor_id", "must be a heartbeat monitor's id or null");
        } else {
            n.heartbeat_monitor_id = h->as_int64();
        }
    }
    if (const auto* ci = body.if_contains("ci_id")) {
        if (ci->is_null()) {
            n.ci_id.reset();
        } else if (!ci->is_int64() || ci->as_int64() <= 0) {
            f.AddError("ci_id", "must be a configuration item's id or null");
        } else {
            n.ci_id = ci->as_int64();
        }
    }
    if (const auto* jobs = body.if_contains("jobs")) {
        ReadJobs(*jobs, n, f, in_run);
    } else if (create) {
        f.AddError("jobs", "is required: at least one job");
    }
    UNYO_TRY_VOID(f.Finish());
    return n;
}

json::object DefinitionToJson(const Jobnet& n) {
    json::array jobs;
    for (const auto& j : n.jobs) {
        json::object env;
        for (const auto& [k, v] : j.env) env[k] = v;
        jobs.push_back(json::object{{"key", j.key},
                                    {"name", j.name},
                                    {"type", j.type},
                                    {"command", json::value_from(j.command)},
                                    {"env", std::move(env)},
                                    {"workdir", j.workdir},
                                    {"timeout_s", j.timeout_s},
                                    {"retries", j.retries},
                                    {"retry_delay_s", j.retry_delay_s},
                                    {"after", json::value_from(j.after)},
                                    {"success_codes", json::value_from(j.success_codes)}});
        if (const auto member = SpecMember(j.type); !member.empty()) jobs.back().as_object()[member] = j.spec;
    }
    json::object deadlines;
    if (n.start_by) deadlines["start_by"] = calendar::FormatClock(*n.start_by);
    if (n.end_by) deadlines["end_by"] = calendar::FormatClock(*n.end_by);
    return {{"name", n.name},
            {"description", n.description},
            {"service", n.service},
            {"calendar_id", OrNull(n.calendar_id)},
            {"enabled", n.enabled},
            {"severity", n.severity},
            {"schedule", n.schedule ? json::value(ToJson(*n.schedule)) : json::value(nullptr)},
            {"deadlines", std::move(deadlines)},
            {"recovery", json::object{{"policy", RecoveryName(n.recovery)}, {"limit_min", n.recovery_limit_min}}},
            {"allow_overlap", n.allow_overlap},
            {"max_parallel", n.max_parallel},
            {"queue", n.queue},
            {"heartbeat_monitor_id", OrNull(n.heartbeat_monitor_id)},
            {"ci_id", OrNull(n.ci_id)},
            {"jobs", std::move(jobs)}};
}

json::object ToJson(const Jobnet& n) {
    json::object out{{"id", n.id}};
    for (auto& [k, v] : DefinitionToJson(n)) out[k] = v;
    out["next_start_at"] = InstantOrNull(n.next_start_at);
    out["created_at"] = FormatRfc3339(n.created_at);
    out["updated_at"] = FormatRfc3339(n.updated_at);
    out["version"] = n.version;
    return out;
}

Verdict Judge(const JobDef& judge, std::optional<int> exit_code, const std::string& output) {
    const auto& spec = judge.spec;
    const std::string ref = StringOf(spec, "job");
    Verdict v{true, {}};
    std::vector<std::string> parts;
    if (const auto* e = spec.if_contains("exit_codes"); e && e->is_array()) {
        const bool in = exit_code && std::any_of(e->as_array().begin(), e->as_array().end(), [&](const json::value& c) {
                            return c.is_int64() && c.as_int64() == *exit_code;
                        });
        v.holds = v.holds && in;
        std::string codes;
        for (const auto& c : e->as_array()) codes += (codes.empty() ? "" : ", ") + json::serialize(c);
        parts.push_back(fmt::format("終了コード {} ∈ [{}]: {}", exit_code ? std::to_string(*exit_code) : "なし", codes,
                                    in ? "真" : "偽"));
    }
    if (const auto* c = spec.if_contains("output_contains"); c && c->is_string()) {
        const bool in = output.find(std::string_view(c->as_string())) != std::string::npos;
        v.holds = v.holds && in;
        parts.push_back(fmt::format("出力に「{}」を含む: {}", std::string_view(c->as_string()), in ? "真" : "偽"));
    }
    if (const auto* m = spec.if_contains("output_matches"); m && m->is_string()) {
        RE2 re(std::string(m->as_string()), RE2::Quiet);
        const bool in = re.ok() && RE2::PartialMatch(output, re);
        v.holds = v.holds && in;
        parts.push_back(fmt::format("出力が /{}/ に一致: {}", std::string_view(m->as_string()), in ? "真" : "偽"));
    }
    std::string joined;
    for (const auto& p : parts) joined += (joined.empty() ? "" : "、") + p;
    v.text = fmt::format("{} の判定: {} → 条件{}", ref, joined, v.holds ? "成立" : "不成立");
    return v;
}

bool InElse(const JobDef& judge, std::string_view key) {
    const auto* e = judge.spec.if_contains("else");
    return e && e->is_array() && std::any_of(e->as_array().begin(), e->as_array().end(), [&](const json::value& k) {
               return k.is_string() && k.as_string() == key;
           });
}

Millis NextClockTime(Millis from, int minutes, int utc_offset_minutes) {
    const Millis midnight = calendar::Date::FromInstant(from, utc_offset_minutes).StartInstant(utc_offset_minutes);
    Millis at = midnight + minutes * kMinuteMs;
    if (at < from) at += kDayMs;
    return at;
}

namespace {

struct Expansion {
    std::vector<JobDef> jobs;  // keys prefixed; the first ones wait for nothing yet
    std::vector<std::string> roots, sinks;
};

Expansion ExpandJobs(const std::vector<JobDef>& jobs, const std::string& prefix, const JobnetLookup& lookup,
                     std::vector<std::string>& stack, std::size_t& total, std::vector<std::string>* problems) {
    // Each job's expansion, or none for a job that stays as it is.
    std::vector<std::optional<Expansion>> nested(jobs.size());
    std::vector<std::string> errors(jobs.size());
    std::map<std::string, std::vector<std::string>> ends, starts;  // a key → what waiting for it / it waits on means
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto& j = jobs[i];
        const std::string key = prefix + j.key;
        if (j.type == "jobnet" && !j.spec.contains("error")) {
            const std::string name = StringOf(j.spec, "name");
            std::string error;
            std::optional<Jobnet> inner;
            if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
                error = fmt::format("jobnet \"{}\" would run inside itself", name);
            } else if (stack.size() >= kMaxDepth) {
                error = fmt::format("jobnets are nested deeper than {}", kMaxDepth);
            } else if (inner = lookup(name); !inner) {
                error = fmt::format("no jobnet is named \"{}\"", name);
            } else if (total + inner->jobs.size() > kMaxJobs) {
                error = fmt::format("with jobnet \"{}\" there would be more than {} jobs", name, kMaxJobs);
            }
            if (error.empty()) {
                total += inner->jobs.size() - 1;
                stack.push_back(name);
                nested[i] = ExpandJobs(inner->jobs, key + "/", lookup, stack, total, problems);
                stack.pop_back();
                ends[j.key] = nested[i]->sinks;
                starts[j.key] = nested[i]->roots;
                continue;
            }
            errors[i] = error;
            if (problems) problems->push_back(fmt::format("{}: {}", key, error));
        }
        ends[j.key] = starts[j.key] = {key};
    }
    const auto map_keys = [&](const std::vector<std::string>& keys, const auto& table) {
        std::vector<std::string> out;
        for (const auto& k : keys) {
            const auto it = table.find(k);
            if (it != table.end()) out.insert(out.end(), it->second.begin(), it->second.end());
        }
        return out;
    };
    Expansion out;
    std::set<std::string> waited_for;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const auto after = map_keys(jobs[i].after, ends);
        if (nested[i]) {
            for (auto& inner : nested[i]->jobs) {
                if (inner.after.empty()) inner.after = after;
                out.jobs.push_back(std::move(inner));
            }
            continue;
        }
        JobDef j = jobs[i];
        j.key = prefix + j.key;
        j.after = after;
        if (j.type == "judge") {
            j.spec["job"] = prefix + StringOf(j.spec, "job");
            if (const auto* e = j.spec.if_contains("else"); e && e->is_array()) {
                std::vector<std::string> keys;
                for (const auto& k : e->as_array()) {
                    if (k.is_string()) keys.emplace_back(k.as_string());
                }
                j.spec["else"] = json::value_from(map_keys(keys, starts));
            }
        } else if (j.type == "jobnet" && !j.spec.contains("error")) {
            j.spec["error"] = errors[i];
        }
        out.jobs.push_back(std::move(j));
    }
    for (const auto& j : out.jobs) {
        if (j.after.empty()) out.roots.push_back(j.key);
        waited_for.insert(j.after.begin(), j.after.end());
    }
    for (const auto& j : out.jobs) {
        if (!waited_for.contains(j.key)) out.sinks.push_back(j.key);
    }
    return out;
}

}  // namespace

Jobnet ExpandNested(const Jobnet& n, const JobnetLookup& lookup, std::vector<std::string>* problems) {
    const bool any = std::any_of(n.jobs.begin(), n.jobs.end(), [](const JobDef& j) { return j.type == "jobnet"; });
    if (!any) return n;
    Jobnet out = n;
    std::vector<std::string> stack{n.name};
    std::size_t total = n.jobs.size();
    std::vector<std::string> local;
    out.jobs = ExpandJobs(n.jobs, "", lookup, stack, total, problems ? problems : &local).jobs;
    return out;
}

}  // namespace unyo::jobs
