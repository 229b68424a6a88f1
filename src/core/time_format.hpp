#pragma once
// RFC 3339 formatting and parsing of UTC instants for the API ("2026-11-23T04:05:06.789Z").
// Pure functions; safe from any thread.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace unyo {

/// "YYYY-MM-DDTHH:MM:SS.mmmZ" in UTC.
[[nodiscard]] std::string FormatRfc3339(Millis at);
/// The basic ISO 8601 form in UTC, "20261202T183000Z" (with `millis`: "20261202T183000.123Z"), for
/// iCalendar and file names.
[[nodiscard]] std::string FormatCompactUtc(Millis at, bool millis);

/// "2026/11/23 09:05" (with seconds: "2026/11/23 09:05:06") at `utc_offset_minutes` east of UTC
/// (Japan: 540), as reports, mails and pages show instants to people.
[[nodiscard]] std::string FormatLocal(Millis at, int utc_offset_minutes = 540, bool with_seconds = false);

/// Parses RFC 3339 with a `Z` or `±HH:MM` offset, optional fraction; also a bare date
/// "YYYY-MM-DD" (midnight UTC). nullopt when malformed.
[[nodiscard]] std::optional<Millis> ParseRfc3339(std::string_view text);

}  // namespace unyo
