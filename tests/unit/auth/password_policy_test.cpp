#include "auth/password_policy.hpp"

#include <gtest/gtest.h>

namespace unyo::auth {
namespace {

std::string Failure(const PasswordPolicy& p, std::string_view pw, std::string_view login = "tanaka",
                    std::string_view name = "田中 太郎") {
    auto r = CheckPassword(p, pw, login, name);
    if (r) {
        return "";
    }
    EXPECT_EQ(r.error().fields.at(0).field, "password");
    return r.error().fields.at(0).message;
}

TEST(PasswordPolicyTest, AcceptsAStrongPassword) { EXPECT_EQ(Failure({}, "Blue-Sky-42"), ""); }

TEST(PasswordPolicyTest, RejectsShortPasswords) {
    EXPECT_NE(Failure({}, "Ab1-").find("at least 8"), std::string::npos);
}

TEST(PasswordPolicyTest, NeedsThreeOfFourClasses) {
    EXPECT_NE(Failure({}, "abcdefgh12").find("at least 3"), std::string::npos);
    EXPECT_EQ(Failure({}, "abcdefgh12!"), "");
    EXPECT_EQ(Failure({}, "ABCDEFGH12a"), "");
}

TEST(PasswordPolicyTest, RejectsTheLoginCaseInsensitively) {
    EXPECT_NE(Failure({}, "xTANAKA-99", "tanaka").find("login"), std::string::npos);
}

TEST(PasswordPolicyTest, RejectsTheDisplayName) {
    EXPECT_NE(Failure({}, "Suzuki#2026", "s01", "suzuki").find("display name"), std::string::npos);
}

TEST(PasswordPolicyTest, RejectsBannedWords) {
    PasswordPolicy p;
    p.banned_words = {"Sapporo"};
    EXPECT_NE(Failure(p, "sapporo-City1").find("Sapporo"), std::string::npos);
}

TEST(PasswordPolicyTest, NamesEveryFailedRule) {
    const auto msg = Failure({}, "tanaka");
    EXPECT_NE(msg.find("at least 8"), std::string::npos);
    EXPECT_NE(msg.find("at least 3"), std::string::npos);
    EXPECT_NE(msg.find("login"), std::string::npos);
}

TEST(PasswordPolicyTest, CountsJapaneseCharactersNotBytes) {
    // Four kanji are 12 bytes but 4 characters.
    EXPECT_NE(Failure({}, "運用保守").find("at least 8"), std::string::npos);
}

}  // namespace
}  // namespace unyo::auth
