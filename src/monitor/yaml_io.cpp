#include "monitor/yaml_io.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include <fmt/format.h>

namespace unyo::monitor {
namespace {

// Members a file carries: the definition without identity and bookkeeping.
constexpr std::array<std::string_view, 11> kMembers = {"name",     "type",     "service", "target",   "interval_s",
                                                       "timeout_ms", "retries", "warning", "critical", "severity",
                                                       "enabled"};

// A plain scalar that YAML would read as something else than this string.
bool NeedsQuotes(const std::string& s) {
    if (s.empty() || s == "~" || s == "null" || s == "true" || s == "false" || s == "yes" || s == "no") return true;
    if (s.find_first_of(":#{}[],&*!|>'\"%@`\n") != std::string::npos || s.front() == ' ' || s.back() == ' ' ||
        s.front() == '-' || s.front() == '?') {
        return true;
    }
    try {
        std::size_t used = 0;
        (void)std::stod(s, &used);
        return used == s.size();
    } catch (const std::exception&) {
        return false;
    }
}

void Emit(YAML::Emitter& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::null: out << YAML::Null; break;
        case json::kind::bool_: out << v.as_bool(); break;
        case json::kind::int64: out << v.as_int64(); break;
        case json::kind::uint64: out << v.as_uint64(); break;
        case json::kind::double_: out << v.as_double(); break;
        case json::kind::string: {
            const std::string s(v.as_string());
            if (NeedsQuotes(s)) out << YAML::DoubleQuoted;
            out << s;
            break;
        }
        case json::kind::array:
            out << YAML::Flow << YAML::BeginSeq;
            for (const auto& e : v.as_array()) Emit(out, e);
            out << YAML::EndSeq;
            break;
        case json::kind::object:
            out << YAML::BeginMap;
            for (const auto& [k, e] : v.as_object()) {
                out << YAML::Key << std::string(k) << YAML::Value;
                Emit(out, e);
            }
            out << YAML::EndMap;
            break;
    }
}

// A YAML node as JSON: plain scalars typed as YAML 1.2 core reads them, quoted ones as strings.
json::value ToJsonValue(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: return nullptr;
        case YAML::NodeType::Sequence: {
            json::array a;
            for (const auto& e : n) a.push_back(ToJsonValue(e));
            return a;
        }
        case YAML::NodeType::Map: {
            json::object o;
            for (const auto& kv : n) o[kv.first.as<std::string>()] = ToJsonValue(kv.second);
            return o;
        }
        case YAML::NodeType::Scalar: break;
    }
    const auto s = n.Scalar();
    if (n.Tag() == "!") return json::value(s);  // quoted
    if (s == "~" || s == "null" || s.empty()) return nullptr;
    if (s == "true") return true;
    if (s == "false") return false;
    std::int64_t i = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc() && p == s.data() + s.size()) return i;
    try {
        std::size_t used = 0;
        const double d = std::stod(s, &used);
        if (used == s.size()) return d;
    } catch (const std::exception&) {
    }
    return json::value(s);
}

}  // namespace

std::string ExportYaml(const std::vector<Monitor>& monitors) {
    std::vector<const Monitor*> sorted;
    std::map<std::int64_t, std::string> names;
    for (const auto& m : monitors) {
        sorted.push_back(&m);
        names[m.id] = m.name;
    }
    std::sort(sorted.begin(), sorted.end(), [](const Monitor* a, const Monitor* b) { return a->name < b->name; });
    YAML::Emitter out;
    out << YAML::Comment("unyo monitors: `unyo monitors import FILE` creates or updates them by name");
    out << YAML::BeginMap << YAML::Key << "monitors" << YAML::Value << YAML::BeginSeq;
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
        Emit(out, o);
    }
    out << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

Result<ImportSummary> ImportYaml(MonitorStore& store, std::string_view yaml, const audit::Actor& actor, bool dry_run) {
    YAML::Node doc;
    try {
        doc = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        return Fail(Error::Invalid(fmt::format("the file is not YAML: {} (line {})", e.msg, e.mark.line + 1)));
    }
    if (!doc.IsMap() || !doc["monitors"] || !doc["monitors"].IsSequence()) {
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
    for (const auto& node : doc["monitors"]) {
        const std::string at = fmt::format("monitors[{}]", index++);
        const auto value = ToJsonValue(node);
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
