#pragma once
// Values bound to and read from SQL statements, the same for SQLite and PostgreSQL.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace unyo::storage {

/// A bound parameter or a result cell. std::monostate is SQL NULL.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

/// Builds a Value from an optional (nullopt → NULL).
template <typename T>
Value Nullable(const std::optional<T>& v) {
    return v ? Value(*v) : Value(std::monostate{});
}

/// One result row. Accessors convert; a NULL reads as 0 / "" unless asked with Opt*.
class Row {
  public:
    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
    [[nodiscard]] bool IsNull(std::size_t i) const {
        return std::holds_alternative<std::monostate>(values_.at(i));
    }
    [[nodiscard]] std::int64_t Int(std::size_t i) const;
    [[nodiscard]] double Real(std::size_t i) const;
    [[nodiscard]] std::string Text(std::size_t i) const;
    [[nodiscard]] bool Bool(std::size_t i) const { return Int(i) != 0; }
    [[nodiscard]] std::optional<std::int64_t> OptInt(std::size_t i) const;
    [[nodiscard]] std::optional<double> OptReal(std::size_t i) const;
    [[nodiscard]] std::optional<std::string> OptText(std::size_t i) const;
    [[nodiscard]] std::size_t size() const { return values_.size(); }
    /// The value as the database gave it (an export copies it unchanged).
    [[nodiscard]] const Value& At(std::size_t i) const { return values_.at(i); }

  private:
    std::vector<Value> values_;
};

/// The rows of a query, in order.
struct Rows {
    std::vector<std::string> columns;
    std::vector<Row> rows;
    [[nodiscard]] bool empty() const { return rows.empty(); }
    [[nodiscard]] const Row& front() const { return rows.front(); }
};

}  // namespace unyo::storage
