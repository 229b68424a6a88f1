#include "reports/table.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo::reports {

std::string FormatInstant(Millis at, int utc_offset_minutes) { return FormatLocal(at, utc_offset_minutes); }

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
    if (const auto* d = std::get_if<Decimal>(&cell)) {
        return fmt::format("{:.{}f}", d->value, d->places);
    }
    if (const auto* day = std::get_if<Day>(&cell)) {
        std::string out = day->ymd;
        std::replace(out.begin(), out.end(), '-', '/');
        return out;
    }
    return {};
}

}  // namespace unyo::reports
