#include "monitor/log_watch.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <re2/re2.h>

#include "monitor/local_checks.hpp"

namespace unyo::monitor {
namespace {

Result<std::unique_ptr<re2::RE2>> Compile(const json::object& t, const char* member, bool required) {
    const auto* v = t.if_contains(member);
    if (v == nullptr || v->is_null()) {
        if (required) return Fail(Error::Field(fmt::format("target.{}", member), "is required"));
        return std::unique_ptr<re2::RE2>();
    }
    if (!v->is_string() || v->as_string().empty()) {
        return Fail(Error::Field(fmt::format("target.{}", member), "must be a non-empty RE2 pattern"));
    }
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<re2::RE2>(std::string_view(v->as_string()), options);
    if (!re->ok()) return Fail(Error::Field(fmt::format("target.{}", member), "is not a valid RE2 pattern: " + re->error()));
    return re;
}

constexpr std::size_t kMaxLine = 64 * 1024;  // longer lines are judged by their beginning

// At most `max` bytes of `s`, not cutting a UTF-8 character.
std::string Clip(std::string_view s, std::size_t max) {
    if (s.size() <= max) return std::string(s);
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return std::string(s.substr(0, n)) + "…";
}

}  // namespace

LogFilter::~LogFilter() = default;

Result<std::shared_ptr<const LogFilter>> LogFilter::FromTarget(const json::object& t) {
    std::shared_ptr<LogFilter> f(new LogFilter());
    std::vector<FieldError> errors;
    for (auto [member, required, out] : {std::tuple{"pattern", true, &f->pattern_}, std::tuple{"exclude", false, &f->exclude_}}) {
        auto re = Compile(t, member, required);
        if (re) {
            *out = std::move(*re);
        } else {
            errors.insert(errors.end(), re.error().fields.begin(), re.error().fields.end());
        }
    }
    const auto source = StringOf(t, "source");
    if (!source.empty() && source != "file" && source != "syslog") errors.push_back({"target.source", "must be file or syslog"});
    f->syslog_ = source == "syslog";
    f->path_ = StringOf(t, "path");
    if (!f->syslog_ && (f->path_.empty() || f->path_.front() != '/')) {
        errors.push_back({"target.path", "must be the absolute path of the log file (or set source: syslog)"});
    }
    if (const auto* v = t.if_contains("from_start")) {
        if (v->is_bool()) {
            f->from_start_ = v->as_bool();
        } else {
            errors.push_back({"target.from_start", "must be true or false"});
        }
    }
    f->host_ = StringOf(t, "host");
    f->app_ = StringOf(t, "app");
    if (const auto severity = StringOf(t, "severity"); !severity.empty()) {
        f->max_severity_ = SyslogSeverityCode(severity);
        if (f->max_severity_ < 0) {
            errors.push_back({"target.severity", "must be emerg, alert, crit, err, warning, notice, info or debug"});
        }
    }
    if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
    return std::shared_ptr<const LogFilter>(std::move(f));
}

bool LogFilter::Matches(std::string_view line) const {
    if (!re2::RE2::PartialMatch(line, *pattern_)) return false;
    return !exclude_ || !re2::RE2::PartialMatch(line, *exclude_);
}

bool LogFilter::Accepts(const SyslogMessage& m) const {
    if (!host_.empty() && m.host != host_) return false;
    if (!app_.empty() && m.app != app_) return false;
    return m.severity <= max_severity_;
}

void LogTally::Add(const LogFilter& filter, std::string_view line) {
    ++lines;
    if (filter.Matches(line)) {
        ++matches;
        last = Clip(line, 300);
    }
}

LogFile::LogFile(std::string path, bool from_start) : path_(std::move(path)), from_start_(from_start) {}

LogFile::~LogFile() { Close(); }

void LogFile::Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void LogFile::Drain(const LogFilter& filter, LogTally& tally, std::size_t& budget) {
    char buf[65536];
    while (budget > 0) {
        const auto n = ::pread(fd_, buf, std::min(sizeof buf, budget), offset_);
        if (n <= 0) break;
        offset_ += n;
        budget -= static_cast<std::size_t>(n);
        std::string_view chunk(buf, static_cast<std::size_t>(n));
        for (auto nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n')) {
            if (partial_.size() < kMaxLine) partial_.append(chunk.substr(0, std::min(nl, kMaxLine - partial_.size())));
            if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
            tally.Add(filter, partial_);
            partial_.clear();
            chunk.remove_prefix(nl + 1);
        }
        if (partial_.size() < kMaxLine) partial_.append(chunk.substr(0, kMaxLine - partial_.size()));
    }
}

Result<LogTally> LogFile::Poll(const LogFilter& filter, std::size_t max_bytes) {
    LogTally tally;
    std::size_t budget = max_bytes;
    auto open = [&](bool at_end) -> Result<void> {
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return Fail(Error::Invalid(fmt::format("{} を開けません ({})", path_, std::strerror(errno))));
        struct stat st {};
        ::fstat(fd_, &st);
        dev_ = st.st_dev;
        ino_ = st.st_ino;
        offset_ = at_end ? st.st_size : 0;
        partial_.clear();
        return {};
    };
    if (fd_ < 0) {  // a file that was missing at the first check is new: read from its start
        const bool at_end = !opened_once_ && !from_start_;
        opened_once_ = true;
        UNYO_TRY_VOID(open(at_end));
    }
    Drain(filter, tally, budget);
    struct stat now {};
    if (::stat(path_.c_str(), &now) != 0) return tally;  // rotated away, not yet recreated: keep the old
    if (now.st_dev != dev_ || now.st_ino != ino_) {      // rotated: the old one was read to its end
        if (!partial_.empty()) tally.Add(filter, partial_);
        Close();
        UNYO_TRY_VOID(open(false));
        Drain(filter, tally, budget);
    } else if (now.st_size < offset_) {  // truncated in place (copytruncate)
        offset_ = 0;
        partial_.clear();
        Drain(filter, tally, budget);
    }
    return tally;
}

CheckResult GradeLog(const Monitor& m, const LogTally& tally, std::string_view where, Millis at) {
    const double count = static_cast<double>(tally.matches);
    State state = Grade(m, count);
    if (!m.warning && !m.critical && tally.matches > 0) state = State::kCritical;
    if (tally.matches == 0) return {state, count, fmt::format("{}: 一致なし ({} 行)", where, tally.lines), at};
    return {state, count, fmt::format("{}: {} 件一致 (最後: {})", where, tally.matches, tally.last), at};
}

}  // namespace unyo::monitor
