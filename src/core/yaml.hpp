#pragma once
// Definitions as YAML (monitors, jobnets): JSON values written as YAML and read back. Strings YAML
// would read as something else (numbers, booleans, null) are quoted; plain scalars are typed as
// YAML 1.2's core schema reads them, quoted ones stay strings. Lists of values are written on one
// line, lists of mappings as blocks.

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/json.hpp"

namespace unyo {

/// `v` as a YAML document, led by `comment` when given.
[[nodiscard]] std::string ToYaml(const json::value& v, std::string_view comment = {});
/// The YAML document `text` as JSON; Error::Invalid naming the line when it is not YAML.
[[nodiscard]] Result<json::value> FromYaml(std::string_view text);

}  // namespace unyo
