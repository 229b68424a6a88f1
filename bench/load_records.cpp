// Loads N records of mixed kinds with Japanese text straight into a database that `unyo init`
// prepared, in large transactions, for the list and search latency benchmark (make bench).
// Usage: load_records TARGET COUNT   (TARGET: a SQLite file or a postgresql:// URL)
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <fmt/format.h>

#include "records/workflow.hpp"
#include "storage/migrations.hpp"
#include "storage/sql/database.hpp"

namespace {

using namespace unyo;

constexpr const char* kSystems[] = {"住民記録", "税務", "国民健康保険", "介護保険", "財務会計",
                                    "人事給与", "文書管理", "電子申請", "福祉総合", "選挙"};
constexpr const char* kSymptoms[] = {"帳票が印刷できない", "画面の応答が遅い",     "ログインできない",
                                     "バッチが異常終了した", "データが不整合になった", "画面が固まる",
                                     "通信エラーが出る",   "証明書が発行できない", "検索結果が表示されない"};
constexpr const char* kPlaces[] = {"本庁舎", "第二庁舎", "支所", "出張所", "データセンター"};
constexpr const char* kKinds[] = {"incident", "problem", "change", "release", "issue", "inquiry", "request"};
constexpr const char* kSeverities[] = {"critical", "high", "medium", "low"};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: load_records TARGET COUNT\n");
        return 2;
    }
    const std::string target = argv[1];
    const long count = std::atol(argv[2]);
    auto db = storage::Open(target);
    if (!db || !storage::CheckSchema(**db)) {
        std::fprintf(stderr, "cannot open a migrated database at %s (run unyo init first)\n", target.c_str());
        return 3;
    }
    const bool sqlite = (*db)->dialect() == storage::Dialect::kSqlite;
    std::mt19937 rng(20261123);
    auto pick = [&rng](const auto& arr) { return arr[rng() % std::size(arr)]; };
    constexpr long kBatch = 5000;
    const long long base_time = 1'767'225'600'000;  // 2026-01-01
    long number[7] = {0, 0, 0, 0, 0, 0, 0};
    for (long done = 0; done < count; done += kBatch) {
        auto r = (*db)->Write([&](storage::Connection& c) -> Result<void> {
            for (long i = done; i < std::min(count, done + kBatch); ++i) {
                const int k = static_cast<int>(rng() % 7);
                const auto* w = records::WorkflowByKind(kKinds[k]);
                const std::string title = fmt::format("{}システムで{} ({}-{})", pick(kSystems), pick(kSymptoms),
                                                      pick(kPlaces), i);
                const std::string description = fmt::format("{}の{}。{}から連絡あり。影響範囲を確認中。",
                                                            pick(kSystems), pick(kSymptoms), pick(kPlaces));
                const std::string& status = w->states[rng() % w->states.size()].name;
                const std::string severity = w->has_severity ? pick(kSeverities) : "";
                const long long at = base_time + i * 25'000;
                const long n = ++number[k];
                const std::string key = fmt::format("{}-{:06}", w->prefix, n);
                const std::string text = key + "\n" + title + "\n" + description;
                auto rows = UNYO_TRY(c.Query(
                    "INSERT INTO records (kind, number, key, title, description, status, severity, fields_json, "
                    "created_at, updated_at, version, search_text) VALUES ($1, $2, $3, $4, $5, $6, $7, '{}', $8, $8, "
                    "1, $9) RETURNING id",
                    {std::string(kKinds[k]), std::int64_t{n}, key, title, description, status, severity,
                     std::int64_t{at}, text}));
                if (sqlite) {
                    UNYO_TRY(c.Exec("INSERT INTO records_fts (rowid, search_text) VALUES ($1, $2)",
                                    {rows.front().Int(0), text}));
                }
            }
            return {};
        });
        if (!r) {
            std::fprintf(stderr, "load failed: %s\n", r.error().message.c_str());
            return 4;
        }
        if ((done / kBatch) % 20 == 0) {
            std::fprintf(stderr, "loaded %ld\n", done + kBatch);
        }
    }
    auto r = (*db)->Write([&](storage::Connection& c) -> Result<void> {
        for (int k = 0; k < 7; ++k) {
            UNYO_TRY(c.Exec("UPDATE record_counters SET last = $1 WHERE kind = $2",
                            {std::int64_t{number[k]}, std::string(kKinds[k])}));
        }
        return sqlite ? c.ExecScript("ANALYZE") : c.ExecScript("ANALYZE records");
    });
    (*db)->Close();
    std::printf("loaded %ld records\n", count);
    return r ? 0 : 5;
}
