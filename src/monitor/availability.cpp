#include "monitor/availability.hpp"

#include <algorithm>
#include <cmath>

#include "core/time_format.hpp"

namespace unyo::monitor {
namespace {

// The excluded intervals clipped to [from, to], sorted and merged.
std::vector<Interval> Merge(std::vector<Interval> v, Millis from, Millis to) {
    std::vector<Interval> out;
    for (auto& i : v) {
        i.from = std::max(i.from, from);
        i.to = std::min(i.to, to);
    }
    std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) { return a.from < b.from; });
    for (const auto& i : v) {
        if (i.from >= i.to) continue;
        if (!out.empty() && i.from <= out.back().to) {
            out.back().to = std::max(out.back().to, i.to);
        } else {
            out.push_back(i);
        }
    }
    return out;
}

// How much of [a, b) lies outside the merged intervals.
Millis Outside(Millis a, Millis b, const std::vector<Interval>& merged) {
    Millis inside = 0;
    for (const auto& i : merged) {
        inside += std::max<Millis>(0, std::min(b, i.to) - std::max(a, i.from));
    }
    return (b - a) - inside;
}

}  // namespace

Availability Compute(const std::vector<StateChange>& changes, Millis from, Millis to,
                     const std::vector<Interval>& excluded, double target) {
    Availability a;
    a.from = from;
    a.to = to;
    a.target = target;
    if (to <= from) return a;
    const auto merged = Merge(excluded, from, to);
    for (const auto& i : merged) a.excluded_ms += i.to - i.from;
    State state = State::kUnknown;
    Millis at = from;
    auto account = [&](Millis until) {
        if (until <= at) return;
        const Millis counted = Outside(at, until, merged);
        switch (state) {
            case State::kOk:
            case State::kWarning: a.up_ms += counted; break;
            case State::kCritical:
            case State::kUnreachable: a.down_ms += counted; break;
            case State::kUnknown: a.unknown_ms += counted; break;
        }
        at = until;
    };
    for (const auto& c : changes) {
        if (c.at >= to) break;
        if (c.at > from) account(c.at);
        state = c.to;
    }
    account(to);
    const Millis measured = a.up_ms + a.down_ms;
    if (measured > 0) a.ratio = static_cast<double>(a.up_ms) / static_cast<double>(measured);
    // The whole period but its planned stops is what the target promises (99.9 % of a year:
    // 8 h 45 m 36 s), whether measured yet or not.
    a.budget_ms = static_cast<Millis>(std::llround(static_cast<double>(to - from - a.excluded_ms) * (1.0 - target)));
    a.remaining_budget_ms = a.budget_ms - a.down_ms;
    return a;
}

Combined CombineService(const std::vector<MonitorTimeline>& monitors, Millis from, Millis to) {
    // Every instant where some monitor's state or ignoring changes, inside the period.
    std::vector<Millis> points{from};
    for (const auto& m : monitors) {
        for (const auto& c : m.changes) {
            if (c.at > from && c.at < to) points.push_back(c.at);
        }
        for (const auto& i : m.ignored) {
            for (const Millis at : {i.from, i.to}) {
                if (at > from && at < to) points.push_back(at);
            }
        }
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    auto state_at = [](const MonitorTimeline& m, Millis at) {
        State s = State::kUnknown;
        for (const auto& c : m.changes) {
            if (c.at > at) break;
            s = c.to;
        }
        return s;
    };
    auto ignored_at = [](const MonitorTimeline& m, Millis at) {
        return std::any_of(m.ignored.begin(), m.ignored.end(), [&](const Interval& i) { return at >= i.from && at < i.to; });
    };
    Combined out;
    std::optional<State> last;
    std::optional<Millis> excluded_since;
    for (std::size_t k = 0; k < points.size(); ++k) {
        const Millis at = points[k];
        bool any_counted = false, any_down = false, any_unknown = false;
        for (const auto& m : monitors) {
            if (ignored_at(m, at)) continue;
            any_counted = true;
            const State s = state_at(m, at);
            if (s == State::kCritical || s == State::kUnreachable) any_down = true;
            if (s == State::kUnknown) any_unknown = true;
        }
        if (!any_counted) {
            if (!excluded_since) excluded_since = at;
            continue;
        }
        if (excluded_since) {
            out.excluded.push_back({*excluded_since, at});
            excluded_since.reset();
        }
        const State s = any_down ? State::kCritical : any_unknown ? State::kUnknown : State::kOk;
        if (s != last) out.changes.push_back({at, s});
        last = s;
    }
    if (excluded_since) out.excluded.push_back({*excluded_since, to});
    return out;
}

json::object ToJson(const Availability& a) {
    return {{"from", FormatRfc3339(a.from)},
            {"to", FormatRfc3339(a.to)},
            {"up_ms", a.up_ms},
            {"down_ms", a.down_ms},
            {"unknown_ms", a.unknown_ms},
            {"excluded_ms", a.excluded_ms},
            {"availability", OrNull(a.ratio)},
            {"target", a.target},
            {"budget_ms", a.budget_ms},
            {"remaining_budget_ms", a.remaining_budget_ms}};
}

}  // namespace unyo::monitor
