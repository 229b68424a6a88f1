// unyo: the composition root's command line. Parses the subcommand and hands over to
// app/commands.cpp; the only place that knows every module.
#include <CLI/CLI.hpp>
#include <curl/curl.h>

#include "app/commands.hpp"
#include "core/crypto.hpp"

int main(int argc, char** argv) {
    using namespace unyo::app;
    unyo::InitCrypto();
    curl_global_init(CURL_GLOBAL_DEFAULT);  // before any thread: notifications use libcurl
    CLI::App cli{"unyo — operations and maintenance management for public-sector systems"};
    cli.require_subcommand(1);
    CommonOptions common;
    auto add_common = [&common](CLI::App* cmd) {
        cmd->add_option("--data-dir", common.data_dir, "data directory (default ./var)");
        cmd->add_option("--database", common.database,
                        "postgresql://… URL instead of the embedded SQLite");
    };

    InitOptions init;
    auto* init_cmd =
        cli.add_subcommand("init", "create the data directory, database and first admin");
    add_common(init_cmd);
    init_cmd->add_option("--admin-login", init.admin_login, "login of the first admin");
    init_cmd->add_option("--organization", init.organization, "name of the owner organisation");

    ServeOptions serve;
    auto* serve_cmd = cli.add_subcommand("serve", "serve the API and console");
    add_common(serve_cmd);
    serve_cmd->add_option("--listen", serve.listen, "HOST:PORT (port 0 picks a free one)");

    auto* migrate_cmd = cli.add_subcommand("migrate", "apply pending schema migrations");
    add_common(migrate_cmd);

    UserOptions user;
    auto* user_cmd = cli.add_subcommand("user", "manage accounts");
    user_cmd->require_subcommand(1);
    auto* user_add = user_cmd->add_subcommand("add", "create an account; prints its password");
    add_common(user_add);
    user_add->add_option("--login", user.login)->required();
    user_add->add_option("--name", user.display_name, "display name");
    user_add->add_option("--organization-id", user.organization_id)->required();
    user_add
        ->add_option("--role", user.roles, "admin, manager, operator, vendor, requester, viewer")
        ->required();
    auto* user_passwd = user_cmd->add_subcommand("passwd", "set a new random password; prints it");
    add_common(user_passwd);
    user_passwd->add_option("--login", user.login)->required();
    auto* user_disable = user_cmd->add_subcommand("disable", "disable (or --enable) an account");
    add_common(user_disable);
    user_disable->add_option("--login", user.login)->required();
    user_disable->add_flag("--enable", user.enable, "enable instead");
    auto* user_unlock =
        user_cmd->add_subcommand("unlock", "unlock an account locked by failed sign-ins");
    add_common(user_unlock);
    user_unlock->add_option("--login", user.login)->required();
    auto* user_list = user_cmd->add_subcommand("list", "list accounts");
    add_common(user_list);

    auto* audit_cmd = cli.add_subcommand("audit", "audit log tools");
    audit_cmd->require_subcommand(1);
    auto* audit_verify =
        audit_cmd->add_subcommand("verify", "verify the audit hash chain; exit 1 if broken");
    add_common(audit_verify);

    MonitorsOptions monitors;
    auto* monitors_cmd = cli.add_subcommand("monitors", "monitor definitions as YAML");
    monitors_cmd->require_subcommand(1);
    auto* monitors_export = monitors_cmd->add_subcommand("export", "write every monitor as YAML");
    add_common(monitors_export);
    monitors_export->add_option("--out", monitors.file, "file to write (default: standard output)");
    auto* monitors_import =
        monitors_cmd->add_subcommand("import", "create or update monitors by name from a YAML file");
    add_common(monitors_import);
    monitors_import->add_option("file", monitors.file, "the YAML file")->required();
    monitors_import->add_flag("--dry-run", monitors.dry_run, "only say what would change");

    MonitorsOptions jobnets;  // the same file and dry-run options
    auto* jobnets_cmd = cli.add_subcommand("jobnets", "jobnet definitions as YAML");
    jobnets_cmd->require_subcommand(1);
    auto* jobnets_export = jobnets_cmd->add_subcommand("export", "write every jobnet as YAML");
    add_common(jobnets_export);
    jobnets_export->add_option("--out", jobnets.file, "file to write (default: standard output)");
    auto* jobnets_import = jobnets_cmd->add_subcommand("import", "create or update jobnets by name from a YAML file");
    add_common(jobnets_import);
    jobnets_import->add_option("file", jobnets.file, "the YAML file")->required();
    jobnets_import->add_flag("--dry-run", jobnets.dry_run, "only say what would change");

    std::string step_type, step_spec;
    auto* step_cmd = cli.add_subcommand("job-step", "run one step of a jobnet (what an http, file_wait or file_transfer job runs)");
    step_cmd->add_option("type", step_type, "http, file_wait or file_transfer")->required()->check(CLI::IsMember({"http", "file_wait", "file_transfer"}));
    step_cmd->add_option("--spec", step_spec, "the job's spec as JSON (default: $UNYO_JOB_SPEC, as the runner passes it)");

    BackupOptions backup;
    auto* backup_cmd = cli.add_subcommand("backup", "back up unyo's own data (database, attachments, config)");
    add_common(backup_cmd);
    auto* backup_list = backup_cmd->add_subcommand("list", "list the generations, newest first");
    add_common(backup_list);
    auto* backup_verify = backup_cmd->add_subcommand("verify", "re-read a generation and check every checksum");
    add_common(backup_verify);
    backup_verify->add_option("file", backup.file, "the archive (.tar.zst or .tar.zst.enc)")->required();
    backup_verify->add_option("--key-file", backup.key_file, "an encrypted archive's key (default: the file its manifest names)");
    auto* backup_drill = backup_cmd->add_subcommand("drill", "restore drill: restore, check, record RTO/RPO evidence");
    add_common(backup_drill);
    backup_drill->add_option("file", backup.file, "the archive (default: the newest generation)");
    backup_drill->add_option("--dir", backup.dir, "drill the newest generation in this directory (default: unyo's own)");
    backup_drill->add_option("--name", backup.name, "of this backup name (with --dir)");
    auto* backup_files = backup_cmd->add_subcommand("files", "back up files as a backup job does (--spec JSON)");
    backup_files->add_option("--spec", backup.spec,
                             "{name, sources: [{path, as?}], destination, copies?, generations?} (default: $UNYO_JOB_SPEC)");
    auto* restore_cmd = cli.add_subcommand("restore", "restore a backup generation into --data-dir (empty)");
    add_common(restore_cmd);
    restore_cmd->add_option("file", backup.file, "the archive (.tar.zst or .tar.zst.enc)")->required();
    restore_cmd->add_option("--key-file", backup.key_file, "an encrypted archive's key (default: the file its manifest names)");
    restore_cmd->add_flag("--overwrite", backup.overwrite, "restore into a directory that is not empty");

    ReportOptions report;
    auto* report_cmd = cli.add_subcommand("report", "operation reports: monthly, yearly (年度) and daily (稼働報告書)");
    report_cmd->require_subcommand(1);
    std::vector<CLI::App*> report_cmds;
    for (const auto& [kind, about, option, what] :
         {std::tuple{"monthly", "the monthly operation report", "--month", "YYYY-MM (default: the last month)"},
          std::tuple{"yearly", "the yearly analysis of a fiscal year", "--fiscal-year", "YYYY (default: this 年度)"},
          std::tuple{"daily", "the daily operation report", "--date", "YYYY-MM-DD (default: yesterday)"}}) {
        auto* sub = report_cmd->add_subcommand(kind, about);
        add_common(sub);
        sub->add_option(option, report.period, what);
        sub->add_option("--format", report.format, "html, pdf, xlsx, csv or json (default html)");
        sub->add_option("--out", report.out, "file to write (default: standard output)");
        sub->add_option("--lang", report.lang, "ja or en (default ja)");
        sub->add_option("--table", report.table, "csv: only this table (else a ZIP of every table)");
        sub->add_flag("--wareki", report.wareki, "dates also in the Japanese era (html, pdf)");
        sub->add_flag("--refresh", report.refresh, "replace a closed period's snapshot with the data as it is now");
        sub->add_option("--out-dir", report.out_dir, "write the report there in each of --formats, under its own name");
        sub->add_option("--formats", report.formats, "with --out-dir: a comma list (default html,xlsx)");
        sub->add_flag("--mail", report.mail, "mail the report's summary to the recipients of the report settings");
        sub->final_callback([&report, k = std::string(kind)] { report.kind = k; });
        report_cmds.push_back(sub);
    }

    std::string export_out, import_file;
    auto* export_cmd = cli.add_subcommand("export", "the handover export of everything: JSON Lines per table, manifest, "
                                                    "checksums and DATA-DICTIONARY.md in one .tar.zst");
    add_common(export_cmd);
    export_cmd->add_option("--out", export_out, "the file to write (FILE.tar.zst)")->required();
    auto* import_cmd = cli.add_subcommand("import", "restore a handover export into a new data directory");
    add_common(import_cmd);
    import_cmd->add_option("file", import_file, "the export (FILE.tar.zst)")->required();

    auto* version_cmd = cli.add_subcommand("version", "print the version");

    CLI11_PARSE(cli, argc, argv);

    if (init_cmd->parsed()) return RunInit(common, init);
    if (serve_cmd->parsed()) return RunServe(common, serve);
    if (migrate_cmd->parsed()) return RunMigrate(common);
    if (user_add->parsed()) return RunUserAdd(common, user);
    if (user_passwd->parsed()) return RunUserPasswd(common, user);
    if (user_disable->parsed()) return RunUserDisable(common, user);
    if (user_unlock->parsed()) return RunUserUnlock(common, user);
    if (user_list->parsed()) return RunUserList(common);
    if (audit_verify->parsed()) return RunAuditVerify(common);
    if (monitors_export->parsed()) return RunMonitorsExport(common, monitors);
    if (monitors_import->parsed()) return RunMonitorsImport(common, monitors);
    if (step_cmd->parsed()) return RunJobStep(step_type, step_spec);
    if (jobnets_export->parsed()) return RunJobnetsExport(common, jobnets);
    if (jobnets_import->parsed()) return RunJobnetsImport(common, jobnets);
    if (report_cmd->parsed()) return RunReport(common, report);
    if (export_cmd->parsed()) return RunExport(common, export_out);
    if (import_cmd->parsed()) return RunImport(common, import_file);
    if (backup_list->parsed()) return RunBackupList(common);
    if (backup_files->parsed()) return RunBackupFiles(backup);
    if (backup_verify->parsed()) return RunBackupVerify(common, backup);
    if (backup_drill->parsed()) return RunBackupDrill(common, backup);
    if (backup_cmd->parsed()) return RunBackup(common);
    if (restore_cmd->parsed()) return RunRestore(common, backup);
    if (version_cmd->parsed()) return RunVersion();
    return 2;
}
