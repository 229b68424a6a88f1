#pragma once
// Fresh, migrated databases for storage-backed tests, on SQLite (a temp file) and, when
// UNYO_TEST_PG_URL names a server, on PostgreSQL (a schema of its own per database).
// `make test` always sets UNYO_TEST_PG_URL and UNYO_REQUIRE_PG=1, so no backend is skipped there.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sql/database.hpp"

namespace unyo::testing {

/// Both backends, always, so that the list of tests does not depend on the environment.
std::vector<std::string> Backends();

/// Whether `backend` can run here: PostgreSQL needs UNYO_TEST_PG_URL.
bool Available(const std::string& backend);

/// Whether a missing PostgreSQL is a failure (UNYO_REQUIRE_PG=1, set by `make test`).
bool Required();

/// A fresh database of `backend`; dropped when the handle goes.
class TestDatabase {
  public:
    explicit TestDatabase(const std::string& backend, bool migrate = true);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    storage::Database& db() { return *db_; }
    /// Reopens the same database (e.g. to check what survived).
    void Reopen();
    [[nodiscard]] const std::string& target() const { return target_; }

  private:
    std::string backend_;
    std::string target_;
    std::string schema_;  // PostgreSQL only
    std::string dir_;     // SQLite only
    std::unique_ptr<storage::Database> db_;
};

/// Test-name suffix for a backend parameter.
struct BackendName {
    std::string operator()(const ::testing::TestParamInfo<std::string>& info) const {
        return info.param;
    }
};

}  // namespace unyo::testing

/// First line of a backend-parameterised SetUp or test: skips a PostgreSQL case when no server
/// is configured, and fails it instead under `make test`.
#define UNYO_SKIP_IF_UNAVAILABLE(backend)                                                 \
    do {                                                                                  \
        if (!::unyo::testing::Available(backend)) {                                       \
            if (::unyo::testing::Required()) {                                            \
                GTEST_FAIL() << "UNYO_REQUIRE_PG=1 but UNYO_TEST_PG_URL is not set";      \
            }                                                                             \
            GTEST_SKIP() << "PostgreSQL tests need UNYO_TEST_PG_URL (make test sets it)"; \
        }                                                                                 \
    } while (0)
