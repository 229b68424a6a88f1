#pragma once
// The one mapping from ErrorCode to HTTP status and an RFC 9457 problem document.
// Handlers return Error values; they never build error bodies themselves.

#include "core/error.hpp"
#include "http/message.hpp"

namespace unyo::http {

/// HTTP status for `code` (kValidation → 422, kConflict → 409, …).
[[nodiscard]] int StatusFor(ErrorCode code);

/// `application/problem+json` with type, title, status, detail and, when the error names fields,
/// `errors: [{field, message}]`; extensions become members.
[[nodiscard]] Response ProblemResponse(const Error& error);

}  // namespace unyo::http
