// Write throughput of the SQLite backend: acknowledged (committed) writes per second from
// several concurrent callers, which is what group commit is for. Run by `make bench`.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <thread>

#include "storage/migrations.hpp"
#include "storage/sql/database.hpp"

namespace {

using namespace unyo;

std::unique_ptr<storage::Database> Fresh(const std::string& dir, bool sync_full) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    storage::OpenOptions opts;
    opts.sync_full = sync_full;
    auto db = storage::Open(dir + "/bench.db", opts);
    if (!db || !storage::Migrate(**db, 0)) {
        std::abort();
    }
    return std::move(*db);
}

// Each iteration: `callers` threads each commit `per_caller` single-row writes.
void BM_SqliteConcurrentWrites(benchmark::State& state) {
    const int callers = static_cast<int>(state.range(0));
    const bool sync_full = state.range(1) != 0;
    constexpr int kPerCaller = 200;
    auto db = Fresh("/tmp/unyo-bench", sync_full);
    std::int64_t n = 0;
    for (auto _ : state) {
        std::vector<std::thread> threads;
        for (int c = 0; c < callers; ++c) {
            threads.emplace_back([&db, c, base = n] {
                for (int i = 0; i < kPerCaller; ++i) {
                    auto r = db->Write([&](storage::Connection& conn) -> Result<void> {
                        UNYO_TRY(
                            conn.Exec("INSERT INTO login_events (at, login, success, reason) "
                                      "VALUES ($1, $2, 1, 'ok')",
                                      {base + i, "caller" + std::to_string(c)}));
                        return {};
                    });
                    if (!r) {
                        std::abort();
                    }
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        n += kPerCaller;
    }
    const auto stats = db->Stats();
    state.SetItemsProcessed(state.iterations() * callers * kPerCaller);
    state.counters["writes_per_commit"] =
        static_cast<double>(stats.write_jobs) /
        static_cast<double>(std::max<std::int64_t>(1, stats.write_batches));
    db->Close();
}
BENCHMARK(BM_SqliteConcurrentWrites)
    ->ArgsProduct({{1, 8, 32}, {0, 1}})
    ->ArgNames({"callers", "sync_full"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
