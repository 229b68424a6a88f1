#pragma once
// Transport-neutral request and response values. Handlers see only these, never Beast types,
// so that api/ compiles without Asio. Plain values: copy and move freely.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.hpp"

namespace unyo::http {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Request {
    std::string method;  // "GET", "POST", …
    std::string path;    // percent-decoded, without the query
    Pairs query;         // decoded, in order
    Pairs headers;       // names lower-cased
    std::string body;
    std::string remote_address;
    Pairs params;  // path parameters filled by the router, e.g. {"id", "42"}

    /// First header named `name` (lower-case), if any.
    [[nodiscard]] std::optional<std::string_view> Header(std::string_view name) const;
    /// First query parameter named `name`, if any.
    [[nodiscard]] std::optional<std::string_view> Query(std::string_view name) const;
    /// The path parameter `name` ("" when absent).
    [[nodiscard]] std::string_view Param(std::string_view name) const;
    /// The value of cookie `name` from the Cookie header.
    [[nodiscard]] std::optional<std::string> Cookie(std::string_view name) const;
    [[nodiscard]] bool IsUnsafe() const {
        return method != "GET" && method != "HEAD" && method != "OPTIONS";
    }
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    Pairs headers;
    std::string route;  // the matched route pattern, for metrics and the access log
    std::string actor;  // the signed-in login, for the access log
    /// Set for a Server-Sent Events answer: after the headers the server calls this on the
    /// blocking pool about once a second and sends what it returns (whole `event:`/`data:`
    /// blocks, possibly empty); nullopt ends the stream.
    std::function<std::optional<std::string>()> event_poll;

    /// A JSON response.
    static Response Json(int status, const json::value& value);
    static Response NoContent() {
        Response r;
        r.status = 204;
        r.content_type.clear();
        return r;
    }
    void SetHeader(std::string name, std::string value);
};

/// Decodes %XX escapes (and `+` as space when asked); nullopt on a broken escape.
[[nodiscard]] std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

/// Splits and percent-decodes a query string ("a=1&b=%E6%97%A5"); broken pairs are dropped.
[[nodiscard]] Pairs ParseQuery(std::string_view query);

}  // namespace unyo::http
