#include "core/log.hpp"

#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace unyo {

void SetUpLogging(std::string_view level) {
    auto logger = spdlog::stderr_color_mt("unyo");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    logger->set_level(spdlog::level::from_str(std::string(level)));
    spdlog::set_default_logger(logger);
}

}  // namespace unyo
