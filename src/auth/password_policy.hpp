#pragma once
// The password policy of ACC-2: length, character classes, no login/display name, no banned
// words (e.g. the municipality's proper nouns), history. Pure; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace unyo::auth {

struct PasswordPolicy {
    int min_length = 8;
    int min_classes = 3;  // of upper, lower, digit, symbol
    int max_length = 256;
    bool forbid_login = true;  // nor the display name
    std::vector<std::string> banned_words;
    int history = 3;      // the last N passwords may not be reused (0: off)
    int expiry_days = 0;  // 0: passwords do not expire
};

/// Ok when `password` satisfies `policy` for the user `login` / `display_name`; else
/// Error::Field(`field`, message naming every rule that failed).
[[nodiscard]] Result<void> CheckPassword(const PasswordPolicy& policy, std::string_view password,
                                         std::string_view login, std::string_view display_name,
                                         std::string_view field = "password");

}  // namespace unyo::auth
