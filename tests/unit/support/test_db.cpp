#include "support/test_db.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "storage/migrations.hpp"

namespace unyo::testing {
namespace {

std::string PgUrl() {
    const char* url = std::getenv("UNYO_TEST_PG_URL");
    return url != nullptr ? url : "";
}

std::unique_ptr<storage::Database> MustOpen(const std::string& target) {
    auto db = storage::Open(target);
    if (!db) {
        throw std::runtime_error("cannot open test database: " + db.error().message);
    }
    return std::move(*db);
}

std::string Unique() {
    std::string s = RandomToken(9);
    for (auto& c : s) {
        c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : 'x';
    }
    return s;
}

}  // namespace

std::vector<std::string> Backends() { return {"sqlite", "postgres"}; }

bool Available(const std::string& backend) { return backend != "postgres" || !PgUrl().empty(); }

bool Required() {
    const char* req = std::getenv("UNYO_REQUIRE_PG");
    return req != nullptr && std::string(req) == "1";
}

TestDatabase::TestDatabase(const std::string& backend, bool migrate) : backend_(backend) {
    InitCrypto();
    if (backend == "postgres") {
        schema_ = "t_" + Unique();
        auto admin = MustOpen(PgUrl());
        auto r = admin->Write(
            [&](storage::Connection& c) { return c.ExecScript("CREATE SCHEMA " + schema_); });
        if (!r) {
            throw std::runtime_error(r.error().message);
        }
        const std::string sep = PgUrl().find('?') == std::string::npos ? "?" : "&";
        target_ = PgUrl() + sep + "options=-csearch_path%3D" + schema_ + "%2Cpublic";
    } else {
        dir_ = (std::filesystem::temp_directory_path() / ("unyo-test-" + Unique())).string();
        std::filesystem::create_directories(dir_);
        target_ = dir_ + "/unyo.db";
    }
    db_ = MustOpen(target_);
    if (migrate) {
        auto r = storage::Migrate(*db_, 1'700'000'000'000);
        if (!r) {
            throw std::runtime_error("migration failed: " + r.error().message);
        }
    }
}

void TestDatabase::Reopen() {
    db_->Close();
    db_ = MustOpen(target_);
}

TestDatabase::~TestDatabase() {
    db_->Close();
    db_.reset();
    if (!schema_.empty()) {
        auto admin = MustOpen(PgUrl());
        (void)admin->Write([&](storage::Connection& c) {
            return c.ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
        });
        admin->Close();
    }
    if (!dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

}  // namespace unyo::testing
