#include "storage/sql/database.hpp"

#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace unyo::storage {

bool IsPostgresUrl(std::string_view target) {
    return target.starts_with("postgresql://") || target.starts_with("postgres://");
}

Result<std::unique_ptr<Database>> Open(const std::string& target, const OpenOptions& options) {
    if (IsPostgresUrl(target)) {
        return OpenPostgres(target, options);
    }
    return OpenSqlite(target, options);
}

}  // namespace unyo::storage
