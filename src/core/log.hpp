#pragma once
// Logging: spdlog behind one set-up call. Modules log through spdlog's default logger;
// secrets (passwords, tokens, cookies) are never passed to it.

#include <string_view>

#include <spdlog/spdlog.h>

namespace unyo {

/// Sets the default logger: level name ("info", "debug", …), lines to stderr.
void SetUpLogging(std::string_view level);

}  // namespace unyo
