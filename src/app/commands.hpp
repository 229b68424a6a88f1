#pragma once
// The operator's subcommands. Each returns the process exit code and prints what a person at a
// terminal needs; errors go to stderr as one clear sentence.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace unyo::app {

struct CommonOptions {
    std::filesystem::path data_dir = "./var";
    std::string database;  // overrides config.json when set
};

struct InitOptions {
    std::string admin_login = "admin";
    std::string organization = "運用管理";
};

struct ServeOptions {
    std::string listen;  // overrides config.json when set
};

struct MonitorsOptions {
    std::string file;  // import: the YAML to read; export: where to write ("-" or empty: stdout)
    bool dry_run = false;
};

struct UserOptions {
    std::string login;
    std::string display_name;
    std::int64_t organization_id = 0;
    std::vector<std::string> roles;
    bool enable = false;
};

int RunInit(const CommonOptions& common, const InitOptions& options);
int RunServe(const CommonOptions& common, const ServeOptions& options);
int RunMigrate(const CommonOptions& common);
int RunUserAdd(const CommonOptions& common, const UserOptions& options);
int RunUserPasswd(const CommonOptions& common, const UserOptions& options);
int RunUserDisable(const CommonOptions& common, const UserOptions& options);
int RunUserUnlock(const CommonOptions& common, const UserOptions& options);
int RunUserList(const CommonOptions& common);
int RunAuditVerify(const CommonOptions& common);
int RunMonitorsExport(const CommonOptions& common, const MonitorsOptions& options);
int RunMonitorsImport(const CommonOptions& common, const MonitorsOptions& options);
int RunVersion();

}  // namespace unyo::app
