#include "jobs/jobnet_store.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/yaml.hpp"

namespace unyo::jobs {
namespace {

constexpr const char* kColumns = "id, definition_json, next_start_at, created_at, updated_at, version";

Result<Jobnet> FromRow(const storage::Row& r) {
    Jobnet base;
    auto n = JobnetFromJson(ParseObjectOrEmpty(r.Text(1)), base, true);
    if (!n) return Fail(Error::Internal(fmt::format("jobnet {} is stored unreadably: {}", r.Int(0), n.error().message)));
    n->id = r.Int(0);
    n->next_start_at = r.OptInt(2);
    n->created_at = r.Int(3);
    n->updated_at = r.Int(4);
    n->version = r.Int(5);
    return n;
}

Result<Jobnet> NameTaken(const std::string& name) {
    return Fail(Error::Field("name", fmt::format("a jobnet named \"{}\" already exists", name), ErrorCode::kConflict));
}

}  // namespace

Result<Jobnet> JobnetStore::Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM jobnets WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("jobnet {} does not exist", id)));
    return FromRow(rows.front());
}

Result<Jobnet> JobnetStore::Expand(storage::Connection& c, const Jobnet& n, std::vector<std::string>* problems) {
    std::optional<Error> failed;
    auto expanded = ExpandNested(
        n,
        [&](std::string_view name) -> std::optional<Jobnet> {
            if (name == n.name) return n;
            auto rows = c.Query(fmt::format("SELECT {} FROM jobnets WHERE name = $1", kColumns), {std::string(name)});
            if (!rows) {
                failed = rows.error();
                return std::nullopt;
            }
            if (rows->empty()) return std::nullopt;
            auto inner = FromRow(rows->front());
            return inner ? std::optional<Jobnet>(std::move(*inner)) : std::nullopt;
        },
        problems);
    if (failed) return Fail(std::move(*failed));
    return expanded;
}

namespace {

// Inside `c`: the names of the jobnets other than `id` that run jobnet `name` inside them.
Result<std::vector<std::string>> NestingJobnets(storage::Connection& c, const std::string& name, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM jobnets WHERE id <> $1 AND definition_json LIKE $2", kColumns),
                                 {id, std::string("%\"jobnet\"%")}));
    std::vector<std::string> out;
    for (const auto& r : rows.rows) {
        const auto n = UNYO_TRY(FromRow(r));
        for (const auto& j : n.jobs) {
            if (j.type == "jobnet" && StringOf(j.spec, "name") == name) {
                out.push_back(n.name);
                break;
            }
        }
    }
    return out;
}

}  // namespace

Result<bool> JobnetStore::AdvanceNextStart(storage::Connection& c, std::int64_t id, Millis expected,
                                           std::optional<Millis> next) {
    auto done = UNYO_TRY(c.Query("UPDATE jobnets SET next_start_at = $1 WHERE id = $2 AND next_start_at = $3 RETURNING id",
                                 {storage::Nullable(next), id, expected}));
    return !done.empty();
}

Result<void> JobnetStore::CheckReferences(storage::Connection& c, const Jobnet& n) {
    std::vector<FieldError> errors;
    if (n.calendar_id) {
        auto rows = UNYO_TRY(c.Query("SELECT 1 FROM calendars WHERE id = $1", {*n.calendar_id}));
        if (rows.empty()) errors.push_back({"calendar_id", fmt::format("calendar {} does not exist", *n.calendar_id)});
    }
    if (n.ci_id && UNYO_TRY(c.Query("SELECT 1 FROM cis WHERE id = $1", {*n.ci_id})).empty()) {
        errors.push_back({"ci_id", fmt::format("configuration item {} does not exist", *n.ci_id)});
    }
    if (n.heartbeat_monitor_id) {
        auto rows = UNYO_TRY(c.Query("SELECT type FROM monitors WHERE id = $1", {*n.heartbeat_monitor_id}));
        if (rows.empty()) {
            errors.push_back({"heartbeat_monitor_id", fmt::format("monitor {} does not exist", *n.heartbeat_monitor_id)});
        } else if (rows.front().Text(0) != "heartbeat") {
            errors.push_back({"heartbeat_monitor_id",
                              fmt::format("monitor {} is a {} monitor, not a heartbeat", *n.heartbeat_monitor_id,
                                          rows.front().Text(0))});
        }
    }
    if (std::any_of(n.jobs.begin(), n.jobs.end(), [](const JobDef& j) { return j.type == "jobnet"; })) {
        std::vector<std::string> problems;
        UNYO_TRY(Expand(c, n, &problems));
        for (const auto& p : problems) {
            // "KEY/inner: why": named at the outer job.
            const auto top = p.substr(0, std::min(p.find('/'), p.find(':')));
            const int i = n.IndexOf(top);
            errors.push_back({i >= 0 ? fmt::format("jobs[{}].jobnet.name", i) : "jobs", p});
        }
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    return {};
}

Result<calendar::BusinessCalendar> JobnetStore::CalendarOf(const Jobnet& n) {
    if (!n.calendar_id) return calendar::BusinessCalendar::Create(calendar::CalendarRules{});
    auto stored = calendars_.Get(*n.calendar_id);
    if (!stored) return Fail(Error::Field("calendar_id", fmt::format("calendar {} does not exist", *n.calendar_id)));
    return calendar::BusinessCalendar::Create(stored->rules);
}

std::vector<PlannedStart> JobnetStore::Planned(const Jobnet& n, const calendar::BusinessCalendar& cal, Millis from,
                                               Millis to) {
    std::vector<PlannedStart> out;
    if (!n.schedule) return out;
    const int offset = cal.rules().utc_offset_minutes;
    const auto& s = *n.schedule;
    const auto first = BusinessDayOf(from, s.base_minutes, offset), last = BusinessDayOf(to, s.base_minutes, offset);
    std::map<calendar::Date, calendar::Date> nominal;
    for (const auto& c : ChosenDays(s, cal, first, last)) {
        if (c.day != c.nominal) nominal.emplace(c.day, c.nominal);
    }
    for (const Millis at : PlannedStarts(s, cal, from, to)) {
        PlannedStart p{at, BusinessDayOf(at, s.base_minutes, offset), std::nullopt};
        if (const auto it = nominal.find(p.business_day); it != nominal.end()) p.shifted_from = it->second;
        out.push_back(p);
    }
    return out;
}

std::optional<Millis> JobnetStore::NextStart(const Jobnet& n, const calendar::BusinessCalendar& cal, Millis after) {
    if (!n.schedule || !n.enabled) return std::nullopt;
    for (Millis from = after + 1; from < after + 400 * kDayMs; from += 40 * kDayMs) {
        const auto starts = PlannedStarts(*n.schedule, cal, from, from + 40 * kDayMs);
        if (!starts.empty()) return starts.front();
    }
    return std::nullopt;
}

Result<std::vector<Jobnet>> JobnetStore::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Jobnet>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM jobnets ORDER BY name", kColumns), {}));
        std::vector<Jobnet> out;
        for (const auto& r : rows.rows) out.push_back(UNYO_TRY(FromRow(r)));
        return out;
    });
}

Result<Jobnet> JobnetStore::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<Jobnet> JobnetStore::Create(const json::object& body, const audit::Actor& actor) {
    Jobnet n = UNYO_TRY(JobnetFromJson(body, Jobnet{}, true));
    n.created_at = n.updated_at = clock_.Now();
    // The calendar is read before the writing transaction; a calendar changed in between moves
    // the next start when the runner next looks, as any calendar change does.
    n.next_start_at = NextStart(n, UNYO_TRY(CalendarOf(n)), n.created_at);
    return db_.Write([&](storage::Connection& c) -> Result<Jobnet> {
        UNYO_TRY_VOID(CheckReferences(c, n));
        auto rows = c.Query("INSERT INTO jobnets (name, definition_json, enabled, next_start_at, created_at, "
                            "updated_at, version) VALUES ($1, $2, $3, $4, $5, $5, 1) RETURNING id",
                            {n.name, json::serialize(DefinitionToJson(n)), std::int64_t{n.enabled ? 1 : 0},
                             storage::Nullable(n.next_start_at), n.created_at});
        if (!rows && rows.error().code == ErrorCode::kConflict) return NameTaken(n.name);
        n.id = UNYO_TRY(std::move(rows)).front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"jobnet.create", "jobnet", std::to_string(n.id), nullptr, ToJson(n)},
                               n.created_at));
        return n;
    });
}

Result<Jobnet> JobnetStore::Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                   const audit::Actor& actor) {
    const Jobnet before = UNYO_TRY(Get(id));
    Jobnet after = UNYO_TRY(JobnetFromJson(body, before, false));
    after.updated_at = clock_.Now();
    after.version = before.version + 1;
    after.next_start_at = NextStart(after, UNYO_TRY(CalendarOf(after)), after.updated_at);
    return db_.Write([&](storage::Connection& c) -> Result<Jobnet> {
        const Jobnet now = UNYO_TRY(Load(c, id));
        if (now.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("jobnet {} was changed by someone else (now version {})", id, now.version), {}});
        }
        UNYO_TRY_VOID(CheckReferences(c, after));
        if (after.name != now.name) {
            if (auto users = UNYO_TRY(NestingJobnets(c, now.name, id)); !users.empty()) {
                return Fail(Error::Field("name", fmt::format("jobnet {} runs \"{}\" inside it by name; change it first",
                                                             users.front(), now.name),
                                         ErrorCode::kConflict));
            }
        }
        auto done = c.Exec("UPDATE jobnets SET name = $1, definition_json = $2, enabled = $3, next_start_at = $4, "
                           "updated_at = $5, version = $6 WHERE id = $7 AND version = $8",
                           {after.name, json::serialize(DefinitionToJson(after)), std::int64_t{after.enabled ? 1 : 0},
                            storage::Nullable(after.next_start_at), after.updated_at, after.version, id, now.version});
        if (!done && done.error().code == ErrorCode::kConflict) return NameTaken(after.name);
        UNYO_TRY(std::move(done));
        UNYO_TRY(audit::Append(c, actor, {"jobnet.update", "jobnet", std::to_string(id), ToJson(now), ToJson(after)},
                               after.updated_at));
        return after;
    });
}

Result<std::string> JobnetStore::ExportYaml(const std::string& name) {
    json::array list;
    for (const auto& n : UNYO_TRY(List())) {
        if (name.empty() || n.name == name) list.push_back(DefinitionToJson(n));
    }
    if (!name.empty() && list.empty()) return Fail(Error::NotFound(fmt::format("no jobnet is named \"{}\"", name)));
    return ToYaml(json::object{{"jobnets", std::move(list)}},
                  "unyo jobnets: `unyo jobnets import FILE` (or POST /api/v1/jobnets/import) creates or updates them by name");
}

Result<JobnetStore::ImportSummary> JobnetStore::ImportYaml(std::string_view yaml, const audit::Actor& actor,
                                                           bool dry_run) {
    const auto doc = UNYO_TRY(FromYaml(yaml));
    const json::value* list = doc.is_object() ? doc.as_object().if_contains("jobnets") : nullptr;
    if (list == nullptr || !list->is_array()) {
        return Fail(Error::Field("jobnets", "the file must hold `jobnets:` with a list of jobnets"));
    }
    std::map<std::string, Jobnet> existing;
    for (auto& n : UNYO_TRY(List())) existing.emplace(n.name, std::move(n));
    struct Entry {
        json::object body;
        const Jobnet* current = nullptr;
        bool changed = true;
        Jobnet parsed;
        std::size_t at = 0;  // in the file
    };
    std::vector<Entry> entries;
    std::vector<FieldError> errors;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        const auto& v = list->as_array()[i];
        const std::string at = fmt::format("jobnets[{}]", i);
        if (!v.is_object()) {
            errors.push_back({at, "must be a mapping"});
            continue;
        }
        Entry e{v.as_object()};
        const auto name = StringOf(e.body, "name");
        if (!name.empty() && !seen.insert(name).second) errors.push_back({at + ".name", "appears twice in the file"});
        if (const auto it = existing.find(name); it != existing.end()) e.current = &it->second;
        auto checked = JobnetFromJson(e.body, e.current ? *e.current : Jobnet{}, e.current == nullptr);
        if (!checked) {
            if (checked.error().fields.empty()) errors.push_back({at, checked.error().message});
            for (const auto& f : checked.error().fields) errors.push_back({at + "." + f.field, f.message});
            continue;
        }
        if (e.current) e.changed = json::serialize(DefinitionToJson(*checked)) != json::serialize(DefinitionToJson(*e.current));
        e.parsed = std::move(*checked);
        e.at = i;
        entries.push_back(std::move(e));
    }
    // Nested jobnets must be found among the stored ones and the file's, without a loop.
    std::map<std::string, const Jobnet*> by_name;
    for (const auto& [name, n] : existing) by_name[name] = &n;
    for (const auto& e : entries) by_name[e.parsed.name] = &e.parsed;
    for (const auto& e : entries) {
        std::vector<std::string> problems;
        (void)ExpandNested(
            e.parsed,
            [&](std::string_view name) -> std::optional<Jobnet> {
                const auto it = by_name.find(std::string(name));
                return it == by_name.end() ? std::nullopt : std::optional<Jobnet>(*it->second);
            },
            &problems);
        for (const auto& p : problems) {
            const int j = e.parsed.IndexOf(p.substr(0, std::min(p.find('/'), p.find(':'))));
            errors.push_back({j >= 0 ? fmt::format("jobnets[{}].jobs[{}].jobnet.name", e.at, j) : fmt::format("jobnets[{}]", e.at), p});
        }
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    // A jobnet that runs another of the file inside it is written after that one.
    const auto nests = [](const Entry& e, const Entry& other) {
        return std::any_of(e.parsed.jobs.begin(), e.parsed.jobs.end(), [&](const JobDef& j) {
            return j.type == "jobnet" && StringOf(j.spec, "name") == other.parsed.name;
        });
    };
    std::vector<const Entry*> order;
    std::set<const Entry*> placed;
    while (order.size() < entries.size()) {
        const auto before = order.size();
        for (const auto& e : entries) {
            if (placed.contains(&e)) continue;
            const bool ready = std::none_of(entries.begin(), entries.end(), [&](const Entry& other) {
                return !placed.contains(&other) && &other != &e && nests(e, other);
            });
            if (ready) {
                order.push_back(&e);
                placed.insert(&e);
            }
        }
        if (order.size() == before) {  // not reached: nesting loops were refused above; never loop forever
            for (const auto& e : entries) {
                if (!placed.contains(&e)) order.push_back(&e);
            }
        }
    }
    ImportSummary summary;
    for (const auto* ep : order) {
        const auto& e = *ep;
        if (!e.current) {
            ++summary.created;
            if (!dry_run) UNYO_TRY(Create(e.body, actor));
        } else if (e.changed) {
            ++summary.updated;
            if (!dry_run) UNYO_TRY(Update(e.current->id, e.current->version, e.body, actor));
        } else {
            ++summary.unchanged;
        }
    }
    return summary;
}

Result<void> JobnetStore::Delete(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const Jobnet before = UNYO_TRY(Load(c, id));
        auto runs = UNYO_TRY(c.Query("SELECT COUNT(*) FROM jobnet_runs WHERE jobnet_id = $1", {id}));
        if (const auto n = runs.front().Int(0); n > 0) {
            return Fail(Error::Conflict(
                fmt::format("jobnet {} has {} runs whose history is kept; disable it (enabled: false) instead", id, n)));
        }
        if (auto users = UNYO_TRY(NestingJobnets(c, before.name, id)); !users.empty()) {
            return Fail(Error::Conflict(fmt::format("jobnet {} runs \"{}\" inside it; change it first", users.front(), before.name)));
        }
        UNYO_TRY(c.Exec("DELETE FROM jobnets WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"jobnet.delete", "jobnet", std::to_string(id), ToJson(before), nullptr},
                               clock_.Now()));
        return {};
    });
}

}  // namespace unyo::jobs
