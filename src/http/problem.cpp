#include "http/problem.hpp"

namespace unyo::http {
namespace {

std::string_view TitleFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return "The request is malformed";
        case ErrorCode::kValidation:
            return "The request has invalid fields";
        case ErrorCode::kUnauthenticated:
            return "Authentication required";
        case ErrorCode::kPermissionDenied:
            return "Not allowed";
        case ErrorCode::kNotFound:
            return "Not found";
        case ErrorCode::kConflict:
            return "Conflict";
        case ErrorCode::kPreconditionFailed:
            return "The resource has changed";
        case ErrorCode::kPreconditionRequired:
            return "If-Match is required";
        case ErrorCode::kLocked:
            return "The account is locked";
        case ErrorCode::kTooLarge:
            return "The request is too large";
        case ErrorCode::kUnsupportedMediaType:
            return "Unsupported media type";
        case ErrorCode::kMethodNotAllowed:
            return "Method not allowed";
        case ErrorCode::kUnavailable:
            return "Service unavailable";
        case ErrorCode::kInternal:
            return "Internal error";
    }
    return "Internal error";
}

}  // namespace

int StatusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return 400;
        case ErrorCode::kValidation:
            return 422;
        case ErrorCode::kUnauthenticated:
            return 401;
        case ErrorCode::kPermissionDenied:
            return 403;
        case ErrorCode::kNotFound:
            return 404;
        case ErrorCode::kConflict:
            return 409;
        case ErrorCode::kPreconditionFailed:
            return 412;
        case ErrorCode::kPreconditionRequired:
            return 428;
        case ErrorCode::kLocked:
            return 423;
        case ErrorCode::kTooLarge:
            return 413;
        case ErrorCode::kUnsupportedMediaType:
            return 415;
        case ErrorCode::kMethodNotAllowed:
            return 405;
        case ErrorCode::kUnavailable:
            return 503;
        case ErrorCode::kInternal:
            return 500;
    }
    return 500;
}

Response ProblemResponse(const Error& error) {
    const int status = StatusFor(error.code);
    json::object body{{"type", "urn:unyo:problem:" + std::string(ErrorCodeName(error.code))},
                      {"title", TitleFor(error.code)},
                      {"status", status},
                      // Internal details (SQL, file paths) stay in the server log.
                      {"detail", error.code == ErrorCode::kInternal
                                     ? "an internal error occurred; see the server log"
                                     : error.message}};
    if (!error.fields.empty()) {
        json::array errors;
        for (const auto& f : error.fields) {
            errors.push_back(json::object{{"field", f.field}, {"message", f.message}});
        }
        body["errors"] = std::move(errors);
    }
    for (const auto& [k, v] : error.extensions) {
        body[k] = v;
    }
    Response r = Response::Json(status, body);
    r.content_type = "application/problem+json";
    return r;
}

}  // namespace unyo::http
