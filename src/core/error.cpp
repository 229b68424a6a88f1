#include "core/error.hpp"

namespace unyo {

Error Error::Field(std::string field, std::string message, ErrorCode code) {
    Error e{code, message, {}};
    e.fields.push_back({std::move(field), std::move(message)});
    return e;
}

Error Error::Validation(std::vector<FieldError> fields, ErrorCode code) {
    std::string msg;
    for (const auto& f : fields) {
        msg += msg.empty() ? "" : "; ";
        msg += f.field + " " + f.message;
    }
    return {code, std::move(msg), std::move(fields)};
}

std::string_view ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return "invalid-argument";
        case ErrorCode::kValidation:
            return "validation";
        case ErrorCode::kUnauthenticated:
            return "unauthenticated";
        case ErrorCode::kPermissionDenied:
            return "permission-denied";
        case ErrorCode::kNotFound:
            return "not-found";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kPreconditionFailed:
            return "precondition-failed";
        case ErrorCode::kPreconditionRequired:
            return "precondition-required";
        case ErrorCode::kLocked:
            return "locked";
        case ErrorCode::kTooLarge:
            return "too-large";
        case ErrorCode::kUnsupportedMediaType:
            return "unsupported-media-type";
        case ErrorCode::kMethodNotAllowed:
            return "method-not-allowed";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kInternal:
            return "internal";
    }
    return "internal";
}

}  // namespace unyo
