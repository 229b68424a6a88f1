#include "storage/sql/value.hpp"

#include <charconv>

namespace unyo::storage {

std::int64_t Row::Int(std::size_t i) const {
    const auto& v = values_.at(i);
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return *n;
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return static_cast<std::int64_t>(*d);
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::int64_t out = 0;
        std::from_chars(s->data(), s->data() + s->size(), out);
        return out;
    }
    return 0;
}

double Row::Real(std::size_t i) const {
    const auto& v = values_.at(i);
    if (const auto* d = std::get_if<double>(&v)) {
        return *d;
    }
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return static_cast<double>(*n);
    }
    return 0.0;
}

std::string Row::Text(std::size_t i) const {
    const auto& v = values_.at(i);
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*n);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return std::to_string(*d);
    }
    return {};
}

std::optional<double> Row::OptReal(std::size_t i) const {
    if (IsNull(i)) {
        return std::nullopt;
    }
    return Real(i);
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
    if (IsNull(i)) {
        return std::nullopt;
    }
    return Int(i);
}

std::optional<std::string> Row::OptText(std::size_t i) const {
    if (IsNull(i)) {
        return std::nullopt;
    }
    return Text(i);
}

}  // namespace unyo::storage
