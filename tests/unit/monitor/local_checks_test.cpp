// The host checks' parsers on captured /proc text, and the process count on a fake /proc.
#include "monitor/local_checks.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace unyo::monitor {
namespace {

TEST(LocalChecks, CpuIsBusyTimeOverAllTimeBetweenTwoSamples) {
    const auto a = ParseProcStat("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n");
    const auto b = ParseProcStat("cpu  160 0 70 860 60 0 10 0 0 0\n");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->total, 1000u);
    EXPECT_EQ(a->busy, 150u) << "idle and iowait are not busy";
    // busy +90 (user 60, system 20, softirq 10) of total +160.
    EXPECT_DOUBLE_EQ(*CpuBusyPercent(*a, *b), 100.0 * 90 / 160);
    EXPECT_FALSE(CpuBusyPercent(*b, *a)) << "time does not run backwards";
    EXPECT_FALSE(ParseProcStat("intr 1 2 3"));
}

TEST(LocalChecks, MemoryUsedIsTotalLessAvailable) {
    const auto used = ParseMemoryUsedPercent(
        "MemTotal:       16000000 kB\nMemFree:          500000 kB\nMemAvailable:    4000000 kB\nBuffers: 1 kB\n");
    ASSERT_TRUE(used);
    EXPECT_DOUBLE_EQ(*used, 75.0);
    EXPECT_FALSE(ParseMemoryUsedPercent("MemTotal: 1 kB\n")) << "no MemAvailable";
}

TEST(LocalChecks, LoadAndNetworkBytes) {
    EXPECT_DOUBLE_EQ(ParseLoad1("0.52 0.58 0.59 1/389 12345\n").value(), 0.52);
    const std::string dev =
        "Inter-|   Receive                                                |  Transmit\n"
        " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
        "    lo: 1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0\n"
        "  eth0: 5000      50    0    0    0     0          0         0     7000      70    0    0    0     0       0          0\n"
        "  eth1:  100       1    0    0    0     0          0         0      200       2    0    0    0     0       0          0\n";
    EXPECT_EQ(ParseNetBytes(dev, "eth0"), 12000u);
    EXPECT_EQ(ParseNetBytes(dev, ""), 12300u) << "every interface but loopback";
    EXPECT_FALSE(ParseNetBytes(dev, "wlan0")) << "no such interface";
}

TEST(LocalChecks, ProcessesAreCountedByNameAndCommandLine) {
    const auto root = std::filesystem::temp_directory_path() / ("unyo-proc-" + RandomToken(6));
    auto add = [&](const char* pid, const char* comm, std::string cmdline) {
        std::filesystem::create_directories(root / pid);
        std::ofstream(root / pid / "comm") << comm << "\n";
        std::ofstream(root / pid / "cmdline", std::ios::binary) << cmdline;
    };
    add("101", "postgres", std::string("postgres\0-D\0/var/lib/pg\0", 24));
    add("102", "postgres", std::string("postgres: writer\0", 17));
    add("103", "java", std::string("java\0-jar\0batch.jar\0", 20));
    std::filesystem::create_directories(root / "self");  // not a process directory
    Monitor m;
    m.target = {{"name", "postgres"}, {"min", 2}};
    auto r = CheckProcess(m, 0, root.string());
    EXPECT_EQ(r.state, State::kOk) << r.message;
    EXPECT_EQ(r.value, 2.0);
    m.target = {{"pattern", "batch.jar"}, {"min", 1}, {"max", 1}};
    EXPECT_EQ(CheckProcess(m, 0, root.string()).state, State::kOk);
    m.target = {{"name", "postgres"}, {"pattern", "-D /var/lib/pg"}};
    EXPECT_EQ(CheckProcess(m, 0, root.string()).value, 1.0) << "both must match; the arguments are joined by spaces";
    m.target = {{"name", "httpd"}};
    r = CheckProcess(m, 0, root.string());
    EXPECT_EQ(r.state, State::kCritical) << "none running";
    EXPECT_EQ(r.message, "プロセス httpd が 0 個 (期待 1 以上)");
    std::filesystem::remove_all(root);
}

TEST(LocalChecks, DiskOfTheRootIsAPercentGradedByThresholds) {
    Monitor m;
    m.target = {{"path", "/"}};
    m.critical = 100.5;
    const auto r = CheckDisk(m, 0);
    ASSERT_TRUE(r.value.has_value()) << r.message;
    EXPECT_GE(*r.value, 0.0);
    EXPECT_LE(*r.value, 100.0);
    EXPECT_EQ(r.state, State::kOk);
    m.target = {{"path", "/no/such/dir"}};
    EXPECT_EQ(CheckDisk(m, 0).state, State::kCritical);
}

}  // namespace
}  // namespace unyo::monitor
