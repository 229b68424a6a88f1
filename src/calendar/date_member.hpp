#pragma once
// A request member that is a day or null (`end_of_support`, `due_back_on`, …), read alike by
// every resource that has one.

#include <optional>

#include "calendar/civil_date.hpp"
#include "core/json.hpp"

namespace unyo {

/// When `name` is present in `body`: a date YYYY-MM-DD into `out`, null clearing it, or an error
/// on `f`.
inline void ReadOptionalDate(FieldReader& f, const json::object& body, const char* name, std::optional<calendar::Date>& out) {
    const auto* v = body.if_contains(name);
    if (!v) return;
    if (v->is_null()) {
        out.reset();
    } else if (auto d = v->is_string() ? calendar::Date::Parse(v->as_string()) : std::nullopt) {
        out = d;
    } else {
        f.AddError(name, "must be a date YYYY-MM-DD or null");
    }
}

}  // namespace unyo
