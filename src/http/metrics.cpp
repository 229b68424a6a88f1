#include "http/metrics.hpp"

#include <fmt/format.h>

namespace unyo::http {

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      std::int64_t micros) {
    const double seconds = static_cast<double>(micros) / 1e6;
    auto s = state_.Lock();
    s->requests[{method, route, status}]++;
    auto& h = s->latency[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) {
            h.buckets[i]++;
        }
    }
    h.count++;
    h.sum += seconds;
}

std::string Metrics::Render() {
    auto s = state_.Lock();
    std::string out;
    out += "# HELP unyo_http_requests_total HTTP requests by method, route and status.\n";
    out += "# TYPE unyo_http_requests_total counter\n";
    for (const auto& [key, n] : s->requests) {
        const auto& [method, route, status] = key;
        out +=
            fmt::format("unyo_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                        method, route, status, n);
    }
    out += "# HELP unyo_http_request_duration_seconds Time from request read to response ready.\n";
    out += "# TYPE unyo_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : s->latency) {
        for (std::size_t i = 0; i < kBuckets.size(); ++i) {
            out += fmt::format(
                "unyo_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                kBuckets[i], h.buckets[i]);
        }
        out += fmt::format(
            "unyo_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route,
            h.count);
        out += fmt::format("unyo_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                           h.sum);
        out += fmt::format("unyo_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route,
                           h.count);
    }
    return out;
}

}  // namespace unyo::http
