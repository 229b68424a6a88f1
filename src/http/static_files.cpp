#include "http/static_files.hpp"

namespace unyo::http {

std::string_view ContentTypeFor(std::string_view path) {
    const auto dot = path.rfind('.');
    const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "json" || ext == "map") return "application/json";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "ico") return "image/x-icon";
    if (ext == "woff2") return "font/woff2";
    if (ext == "txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

const StaticFile* FindStaticFile(const std::vector<StaticFile>& files, std::string_view path) {
    if (path == "/") {
        path = "/index.html";
    }
    const StaticFile* index = nullptr;
    for (const auto& f : files) {
        if (f.path == path) {
            return &f;
        }
        if (f.path == "/index.html") {
            index = &f;
        }
    }
    const auto last_slash = path.rfind('/');
    const bool has_extension =
        path.find('.', last_slash == std::string_view::npos ? 0 : last_slash) !=
        std::string_view::npos;
    return has_extension ? nullptr : index;
}

Response StaticResponse(const StaticFile& file) {
    Response r;
    r.content_type = std::string(file.content_type);
    r.body = std::string(file.body());
    const bool hashed = file.path.starts_with("/assets/");
    r.SetHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    if (file.content_type.starts_with("text/html")) {
        // The console loads nothing from elsewhere; inline style attributes are allowed for layout.
        r.SetHeader(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        r.SetHeader("X-Frame-Options", "DENY");
    }
    return r;
}

}  // namespace unyo::http
