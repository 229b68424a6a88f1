#pragma once
// A request member that is one of a few words (`direction: send | receive | both`), read alike
// by every resource that has one.

#include <algorithm>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/json.hpp"

namespace unyo {

/// When `name` is present: one of `options` into `out`, or an error on `f` naming them all.
inline void ReadChoice(FieldReader& f, const char* name, std::span<const std::string_view> options, std::string& out) {
    auto v = f.OptionalString(name, 40);
    if (!v) return;
    if (std::find(options.begin(), options.end(), *v) != options.end()) {
        out = *v;
        return;
    }
    std::string list;
    for (auto o : options) list += fmt::format("{}{}", list.empty() ? "" : ", ", o);
    f.AddError(name, "must be one of " + list);
}

}  // namespace unyo
