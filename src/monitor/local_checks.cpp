#include "monitor/local_checks.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace unyo::monitor {
namespace {

std::vector<std::string_view> Words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

template <typename T>
std::optional<T> Number(std::string_view s) {
    T v{};
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

CheckResult Graded(const Monitor& m, double value, std::string message, Millis at) {
    return {Grade(m, value), value, std::move(message), at};
}

CheckResult Unknown(std::string why, Millis at) { return {State::kUnknown, std::nullopt, std::move(why), at}; }

}  // namespace

State Grade(const Monitor& m, double value) {
    if (LowerIsWorse(m.type)) {
        if (m.critical && value <= *m.critical) return State::kCritical;
        if (m.warning && value <= *m.warning) return State::kWarning;
        return State::kOk;
    }
    if (m.critical && value >= *m.critical) return State::kCritical;
    if (m.warning && value >= *m.warning) return State::kWarning;
    return State::kOk;
}

std::optional<CpuTimes> ParseProcStat(std::string_view text) {
    const auto line = text.substr(0, text.find('\n'));
    const auto w = Words(line);
    if (w.size() < 5 || w[0] != "cpu") return std::nullopt;
    CpuTimes t;
    // user nice system idle iowait irq softirq steal (guest is already in user)
    for (std::size_t i = 1; i < w.size() && i <= 8; ++i) {
        const auto v = Number<std::uint64_t>(w[i]);
        if (!v) return std::nullopt;
        t.total += *v;
        if (i != 4 && i != 5) t.busy += *v;  // idle and iowait are not busy
    }
    return t;
}

std::optional<double> CpuBusyPercent(const CpuTimes& before, const CpuTimes& after) {
    if (after.total <= before.total || after.busy < before.busy) return std::nullopt;
    return 100.0 * static_cast<double>(after.busy - before.busy) / static_cast<double>(after.total - before.total);
}

std::optional<double> ParseMemoryUsedPercent(std::string_view meminfo) {
    std::optional<double> total, available;
    std::istringstream in{std::string(meminfo)};
    std::string line;
    while (std::getline(in, line)) {
        const auto w = Words(line);
        if (w.size() < 2) continue;
        if (w[0] == "MemTotal:") total = Number<std::uint64_t>(w[1]);
        if (w[0] == "MemAvailable:") available = Number<std::uint64_t>(w[1]);
    }
    if (!total || !available || *total <= 0) return std::nullopt;
    return 100.0 * (*total - *available) / *total;
}

std::optional<double> ParseLoad1(std::string_view loadavg) {
    const auto w = Words(loadavg.substr(0, loadavg.find('\n')));
    if (w.empty()) return std::nullopt;
    return Number<double>(w[0]);
}

std::optional<std::uint64_t> ParseNetBytes(std::string_view netdev, std::string_view iface) {
    std::istringstream in{std::string(netdev)};
    std::string line;
    std::uint64_t sum = 0;
    bool found = false;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;  // the two header lines
        const auto name = Words(std::string_view(line).substr(0, colon));
        if (name.size() != 1) continue;
        if (iface.empty() ? name[0] == "lo" : name[0] != iface) continue;
        const auto w = Words(std::string_view(line).substr(colon + 1));
        if (w.size() < 9) return std::nullopt;
        const auto rx = Number<std::uint64_t>(w[0]), tx = Number<std::uint64_t>(w[8]);
        if (!rx || !tx) return std::nullopt;
        sum += *rx + *tx;
        found = true;
    }
    if (!found) return std::nullopt;
    return sum;
}

std::optional<std::string> ReadSmallFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string out;
    char buffer[4096];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        out.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (out.size() > (1u << 20)) break;
    }
    return out;
}

CheckResult CheckMemory(const Monitor& m, Millis at) {
    const auto text = ReadSmallFile("/proc/meminfo");
    const auto used = text ? ParseMemoryUsedPercent(*text) : std::nullopt;
    if (!used) return Unknown("/proc/meminfo を読めません", at);
    return Graded(m, *used, fmt::format("メモリ使用率 {:.1f}%", *used), at);
}

CheckResult CheckLoad(const Monitor& m, Millis at) {
    const auto text = ReadSmallFile("/proc/loadavg");
    const auto load = text ? ParseLoad1(*text) : std::nullopt;
    if (!load) return Unknown("/proc/loadavg を読めません", at);
    return Graded(m, *load, fmt::format("ロードアベレージ (1分) {:.2f}", *load), at);
}

CheckResult CheckDisk(const Monitor& m, Millis at) {
    const auto path = StringOf(m.target, "path");
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0 || st.f_blocks == 0) {
        return {State::kCritical, std::nullopt, fmt::format("{} の容量を取得できません", path), at};
    }
    const double total = static_cast<double>(st.f_blocks) * static_cast<double>(st.f_frsize);
    const double free_for_users = static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize);
    const double used_for_users = total - static_cast<double>(st.f_bfree) * static_cast<double>(st.f_frsize);
    // Like df: used / (used + available to users).
    const double percent = 100.0 * used_for_users / (used_for_users + free_for_users);
    return Graded(m, percent,
                  fmt::format("{} 使用率 {:.1f}% (空き {:.1f} GiB)", path, percent, free_for_users / (1024.0 * 1024 * 1024)),
                  at);
}

CheckResult CheckProcess(const Monitor& m, Millis at, const std::string& proc_root) {
    const auto name = StringOf(m.target, "name");
    const auto pattern = StringOf(m.target, "pattern");
    const std::int64_t min = IntOf(m.target, "min", 1);
    const std::optional<std::int64_t> max =
        m.target.contains("max") ? std::optional<std::int64_t>(IntOf(m.target, "max", 0)) : std::nullopt;
    std::int64_t count = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(proc_root, ec)) {
        const auto pid = entry.path().filename().string();
        if (pid.empty() || !std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
        if (!name.empty()) {
            auto comm = ReadSmallFile(entry.path() / "comm");
            if (!comm) continue;
            if (!comm->empty() && comm->back() == '\n') comm->pop_back();
            if (*comm != name) continue;
        }
        if (!pattern.empty()) {
            auto cmdline = ReadSmallFile(entry.path() / "cmdline");
            if (!cmdline) continue;
            std::replace(cmdline->begin(), cmdline->end(), '\0', ' ');
            if (cmdline->find(pattern) == std::string::npos) continue;
        }
        ++count;
    }
    if (ec) return Unknown(fmt::format("{} を読めません: {}", proc_root, ec.message()), at);
    const std::string what = !name.empty() ? name : pattern;
    const bool ok = count >= min && (!max || count <= *max);
    const auto range = max ? fmt::format("{}〜{}", min, *max) : fmt::format("{} 以上", min);
    return {ok ? State::kOk : State::kCritical, static_cast<double>(count),
            fmt::format("プロセス {} が {} 個 (期待 {})", what, count, range), at};
}

}  // namespace unyo::monitor
