// AccountService on both databases, with a fake clock: lockout expiry, sessions, tokens,
// optimistic concurrency, history and inventory.
#include "auth/accounts.hpp"

#include <gtest/gtest.h>

#include "support/test_db.hpp"

namespace unyo::auth {
namespace {

constexpr Millis kStart = 1'790'000'000'000;  // 2026-09
const audit::Actor kActor{std::nullopt, "test", "127.0.0.1"};

class AccountsTest : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
        AuthConfig config;
        config.hash_cost = HashCost::kMinimal;
        accounts_ = std::make_unique<AccountService>(t_->db(), clock_, config);
        auto org = accounts_->CreateOrganization(
            {"市役所", "owner", std::nullopt, std::nullopt, std::nullopt}, kActor);
        ASSERT_TRUE(org) << org.error().message;
        org_ = *org;
        user_ = MakeUser("tanaka", {"operator"});
    }

    User MakeUser(const std::string& login, std::vector<std::string> roles) {
        UserInput in;
        in.login = login;
        in.display_name = "担当 " + login;
        in.organization_id = org_.id;
        in.roles = std::move(roles);
        in.password = kPassword;
        auto u = accounts_->CreateUser(in, kActor);
        EXPECT_TRUE(u) << u.error().message;
        return u.value_or(User{});
    }

    /// "ok" or the error code's name (with the message when it is internal).
    std::string LoginCode(const std::string& login, const std::string& pw) {
        auto r = accounts_->Login(login, pw, "127.0.0.1", "test");
        if (r) {
            return "ok";
        }
        std::string out(ErrorCodeName(r.error().code));
        return r.error().code == ErrorCode::kInternal ? out + ": " + r.error().message : out;
    }

    static constexpr const char* kPassword = "Green-Tea-2026";
    FakeClock clock_{kStart};
    std::unique_ptr<unyo::testing::TestDatabase> t_;
    std::unique_ptr<AccountService> accounts_;
    Organization org_;
    User user_;
};

TEST_P(AccountsTest, SignsInAndResolvesTheSession) {
    auto r = accounts_->Login("TANAKA", kPassword, "127.0.0.1", "ua");
    ASSERT_TRUE(r) << r.error().message;
    auto p = accounts_->AuthenticateSession(r->session_token);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->login, "tanaka");
    EXPECT_EQ(p->csrf_token, r->csrf_token);
    EXPECT_TRUE(p->Is(Role::kOperator));
    EXPECT_FALSE(p->Is(Role::kAdmin));
}

TEST_P(AccountsTest, UnknownLoginAndWrongPasswordAnswerAlike) {
    auto unknown = accounts_->Login("nobody", kPassword, "127.0.0.1", "ua");
    auto wrong = accounts_->Login("tanaka", "Wrong-Pass-1", "127.0.0.1", "ua");
    ASSERT_FALSE(unknown);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(unknown.error().message, wrong.error().message);
    auto events = accounts_->ListLoginEvents({});
    ASSERT_TRUE(events);
    ASSERT_EQ(events->size(), 2u);
    EXPECT_FALSE((*events)[0].success);
    EXPECT_EQ((*events)[1].login, "nobody");
    EXPECT_FALSE((*events)[1].user_id.has_value());
}

TEST_P(AccountsTest, LocksAfterFiveFailuresAndUnlocksAfterFifteenMinutes) {
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(LoginCode("tanaka", "Wrong-Pass-1"), "unauthenticated");
    }
    EXPECT_EQ(LoginCode("tanaka", "Wrong-Pass-1"), "locked");
    EXPECT_EQ(LoginCode("tanaka", kPassword), "locked") << "locked even with the right password";
    clock_.Advance(14 * kMinuteMs);
    EXPECT_EQ(LoginCode("tanaka", kPassword), "locked");
    clock_.Advance(2 * kMinuteMs);
    EXPECT_EQ(LoginCode("tanaka", kPassword), "ok") << "signs in once the lock expired";
}

TEST_P(AccountsTest, AnExpiredLockStartsTheCountAfresh) {
    for (int i = 0; i < 5; ++i) {
        (void)LoginCode("tanaka", "Wrong-Pass-1");
    }
    clock_.Advance(16 * kMinuteMs);
    EXPECT_EQ(LoginCode("tanaka", "Wrong-Pass-1"), "unauthenticated")
        << "one failure does not relock";
}

TEST_P(AccountsTest, SuccessResetsTheFailureCount) {
    for (int i = 0; i < 4; ++i) {
        (void)LoginCode("tanaka", "Wrong-Pass-1");
    }
    EXPECT_EQ(LoginCode("tanaka", kPassword), "ok");
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(LoginCode("tanaka", "Wrong-Pass-1"), "unauthenticated");
    }
}

TEST_P(AccountsTest, IdleSessionsEnd) {
    auto r = accounts_->Login("tanaka", kPassword, "127.0.0.1", "ua");
    ASSERT_TRUE(r);
    clock_.Advance(59 * kMinuteMs);
    ASSERT_TRUE(accounts_->AuthenticateSession(r->session_token)) << "activity keeps it alive";
    clock_.Advance(59 * kMinuteMs);
    ASSERT_TRUE(accounts_->AuthenticateSession(r->session_token));
    clock_.Advance(61 * kMinuteMs);
    auto p = accounts_->AuthenticateSession(r->session_token);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ErrorCode::kUnauthenticated);
}

TEST_P(AccountsTest, DisablingEndsSessionsAndRefusesSignIn) {
    auto r = accounts_->Login("tanaka", kPassword, "127.0.0.1", "ua");
    ASSERT_TRUE(r);
    UserInput in;
    in.disabled = true;
    ASSERT_TRUE(accounts_->UpdateUser(user_.id, user_.version, in, kActor));
    EXPECT_FALSE(accounts_->AuthenticateSession(r->session_token));
    EXPECT_EQ(LoginCode("tanaka", kPassword), "unauthenticated");
}

TEST_P(AccountsTest, StaleVersionIsRefusedAndChangesNothing) {
    UserInput first;
    first.display_name = "一回目";
    auto updated = accounts_->UpdateUser(user_.id, user_.version, first, kActor);
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated->version, user_.version + 1);
    UserInput second;
    second.display_name = "二回目";
    auto stale = accounts_->UpdateUser(user_.id, user_.version, second, kActor);
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
    EXPECT_EQ(accounts_->GetUser(user_.id)->display_name, "一回目");
}

TEST_P(AccountsTest, DuplicateLoginAndOrganizationNameAreConflicts) {
    UserInput in;
    in.login = "Tanaka";
    in.display_name = "別人";
    in.organization_id = org_.id;
    in.roles = std::vector<std::string>{"viewer"};
    in.password = kPassword;
    auto dup = accounts_->CreateUser(in, kActor);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
    EXPECT_EQ(dup.error().fields.at(0).field, "login");
    auto org = accounts_->CreateOrganization(
        {"市役所", "vendor", std::nullopt, std::nullopt, std::nullopt}, kActor);
    ASSERT_FALSE(org);
    EXPECT_EQ(org.error().fields.at(0).field, "name");
}

TEST_P(AccountsTest, PasswordHistoryRefusesReuse) {
    ASSERT_TRUE(accounts_->ChangeOwnPassword(user_.id, kPassword, "Black-Coffee-7", kActor));
    auto reuse = accounts_->ChangeOwnPassword(user_.id, "Black-Coffee-7", kPassword, kActor);
    ASSERT_FALSE(reuse);
    EXPECT_EQ(reuse.error().fields.at(0).field, "new_password");
    auto wrong = accounts_->ChangeOwnPassword(user_.id, "not-it", "Another-One-9", kActor);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().fields.at(0).field, "current_password");
}

TEST_P(AccountsTest, TokensAuthenticateUntilRevokedOrExpired) {
    auto login = accounts_->Login("tanaka", kPassword, "127.0.0.1", "ua");
    ASSERT_TRUE(login);
    auto p = accounts_->AuthenticateSession(login->session_token);
    ASSERT_TRUE(p);
    auto token = accounts_->CreateToken(*p, "監視連携", 30, kActor);
    ASSERT_TRUE(token) << token.error().message;
    auto via = accounts_->AuthenticateToken(token->secret);
    ASSERT_TRUE(via);
    EXPECT_TRUE(via->via_token);
    EXPECT_TRUE(via->csrf_token.empty());
    clock_.Advance(31 * kDayMs);
    EXPECT_FALSE(accounts_->AuthenticateToken(token->secret)) << "expired";
    auto other = accounts_->CreateToken(*p, "二本目", 30, kActor);
    ASSERT_TRUE(other);
    ASSERT_TRUE(accounts_->DeleteToken(other->token.id, *p, kActor));
    EXPECT_FALSE(accounts_->AuthenticateToken(other->secret)) << "revoked";
}

TEST_P(AccountsTest, InventoryMarksDormantAccounts) {
    auto fresh = MakeUser("suzuki", {"viewer"});
    ASSERT_TRUE(accounts_->Login("suzuki", kPassword, "127.0.0.1", "ua"));
    clock_.Advance(91 * kDayMs);
    ASSERT_TRUE(accounts_->Login("suzuki", kPassword, "127.0.0.1", "ua"));
    auto items = accounts_->Inventory(90);
    ASSERT_TRUE(items);
    ASSERT_EQ(items->size(), 2u);
    EXPECT_EQ((*items)[0].user.login, "tanaka");
    EXPECT_TRUE((*items)[0].dormant) << "never signed in, created 91 days ago";
    EXPECT_FALSE((*items)[1].dormant);
    EXPECT_EQ((*items)[1].days_since_login, 0);
}

TEST_P(AccountsTest, EveryWriteIsAudited) {
    auto entries = audit::List(t_->db(), {});
    ASSERT_TRUE(entries);
    ASSERT_EQ(entries->size(), 2u);
    EXPECT_EQ((*entries)[0].action, "user.create");
    EXPECT_EQ((*entries)[1].action, "organization.create");
    EXPECT_TRUE((*entries)[0].before.is_null());
    EXPECT_EQ((*entries)[0].after.as_object().at("login").as_string(), "tanaka");
    EXPECT_EQ((*entries)[0].after.as_object().count("password_hash"), 0u)
        << "no secrets in the audit log";
}

TEST_P(AccountsTest, AnExpiredPasswordMustBeChanged) {
    AuthConfig config;
    config.hash_cost = HashCost::kMinimal;
    config.password.expiry_days = 30;
    AccountService expiring(t_->db(), clock_, config);
    auto r = expiring.Login("tanaka", kPassword, "127.0.0.1", "ua");
    ASSERT_TRUE(r);
    EXPECT_FALSE(expiring.AuthenticateSession(r->session_token)->must_change_password);
    clock_.Advance(31 * kDayMs);
    r = expiring.Login("tanaka", kPassword, "127.0.0.1", "ua");
    ASSERT_TRUE(r);
    EXPECT_TRUE(expiring.AuthenticateSession(r->session_token)->must_change_password);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest, ::testing::ValuesIn(unyo::testing::Backends()),
                         unyo::testing::BackendName());

}  // namespace
}  // namespace unyo::auth
