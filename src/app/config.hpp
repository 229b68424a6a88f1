#pragma once
// The data directory's config.json: database, listen address, log level and the account
// policies. `unyo init` writes the defaults; an operator edits the file; command-line flags
// override it. Loaded once at start on the main thread.

#include <filesystem>
#include <map>
#include <string>

#include "auth/accounts.hpp"
#include "backup/self_backup.hpp"
#include "core/error.hpp"
#include "monitor/results.hpp"

namespace unyo::app {

struct Config {
    std::filesystem::path data_dir;
    std::string database;  // "postgresql://…" or a SQLite path (relative to data_dir)
    std::string listen = "127.0.0.1:8080";
    std::string log_level = "info";
    bool sqlite_sync_full = false;
    auth::AuthConfig auth;
    monitor::Retention results;  // "monitoring": results_raw_days, results_minute_days, results_hour_days
    int lateness_alert_s = 30;   // "monitoring": checks starting later than this raise the engine's own alert
    std::string syslog_listen;   // "monitoring": HOST:PORT of the syslog receiver (UDP and TCP); empty: off
    int notice_days = 14;        // "planned_stops": a stop starting sooner needs a stated reason (SLM-2)
    /// "planned_stops": more maintenance pages, path → the service they speak for (PLN-2).
    std::map<std::string, std::string> maintenance_pages;
    int jobs_max_parallel = 16;  // "jobs": jobs running at once over all jobnet runs
    int jobs_keep_files_days = 30;
    std::map<std::string, int> jobs_queues;  // "jobs": queue → jobs running at once in it  // "jobs": a finished run's attempt files (var/jobs) kept this long
    /// "backup": unyo's own nightly backup (BAK-1): where (relative to data_dir), how many
    /// generations, at what Japan time ("" turns it off), and second places for copies.
    std::string backup_dir = "backups";
    int backup_generations = 7;
    std::string backup_at = "02:00";
    std::vector<std::string> backup_copies;
    std::string backup_key_file;  // encrypt unyo's own backups with this key (64 hex digits); "" none
    json::object backup_remote;   // a remote directory for a copy of each generation (transfer::Endpoint); {} none

    /// unyo's own backup settings, paths resolved against data_dir.
    [[nodiscard]] backup::SelfOptions SelfBackup() const;

    /// The database target with a relative SQLite path resolved against data_dir.
    [[nodiscard]] std::string DatabaseTarget() const;
};

/// Reads DIR/config.json. Error naming the key when a value has the wrong type; kNotFound when
/// the directory was never initialised.
[[nodiscard]] Result<Config> LoadConfig(const std::filesystem::path& data_dir);

/// Writes `config` as DIR/config.json (mode 0600: it may hold a database password).
[[nodiscard]] Result<void> SaveConfig(const Config& config);

/// Splits "HOST:PORT" or "[v6]:PORT". Error::Field("listen", …) when malformed.
[[nodiscard]] Result<std::pair<std::string, std::uint16_t>> ParseListen(const std::string& listen);

}  // namespace unyo::app
