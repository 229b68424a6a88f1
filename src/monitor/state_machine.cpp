#include "monitor/state_machine.hpp"

namespace unyo::monitor {

std::optional<HardChange> Apply(Runtime& rt, const CheckResult& r, int retries) {
    rt.last_check_at = r.at;
    rt.last_value = r.value;
    rt.last_message = r.message;
    const auto change = [&](State to, Millis detected) -> std::optional<HardChange> {
        if (rt.known && rt.hard == to) return std::nullopt;
        HardChange c{rt.known ? rt.hard : State::kUnknown, to, r.at, detected, r.message};
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

}  // namespace unyo::monitor
