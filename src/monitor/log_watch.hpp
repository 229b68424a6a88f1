#pragma once
// The `log` check (MON-3, MON-4): lines matching an RE2 pattern (and not an exclusion), read
// from a file followed across rotation (rename or copytruncate) or received by the syslog
// receiver, counted per interval. Without thresholds one match is critical.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "monitor/protocols.hpp"
#include "monitor/state_machine.hpp"

namespace re2 {
class RE2;
}

namespace unyo::monitor {

/// What a log monitor counts: its pattern and exclusion, and for syslog the sender's host, the
/// application and the least severe severity taken.
class LogFilter {
public:
    /// From a `log` target; Error::Field naming target.<member> when it is not valid.
    [[nodiscard]] static Result<std::shared_ptr<const LogFilter>> FromTarget(const json::object& target);
    ~LogFilter();

    [[nodiscard]] bool Matches(std::string_view line) const;
    [[nodiscard]] bool Accepts(const SyslogMessage& m) const;
    [[nodiscard]] bool syslog() const { return syslog_; }
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool from_start() const { return from_start_; }

private:
    LogFilter() = default;
    std::unique_ptr<re2::RE2> pattern_, exclude_;
    bool syslog_ = false, from_start_ = false;
    std::string path_, host_, app_;
    int max_severity_ = 7;
};

/// Lines seen and matched since the last check.
struct LogTally {
    std::uint64_t lines = 0, matches = 0;
    std::string last;  // the last matching line
    void Add(const LogFilter& filter, std::string_view line);
};

/// A file followed from where the previous read ended. The first read starts at the end (history
/// is not news) unless `from_start` or the file did not exist yet; a renamed file is read to its end before the new one is
/// opened, and a truncated one is read again from the start.
class LogFile {
public:
    explicit LogFile(std::string path, bool from_start);
    ~LogFile();
    LogFile(const LogFile&) = delete;
    LogFile& operator=(const LogFile&) = delete;

    /// The lines written since the last call (at most `max_bytes` read); an error when the file
    /// cannot be opened.
    [[nodiscard]] Result<LogTally> Poll(const LogFilter& filter, std::size_t max_bytes = 16 << 20);

private:
    void Drain(const LogFilter& filter, LogTally& tally, std::size_t& budget);
    void Close();
    std::string path_;
    bool from_start_;
    bool opened_once_ = false;
    int fd_ = -1;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
    off_t offset_ = 0;
    std::string partial_;  // a line not yet ended
};

/// The result of a log check over `tally` (`where`: the file or "syslog").
[[nodiscard]] CheckResult GradeLog(const Monitor& m, const LogTally& tally, std::string_view where, Millis at);

}  // namespace unyo::monitor
