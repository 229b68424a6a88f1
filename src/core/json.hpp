#pragma once
// Boost.JSON comes in through here, with small typed readers that turn a request body into
// field-named validation errors.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"

namespace unyo {
namespace json = boost::json;

/// Parses `text` into an object. Error::Invalid naming the position when malformed or not an
/// object.
[[nodiscard]] Result<json::object> ParseObject(std::string_view text);

/// The object stored as `text` (a column we wrote ourselves); an empty object if it is not one.
[[nodiscard]] json::object ParseObjectOrEmpty(std::string_view text);

/// The array stored as `text` (a column we wrote ourselves); an empty array if it is not one.
[[nodiscard]] json::array ParseArrayOrEmpty(std::string_view text);
/// The integers of a JSON array stored as `text` (a column we wrote); anything else is skipped.
[[nodiscard]] std::vector<std::int64_t> ParseIntArray(std::string_view text);
/// The strings of a JSON array stored as `text`; anything else is skipped.
[[nodiscard]] std::vector<std::string> ParseStringArray(std::string_view text);

/// `in` with every byte that is not part of valid UTF-8 (and NUL) replaced by U+FFFD: program
/// output made fit for JSON and a TEXT column.
[[nodiscard]] std::string ValidUtf8(std::string_view in);

/// The value, or JSON null when there is none.
template <typename T>
[[nodiscard]] json::value OrNull(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
/// The instant in RFC 3339, or JSON null when there is none.
[[nodiscard]] json::value InstantOrNull(const std::optional<Millis>& at);

/// The string member `name` of `obj`; `fallback` when absent or not a string.
[[nodiscard]] std::string StringOf(const json::object& obj, std::string_view name, std::string fallback = {});
/// The integer member `name` of `obj`; `fallback` when absent or not an integer.
[[nodiscard]] std::int64_t IntOf(const json::object& obj, std::string_view name, std::int64_t fallback);

/// Reads typed fields out of a JSON object and collects one error per bad field, so that a client
/// learns all problems at once. Not thread-safe; one per request.
class FieldReader {
  public:
    explicit FieldReader(const json::object& obj) : obj_(obj) {}

    /// Required string, trimmed; error when missing, empty, not a string or longer than `max_len`.
    std::string RequiredString(std::string_view name, std::size_t max_len = 200);
    /// Required string taken as sent (not trimmed): passwords.
    std::string RequiredSecret(std::string_view name, std::size_t max_len = 1024);
    /// Optional string (absent or null → nullopt).
    std::optional<std::string> OptionalString(std::string_view name, std::size_t max_len = 2000);
    std::optional<std::int64_t> OptionalInt(std::string_view name, std::int64_t min,
                                            std::int64_t max);
    std::optional<bool> OptionalBool(std::string_view name);
    /// Optional RFC 3339 instant; error naming it when it is not one.
    std::optional<Millis> OptionalInstant(std::string_view name);
    /// Optional array of strings.
    std::optional<std::vector<std::string>> OptionalStrings(std::string_view name);
    /// Fails on fields outside `allowed`, so that typos do not pass silently.
    void AllowOnly(std::initializer_list<std::string_view> allowed);
    void AllowOnly(std::span<const std::string_view> allowed);
    [[nodiscard]] bool Has(std::string_view name) const { return obj_.contains(name); }
    void AddError(std::string field, std::string message);
    /// The field errors of a nested object's reading, each under `prefix` ("match" + "states" →
    /// "match.states"; no prefix: as they are); an error without fields is named `prefix`.
    void AddErrors(std::string_view prefix, const Error& nested);

    /// Ok when no field failed; else one Error (code kInvalidArgument if a type was wrong,
    /// kValidation otherwise) listing every field.
    [[nodiscard]] Result<void> Finish() const;

  private:
    std::optional<std::string> StringField(std::string_view name, bool required, bool trim,
                                           std::size_t max_len);

    const json::object& obj_;
    std::vector<FieldError> errors_;
    bool type_error_ = false;
};

}  // namespace unyo
