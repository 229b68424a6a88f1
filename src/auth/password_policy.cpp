#include "auth/password_policy.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace unyo::auth {
namespace {

std::string Lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::size_t Utf8Length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

Result<void> CheckPassword(const PasswordPolicy& policy, std::string_view password,
                           std::string_view login, std::string_view display_name,
                           std::string_view field) {
    std::vector<std::string> failed;
    const auto length = Utf8Length(password);
    if (length < static_cast<std::size_t>(policy.min_length)) {
        failed.push_back(fmt::format("must be at least {} characters", policy.min_length));
    }
    if (length > static_cast<std::size_t>(policy.max_length)) {
        failed.push_back(fmt::format("must be at most {} characters", policy.max_length));
    }
    bool upper = false, lower = false, digit = false, symbol = false;
    for (unsigned char c : password) {
        if (std::isupper(c)) {
            upper = true;
        } else if (std::islower(c)) {
            lower = true;
        } else if (std::isdigit(c)) {
            digit = true;
        } else if (c >= 0x21 && c < 0x7f) {
            symbol = true;
        }
    }
    const int classes = upper + lower + digit + symbol;
    if (classes < policy.min_classes) {
        failed.push_back(
            fmt::format("must mix at least {} of upper-case letters, lower-case letters, digits "
                        "and symbols (has {})",
                        policy.min_classes, classes));
    }
    const std::string pw = Lower(password);
    if (policy.forbid_login) {
        if (!login.empty() && pw.find(Lower(login)) != std::string::npos) {
            failed.emplace_back("must not contain the login name");
        }
        if (!display_name.empty() && Utf8Length(display_name) >= 3 &&
            pw.find(Lower(display_name)) != std::string::npos) {
            failed.emplace_back("must not contain the display name");
        }
    }
    for (const auto& word : policy.banned_words) {
        if (!word.empty() && pw.find(Lower(word)) != std::string::npos) {
            failed.push_back(fmt::format("must not contain the listed word \"{}\"", word));
            break;
        }
    }
    if (failed.empty()) {
        return {};
    }
    std::string msg;
    for (const auto& f : failed) {
        msg += msg.empty() ? "" : "; ";
        msg += f;
    }
    return Fail(Error::Field(std::string(field), msg));
}

}  // namespace unyo::auth
