#include "sla/sla_clock.hpp"

#include <algorithm>

#include "core/time_format.hpp"

namespace unyo::sla {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

Target Make(std::string name, std::string label, Millis duration, StopCondition stop,
            std::vector<std::string> pause = {}) {
    Target t;
    t.name = std::move(name);
    t.label_ja = std::move(label);
    t.duration = duration;
    t.stop = std::move(stop);
    t.pause_states = std::move(pause);
    return t;
}

}  // namespace

std::vector<Policy> DefaultPolicies() {
    // The states from which an incident counts as recovered (復旧) or later.
    const std::vector<std::string> recovered{"recovered", "resolved", "closed"};
    const Target notify = Make("notify", "発注者への通知", 12 * kHourMs, {"owner_notified_at", {}});
    const Target eta = Make("eta", "復旧見込みの連絡", 12 * kHourMs, {"recovery_eta", recovered});
    std::vector<Policy> out;
    out.push_back({"障害 (通常)", "incident", {"high", "medium", "low"}, {}, {"unauthorized_access"},
                   {notify, eta, Make("recovery", "復旧の報告", 12 * kHourMs, {std::nullopt, recovered})}});
    out.push_back({"障害 (重大)", "incident", {"critical"}, {}, {"unauthorized_access"},
                   {notify, eta, Make("recovery", "復旧の報告", 24 * kHourMs, {std::nullopt, recovered})}});
    out.push_back({"不正アクセス", "incident", {}, {"unauthorized_access"}, {},
                   {notify, Make("response_start", "対応開始", kHourMs,
                                 {std::nullopt, {"responding", "recovered", "resolved", "closed"}})}});
    Target first_answer = Make("first_answer", "一次回答", 8 * kHourMs + 45 * kMinuteMs,
                               {"first_answered_at", {"answered", "closed"}});
    first_answer.start = "created_at";
    first_answer.calendar_id = 1;  // the office-hours calendar `unyo init` creates: one business day
    out.push_back({"問い合わせ", "inquiry", {}, {}, {}, {first_answer}});
    return out;
}

bool Covers(const Policy& p, const std::string& kind, const std::string& severity, const std::string& source) {
    return p.kind == kind && (p.severities.empty() || Contains(p.severities, severity)) &&
           (p.sources.empty() || Contains(p.sources, source)) && !Contains(p.not_sources, source);
}

std::vector<const Policy*> Matching(const std::vector<Policy>& policies, const std::string& kind,
                                    const std::string& severity, const std::string& source) {
    std::vector<const Policy*> out;
    for (const auto& p : policies) {
        if (Covers(p, kind, severity, source)) out.push_back(&p);
    }
    return out;
}

ClockStatus Evaluate(const Target& target, const RecordFacts& facts, const calendar::BusinessCalendar& cal,
                     Millis now) {
    ClockStatus c;
    c.name = target.name;
    c.label_ja = target.label_ja;
    c.started_at = target.start == "created_at" ? facts.created_at : facts.recognized_at.value_or(facts.created_at);

    // Met: the first instant the stop condition held.
    std::optional<Millis> met;
    if (target.stop.field) {
        if (auto it = facts.fields_set_at.find(*target.stop.field); it != facts.fields_set_at.end()) {
            met = it->second;
        }
    }
    for (const auto& [at, status] : facts.statuses) {
        if (Contains(target.stop.states, status) && (!met || at < *met)) {
            met = at;
        }
    }
    if (met && *met < c.started_at) {
        met = c.started_at;  // already satisfied when the clock started
    }
    const Millis end = met.value_or(now);

    // Business time spent paused, between the start and the end.
    Millis paused = 0;
    bool paused_now = false;
    for (std::size_t i = 0; i < facts.statuses.size(); ++i) {
        if (!Contains(target.pause_states, facts.statuses[i].second)) {
            continue;
        }
        const Millis from = std::max(facts.statuses[i].first, c.started_at);
        const bool last = i + 1 == facts.statuses.size();
        const Millis to = std::min(last ? end : facts.statuses[i + 1].first, end);
        paused += cal.BusinessTimeBetween(from, to);
        paused_now = paused_now || (last && !met);
    }

    c.target_at = cal.AddBusinessTime(c.started_at, target.duration + paused).value_or(c.started_at + target.duration);
    c.warn_at = cal.AddBusinessTime(c.started_at, target.duration * target.warn_percent / 100 + paused)
                    .value_or(c.started_at);
    const Millis elapsed = cal.BusinessTimeBetween(c.started_at, end) - paused;
    c.remaining_ms = target.duration - elapsed;
    c.met_at = met;
    if (met) {
        c.state = *met <= c.target_at ? ClockState::kMet : ClockState::kBreached;
    } else if (now > c.target_at) {
        c.state = ClockState::kBreached;
    } else {
        c.state = paused_now ? ClockState::kPaused : ClockState::kRunning;
    }
    c.warning = !met && now >= c.warn_at;
    return c;
}

std::string_view StateName(ClockState s) {
    switch (s) {
        case ClockState::kRunning: return "running";
        case ClockState::kPaused: return "paused";
        case ClockState::kMet: return "met";
        case ClockState::kBreached: return "breached";
    }
    return "running";
}

json::object ToJson(const ClockStatus& c) {
    return {{"name", c.name},
            {"label", c.label_ja},
            {"state", StateName(c.state)},
            {"started_at", FormatRfc3339(c.started_at)},
            {"target_at", FormatRfc3339(c.target_at)},
            {"warn_at", FormatRfc3339(c.warn_at)},
            {"met_at", InstantOrNull(c.met_at)},
            {"remaining_ms", c.remaining_ms},
            {"warning", c.warning}};
}

namespace {

json::array Strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

std::vector<std::string> StringsOf(const json::object& obj, std::string_view name) {
    std::vector<std::string> out;
    if (const auto* a = obj.if_contains(name); a && a->is_array()) {
        for (const auto& v : a->as_array()) {
            if (v.is_string()) out.emplace_back(v.as_string());
        }
    }
    return out;
}

}  // namespace

json::object ToJson(const Policy& p) {
    json::array targets;
    for (const auto& t : p.targets) {
        targets.push_back(json::object{{"name", t.name},
                                       {"label", t.label_ja},
                                       {"duration_ms", t.duration},
                                       {"start", t.start},
                                       {"stop_field", OrNull(t.stop.field)},
                                       {"stop_states", Strings(t.stop.states)},
                                       {"pause_states", Strings(t.pause_states)},
                                       {"warn_percent", t.warn_percent},
                                       {"calendar_id", t.calendar_id == 0 ? json::value(nullptr)
                                                                           : json::value(t.calendar_id)}});
    }
    return {{"name", p.name},
            {"kind", p.kind},
            {"severities", Strings(p.severities)},
            {"sources", Strings(p.sources)},
            {"excluded_sources", Strings(p.not_sources)},
            {"targets", std::move(targets)}};
}

Policy PolicyFromJson(const json::object& obj) {
    Policy p;
    p.name = StringOf(obj, "name");
    p.kind = StringOf(obj, "kind");
    p.severities = StringsOf(obj, "severities");
    p.sources = StringsOf(obj, "sources");
    p.not_sources = StringsOf(obj, "excluded_sources");
    if (const auto* a = obj.if_contains("targets"); a && a->is_array()) {
        for (const auto& v : a->as_array()) {
            if (!v.is_object()) continue;
            const auto& o = v.as_object();
            Target t;
            t.name = StringOf(o, "name");
            t.label_ja = StringOf(o, "label");
            t.duration = IntOf(o, "duration_ms", 0);
            t.start = StringOf(o, "start", "recognized_at");
            if (const auto f = StringOf(o, "stop_field"); !f.empty()) t.stop.field = f;
            t.stop.states = StringsOf(o, "stop_states");
            t.pause_states = StringsOf(o, "pause_states");
            t.warn_percent = static_cast<int>(IntOf(o, "warn_percent", 75));
            t.calendar_id = IntOf(o, "calendar_id", 0);
            p.targets.push_back(std::move(t));
        }
    }
    return p;
}

}  // namespace unyo::sla
