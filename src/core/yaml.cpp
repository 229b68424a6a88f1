#include "core/yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace unyo {
namespace {

// A plain scalar that YAML would read as something else than this string.
bool NeedsQuotes(const std::string& s) {
    if (s.empty() || s == "~" || s == "null" || s == "true" || s == "false" || s == "yes" || s == "no") return true;
    if (s.find_first_of(":#{}[],&*!|>'\"%@`\n") != std::string::npos || s.front() == ' ' || s.back() == ' ' ||
        s.front() == '-' || s.front() == '?') {
        return true;
    }
    try {
        std::size_t used = 0;
        (void)std::stod(s, &used);
        return used == s.size();
    } catch (const std::exception&) {
        return false;
    }
}

void Emit(YAML::Emitter& out, const json::value& v) {
    switch (v.kind()) {
        case json::kind::null: out << YAML::Null; break;
        case json::kind::bool_: out << v.as_bool(); break;
        case json::kind::int64: out << v.as_int64(); break;
        case json::kind::uint64: out << v.as_uint64(); break;
        case json::kind::double_: out << v.as_double(); break;
        case json::kind::string: {
            const std::string s(v.as_string());
            if (NeedsQuotes(s)) out << YAML::DoubleQuoted;
            out << s;
            break;
        }
        case json::kind::array:
            // Lists of values on one line, lists of mappings as blocks.
            if (std::none_of(v.as_array().begin(), v.as_array().end(), [](const json::value& e) { return e.is_structured(); })) {
                out << YAML::Flow;
            }
            out << YAML::BeginSeq;
            for (const auto& e : v.as_array()) Emit(out, e);
            out << YAML::EndSeq;
            break;
        case json::kind::object:
            out << YAML::BeginMap;
            for (const auto& [k, e] : v.as_object()) {
                out << YAML::Key << std::string(k) << YAML::Value;
                Emit(out, e);
            }
            out << YAML::EndMap;
            break;
    }
}

// A YAML node as JSON: plain scalars typed as YAML 1.2 core reads them, quoted ones as strings.
json::value ToJsonValue(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: return nullptr;
        case YAML::NodeType::Sequence: {
            json::array a;
            for (const auto& e : n) a.push_back(ToJsonValue(e));
            return a;
        }
        case YAML::NodeType::Map: {
            json::object o;
            for (const auto& kv : n) o[kv.first.as<std::string>()] = ToJsonValue(kv.second);
            return o;
        }
        case YAML::NodeType::Scalar: break;
    }
    const auto s = n.Scalar();
    if (n.Tag() == "!") return json::value(s);  // quoted
    if (s == "~" || s == "null" || s.empty()) return nullptr;
    if (s == "true") return true;
    if (s == "false") return false;
    std::int64_t i = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc() && p == s.data() + s.size()) return i;
    try {
        std::size_t used = 0;
        const double d = std::stod(s, &used);
        if (used == s.size()) return d;
    } catch (const std::exception&) {
    }
    return json::value(s);
}

}  // namespace

std::string ToYaml(const json::value& v, std::string_view comment) {
    YAML::Emitter out;
    if (!comment.empty()) out << YAML::Comment(std::string(comment));
    Emit(out, v);
    return std::string(out.c_str()) + "\n";
}

Result<json::value> FromYaml(std::string_view text) {
    try {
        return ToJsonValue(YAML::Load(std::string(text)));
    } catch (const YAML::Exception& e) {
        return Fail(Error::Invalid(fmt::format("the file is not YAML: {} (line {})", e.msg, e.mark.line + 1)));
    }
}

}  // namespace unyo
