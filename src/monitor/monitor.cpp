#include "monitor/monitor.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "monitor/log_watch.hpp"

namespace unyo::monitor {
namespace {

const std::vector<std::string> kSeverities{"critical", "high", "medium", "low"};
const std::vector<std::string> kDnsTypes{"A", "AAAA", "CNAME", "MX", "NS", "TXT", "PTR", "SOA"};

bool OneOf(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// Validates a type's target; errors name target.<member>.
void CheckTarget(const std::string& type, const json::object& t, std::vector<FieldError>& errors) {
    auto text = [&](const char* name, bool required) -> std::string {
        const auto* v = t.if_contains(name);
        if (v == nullptr || v->is_null()) {
            if (required) errors.push_back({fmt::format("target.{}", name), "is required"});
            return {};
        }
        if (!v->is_string() || v->as_string().empty()) {
            errors.push_back({fmt::format("target.{}", name), "must be a non-empty string"});
            return {};
        }
        return std::string(v->as_string());
    };
    auto port = [&](bool required) {
        const auto* v = t.if_contains("port");
        if (v == nullptr && !required) return;
        if (v == nullptr || !v->is_int64() || v->as_int64() < 1 || v->as_int64() > 65535) {
            errors.push_back({"target.port", "must be a port number (1–65535)"});
        }
    };
    auto flag = [&](const char* name) {
        if (const auto* v = t.if_contains(name); v && !v->is_bool()) {
            errors.push_back({fmt::format("target.{}", name), "must be true or false"});
        }
    };
    auto absolute_path = [&](const char* name, bool required) {
        const auto path = text(name, required);
        if (!path.empty() && path.front() != '/') {
            errors.push_back({fmt::format("target.{}", name), "must be an absolute path"});
        }
        return path;
    };
    auto tls = [&] {
        flag("tls_verify");
        absolute_path("ca_file", false);
    };
    if (type == "tcp") {
        text("host", true);
        port(true);
    } else if (type == "http") {
        const auto url = text("url", true);
        if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
            errors.push_back({"target.url", "must start with http:// or https://"});
        }
        if (const auto* s = t.if_contains("expect_status");
            s && !(s->is_int64() && s->as_int64() >= 100 && s->as_int64() <= 599)) {
            errors.push_back({"target.expect_status", "must be an HTTP status (100–599)"});
        }
        text("keyword", false);
        flag("follow_redirects");
        tls();
    } else if (type == "links") {
        const auto url = text("url", true);
        if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
            errors.push_back({"target.url", "must start with http:// or https://"});
        }
        if (const auto* d = t.if_contains("depth"); d && !(d->is_int64() && d->as_int64() >= 0 && d->as_int64() <= 5)) {
            errors.push_back({"target.depth", "must be 0–5 levels of links"});
        }
        if (const auto* p = t.if_contains("max_pages"); p && !(p->is_int64() && p->as_int64() >= 1 && p->as_int64() <= 1000)) {
            errors.push_back({"target.max_pages", "must be 1–1000 pages"});
        }
        tls();
    } else if (type == "tls_cert") {
        text("host", true);
        port(false);
        text("server_name", false);
        tls();
    } else if (type == "dns") {
        text("name", true);
        if (const auto rt = text("record_type", false); !rt.empty() && !OneOf(kDnsTypes, rt)) {
            errors.push_back({"target.record_type", fmt::format("must be one of {}", fmt::join(kDnsTypes, ", "))});
        }
        text("server", false);
        port(false);
        text("expect", false);
    } else if (type == "icmp") {
        text("host", true);
        if (const auto* c = t.if_contains("count"); c && !(c->is_int64() && c->as_int64() >= 1 && c->as_int64() <= 10)) {
            errors.push_back({"target.count", "must be 1–10 echo requests"});
        }
    } else if (type == "ntp" || type == "smtp" || type == "ftp" || type == "postgres" || type == "mysql") {
        text("host", true);
        port(false);
    } else if (type == "command") {
        const auto* c = t.if_contains("command");
        bool ok = c && c->is_array() && !c->as_array().empty() && c->as_array().size() <= 64;
        for (std::size_t i = 0; ok && i < c->as_array().size(); ++i) {
            const auto& a = c->as_array()[i];
            ok = a.is_string() && !a.as_string().empty() && (i > 0 || a.as_string().front() == '/');
        }
        if (!ok) {
            errors.push_back({"target.command", "must be the plugin's absolute path and its arguments (1–64 strings)"});
        }
        if (const auto* e = t.if_contains("env")) {
            bool strings = e->is_object();
            if (strings) {
                for (const auto& [k, v] : e->as_object()) strings = strings && v.is_string() && !k.empty();
            }
            if (!strings) errors.push_back({"target.env", "must be an object of strings"});
        }
    } else if (type == "log") {
        if (auto filter = LogFilter::FromTarget(t); !filter) {
            errors.insert(errors.end(), filter.error().fields.begin(), filter.error().fields.end());
        }
    } else if (type == "disk") {
        absolute_path("path", true);
    } else if (type == "net_traffic") {
        text("interface", false);
    } else if (type == "process") {
        const auto name = text("name", false);
        const auto pattern = text("pattern", false);
        if (name.empty() && pattern.empty() && !t.contains("name") && !t.contains("pattern")) {
            errors.push_back({"target.name", "give the process name, a command-line pattern, or both"});
        }
        const auto count = [&](const char* member) -> std::optional<std::int64_t> {
            const auto* v = t.if_contains(member);
            if (v == nullptr) return std::nullopt;
            if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > 100000) {
                errors.push_back({fmt::format("target.{}", member), "must be a count (0–100000)"});
                return std::nullopt;
            }
            return v->as_int64();
        };
        const auto min = count("min"), max = count("max");
        if (min && max && *min > *max) errors.push_back({"target.max", "must not be below min"});
    }
}

}  // namespace

std::string_view StateName(State s) {
    switch (s) {
        case State::kOk: return "ok";
        case State::kWarning: return "warning";
        case State::kCritical: return "critical";
        case State::kUnknown: return "unknown";
        case State::kUnreachable: return "unreachable";
    }
    return "unknown";
}

std::optional<State> ParseState(std::string_view name) {
    for (auto s : {State::kOk, State::kWarning, State::kCritical, State::kUnknown, State::kUnreachable}) {
        if (StateName(s) == name) return s;
    }
    return std::nullopt;
}

std::string_view StateLabelJa(State s) {
    switch (s) {
        case State::kOk: return "正常";
        case State::kWarning: return "警告";
        case State::kCritical: return "異常";
        case State::kUnknown: return "不明";
        case State::kUnreachable: return "到達不能";
    }
    return "不明";
}

bool LowerIsWorse(std::string_view type) { return type == "tls_cert"; }

const std::vector<std::string>& Types() {
    static const std::vector<std::string> types{
        "tcp",  "http",     "tls_cert", "dns",  "ntp",    "icmp", "smtp",    "ftp",        "postgres",
        "mysql", "heartbeat", "cpu",     "memory", "disk", "load", "process", "net_traffic", "command", "log", "links"};
    return types;
}

Result<Monitor> MonitorFromJson(const json::object& body, Monitor m, bool create) {
    FieldReader f(body);
    f.AllowOnly({"name", "type", "target", "service", "interval_s", "timeout_ms", "retries", "warning", "critical",
                 "parent_ids", "severity", "enabled", "ci_id"});
    if (create || f.Has("name")) m.name = f.RequiredString("name", 200);
    if (create || f.Has("type")) {
        m.type = f.RequiredString("type", 40);
        if (!m.type.empty() && !OneOf(Types(), m.type)) {
            f.AddError("type", fmt::format("must be one of {}", fmt::join(Types(), ", ")));
        }
    }
    if (const auto* t = body.if_contains("target")) {
        if (t->is_object()) {
            m.target = t->as_object();
        } else {
            f.AddError("target", "must be an object");
        }
    }
    if (auto s = f.OptionalString("service", 200)) m.service = *s;
    if (auto v = f.OptionalInt("interval_s", 1, 86400)) m.interval_s = static_cast<int>(*v);
    if (auto v = f.OptionalInt("timeout_ms", 100, 120000)) m.timeout_ms = static_cast<int>(*v);
    if (auto v = f.OptionalInt("retries", 1, 10)) m.retries = static_cast<int>(*v);
    auto number = [&](const char* name, std::optional<double>& out) {
        const auto* v = body.if_contains(name);
        if (v == nullptr) return;
        if (v->is_null()) {
            out.reset();
        } else if (v->is_number()) {
            out = v->to_number<double>();
        } else {
            f.AddError(name, "must be a number or null");
        }
    };
    number("warning", m.warning);
    number("critical", m.critical);
    if (const auto* p = body.if_contains("parent_ids")) {
        m.parent_ids.clear();
        if (!p->is_array()) {
            f.AddError("parent_ids", "must be an array of monitor ids");
        } else {
            for (const auto& id : p->as_array()) {
                if (!id.is_int64() || id.as_int64() <= 0) {
                    f.AddError("parent_ids", "must be an array of monitor ids");
                    break;
                }
                if (id.as_int64() == m.id && m.id != 0) {
                    f.AddError("parent_ids", "a monitor cannot depend on itself");
                    break;
                }
                m.parent_ids.push_back(id.as_int64());
            }
        }
    }
    if (auto s = f.OptionalString("severity", 20)) {
        m.severity = *s;
        if (!OneOf(kSeverities, m.severity)) f.AddError("severity", "must be critical, high, medium or low");
    }
    if (auto e = f.OptionalBool("enabled")) m.enabled = *e;
    if (const auto* ci = body.if_contains("ci_id")) {
        if (ci->is_null()) {
            m.ci_id.reset();
        } else if (!ci->is_int64() || ci->as_int64() <= 0) {
            f.AddError("ci_id", "must be a configuration item's id or null");
        } else {
            m.ci_id = ci->as_int64();
        }
    }
    std::vector<FieldError> target_errors;
    if (!m.type.empty() && OneOf(Types(), m.type)) CheckTarget(m.type, m.target, target_errors);
    for (auto& e : target_errors) f.AddError(std::move(e.field), std::move(e.message));
    if (m.timeout_ms > m.interval_s * 1000) f.AddError("timeout_ms", "must not exceed the interval");
    if (m.warning && m.critical && LowerIsWorse(m.type) && *m.warning < *m.critical) {
        f.AddError("warning", "must not be below critical (a lower value is worse for this type)");
    } else if (m.warning && m.critical && !LowerIsWorse(m.type) && *m.warning > *m.critical) {
        f.AddError("warning", "must not exceed critical");
    }
    UNYO_TRY_VOID(f.Finish());
    return m;
}

json::object ToJson(const Monitor& m) {
    return {{"id", m.id},
            {"name", m.name},
            {"type", m.type},
            {"target", m.target},
            {"service", m.service},
            {"interval_s", m.interval_s},
            {"timeout_ms", m.timeout_ms},
            {"retries", m.retries},
            {"warning", OrNull(m.warning)},
            {"critical", OrNull(m.critical)},
            {"parent_ids", json::array(m.parent_ids.begin(), m.parent_ids.end())},
            {"severity", m.severity},
            {"enabled", m.enabled},
            {"ci_id", OrNull(m.ci_id)},
            {"created_at", FormatRfc3339(m.created_at)},
            {"updated_at", FormatRfc3339(m.updated_at)},
            {"version", m.version}};
}

}  // namespace unyo::monitor
