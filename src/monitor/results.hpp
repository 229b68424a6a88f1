#pragma once
// Check results (MON-8): every result kept raw for a while, and 1-minute and 1-hour aggregates
// (min, max, mean of the value, worst state) kept longer, so that a chart over a year reads a few
// thousand rows. The engine hands results over in batches; one batch is one transaction (raw rows
// plus the aggregates it touches, merged in memory first). Thread-safe; blocks on the database.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "monitor/monitor.hpp"
#include "storage/sql/database.hpp"

namespace unyo::monitor {

struct ResultRow {
    std::int64_t monitor_id = 0;
    Millis at = 0;
    State state = State::kOk;
    std::optional<double> value;
};

/// One point of `GET /monitors/{id}/results`: a raw result (min = max = avg = the value, count 1)
/// or a bucket of an aggregate.
struct ResultPoint {
    Millis at = 0;
    State state = State::kOk;  // the worst in the bucket
    std::optional<double> min, max, avg;
    std::int64_t count = 0;  // results in the bucket
};

/// How long each resolution is kept, in days (0: forever).
struct Retention {
    int raw_days = 7;
    int minute_days = 90;
    int hour_days = 0;
};

/// The resolutions: raw results and aggregates of 60 s and 3600 s.
enum class Step { kRaw, kMinute, kHour };
[[nodiscard]] std::string_view StepName(Step s);
[[nodiscard]] std::optional<Step> ParseStep(std::string_view name);  // raw | 1m | 1h
/// The finest resolution still kept for `from` that gives at most ~2000 points over from–to.
[[nodiscard]] Step AutoStep(Millis from, Millis to, Millis now, const Retention& keep);

[[nodiscard]] json::object ToJson(const ResultPoint& p, Step step);

class ResultStore {
public:
    ResultStore(storage::Database& db, Retention keep) : db_(db), keep_(keep) {}

    /// Writes a batch: the raw rows and the aggregates they fall in.
    [[nodiscard]] Result<void> Append(const std::vector<ResultRow>& batch);
    /// Points of a monitor in [from, to) at `step`, oldest first.
    [[nodiscard]] Result<std::vector<ResultPoint>> Query(std::int64_t monitor_id, Millis from, Millis to, Step step);
    /// Deletes what is older than its retention; returns the rows deleted.
    [[nodiscard]] Result<std::int64_t> Prune(Millis now);

    [[nodiscard]] const Retention& retention() const { return keep_; }

private:
    storage::Database& db_;
    Retention keep_;
};

}  // namespace unyo::monitor
