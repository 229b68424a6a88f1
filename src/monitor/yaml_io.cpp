#include "monitor/yaml_io.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/yaml.hpp"

namespace unyo::monitor {
namespace {

// Members a file carries: the definition without identity and bookkeeping.
constexpr std::array<std::string_view, 11> kMembers = {"name",     "type",     "service", "target",   "interval_s",
                                                       "timeout_ms", "retries", "warning", "critical", "severity",
                                                       "enabled"};

}  // namespace

std::string ExportYaml(const std::vector<Monitor>& monitors) {
    std::vector<const Monitor*> sorted;
    std::map<std::int64_t, std::string> names;
    for (const auto& m : monitors) {
        sorted.push_back(&m);
        names[m.id] = m.name;
    }
    std::sort(sorted.begin(), sorted.end(), [](const Monitor* a, const Monitor* b) { return a->name < b->name; });
    json::array list;
    for (const auto* m : sorted) {
        const auto all = ToJson(*m);
        json::object o;
        for (const auto member : kMembers) {
            const auto& v = all.at(member);
            if (v.is_null()) continue;
            o[member] = v;
        }
        if (!m->parent_ids.empty()) {
            json::array parents;
            for (const auto id : m->parent_ids) parents.emplace_back(names.contains(id) ? names[id] : std::to_string(id));
            o["parents"] = std::move(parents);
        }
        list.push_back(std::move(o));
    }
    return ToYaml(json::object{{"monitors", std::move(list)}},
                  "unyo monitors: `unyo monitors import FILE` creates or updates them by name");
}

Result<ImportSummary> ImportYaml(MonitorStore& store, std::string_view yaml, const audit::Actor& actor, bool dry_run) {
    const auto doc = UNYO_TRY(FromYaml(yaml));
    const json::value* list = doc.is_object() ? doc.as_object().if_contains("monitors") : nullptr;
    if (list == nullptr || !list->is_array()) {
        return Fail(Error::Field("monitors", "the file must hold `monitors:` with a list of monitors"));
    }
    const auto existing = UNYO_TRY(store.List());
    std::map<std::string, const Monitor*> by_name;
    for (const auto& m : existing) by_name[m.name] = &m;

    struct Entry {
        json::object body;  // without parents
        std::vector<std::string> parents;
        const Monitor* current = nullptr;
        bool changed = false;
        std::size_t index = 0;  // in the file
    };
    std::vector<Entry> entries;
    std::vector<FieldError> errors;
    std::set<std::string> seen;
    std::size_t index = 0;
    for (const auto& value : list->as_array()) {
        const std::string at = fmt::format("monitors[{}]", index++);
        if (!value.is_object()) {
            errors.push_back({at, "must be a mapping"});
            continue;
        }
        Entry e;
        e.index = index - 1;
        e.body = value.as_object();
        if (const auto* p = e.body.if_contains("parents")) {
            if (p->is_array()) {
                for (const auto& name : p->as_array()) {
                    if (name.is_string()) e.parents.emplace_back(name.as_string());
                    else errors.push_back({at + ".parents", "must be a list of monitor names"});
                }
            } else {
                errors.push_back({at + ".parents", "must be a list of monitor names"});
            }
            e.body.erase("parents");
        }
        const auto name = StringOf(e.body, "name");
        if (!name.empty() && !seen.insert(name).second) errors.push_back({at + ".name", "appears twice in the file"});
        auto it = by_name.find(name);
        e.current = it == by_name.end() ? nullptr : it->second;
        auto checked = e.current ? MonitorFromJson(e.body, *e.current, false) : MonitorFromJson(e.body, Monitor{}, true);
        if (!checked) {
            if (checked.error().fields.empty()) errors.push_back({at, checked.error().message});
            for (const auto& f : checked.error().fields) errors.push_back({at + "." + f.field, f.message});
            continue;
        }
        if (e.current) {
            auto before = ToJson(*e.current), after = ToJson(*checked);
            for (auto* o : {&before, &after}) {
                for (const char* k : {"parent_ids", "created_at", "updated_at", "version"}) o->erase(k);
            }
            e.changed = before != after;
        }
        entries.push_back(std::move(e));
    }
    for (const auto& e : entries) {
        for (const auto& p : e.parents) {
            if (!seen.contains(p) && !by_name.contains(p)) {
                errors.push_back(
                    {fmt::format("monitors[{}].parents", e.index), fmt::format("no monitor is named \"{}\"", p)});
            }
        }
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));

    ImportSummary summary;
    // First the definitions, then the dependencies (a parent may come later in the file).
    std::map<std::string, std::int64_t> ids;
    for (const auto& m : existing) ids[m.name] = m.id;
    for (auto& e : entries) {
        if (!e.current) {
            ++summary.created;
            if (!dry_run) {
                const auto made = UNYO_TRY(store.Create(UNYO_TRY(MonitorFromJson(e.body, Monitor{}, true)), actor));
                ids[made.name] = made.id;
            }
        } else if (e.changed) {
            ++summary.updated;
            if (!dry_run) UNYO_TRY(store.Update(e.current->id, e.current->version, e.body, actor));
        }
    }
    for (auto& e : entries) {
        std::vector<std::int64_t> wanted;
        for (const auto& p : e.parents) wanted.push_back(dry_run && !ids.contains(p) ? -1 : ids.at(p));
        const std::vector<std::int64_t> had = e.current ? e.current->parent_ids : std::vector<std::int64_t>{};
        if (wanted == had) {
            if (e.current && !e.changed) ++summary.unchanged;
            continue;
        }
        if (e.current && !e.changed) ++summary.updated;
        if (dry_run) continue;
        const auto now = UNYO_TRY(store.Get(ids.at(StringOf(e.body, "name"))));
        UNYO_TRY(store.Update(now.id, now.version, {{"parent_ids", json::array(wanted.begin(), wanted.end())}}, actor));
    }
    return summary;
}

}  // namespace unyo::monitor
