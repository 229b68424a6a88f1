// OpenAPI 3.1 description generated from the route table, so that it cannot drift from it.
#include "api/routes.hpp"

namespace unyo::api {
namespace {

json::object Problem(std::string_view description) {
    return {
        {"description", description},
        {"content",
         {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

}  // namespace

json::object OpenApiDocument(const http::Router<Route>& router) {
    json::object paths;
    for (const auto& r : router.routes()) {
        std::string method = r.method;
        for (auto& c : method) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        json::object op{{"summary", r.summary},
                        {"description", "Who may call: " + r.roles_note + "."},
                        {"operationId", method + r.pattern}};
        json::array params;
        for (auto part : http::SplitPath(r.pattern)) {
            if (part.size() > 2 && part.front() == '{') {
                params.push_back(
                    json::object{{"name", std::string(part.substr(1, part.size() - 2))},
                                 {"in", "path"},
                                 {"required", true},
                                 {"schema", {{"type", "integer"}}}});
            }
        }
        if (r.method == "PATCH") {
            params.push_back(json::object{{"name", "If-Match"},
                                          {"in", "header"},
                                          {"required", true},
                                          {"schema", {{"type", "string"}}}});
        }
        if (r.idempotent) {
            params.push_back(json::object{{"name", "Idempotency-Key"},
                                          {"in", "header"},
                                          {"required", false},
                                          {"schema", {{"type", "string"}, {"maxLength", 200}}}});
        }
        if (!params.empty()) {
            op["parameters"] = std::move(params);
        }
        if (r.method == "POST" || r.method == "PATCH" || r.method == "PUT") {
            op["requestBody"] = {
                {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
        }
        json::object responses{{"default", Problem("An error (RFC 9457 problem document)")}};
        responses["2XX"] = {{"description", "Success"}};
        op["responses"] = std::move(responses);
        if (r.access == Access::kPublic) {
            op["security"] = json::array{};
        }
        auto& entry = paths[r.pattern];
        if (!entry.is_object()) {
            entry.emplace_object();
        }
        entry.as_object()[method] = std::move(op);
    }
    const json::object string_type{{"type", "string"}};
    json::object field_error{
        {"type", "object"},
        {"properties", json::object{{"field", string_type}, {"message", string_type}}}};
    json::object problem{
        {"type", "object"},
        {"properties", json::object{{"type", string_type},
                                    {"title", string_type},
                                    {"status", json::object{{"type", "integer"}}},
                                    {"detail", string_type},
                                    {"errors", json::object{{"type", "array"},
                                                            {"items", std::move(field_error)}}}}}};
    json::object schemes{
        {"session", json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "unyo_session"}}},
        {"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}}};
    json::object doc;
    doc["openapi"] = "3.1.0";
    doc["info"] = json::object{{"title", "unyo API"},
                               {"version", "1"},
                               {"description", "運用保守の管理 API (docs/api.md)"}};
    doc["paths"] = std::move(paths);
    doc["components"] = json::object{{"securitySchemes", std::move(schemes)},
                                     {"schemas", json::object{{"Problem", std::move(problem)}}}};
    doc["security"] = json::array{json::object{{"session", json::array{}}},
                                  json::object{{"bearer", json::array{}}}};
    return doc;
}

}  // namespace unyo::api
