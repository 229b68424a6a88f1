#pragma once
// Builds the optional filters of a list query without concatenating values: each condition
// gets the next `$n` placeholder and its value is bound. Not thread-safe; one per query.

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "storage/sql/value.hpp"

namespace unyo::storage {

class QueryBuilder {
  public:
    /// Starts from a statement that already has a WHERE clause, e.g. "SELECT … WHERE 1 = 1".
    explicit QueryBuilder(std::string base) : sql_(std::move(base)) {}

    /// Appends " AND <condition>", where every `{0}` in `condition` is the placeholder of `value`.
    void And(std::string_view condition, Value value) {
        sql_ += " AND " + fmt::format(fmt::runtime(condition), Bind(std::move(value)));
    }
    /// Appends " AND <condition>" that binds nothing.
    void And(std::string_view condition) { sql_ += fmt::format(" AND {}", condition); }
    /// Appends " AND <column> [NOT] IN ($a, $b, …)"; nothing when `values` is empty.
    template <typename T>
    void AndIn(std::string_view column, const std::vector<T>& values, bool negate = false) {
        if (values.empty()) {
            return;
        }
        std::string list;
        for (const auto& v : values) {
            list += (list.empty() ? "" : ", ") + Bind(Value(v));
        }
        sql_ += fmt::format(" AND {} {}IN ({})", column, negate ? "NOT " : "", list);
    }
    /// Appends free text (ORDER BY …), where `{0}` is the placeholder of `value`.
    void Append(std::string_view text, Value value) {
        sql_ += fmt::format(fmt::runtime(text), Bind(std::move(value)));
    }

    [[nodiscard]] const std::string& sql() const { return sql_; }
    [[nodiscard]] const std::vector<Value>& params() const { return params_; }

  private:
    std::string Bind(Value value) {
        params_.push_back(std::move(value));
        return fmt::format("${}", params_.size());
    }

    std::string sql_;
    std::vector<Value> params_;
};

}  // namespace unyo::storage
