#pragma once
// SQLite backend: WAL, one writer thread that batches queued write jobs into one transaction
// (group commit, each job in its own savepoint), and a pool of read connections.

#include <memory>
#include <string>

#include "storage/sql/database.hpp"

namespace unyo::storage {

/// Opens (creating if needed) the SQLite file at `path`.
[[nodiscard]] Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                           const OpenOptions& options);

}  // namespace unyo::storage
