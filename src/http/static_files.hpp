#pragma once
// Static files of the web console, embedded in the binary at build time (so that an installed
// binary serves the console with no extra step). Immutable; safe from any thread.

#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace unyo::http {

struct StaticFile {
    std::string_view path;          // "/index.html", "/assets/index-3f2a.js"
    std::string_view content_type;  // from the extension
    const char* begin;
    const char* end;
    [[nodiscard]] std::string_view body() const {
        return {begin, static_cast<std::size_t>(end - begin)};
    }
};

/// The console's files from web/dist; empty when the console was not built before the binary.
/// Defined by the file cmake/embed_console.cmake generates.
[[nodiscard]] const std::vector<StaticFile>& ConsoleFiles();

/// Content type for a file name by its extension.
[[nodiscard]] std::string_view ContentTypeFor(std::string_view path);

/// The file for GET `path`: the file itself; for a path without an extension that names no file,
/// /index.html (the console's client-side routes, so that deep links survive a reload); else null.
[[nodiscard]] const StaticFile* FindStaticFile(const std::vector<StaticFile>& files,
                                               std::string_view path);

/// 200 with the file; hashed assets are cached for a year, everything else revalidated.
[[nodiscard]] Response StaticResponse(const StaticFile& file);

}  // namespace unyo::http
