#include "reports/table.hpp"

#include <chrono>

#include <fmt/format.h>

namespace unyo::reports {

std::string FormatInstant(Millis at, int utc_offset_minutes) {
    using namespace std::chrono;
    const sys_time<milliseconds> tp{milliseconds{at + utc_offset_minutes * kMinuteMs}};
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<minutes>(tp - day)};
    return fmt::format("{:04}/{:02}/{:02} {:02}:{:02}", int(ymd.year()), unsigned(ymd.month()),
                       unsigned(ymd.day()), hms.hours().count(), hms.minutes().count());
}

std::string CellText(const Cell& cell, const RenderOptions& options) {
    const bool ja = options.language == Language::kJapanese;
    if (const auto* s = std::get_if<std::string>(&cell)) {
        return *s;
    }
    if (const auto* n = std::get_if<std::int64_t>(&cell)) {
        return std::to_string(*n);
    }
    if (const auto* b = std::get_if<bool>(&cell)) {
        return *b ? (ja ? "はい" : "yes") : (ja ? "いいえ" : "no");
    }
    if (const auto* t = std::get_if<Instant>(&cell)) {
        return FormatInstant(t->at, options.utc_offset_minutes);
    }
    return {};
}

}  // namespace unyo::reports
