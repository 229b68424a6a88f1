#pragma once
// PostgreSQL backend over libpq: a pool of connections; each write job runs in its own
// transaction (PostgreSQL orders concurrent writers itself), reads run on a pooled connection.

#include <memory>
#include <string>

#include "storage/sql/database.hpp"

namespace unyo::storage {

/// Connects to the PostgreSQL database named by the libpq URL `url`.
[[nodiscard]] Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url,
                                                             const OpenOptions& options);

}  // namespace unyo::storage
