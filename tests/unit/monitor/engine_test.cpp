// The engine on a real loop (SQLite): a failure seen while its own loop ran late is set aside
// (the timeout may be the engine's) but believed after a few turns; a failure on a loop on time
// is believed at once; monitors whose first state is ok are written together, not one by one.
#include "monitor/engine.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "support/test_db.hpp"

namespace unyo::monitor {
namespace {

const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};
using namespace std::chrono_literals;

// A port that takes connections (the kernel's backlog) and never answers: an HTTP check times out.
class SilentPort {
  public:
    SilentPort() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd_, 64) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
            ADD_FAILURE() << "cannot listen on loopback";
        }
        port_ = ntohs(a.sin_port);
    }
    ~SilentPort() { ::close(fd_); }
    SilentPort(const SilentPort&) = delete;
    SilentPort& operator=(const SilentPort&) = delete;
    [[nodiscard]] int port() const { return port_; }

  private:
    int fd_ = -1;
    int port_ = 0;
};

class EngineTest : public ::testing::Test {
  protected:
    void SetUp() override {
        t_ = std::make_unique<unyo::testing::TestDatabase>("sqlite");
        store_ = std::make_unique<MonitorStore>(t_->db(), clock_);
    }

    std::int64_t AddMonitor(const std::string& name, const std::string& type, json::object target, int interval_s,
                            int timeout_ms, int retries) {
        Monitor m;
        m.name = name;
        m.type = type;
        m.target = std::move(target);
        m.interval_s = interval_s;
        m.timeout_ms = timeout_ms;
        m.retries = retries;
        auto created = store_->Create(m, kActor);
        EXPECT_TRUE(created) << (created ? "" : created.error().message);
        return created ? created->id : 0;
    }

    // The hard changes the engine handed over, one by one.
    std::vector<HardChange> Changes() {
        const std::lock_guard lock(mutex_);
        return changes_;
    }

    Engine MakeEngine() {
        return Engine(clock_, *store_, [this](const Monitor&, const HardChange& ch) {
            const std::lock_guard lock(mutex_);
            changes_.push_back(ch);
        });
    }

    // Waits up to `limit` for a change to `to`.
    bool WaitFor(State to, std::chrono::milliseconds limit) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            for (const auto& ch : Changes()) {
                if (ch.to == to) return true;
            }
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }

    SystemClock clock_;
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::unique_ptr<MonitorStore> store_;
    std::mutex mutex_;
    std::vector<HardChange> changes_;
};

TEST_F(EngineTest, AFailureWhileTheLoopRunsLateIsSetAsideThenBelieved) {
    SilentPort silent;
    AddMonitor("応答しない Web", "http", {{"url", fmt::format("http://127.0.0.1:{}/", silent.port())}}, 1, 300, 1);
    auto engine = MakeEngine();
    ASSERT_TRUE(engine.Start());
    // The loop blocked for 900 ms at a time, with short gaps: every check's timeout is seen late.
    std::atomic<bool> stalling{true};
    std::thread staller([&] {
        while (stalling) {
            engine.StallForTest(900ms);
            std::this_thread::sleep_for(5ms);
        }
    });
    const bool believed = WaitFor(State::kCritical, 15s);
    stalling = false;
    staller.join();
    const auto stats = engine.Stats();
    engine.Stop();
    EXPECT_TRUE(believed) << "a target really down is reported even while the engine stays late";
    EXPECT_GE(stats.inconclusive_checks, 1u) << "the failures seen late were set aside first";
    EXPECT_LE(stats.inconclusive_checks, 3u) << "at most three in a row";
    EXPECT_GE(stats.max_loop_lag_ms, 600) << "the probe saw the loop's delay";
}

TEST_F(EngineTest, AFailureOnALoopOnTimeIsBelievedAtOnce) {
    SilentPort silent;
    AddMonitor("応答しない Web", "http", {{"url", fmt::format("http://127.0.0.1:{}/", silent.port())}}, 1, 300, 1);
    auto engine = MakeEngine();
    ASSERT_TRUE(engine.Start());
    const bool critical = WaitFor(State::kCritical, 5s);
    const auto stats = engine.Stats();
    engine.Stop();
    EXPECT_TRUE(critical);
    EXPECT_EQ(stats.inconclusive_checks, 0u);
    EXPECT_LT(stats.max_loop_lag_ms, 250);
}

TEST_F(EngineTest, FirstStatesThatAreOkAreWrittenTogether) {
    // Heartbeats every second, first checked within that second (ok: the engine counts from its
    // start); five failures would be needed before any went critical.
    for (int i = 0; i < 5; ++i) AddMonitor(fmt::format("夜間バッチ {}", i), "heartbeat", {}, 1, 1000, 5);
    auto engine = MakeEngine();
    std::mutex m;
    std::vector<std::size_t> batches;
    std::size_t settled = 0;
    engine.OnSettled([&](const std::vector<std::pair<std::int64_t, HardChange>>& batch) {
        const std::lock_guard lock(m);
        batches.push_back(batch.size());
        for (const auto& [id, ch] : batch) {
            EXPECT_EQ(ch.from, State::kUnknown);
            EXPECT_EQ(ch.to, State::kOk);
            ++settled;
        }
    });
    ASSERT_TRUE(engine.Start());
    const auto end = std::chrono::steady_clock::now() + 10s;
    for (;;) {
        {
            const std::lock_guard lock(m);
            if (settled == 5 || std::chrono::steady_clock::now() > end) break;
        }
        std::this_thread::sleep_for(50ms);
    }
    engine.Stop();
    const std::lock_guard lock(m);
    EXPECT_EQ(settled, 5u);
    EXPECT_LE(batches.size(), 2u) << "one batch a second, not one write per monitor";
    EXPECT_TRUE(Changes().empty()) << "no first ok goes through the alert path";
}

}  // namespace
}  // namespace unyo::monitor
