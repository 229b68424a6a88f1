#pragma once
// List screens as downloads: `?format=csv` (UTF-8 with BOM, or `&encoding=cp932`) and
// `?format=xlsx`, with Japanese column titles unless `&lang=en`. The same filters as the
// JSON list apply; every page is included, so what is exported is what the screen can page through.

#include <functional>
#include <optional>

#include "api/context.hpp"
#include "reports/table.hpp"

namespace unyo::api {

/// At most this many rows in one export; more is refused with advice to narrow the filter.
constexpr std::size_t kMaxExportRows = 100000;

/// Whether the request asks for a file (`format` given). Error naming `format` when unknown.
[[nodiscard]] Result<bool> WantsExport(const Context& ctx);

/// Renders `table` in the requested format as an attachment.
[[nodiscard]] Result<http::Response> ExportResponse(const Context& ctx,
                                                    const reports::Table& table);

/// Collects every page: `fetch(cursor)` returns the items and the next cursor.
template <typename T>
Result<std::vector<T>> AllPages(
    const std::function<Result<std::pair<std::vector<T>, std::optional<std::int64_t>>>(
        std::optional<std::int64_t>)>& fetch) {
    std::vector<T> all;
    std::optional<std::int64_t> cursor;
    for (;;) {
        auto [items, next] = UNYO_TRY(fetch(cursor));
        for (auto& i : items) {
            all.push_back(std::move(i));
        }
        if (all.size() > kMaxExportRows) {
            return Fail(Error::Field("format",
                                     "more than 100000 rows; narrow the filter and export again"));
        }
        if (!next) {
            return all;
        }
        cursor = next;
    }
}

/// The language of the export's titles and values (`lang`, default Japanese).
[[nodiscard]] reports::Language ExportLanguage(const Context& ctx);

/// A page fetcher for AllPages over one of the service's paged lists: `list(query)` with
/// query.after/limit set by the pager.
template <typename T, typename Query, typename List>
Result<std::vector<T>> AllPagesOf(Query query, List&& list) {
    return AllPages<T>([&](std::optional<std::int64_t> cursor)
                           -> Result<std::pair<std::vector<T>, std::optional<std::int64_t>>> {
        query.after = cursor;
        query.limit = 500;
        auto page = UNYO_TRY(list(query));
        return std::pair{std::move(page.items), page.next_cursor};
    });
}

/// Pages backwards through a newest-first list whose cursor is "before this id".
template <typename T, typename Query, typename List, typename IdOf>
Result<std::vector<T>> AllNewestFirst(Query query, std::optional<std::int64_t> Query::*before,
                                      List&& list, IdOf&& id_of) {
    return AllPages<T>([&](std::optional<std::int64_t> cursor)
                           -> Result<std::pair<std::vector<T>, std::optional<std::int64_t>>> {
        query.*before = cursor;
        query.limit = 500;
        auto items = UNYO_TRY(list(query));
        const bool full = static_cast<int>(items.size()) == query.limit;
        const auto next = full ? std::optional(id_of(items.back())) : std::nullopt;
        return std::pair{std::move(items), next};
    });
}

/// Content-Disposition of a download named `name` (RFC 6266/5987: an ASCII fallback and UTF-8).
[[nodiscard]] std::string Disposition(const std::string& name);

/// Japanese or English name of a role, for exports.
[[nodiscard]] std::string RoleTitle(const std::string& role, reports::Language language);

}  // namespace unyo::api
