#pragma once
// Checks of the host unyo runs on (MON-1, MON-3), read from /proc and statvfs: cpu, memory, disk,
// load, net_traffic and process. The parsers are pure (tested on captured text); the readers
// take one sample. cpu and net_traffic need two samples: the engine waits between them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "monitor/state_machine.hpp"

namespace unyo::monitor {

struct CpuTimes {
    std::uint64_t busy = 0, total = 0;  // jiffies since boot
};

/// The first line of /proc/stat ("cpu  user nice system idle iowait irq softirq steal …").
[[nodiscard]] std::optional<CpuTimes> ParseProcStat(std::string_view text);
/// Percent of the CPU busy between two samples.
[[nodiscard]] std::optional<double> CpuBusyPercent(const CpuTimes& before, const CpuTimes& after);
/// Percent of memory in use from /proc/meminfo: (MemTotal − MemAvailable) / MemTotal.
[[nodiscard]] std::optional<double> ParseMemoryUsedPercent(std::string_view meminfo);
/// The 1-minute load average from /proc/loadavg.
[[nodiscard]] std::optional<double> ParseLoad1(std::string_view loadavg);
/// Bytes received plus sent by `iface` (every interface but lo when empty) from /proc/net/dev;
/// nullopt when the interface does not exist.
[[nodiscard]] std::optional<std::uint64_t> ParseNetBytes(std::string_view netdev, std::string_view iface);

/// The whole of a small file (/proc files have no size); nullopt when unreadable.
[[nodiscard]] std::optional<std::string> ReadSmallFile(const std::string& path);

/// Checks of one sample, graded by the monitor's thresholds (`at` is the clock's now).
[[nodiscard]] CheckResult CheckMemory(const Monitor& m, Millis at);
[[nodiscard]] CheckResult CheckLoad(const Monitor& m, Millis at);
[[nodiscard]] CheckResult CheckDisk(const Monitor& m, Millis at);
/// Processes whose name (comm) equals target.name and/or whose command line contains
/// target.pattern; critical outside target.min (default 1) … target.max.
[[nodiscard]] CheckResult CheckProcess(const Monitor& m, Millis at, const std::string& proc_root = "/proc");

/// The state of a value against the monitor's warning and critical thresholds (higher is worse,
/// except for the types where LowerIsWorse).
[[nodiscard]] State Grade(const Monitor& m, double value);

}  // namespace unyo::monitor
