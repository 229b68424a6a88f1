#pragma once
// Request counters and latency histograms in the Prometheus text format. Thread-safe: Observe()
// is called from every pool thread; Render() from the /metrics handler.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "core/lock_guarded.hpp"

namespace unyo::http {

class Metrics {
  public:
    static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,  0.1,    0.25,  0.5,  1.0};

    /// Records one finished request. `route` is the pattern (bounded cardinality), not the path.
    void Observe(const std::string& method, const std::string& route, int status,
                 std::int64_t micros);

    /// The http metrics in text exposition format (# HELP/# TYPE lines included).
    [[nodiscard]] std::string Render();

  private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct State {
        std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests;
        std::map<std::string, Histogram> latency;  // by route
    };
    LockGuarded<State> state_;
};

}  // namespace unyo::http
