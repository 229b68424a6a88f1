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

struct BackupOptions {
    std::string file;  // verify, drill, restore: the archive
    std::string spec;  // files: a backup spec as JSON (backup::CreateOptionsFromJson)
    std::string dir, name;  // drill: the newest generation of `name` in `dir`
    bool overwrite = false;  // restore: into a directory that is not empty
    std::string key_file;    // verify, restore: an encrypted archive's key, when not where its manifest says
};

struct ReportOptions {
    std::string kind;    // monthly | yearly | daily
    std::string period;  // --month YYYY-MM, --fiscal-year YYYY, --date YYYY-MM-DD (default: the last one ended)
    std::string format = "html";
    std::string out;     // file to write ("-" or empty: standard output)
    std::string lang = "ja";
    std::string table;   // csv: one table
    std::string out_dir;  // write each of `formats` there under the report's own file name
    std::string formats;  // with out_dir: "html,xlsx"
    bool wareki = false;
    bool refresh = false;
    bool mail = false;  // mail the summary to the report settings' recipients
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
/// `unyo job-step http|file_wait --spec JSON`: the step an http or file_wait job runs.
int RunJobStep(const std::string& type, const std::string& spec);
int RunJobnetsExport(const CommonOptions& common, const MonitorsOptions& options);
/// Changes reach a running server at its runner's next look (a second).
int RunJobnetsImport(const CommonOptions& common, const MonitorsOptions& options);
/// `unyo backup`: unyo's own data as a new generation (the server may be running).
int RunBackup(const CommonOptions& common);
int RunBackupList(const CommonOptions& common);
/// `unyo backup files --spec JSON`: a generation of the files a backup job names.
int RunBackupFiles(const BackupOptions& options);
int RunBackupVerify(const CommonOptions& common, const BackupOptions& options);
/// A restore drill of FILE (default: the newest generation), recorded in the database.
int RunBackupDrill(const CommonOptions& common, const BackupOptions& options);
/// `unyo restore FILE --data-dir DIR`: the generation into DIR (empty unless --overwrite), then
/// the restored database's audit chain is verified.
int RunRestore(const CommonOptions& common, const BackupOptions& options);
/// `unyo report monthly|yearly|daily`: the operation report as a file (docs/reports.md).
int RunReport(const CommonOptions& common, const ReportOptions& options);
/// `unyo export --out FILE.tar.zst`: the handover export of everything (docs/export.md).
int RunExport(const CommonOptions& common, const std::string& out);
/// `unyo import FILE --data-dir NEW`: restores an export into a new data directory.
int RunImport(const CommonOptions& common, const std::string& file);
int RunVersion();

}  // namespace unyo::app
