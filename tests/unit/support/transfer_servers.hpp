#pragma once
// FTP, FTPS and SFTP servers on loopback for tests (transfer_servers.py beside this file: Debian's
// python3-pyftpdlib and python3-asyncssh), serving `root`; stopped when this object goes.

#include <filesystem>
#include <string>

#include "core/json.hpp"

namespace unyo::testing {

class TransferServers {
public:
    /// Starts them with `root` served and keys made under `keys`; `ok()` says whether they run.
    TransferServers(const std::filesystem::path& root, const std::filesystem::path& keys);
    ~TransferServers();
    TransferServers(const TransferServers&) = delete;
    TransferServers& operator=(const TransferServers&) = delete;

    [[nodiscard]] bool ok() const { return !info_.empty(); }
    /// {ftp, ftps, sftp (ports), user, password_file, client_key, host_key_sha256, known_hosts, ca_file}
    [[nodiscard]] const json::object& info() const { return info_; }
    [[nodiscard]] std::string Text(const char* key) const { return StringOf(info_, key); }
    [[nodiscard]] std::int64_t Port(const char* key) const { return info_.at(key).as_int64(); }

private:
    int pid_ = -1;
    int stdin_ = -1;
    json::object info_;
};

}  // namespace unyo::testing
