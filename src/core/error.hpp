#pragma once
// Error values and Result<T>: the vocabulary for expected failures across unyo.
// Every module returns Result<T> for validation, not-found, conflict, permission and storage
// failures; exceptions are kept for the truly exceptional. http/problem.cpp maps ErrorCode to
// an HTTP status and an RFC 9457 problem document, in one place.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace unyo {

enum class ErrorCode {
    kInvalidArgument,       // malformed input (400)
    kValidation,            // well-formed but rejected by a rule (422)
    kUnauthenticated,       // no or bad credentials (401)
    kPermissionDenied,      // role, organisation or CSRF refusal (403)
    kNotFound,              // (404)
    kConflict,              // duplicate or state conflict (409)
    kPreconditionFailed,    // If-Match mismatch (412)
    kPreconditionRequired,  // If-Match missing (428)
    kLocked,                // account locked (423)
    kTooLarge,              // body over the limit (413)
    kUnsupportedMediaType,  // (415)
    kMethodNotAllowed,      // (405)
    kUnavailable,           // dependency down (503)
    kInternal,              // bug or storage failure (500)
};

/// One field-level problem, e.g. {"password", "must be at least 8 characters"}.
struct FieldError {
    std::string field;
    std::string message;
};

/// An expected failure: a code, an operator-readable message, and optional field errors.
struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;
    std::vector<FieldError> fields;
    /// Extra members of the problem document, e.g. {"locked_until", "2026-…Z"}.
    std::vector<std::pair<std::string, std::string>> extensions;

    static Error Invalid(std::string message) {
        return {ErrorCode::kInvalidArgument, std::move(message), {}};
    }
    /// A validation failure naming one field.
    static Error Field(std::string field, std::string message,
                       ErrorCode code = ErrorCode::kValidation);
    /// A validation failure listing several fields; the message joins them.
    static Error Validation(std::vector<FieldError> fields,
                            ErrorCode code = ErrorCode::kValidation);
    static Error NotFound(std::string message) {
        return {ErrorCode::kNotFound, std::move(message), {}};
    }
    static Error Conflict(std::string message) {
        return {ErrorCode::kConflict, std::move(message), {}};
    }
    static Error Denied(std::string message) {
        return {ErrorCode::kPermissionDenied, std::move(message), {}};
    }
    static Error Internal(std::string message) {
        return {ErrorCode::kInternal, std::move(message), {}};
    }
};

template <typename T>
using Result = tl::expected<T, Error>;

/// Shorthand for `return Fail(Error…)` inside functions returning Result<T>.
inline tl::unexpected<Error> Fail(Error e) { return tl::unexpected<Error>(std::move(e)); }

/// Name of the code for logs and problem `type` URIs, e.g. "validation".
std::string_view ErrorCodeName(ErrorCode code);

}  // namespace unyo

#define UNYO_CONCAT_INNER_(a, b) a##b
#define UNYO_CONCAT_(a, b) UNYO_CONCAT_INNER_(a, b)

/// Propagates the error of a Result expression, else yields its value. A GNU statement
/// expression (g++ and clang): the one place the project leaves ISO C++, for readable early
/// returns.
#define UNYO_TRY(expr) UNYO_TRY_IMPL_(expr, UNYO_CONCAT_(unyo_try_, __COUNTER__))
#define UNYO_TRY_IMPL_(expr, var)                        \
    ({                                                   \
        auto&& var = (expr);                             \
        if (!var) {                                      \
            return ::unyo::Fail(std::move(var).error()); \
        }                                                \
        std::move(var).value();                          \
    })

/// Propagates the error of a Result<void> expression.
#define UNYO_TRY_VOID(expr) UNYO_TRY_VOID_IMPL_(expr, UNYO_CONCAT_(unyo_try_, __COUNTER__))
#define UNYO_TRY_VOID_IMPL_(expr, var)                   \
    do {                                                 \
        auto&& var = (expr);                             \
        if (!var) {                                      \
            return ::unyo::Fail(std::move(var).error()); \
        }                                                \
    } while (0)
