#include "core/crypto.hpp"

#include <cctype>
#include <set>

#include <gtest/gtest.h>

namespace unyo {
namespace {

class CryptoTest : public ::testing::Test {
  protected:
    void SetUp() override { InitCrypto(); }
};

TEST_F(CryptoTest, HashesVerifyOnlyTheirPassword) {
    auto h = HashPassword("Correct-Horse-1", HashCost::kMinimal);
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->starts_with("$argon2id$"));
    EXPECT_TRUE(VerifyPassword(*h, "Correct-Horse-1"));
    EXPECT_FALSE(VerifyPassword(*h, "correct-horse-1"));
    EXPECT_FALSE(VerifyPassword("garbage", "Correct-Horse-1"));
}

TEST_F(CryptoTest, RandomPasswordsHaveAllFourClasses) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const auto pw = RandomPassword(16);
        ASSERT_EQ(pw.size(), 16u);
        bool u = false, l = false, d = false, s = false;
        for (unsigned char c : pw) {
            u |= std::isupper(c) != 0;
            l |= std::islower(c) != 0;
            d |= std::isdigit(c) != 0;
            s |= std::ispunct(c) != 0;
        }
        EXPECT_TRUE(u && l && d && s) << pw;
        seen.insert(pw);
    }
    EXPECT_EQ(seen.size(), 50u);
}

TEST_F(CryptoTest, Sha256MatchesTheKnownVector) {
    EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(CryptoTest, ConstantTimeEquals) {
    EXPECT_TRUE(ConstantTimeEquals("token", "token"));
    EXPECT_FALSE(ConstantTimeEquals("token", "tokem"));
    EXPECT_FALSE(ConstantTimeEquals("token", "token2"));
    EXPECT_FALSE(ConstantTimeEquals("", "x"));
}

}  // namespace
}  // namespace unyo
