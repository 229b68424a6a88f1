#include "monitor/state_machine.hpp"

namespace unyo::monitor {

std::optional<HardChange> Apply(Runtime& rt, const CheckResult& r, int retries) {
    rt.last_check_at = r.at;
    rt.last_value = r.value;
    rt.last_message = r.message;
    const auto change = [&](State to, Millis detected) -> std::optional<HardChange> {
        if (rt.known && rt.hard == to) return std::nullopt;
        const bool was_problem = rt.known && IsProblem(rt.hard);
        HardChange c{rt.known ? rt.hard : State::kUnknown, to, r.at, detected, was_problem ? r.at : detected, r.message};
        rt.known = true;
        rt.hard = to;
        rt.hard_since = r.at;
        return c;
    };
    if (!IsProblem(r.state)) {
        rt.soft = State::kOk;
        rt.attempts = 0;
        return change(State::kOk, r.at);
    }
    if (!IsProblem(rt.soft) || rt.attempts == 0) {
        rt.episode_start = r.at;
    }
    rt.soft = r.state;
    ++rt.attempts;
    // Once hard in a failure, a change of kind (warning → critical) is hard at once.
    if (rt.attempts >= retries || (rt.known && IsProblem(rt.hard))) {
        return change(r.state, rt.episode_start);
    }
    return std::nullopt;
}

std::optional<FlapChange> TrackFlapping(Runtime& rt, State result, double low, double high) {
    const bool changed = rt.flap_results > 0 && result != rt.last_result;
    rt.last_result = result;
    if (rt.flap_results <= kFlapWindow) ++rt.flap_results;
    if (rt.flap_results == 1) return std::nullopt;  // the first result changes nothing
    rt.flap_bits = ((rt.flap_bits << 1) | (changed ? 1u : 0u)) & ((1u << kFlapWindow) - 1);
    if (rt.flap_results <= kFlapWindow) return std::nullopt;  // the window is not full yet
    double weighted = 0, total = 0;
    for (int i = 0; i < kFlapWindow; ++i) {
        const double w = 1.2 - 0.4 * i / (kFlapWindow - 1);  // bit 0, the newest: 1.2
        total += w;
        if ((rt.flap_bits >> i) & 1u) weighted += w;
    }
    rt.flap_percent = 100.0 * weighted / total;
    const bool flapping = rt.flapping ? rt.flap_percent >= low : rt.flap_percent > high;
    if (flapping == rt.flapping) return std::nullopt;
    rt.flapping = flapping;
    return FlapChange{flapping, rt.flap_percent};
}

}  // namespace unyo::monitor
