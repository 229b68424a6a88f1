// Server::Every: the same task object runs each time (its captured state persists) and a run
// never overlaps the one before it.
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "http/server.hpp"

namespace unyo::http {
namespace {

TEST(Periodic, OneTaskObjectRunsEachTimeAndNeverOverlapsItself) {
    Metrics metrics;
    ServerOptions options;
    options.port = 0;
    Server server(options, [](Request&) { return Response::Json(200, json::object{}); }, metrics);
    ASSERT_TRUE(server.Bind());
    std::atomic<int> seen{0}, running{0}, overlaps{0};
    server.Every(std::chrono::milliseconds(10), [&, runs = 0]() mutable {
        if (running.fetch_add(1) > 0) ++overlaps;
        seen = ++runs;  // counts only if the same object runs each time
        std::this_thread::sleep_for(std::chrono::milliseconds(35));  // longer than the interval
        running.fetch_sub(1);
    });
    std::thread stopper([&] {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (seen < 4 && std::chrono::steady_clock::now() < end) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        server.Stop();
    });
    server.Run();
    stopper.join();
    EXPECT_GE(seen.load(), 4) << "the captured counter went on from run to run";
    EXPECT_EQ(overlaps.load(), 0);
}

}  // namespace
}  // namespace unyo::http
