#include "http/message.hpp"

namespace unyo::http {
namespace {

std::optional<std::string_view> Find(const Pairs& pairs, std::string_view name) {
    for (const auto& [k, v] : pairs) {
        if (k == name) {
            return std::string_view(v);
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string_view> Request::Header(std::string_view name) const {
    return Find(headers, name);
}
std::optional<std::string_view> Request::Query(std::string_view name) const {
    return Find(query, name);
}
std::string_view Request::Param(std::string_view name) const {
    return Find(params, name).value_or("");
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
    for (const auto& [k, header] : headers) {
        if (k != "cookie") {
            continue;
        }
        std::string_view rest = header;
        while (!rest.empty()) {
            const auto semi = rest.find(';');
            std::string_view part = rest.substr(0, semi);
            while (!part.empty() && part.front() == ' ') {
                part.remove_prefix(1);
            }
            const auto eq = part.find('=');
            if (eq != std::string_view::npos && part.substr(0, eq) == name) {
                return std::string(part.substr(eq + 1));
            }
            if (semi == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(semi + 1);
        }
    }
    return std::nullopt;
}

Response Response::Json(int status, const json::value& value) {
    Response r;
    r.status = status;
    r.body = json::serialize(value);
    return r;
}

void Response::SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
    std::string out;
    out.reserve(in.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%') {
            if (i + 2 >= in.size()) {
                return std::nullopt;
            }
            const int hi = hex(in[i + 1]);
            const int lo = hex(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return std::nullopt;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (in[i] == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(in[i]);
        }
    }
    return out;
}

Pairs ParseQuery(std::string_view query) {
    Pairs out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view part = query.substr(0, amp);
        if (!part.empty()) {
            const auto eq = part.find('=');
            auto key = PercentDecode(part.substr(0, eq), true);
            auto value =
                PercentDecode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
            if (key && value) {
                out.emplace_back(std::move(*key), std::move(*value));
            }
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return out;
}

}  // namespace unyo::http
