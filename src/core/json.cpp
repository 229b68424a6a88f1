#include "core/json.hpp"

#include <fmt/format.h>

#include "core/time_format.hpp"

namespace unyo {
namespace {

std::string_view Trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// Length in characters (code points) of UTF-8 text, so that limits mean the same for Japanese.
std::size_t Utf8Length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) {
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

}  // namespace

Result<json::object> ParseObject(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) {
        return Fail(Error::Invalid(fmt::format("the body is not valid JSON: {}", ec.message())));
    }
    if (!v.is_object()) {
        return Fail(Error::Invalid("the body must be a JSON object"));
    }
    return std::move(v.as_object());
}

json::array ParseArrayOrEmpty(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    return !ec && v.is_array() ? std::move(v.as_array()) : json::array{};
}

std::vector<std::int64_t> ParseIntArray(std::string_view text) {
    std::vector<std::int64_t> out;
    for (const auto& v : ParseArrayOrEmpty(text)) {
        if (v.is_int64()) out.push_back(v.as_int64());
    }
    return out;
}

std::vector<std::string> ParseStringArray(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& v : ParseArrayOrEmpty(text)) {
        if (v.is_string()) out.emplace_back(v.as_string());
    }
    return out;
}

json::value InstantOrNull(const std::optional<Millis>& at) {
    return at ? json::value(FormatRfc3339(*at)) : json::value(nullptr);
}

std::string StringOf(const json::object& obj, std::string_view name, std::string fallback) {
    const auto* v = obj.if_contains(name);
    return v && v->is_string() ? std::string(v->as_string()) : fallback;
}

std::int64_t IntOf(const json::object& obj, std::string_view name, std::int64_t fallback) {
    const auto* v = obj.if_contains(name);
    return v && v->is_int64() ? v->as_int64() : fallback;
}

std::optional<Millis> FieldReader::OptionalInstant(std::string_view name) {
    const auto text = OptionalString(name, 64);
    if (!text) return std::nullopt;
    const auto at = ParseRfc3339(*text);
    if (!at) AddError(std::string(name), "must be an RFC 3339 instant (2026-11-23T18:00:00+09:00)");
    return at;
}

json::object ParseObjectOrEmpty(std::string_view text) {
    auto obj = ParseObject(text);
    return obj ? std::move(*obj) : json::object{};
}

void FieldReader::AddError(std::string field, std::string message) {
    errors_.push_back({std::move(field), std::move(message)});
}

void FieldReader::AddErrors(std::string_view prefix, const Error& nested) {
    if (nested.fields.empty()) {
        AddError(std::string(prefix), nested.message);
        return;
    }
    for (const auto& e : nested.fields) {
        AddError(prefix.empty() ? e.field : fmt::format("{}.{}", prefix, e.field), e.message);
    }
}

std::optional<std::string> FieldReader::StringField(std::string_view name, bool required, bool trim,
                                                    std::size_t max_len) {
    const auto* v = obj_.if_contains(name);
    if (v == nullptr || v->is_null()) {
        if (required) {
            AddError(std::string(name), "is required");
        }
        return std::nullopt;
    }
    if (!v->is_string()) {
        type_error_ = true;
        AddError(std::string(name), "must be a string");
        return std::nullopt;
    }
    std::string s(trim ? Trim(v->as_string()) : std::string_view(v->as_string()));
    if (required && s.empty()) {
        AddError(std::string(name), "must not be empty");
    } else if (Utf8Length(s) > max_len) {
        AddError(std::string(name), fmt::format("must be at most {} characters", max_len));
    }
    return s;
}

std::string FieldReader::RequiredString(std::string_view name, std::size_t max_len) {
    return StringField(name, true, true, max_len).value_or("");
}

std::string FieldReader::RequiredSecret(std::string_view name, std::size_t max_len) {
    return StringField(name, true, false, max_len).value_or("");
}

std::optional<std::string> FieldReader::OptionalString(std::string_view name, std::size_t max_len) {
    return StringField(name, false, true, max_len);
}

std::optional<std::int64_t> FieldReader::OptionalInt(std::string_view name, std::int64_t min,
                                                     std::int64_t max) {
    const auto* v = obj_.if_contains(name);
    if (v == nullptr || v->is_null()) {
        return std::nullopt;
    }
    std::int64_t n = 0;
    if (v->is_int64()) {
        n = v->as_int64();
    } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        n = static_cast<std::int64_t>(v->as_uint64());
    } else {
        type_error_ = true;
        AddError(std::string(name), "must be an integer");
        return std::nullopt;
    }
    if (n < min || n > max) {
        AddError(std::string(name), fmt::format("must be between {} and {}", min, max));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> FieldReader::OptionalBool(std::string_view name) {
    const auto* v = obj_.if_contains(name);
    if (v == nullptr || v->is_null()) {
        return std::nullopt;
    }
    if (!v->is_bool()) {
        type_error_ = true;
        AddError(std::string(name), "must be true or false");
        return std::nullopt;
    }
    return v->as_bool();
}

std::optional<std::vector<std::string>> FieldReader::OptionalStrings(std::string_view name) {
    const auto* v = obj_.if_contains(name);
    if (v == nullptr || v->is_null()) {
        return std::nullopt;
    }
    if (!v->is_array()) {
        type_error_ = true;
        AddError(std::string(name), "must be an array of strings");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : v->as_array()) {
        if (!item.is_string()) {
            type_error_ = true;
            AddError(std::string(name), "must be an array of strings");
            return std::nullopt;
        }
        out.emplace_back(item.as_string());
    }
    return out;
}

void FieldReader::AllowOnly(std::initializer_list<std::string_view> allowed) {
    AllowOnly(std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

void FieldReader::AllowOnly(std::span<const std::string_view> allowed) {
    for (const auto& kv : obj_) {
        bool ok = false;
        for (auto a : allowed) {
            ok = ok || kv.key() == a;
        }
        if (!ok) {
            AddError(std::string(kv.key()), "is not a known field");
        }
    }
}

Result<void> FieldReader::Finish() const {
    if (errors_.empty()) {
        return {};
    }
    return Fail(Error::Validation(
        errors_, type_error_ ? ErrorCode::kInvalidArgument : ErrorCode::kValidation));
}

}  // namespace unyo

namespace unyo {

std::string ValidUtf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    const auto* p = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
        if (ok && len > 1) {
            // No overlong forms, surrogates or values past U+10FFFF.
            const unsigned cp = len == 2   ? ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu)
                                : len == 3 ? ((c & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu)
                                           : ((c & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) |
                                                 ((p[i + 2] & 0x3Fu) << 6) | (p[i + 3] & 0x3Fu);
            ok = (len == 2 && cp >= 0x80) || (len == 3 && cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) ||
                 (len == 4 && cp >= 0x10000 && cp <= 0x10FFFF);
        }
        if (ok && c != 0) {
            out.append(in.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD
            i += 1;
        }
    }
    return out;
}

}  // namespace unyo
