#include "monitor/results.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::monitor {
namespace {

constexpr Millis kDayMs = 24 * 3600 * 1000LL;
constexpr std::size_t kRowsPerInsert = 200;

int Rank(State s) {
    switch (s) {
        case State::kOk: return 0;
        case State::kWarning: return 1;
        case State::kCritical: return 3;
        case State::kUnknown:
        case State::kUnreachable: return 2;
    }
    return 2;
}

State FromRank(std::int64_t rank) {
    switch (rank) {
        case 0: return State::kOk;
        case 1: return State::kWarning;
        case 3: return State::kCritical;
        default: return State::kUnknown;
    }
}

struct Bucket {
    std::int64_t results = 0, values = 0;
    std::optional<double> min, max;
    double sum = 0;
    int worst = 0;
};

Millis StepMs(Step s) { return s == Step::kHour ? 3600'000 : s == Step::kMinute ? 60'000 : 0; }

}  // namespace

std::string_view StepName(Step s) {
    switch (s) {
        case Step::kRaw: return "raw";
        case Step::kMinute: return "1m";
        case Step::kHour: return "1h";
    }
    return "raw";
}

std::optional<Step> ParseStep(std::string_view name) {
    if (name == "raw") return Step::kRaw;
    if (name == "1m") return Step::kMinute;
    if (name == "1h") return Step::kHour;
    return std::nullopt;
}

Step AutoStep(Millis from, Millis to, Millis now, const Retention& keep) {
    const auto kept = [&](int days) { return days == 0 || from >= now - days * kDayMs; };
    const Millis span = to - from;
    if (span <= 6 * 3600'000LL && kept(keep.raw_days)) return Step::kRaw;
    if (span <= 2000 * 60'000LL && kept(keep.minute_days)) return Step::kMinute;
    return Step::kHour;
}

json::object ToJson(const ResultPoint& p, Step step) {
    json::object o{{"at", FormatRfc3339(p.at)}, {"state", StateName(p.state)}};
    if (step == Step::kRaw) {
        o["value"] = OrNull(p.avg);
    } else {
        o["min"] = OrNull(p.min);
        o["max"] = OrNull(p.max);
        o["avg"] = OrNull(p.avg);
        o["count"] = p.count;
    }
    return o;
}

Result<void> ResultStore::Append(const std::vector<ResultRow>& batch) {
    if (batch.empty()) return {};
    // The aggregates of the batch, merged in memory: one upsert per monitor and bucket.
    std::map<std::tuple<std::int64_t, Millis, Millis>, Bucket> buckets;  // monitor, step, bucket start
    for (const auto& r : batch) {
        for (const Millis step : {Millis{60'000}, Millis{3600'000}}) {
            auto& b = buckets[{r.monitor_id, step, r.at - r.at % step}];
            ++b.results;
            b.worst = std::max(b.worst, Rank(r.state));
            if (r.value) {
                ++b.values;
                b.sum += *r.value;
                b.min = b.min ? std::min(*b.min, *r.value) : *r.value;
                b.max = b.max ? std::max(*b.max, *r.value) : *r.value;
            }
        }
    }
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        for (std::size_t i = 0; i < batch.size(); i += kRowsPerInsert) {
            const std::size_t n = std::min(kRowsPerInsert, batch.size() - i);
            std::string sql = "INSERT INTO monitor_results (monitor_id, at, state, value) VALUES ";
            std::vector<storage::Value> params;
            params.reserve(n * 4);
            for (std::size_t k = 0; k < n; ++k) {
                const auto& r = batch[i + k];
                sql += fmt::format("{}(${}, ${}, ${}, ${})", k == 0 ? "" : ", ", k * 4 + 1, k * 4 + 2, k * 4 + 3,
                                   k * 4 + 4);
                params.insert(params.end(),
                              {r.monitor_id, r.at, std::int64_t{Rank(r.state)}, storage::Nullable(r.value)});
            }
            UNYO_TRY(c.Exec(sql, params));
        }
        for (const auto& [key, b] : buckets) {
            const auto& [monitor_id, step, start] = key;
            UNYO_TRY(c.Exec(
                "INSERT INTO monitor_rollups (monitor_id, step_s, bucket, results, values_n, min_value, max_value, "
                "sum_value, worst) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                "ON CONFLICT (monitor_id, step_s, bucket) DO UPDATE SET "
                "results = monitor_rollups.results + excluded.results, "
                "values_n = monitor_rollups.values_n + excluded.values_n, "
                "min_value = CASE WHEN monitor_rollups.min_value IS NULL OR excluded.min_value < "
                "monitor_rollups.min_value THEN excluded.min_value ELSE monitor_rollups.min_value END, "
                "max_value = CASE WHEN monitor_rollups.max_value IS NULL OR excluded.max_value > "
                "monitor_rollups.max_value THEN excluded.max_value ELSE monitor_rollups.max_value END, "
                "sum_value = COALESCE(monitor_rollups.sum_value, 0) + COALESCE(excluded.sum_value, 0), "
                "worst = CASE WHEN excluded.worst > monitor_rollups.worst THEN excluded.worst ELSE "
                "monitor_rollups.worst END",
                {monitor_id, step / 1000, start, b.results, b.values, storage::Nullable(b.min), storage::Nullable(b.max),
                 b.values > 0 ? storage::Value(b.sum) : storage::Value(), std::int64_t{b.worst}}));
        }
        return {};
    });
}

Result<std::vector<ResultPoint>> ResultStore::Query(std::int64_t monitor_id, Millis from, Millis to, Step step) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<ResultPoint>> {
        std::vector<ResultPoint> out;
        if (step == Step::kRaw) {
            auto rows = UNYO_TRY(c.Query("SELECT at, state, value FROM monitor_results WHERE monitor_id = $1 AND "
                                         "at >= $2 AND at < $3 ORDER BY at",
                                         {monitor_id, from, to}));
            out.reserve(rows.rows.size());
            for (const auto& r : rows.rows) {
                const auto v = r.OptReal(2);
                out.push_back({r.Int(0), FromRank(r.Int(1)), v, v, v, 1});
            }
            return out;
        }
        const Millis ms = StepMs(step);
        auto rows = UNYO_TRY(c.Query(
            "SELECT bucket, worst, min_value, max_value, sum_value, values_n, results FROM monitor_rollups WHERE "
            "monitor_id = $1 AND step_s = $2 AND bucket >= $3 AND bucket < $4 ORDER BY bucket",
            {monitor_id, ms / 1000, from - from % ms, to}));
        out.reserve(rows.rows.size());
        for (const auto& r : rows.rows) {
            const auto n = r.Int(5);
            out.push_back({r.Int(0), FromRank(r.Int(1)), r.OptReal(2), r.OptReal(3),
                           n > 0 ? std::optional<double>(r.Real(4) / static_cast<double>(n)) : std::nullopt, r.Int(6)});
        }
        return out;
    });
}

Result<std::int64_t> ResultStore::Prune(Millis now) {
    auto ids = UNYO_TRY(db_.Read([](storage::Connection& c) { return c.Query("SELECT id FROM monitors", {}); }));
    std::int64_t deleted = 0;
    // One monitor per transaction: each delete walks that monitor's index and never holds the
    // writer for long.
    for (const auto& row : ids.rows) {
        const std::int64_t id = row.Int(0);
        deleted += UNYO_TRY(db_.Write([&](storage::Connection& c) -> Result<std::int64_t> {
            std::int64_t n = 0;
            if (keep_.raw_days > 0) {
                n += UNYO_TRY(c.Exec("DELETE FROM monitor_results WHERE monitor_id = $1 AND at < $2",
                                     {id, now - keep_.raw_days * kDayMs}));
            }
            for (const auto& [step_s, days] : {std::pair{60, keep_.minute_days}, std::pair{3600, keep_.hour_days}}) {
                if (days == 0) continue;
                n += UNYO_TRY(
                    c.Exec("DELETE FROM monitor_rollups WHERE monitor_id = $1 AND step_s = $2 AND bucket < $3",
                           {id, std::int64_t{step_s}, now - days * kDayMs}));
            }
            return n;
        }));
    }
    return deleted;
}

}  // namespace unyo::monitor
