#include "reports/table.hpp"

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
    return {};
}

}  // namespace unyo::reports
