#include "app/commands.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <thread>

#include "alerts/alert_service.hpp"
#include "api/routes.hpp"
#include "backup/self_backup.hpp"
#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"
#include "jobs/runner.hpp"
#include "jobs/steps.hpp"
#include "monitor/engine.hpp"
#include "monitor/yaml_io.hpp"
#include "notify/outbox.hpp"
#include "opscal/events.hpp"
#include "opscal/planned_stops.hpp"
#include "reports/operation_report.hpp"
#include "dataexport/dataexport.hpp"
#include "app/config.hpp"
#include "audit/audit_log.hpp"
#include "auth/accounts.hpp"
#include "auth/reorganisation.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "storage/migrations.hpp"

namespace unyo::app {
namespace {

const audit::Actor kCliActor{std::nullopt, "cli", "local"};

int Report(const Error& e) {
    std::cerr << "unyo: " << e.message << "\n";
    return e.code == ErrorCode::kInternal || e.code == ErrorCode::kUnavailable ? 3 : 2;
}

// The outcome of a YAML import (monitors, jobnets): each bad entry's field, or what changed.
template <typename Summary>
int ReportImport(const Result<Summary>& summary, bool dry_run) {
    if (!summary) {
        if (summary.error().fields.empty()) return Report(summary.error());
        for (const auto& f : summary.error().fields) std::cerr << fmt::format("unyo: {}: {}\n", f.field, f.message);
        std::cerr << "unyo: nothing was imported\n";
        return 2;
    }
    std::cout << fmt::format("{}created {}, updated {}, unchanged {}\n", dry_run ? "(dry run) " : "", summary->created,
                             summary->updated, summary->unchanged);
    return 0;
}

void PrintGeneration(const backup::Generation& g) {
    std::cout << fmt::format("{}: {} files, {} bytes (archive {} bytes, SHA-256 {})\n", g.archive.string(),
                             g.manifest.files.size(), g.manifest.bytes, g.manifest.archive_bytes,
                             g.manifest.archive_sha256);
}

// A job's spec: given, or from the environment the runner set (not argv, which every user can read).
std::string SpecOrEnv(const std::string& given) {
    if (!given.empty()) return given;
    const char* env = std::getenv("UNYO_JOB_SPEC");
    return env ? env : "";
}

// unyo-jobexec, the supervisor of job attempts: beside this program.
std::string JobExecPath() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ((ec ? std::filesystem::path("unyo") : self).parent_path() / "unyo-jobexec").string();
}

// unyo's own backup each day at config backup.at (Japan time), when the newest generation is
// older than that instant (so a server down at that time makes it up when it starts); a new
// installation's first one is at the next such time. A failure (also of the remote copy) is an
// alert through `raise` (source job) until a later backup succeeds; a failed try is tried again
// after 30 minutes.
void NightlyBackup(const Config& config, const Clock& clock, const std::function<void(const alerts::Signal&)>& raise,
                   std::stop_token stop) {
    const auto at = calendar::ParseClock(config.backup_at);
    if (!at) return;
    const auto self = config.SelfBackup();
    constexpr int kJst = 9 * 60;
    const Millis started = clock.Now();
    Millis retry_at = 0;
    const auto signal = [&](bool firing, const std::string& message, Millis now) {
        alerts::Signal s;
        s.source = "job";
        s.dedup_key = "backup:unyo";
        s.name = "unyo の自己バックアップ";
        s.target = "バックアップ";
        s.severity = "high";
        s.firing = firing;
        s.state = firing ? "failed" : "ok";
        s.state_label = firing ? "異常終了" : "正常終了";
        s.message = message;
        s.detected_at = s.at = now;
        raise(s);
    };
    while (!stop.stop_requested()) {
        const Millis now = clock.Now();
        Millis due = calendar::Date::FromInstant(now, kJst).StartInstant(kJst) + *at * kMinuteMs;
        if (due > now) due -= kDayMs;
        auto gens = backup::List(self.destination, backup::kSelfName);
        if (gens && (gens->empty() ? started : gens->front().manifest.created_at) < due && now >= retry_at) {
            if (auto g = backup::BackupSelf(self, now); !g) {
                spdlog::error("the nightly backup failed: {}", g.error().message);
                signal(true, fmt::format("夜間の自己バックアップが失敗しました: {}", g.error().message), now);
                retry_at = now + 30 * kMinuteMs;
            } else {
                spdlog::info("nightly backup {} ({} bytes)", g->archive.string(), g->manifest.archive_bytes);
                // Ends an alert of an earlier failure (also one from before a restart); none: nothing.
                signal(false, fmt::format("自己バックアップ {} を作成しました", g->archive.filename().string()), now);
            }
        }
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        cv.wait_for(lock, stop, std::chrono::seconds(60), [] { return false; });
    }
}

// A jobnet's failure, delay or missed start as an alert signal (source `job`).
alerts::Signal JobSignal(const jobs::JobAlert& a) {
    alerts::Signal s;
    s.source = "job";
    s.dedup_key = a.dedup_key;
    s.name = a.name;
    s.target = a.service.empty() ? "ジョブネット" : a.service;
    s.service = a.service;
    s.severity = a.severity;
    s.firing = a.firing;
    s.state = a.state;
    s.state_label = a.state_label;
    s.message = a.message;
    s.detected_at = s.at = a.detected_at;
    s.ci_id = a.ci_id;
    return s;
}

Result<Config> Load(const CommonOptions& common) {
    auto c = UNYO_TRY(LoadConfig(common.data_dir));
    if (!common.database.empty()) {
        c.database = common.database;
    }
    return c;
}

// An open, migrated database with the account service over it.
struct Opened {
    Config config;
    std::unique_ptr<storage::Database> db;
    SystemClock clock;
    std::unique_ptr<auth::AccountService> accounts;
};

Result<std::unique_ptr<Opened>> Open(const CommonOptions& common, bool migrate) {
    auto o = std::make_unique<Opened>();
    o->config = UNYO_TRY(Load(common));
    storage::OpenOptions opts;
    opts.sync_full = o->config.sqlite_sync_full;
    o->db = UNYO_TRY(storage::Open(o->config.DatabaseTarget(), opts));
    if (migrate) {
        UNYO_TRY(storage::Migrate(*o->db, o->clock.Now()));
    } else {
        UNYO_TRY_VOID(storage::CheckSchema(*o->db));
    }
    o->accounts = std::make_unique<auth::AccountService>(*o->db, o->clock, o->config.auth);
    return o;
}

std::string Describe(const Config& c) {
    return storage::IsPostgresUrl(c.database) ? "PostgreSQL" : "SQLite " + c.DatabaseTarget();
}

}  // namespace

int RunInit(const CommonOptions& common, const InitOptions& options) {
    std::error_code ec;
    if (std::filesystem::exists(common.data_dir / "config.json")) {
        std::cerr << "unyo: " << common.data_dir.string()
                  << " is already initialised (config.json exists); use `unyo user add` for more "
                     "accounts\n";
        return 2;
    }
    for (const char* sub : {"", "attachments", "backups", "logs"}) {
        std::filesystem::create_directories(common.data_dir / sub, ec);
        if (ec) {
            std::cerr << "unyo: cannot create " << (common.data_dir / sub).string() << ": "
                      << ec.message() << "\n";
            return 3;
        }
    }
    std::filesystem::permissions(common.data_dir, std::filesystem::perms::owner_all, ec);
    Config config;
    config.data_dir = common.data_dir;
    config.database = common.database.empty() ? "unyo.db" : common.database;
    if (auto r = SaveConfig(config); !r) {
        return Report(r.error());
    }
    auto opened = Open(common, true);
    if (!opened) {
        std::filesystem::remove(common.data_dir / "config.json", ec);
        return Report(opened.error());
    }
    auto& o = **opened;
    auto existing = o.accounts->ListUsers({});
    if (existing && !existing->items.empty()) {
        std::filesystem::remove(common.data_dir / "config.json", ec);
        std::cerr
            << "unyo: the database already has users; refusing to create another first admin\n";
        return 2;
    }
    auto org = o.accounts->CreateOrganization(
        {options.organization, "owner", std::nullopt, std::nullopt, std::nullopt}, kCliActor);
    if (!org) {
        return Report(org.error());
    }
    const std::string password = RandomPassword(16);
    auth::UserInput admin;
    admin.login = options.admin_login;
    admin.display_name = "管理者";
    admin.organization_id = org->id;
    admin.roles = std::vector<std::string>{"admin"};
    admin.password = password;
    auto user = o.accounts->CreateUser(admin, kCliActor);
    if (!user) {
        return Report(user.error());
    }
    // Two calendars every site needs: office hours of a municipality, and round the clock (INC-4).
    calendar::CalendarStore calendars(*o.db, o.clock);
    for (auto [name, description, rules] :
         {std::tuple{"標準 (平日 8:30–17:15)", "土日祝日と年末年始 (12/29–1/3) は休み", calendar::CalendarRules{}},
          std::tuple{"24時間365日", "休みのない暦 (24x7)", calendar::CalendarRules::AlwaysOpen()}}) {
        if (auto c = calendars.Create(name, description, rules, kCliActor); !c) {
            return Report(c.error());
        }
    }
    o.db->Close();
    std::cout << "unyo initialised in " << common.data_dir.string() << " (" << Describe(o.config)
              << ")\n"
              << "organization: " << org->name << " (id " << org->id << ")\n"
              << "admin login: " << user->login << "\n"
              << "admin password: " << password << "\n"
              << "This password is shown only once: keep it now.\n";
    return 0;
}

int RunServe(const CommonOptions& common, const ServeOptions& options) {
    auto opened = Open(common, true);
    if (!opened) {
        return Report(opened.error());
    }
    auto& o = **opened;
    SetUpLogging(o.config.log_level);
    auto listen = ParseListen(options.listen.empty() ? o.config.listen : options.listen);
    if (!listen) {
        return Report(listen.error());
    }
    http::Metrics metrics;
    calendar::CalendarStore calendars(*o.db, o.clock);
    auto policies = records::SlaPolicyStore::Open(*o.db, o.clock, calendars, sla::DefaultPolicies());
    if (!policies) {
        return Report(policies.error());
    }
    records::RecordService records(*o.db, o.clock, calendars, **policies, o.config.data_dir / "attachments");
    records::SavedViews views(*o.db, o.clock);

    // Monitoring: state changes → alerts → incidents and the notification outbox (issue 5).
    const bool v6 = listen->first.find(':') != std::string::npos;
    const std::string host = listen->first == "0.0.0.0" || listen->first == "::" ? "localhost" : listen->first;
    monitor::MonitorStore monitors(*o.db, o.clock);
    opscal::PlannedStops stops(*o.db, o.clock, o.config.notice_days);
    notify::Outbox outbox(*o.db, o.clock);
    alerts::AlertService alert_service(*o.db, o.clock, records, stops, outbox, "");
    monitor::Engine engine(o.clock, monitors, [&](const monitor::Monitor& m, const monitor::HardChange& change) {
        if (auto done = alert_service.OnMonitorChange(m, change); !done) {
            spdlog::error("acting on monitor {} becoming {} failed: {}", m.name, monitor::StateName(change.to),
                          done.error().message);
        }
    });
    engine.OnFlapping([&](const monitor::Monitor& m, const monitor::FlapChange& flap, monitor::State hard) {
        if (auto done = alert_service.OnFlapping(m, flap, hard); !done) {
            spdlog::error("acting on monitor {} flapping failed: {}", m.name, done.error().message);
        }
    });
    engine.OnSettled([&monitors](const std::vector<std::pair<std::int64_t, monitor::HardChange>>& batch) {
        monitors.WriteFirstStates(batch);
    });
    monitors.OnChange([&engine] { engine.Reload(); });
    monitor::ResultStore results(*o.db, o.config.results);
    engine.OnResults([&results](const std::vector<monitor::ResultRow>& batch) {
        if (auto written = results.Append(batch); !written) {
            spdlog::error("writing {} check results failed: {}", batch.size(), written.error().message);
        }
    });
    records.OnSlaEvent([&](storage::Connection& c, const records::Record& r, const sla::ClockStatus& clock,
                           const std::string& event, Millis at) -> Result<void> {
        UNYO_TRY(notify::Outbox::Enqueue(c, alert_service.SlaMessage(r, clock, event), at));
        return {};
    });
    records.OnAssigned([&](storage::Connection& c, const records::Record& r, Millis at) {
        return alert_service.TellAssignee(c, r, at);
    });
    records.OnRouted([&](storage::Connection& c, const records::Record& r, const json::object& routing, Millis at) {
        return alert_service.TellRouted(c, r, routing, at);
    });
    records.OnCiNamed([&](storage::Connection& c, const records::Record& r, std::int64_t ci_id, Millis at) {
        return alert_service.TellPartners(c, r, ci_id, at);
    });
    alerts::AlertRules rules(*o.db, o.clock);
    api::MonitoringServices monitoring{monitors, engine, results, alert_service, outbox, stops, rules,
                                       o.config.maintenance_pages};
    // Jobnets (issue 6): the runner's failures and delays go through the same alert pipeline as
    // monitoring's (and so become incidents and mail); a successful run can beat a heartbeat.
    jobs::JobnetStore jobnets(*o.db, o.clock, calendars);
    if (auto seeded = reports::SeedMonthlyReportJobnet(*o.db, jobnets, o.clock, kCliActor); !seeded) {
        return Report(seeded.error());
    }
    jobs::RunnerOptions runner_options;
    runner_options.work_dir = o.config.data_dir / "jobs";
    runner_options.exec_path = JobExecPath();
    runner_options.unyo_path = (std::filesystem::path(runner_options.exec_path).parent_path() / "unyo").string();
    runner_options.data_dir = std::filesystem::absolute(o.config.data_dir);
    runner_options.max_parallel = o.config.jobs_max_parallel;
    runner_options.queue_limits = o.config.jobs_queues;
    jobs::Runner runner(*o.db, o.clock, jobnets, runner_options);
    runner.set_alert_sink([&alert_service](const jobs::JobAlert& a) {
        if (auto done = alert_service.Raise(JobSignal(a)); !done) {
            spdlog::error("raising the alert {} failed: {}", a.dedup_key, done.error().message);
        }
    });
    runner.set_heartbeat([&engine](std::int64_t monitor_id) { engine.Heartbeat(monitor_id); });
    opscal::OpsEvents ops_events(*o.db, o.clock, calendars);
    api::JobServices job_services{jobnets, runner, o.config.SelfBackup(), ops_events};
    dataexport::ExportJob exports(*o.db, o.config.data_dir, o.clock, UNYO_VERSION);
    api::Services services{*o.db, *o.accounts, calendars, records, views, metrics, o.clock, http::ConsoleFiles(),
                           monitoring, job_services, &exports};
    std::vector<std::string> maintenance_paths;
    for (const auto& [path, service] : o.config.maintenance_pages) maintenance_paths.push_back(path);
    const auto router = api::BuildRouter(maintenance_paths);
    http::ServerOptions server_options;
    server_options.host = listen->first;
    server_options.port = listen->second;
    http::Server server(
        server_options, [&](http::Request& req) { return api::Dispatch(router, services, req); },
        metrics);
    auto port = server.Bind();
    if (!port) {
        return Report(port.error());
    }
    std::cout << "listening on http://" << (v6 ? "[" + listen->first + "]" : listen->first) << ":"
              << *port << std::endl;
    spdlog::info("serving {} on port {}", Describe(o.config), *port);
    // SLA warnings and breaches are written to the timelines as they come due (INC-4), and their
    // messages to the outbox in the same transactions; the outbox is woken once they committed.
    server.Every(std::chrono::seconds(30), [&records, &outbox] {
        if (auto n = records.Sweep(); !n) {
            spdlog::warn("the SLA sweep failed: {}", n.error().message);
        } else if (*n > 0) {
            outbox.Wake();
        }
    });
    server.Every(std::chrono::hours(1), [&o, &results, &runner] {
        if (auto n = runner.PruneFiles(o.clock.Now() - o.config.jobs_keep_files_days * kDayMs); !n) {
            spdlog::warn("pruning old job files failed: {}", n.error().message);
        }
        if (auto n = o.accounts->PurgeLoginHistory(); !n) {
            spdlog::warn("purging old login history failed: {}", n.error().message);
        }
        if (auto n = results.Prune(o.clock.Now()); !n) {
            spdlog::warn("pruning old check results failed: {}", n.error().message);
        }
    });
    // Changes made elsewhere (`unyo monitors import`, another node) reach the engine too.
    server.Every(std::chrono::seconds(15), [&monitors, &engine, last = monitors.Fingerprint().value_or("")]() mutable {
        auto print = monitors.Fingerprint();  // `last`: what the engine started with, then last seen
        if (!print || *print == last) return;
        engine.Reload();  // keeps every monitor's next due time: harmless if it was ours
        last = std::move(*print);
    });
    // Escalation (INC-2, MON-7): channels with a delay hear of alerts left unacknowledged.
    server.Every(std::chrono::seconds(15), [&alert_service, &outbox] {
        if (auto n = alert_service.Escalate(); !n) {
            spdlog::warn("escalating alerts failed: {}", n.error().message);
        } else if (*n > 0) {
            outbox.Wake();
        }
    });
    // The April reorganisation (ACC-6): staged sheets applied on their date.
    auth::Reorganisations reorganisations(*o.db, o.clock, *o.accounts);
    server.Every(std::chrono::seconds(60), [&reorganisations] {
        if (auto n = reorganisations.ApplyDue(); !n) spdlog::warn("applying reorganisations failed: {}", n.error().message);
    });
    // The escalation route (体制図, INC-9): levels of incidents not yet recovered told when due.
    server.Every(std::chrono::seconds(15), [&alert_service, &outbox] {
        if (auto n = alert_service.EscalateIncidents(); !n) {
            spdlog::warn("escalating incidents failed: {}", n.error().message);
        } else if (*n > 0) {
            outbox.Wake();
        }
    });
    // The engine watched from outside (MON-8): checks starting late, or its loop not turning,
    // raise its own alert (and so an incident and mail); it ends when the engine is on time again.
    server.Every(std::chrono::seconds(10), [&engine, &alert_service, &o] {
        const Millis lateness = engine.TakeRecentMaxLateness();
        if (auto watched = alert_service.WatchEngine(lateness, engine.Stats().since_tick_ms,
                                                     o.config.lateness_alert_s * 1000LL);
            !watched) {
            spdlog::error("raising the engine's own alert failed: {}", watched.error().message);
        }
    });
    const auto console_url = fmt::format("http://{}:{}", v6 && host != "localhost" ? "[" + host + "]" : host, *port);
    alert_service.set_console_url(console_url);
    stops.set_console_url(console_url);
    if (!o.config.syslog_listen.empty()) {
        auto bound = engine.ListenSyslog(o.config.syslog_listen);
        if (!bound) return Report(bound.error());
        fmt::print("syslog receiver on {} (udp and tcp)\n", *bound);
        std::fflush(stdout);
    }
    if (auto started = engine.Start(); !started) {
        return Report(started.error());
    }
    if (auto started = runner.Start(); !started) {
        return Report(started.error());
    }
    std::jthread delivery([&outbox](std::stop_token stop) { outbox.Run(stop); });
    std::jthread nightly_backup([&](std::stop_token stop) {
        NightlyBackup(
            o.config, o.clock,
            [&alert_service](const alerts::Signal& s) {
                if (auto done = alert_service.Raise(s); !done) {
                    spdlog::error("raising the alert {} failed: {}", s.dedup_key, done.error().message);
                }
            },
            stop);
    });
    server.Run();
    runner.Stop();
    engine.Stop();
    delivery.request_stop();
    delivery.join();
    o.db->Close();
    return 0;
}

int RunMigrate(const CommonOptions& common) {
    auto config = Load(common);
    if (!config) {
        return Report(config.error());
    }
    auto db = storage::Open(config->DatabaseTarget());
    if (!db) {
        return Report(db.error());
    }
    SystemClock clock;
    const int before = storage::CurrentVersion(**db).value_or(0);
    auto applied = storage::Migrate(**db, clock.Now());
    if (!applied) {
        return Report(applied.error());
    }
    std::cout << fmt::format("schema version {} → {} ({} migrations applied)\n", before,
                             storage::LatestVersion((*db)->dialect()), *applied);
    return 0;
}

int RunUserAdd(const CommonOptions& common, const UserOptions& options) {
    auto opened = Open(common, false);
    if (!opened) {
        return Report(opened.error());
    }
    const std::string password = RandomPassword(16);
    auth::UserInput in;
    in.login = options.login;
    in.display_name = options.display_name.empty() ? options.login : options.display_name;
    in.organization_id = options.organization_id;
    in.roles = options.roles;
    in.password = password;
    auto user = (*opened)->accounts->CreateUser(in, kCliActor);
    if (!user) {
        return Report(user.error());
    }
    std::cout << "user " << user->login << " created (id " << user->id << ")\n"
              << "password: " << password << "\n";
    return 0;
}

namespace {

// Opens the database, finds the user named by --login and prints what `fn` returns.
template <typename F>
int WithUser(const CommonOptions& common, const std::string& login, F&& fn) {
    auto opened = Open(common, false);
    if (!opened) {
        return Report(opened.error());
    }
    auto user = (*opened)->accounts->FindUserByLogin(login);
    if (!user) {
        return Report(user.error());
    }
    Result<std::string> out = fn(*(*opened)->accounts, *user);
    if (!out) {
        return Report(out.error());
    }
    std::cout << *out;
    return 0;
}

}  // namespace

int RunUserPasswd(const CommonOptions& common, const UserOptions& options) {
    return WithUser(
        common, options.login,
        [](auth::AccountService& accounts, const auth::User& u) -> Result<std::string> {
            const std::string password = RandomPassword(16);
            UNYO_TRY_VOID(accounts.ResetPassword(u.id, password, kCliActor, true));
            return fmt::format(
                "new password for {}: {}\nThe user must change it at the next sign-in.\n", u.login,
                password);
        });
}

int RunUserDisable(const CommonOptions& common, const UserOptions& options) {
    return WithUser(
        common, options.login,
        [&](auth::AccountService& accounts, const auth::User& u) -> Result<std::string> {
            auth::UserInput in;
            in.disabled = !options.enable;
            const auto r = UNYO_TRY(accounts.UpdateUser(u.id, u.version, in, kCliActor));
            return fmt::format("user {} {}\n", r.login, r.disabled ? "disabled" : "enabled");
        });
}

int RunUserUnlock(const CommonOptions& common, const UserOptions& options) {
    return WithUser(common, options.login,
                    [](auth::AccountService& accounts, const auth::User& u) -> Result<std::string> {
                        UNYO_TRY(accounts.Unlock(u.id, kCliActor));
                        return fmt::format("user {} unlocked\n", u.login);
                    });
}

int RunUserList(const CommonOptions& common) {
    auto opened = Open(common, false);
    if (!opened) {
        return Report(opened.error());
    }
    auth::UserQuery q;
    q.limit = 500;
    std::cout << fmt::format("{:>6}  {:<20} {:<8} {:<6} {}\n", "id", "login", "status", "org",
                             "roles");
    for (;;) {
        auto page = (*opened)->accounts->ListUsers(q);
        if (!page) {
            return Report(page.error());
        }
        for (const auto& u : page->items) {
            std::cout << fmt::format("{:>6}  {:<20} {:<8} {:<6} {}\n", u.id, u.login,
                                     u.disabled ? "disabled" : "active", u.organization_id,
                                     auth::FormatRoles(u.roles));
        }
        if (!page->next_cursor) {
            break;
        }
        q.after = page->next_cursor;
    }
    return 0;
}

int RunMonitorsExport(const CommonOptions& common, const MonitorsOptions& options) {
    auto opened = Open(common, false);
    if (!opened) {
        return Report(opened.error());
    }
    monitor::MonitorStore store(*(*opened)->db, (*opened)->clock);
    auto list = store.List();
    if (!list) {
        return Report(list.error());
    }
    const auto yaml = monitor::ExportYaml(*list);
    if (options.file.empty() || options.file == "-") {
        std::cout << yaml;
        return 0;
    }
    std::ofstream out(options.file, std::ios::trunc);
    if (!(out << yaml)) {
        return Report(Error::Internal(fmt::format("cannot write {}", options.file)));
    }
    std::cerr << fmt::format("wrote {} monitors to {}\n", list->size(), options.file);
    return 0;
}

int RunMonitorsImport(const CommonOptions& common, const MonitorsOptions& options) {
    std::ifstream in(options.file);
    if (!in) {
        return Report(Error::NotFound(fmt::format("cannot read {}", options.file)));
    }
    std::stringstream text;
    text << in.rdbuf();
    auto opened = Open(common, false);
    if (!opened) {
        return Report(opened.error());
    }
    monitor::MonitorStore store(*(*opened)->db, (*opened)->clock);
    auto summary = monitor::ImportYaml(store, text.str(), kCliActor, options.dry_run);
    return ReportImport(summary, options.dry_run);
}

int RunJobStep(const std::string& type, const std::string& spec) {
    auto parsed = ParseObject(SpecOrEnv(spec));
    if (!parsed) return Report(parsed.error());
    return jobs::RunStep(type, *parsed);
}

int RunJobnetsExport(const CommonOptions& common, const MonitorsOptions& options) {
    auto opened = Open(common, false);
    if (!opened) return Report(opened.error());
    calendar::CalendarStore calendars(*(*opened)->db, (*opened)->clock);
    jobs::JobnetStore store(*(*opened)->db, (*opened)->clock, calendars);
    auto yaml = store.ExportYaml();
    if (!yaml) return Report(yaml.error());
    if (options.file.empty() || options.file == "-") {
        std::cout << *yaml;
        return 0;
    }
    std::ofstream(options.file) << *yaml;
    return 0;
}

int RunJobnetsImport(const CommonOptions& common, const MonitorsOptions& options) {
    std::ifstream in(options.file);
    if (!in) return Report(Error::NotFound(fmt::format("cannot read {}", options.file)));
    std::stringstream text;
    text << in.rdbuf();
    auto opened = Open(common, false);
    if (!opened) return Report(opened.error());
    calendar::CalendarStore calendars(*(*opened)->db, (*opened)->clock);
    jobs::JobnetStore store(*(*opened)->db, (*opened)->clock, calendars);
    auto summary = store.ImportYaml(text.str(), kCliActor, options.dry_run);
    return ReportImport(summary, options.dry_run);
}

int RunReport(const CommonOptions& common, const ReportOptions& options) {
    if (options.lang != "ja" && options.lang != "en") return Report(Error::Field("--lang", "must be ja or en"));
    auto opened = Open(common, false);
    if (!opened) return Report(opened.error());
    auto& o = **opened;
    calendar::CalendarStore calendars(*o.db, o.clock);
    auto policies = records::SlaPolicyStore::Open(*o.db, o.clock, calendars, sla::DefaultPolicies());
    if (!policies) return Report(policies.error());
    records::RecordService records(*o.db, o.clock, calendars, **policies, o.config.data_dir / "attachments");
    monitor::MonitorStore monitors(*o.db, o.clock);
    opscal::PlannedStops stops(*o.db, o.clock, o.config.notice_days);
    opscal::OpsEvents events(*o.db, o.clock, calendars);
    reports::OperationReports reports({*o.db, records, monitors, stops, events, o.clock});
    reports::FileRequest request;
    request.format = options.format;
    request.language = options.lang == "en" ? reports::Language::kEnglish : reports::Language::kJapanese;
    request.wareki = options.wareki;
    if (!options.table.empty()) request.table = options.table;
    if (auto ok = reports::CheckFormat(options.format); !ok) return Report(ok.error());
    const std::string period = options.period.empty() ? reports::DefaultPeriod(options.kind, o.clock.Now()) : options.period;
    auto generated = reports.Generate(options.kind, period, options.refresh, kCliActor);
    if (!generated) return Report(generated.error());
    if (generated->changed_since_snapshot) {
        std::string ids;
        for (const auto& id : generated->changed_sections) ids += (ids.empty() ? "" : ", ") + id;
        std::cerr << fmt::format("note: this is the snapshot of {} ({}); data changed since in: {} (--refresh to replace it)\n",
                                 period, FormatRfc3339(*generated->snapshot_at), ids);
    }
    if (!options.out_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(options.out_dir, ec);
        std::istringstream list(options.formats.empty() ? "html,xlsx" : options.formats);
        std::string format;
        while (std::getline(list, format, ',')) {
            request.format = format;
            auto file = reports::RenderFile(*generated, request);
            if (!file) return Report(file.error());
            const auto path = std::filesystem::path(options.out_dir) / file->file_name;
            std::ofstream out(path, std::ios::binary);
            out << file->body;
            if (!out) return Report(Error::Internal(fmt::format("cannot write {}", path.string())));
            std::cout << fmt::format("{} written ({} bytes)\n", path.string(), file->body.size());
        }
    } else {
        auto file = reports::RenderFile(*generated, request);
        if (!file) return Report(file.error());
        if (options.out.empty() || options.out == "-") {
            std::cout << file->body;
        } else {
            std::ofstream out(options.out, std::ios::binary);
            out << file->body;
            if (!out) return Report(Error::Internal(fmt::format("cannot write {}", options.out)));
            std::cout << fmt::format("{} written ({} bytes)\n", options.out, file->body.size());
        }
    }
    if (options.mail) {
        auto mailed = reports.MailSummary(generated->report, kCliActor);
        if (!mailed) return Report(mailed.error());
        std::cout << (*mailed > 0 ? fmt::format("the summary is queued for {} recipient(s)\n", *mailed)
                                  : std::string("nothing mailed: no recipients in the report settings (mail_to) or no SMTP channel\n"));
    }
    return 0;
}

int RunExport(const CommonOptions& common, const std::string& out) {
    if (out.empty()) return Report(Error::Field("--out", "name the file to write (FILE.tar.zst)"));
    auto opened = Open(common, false);
    if (!opened) return Report(opened.error());
    auto& o = **opened;
    auto done = dataexport::Export(*o.db, o.config.data_dir / "attachments", out, o.clock.Now(), UNYO_VERSION,
                                   [](const dataexport::Progress& p) {
                                       std::cerr << fmt::format("\r{}/{} tables, {} rows", p.tables_done, p.tables_total, p.rows);
                                   });
    std::cerr << "\n";
    if (!done) return Report(done.error());
    std::cout << fmt::format("{} written: {} tables, {} rows, {} attachments, {} bytes\n", out, done->tables, done->rows,
                             done->attachments, done->bytes);
    return 0;
}

int RunImport(const CommonOptions& common, const std::string& file) {
    std::error_code ec;
    if (std::filesystem::exists(common.data_dir / "config.json")) {
        return Report(Error::Conflict(fmt::format("{} is initialised already: import only into a new data directory",
                                                  common.data_dir.string())));
    }
    if (!std::filesystem::exists(file)) return Report(Error::NotFound(fmt::format("cannot read {}", file)));
    for (const char* sub : {"", "attachments", "backups", "logs"}) {
        std::filesystem::create_directories(common.data_dir / sub, ec);
        if (ec) return Report(Error::Internal(fmt::format("cannot create {}: {}", (common.data_dir / sub).string(), ec.message())));
    }
    std::filesystem::permissions(common.data_dir, std::filesystem::perms::owner_all, ec);
    Config config;
    config.data_dir = common.data_dir;
    config.database = common.database.empty() ? "unyo.db" : common.database;
    if (auto r = SaveConfig(config); !r) return Report(r.error());
    auto undo = [&] {
        std::filesystem::remove(common.data_dir / "config.json", ec);
        if (!storage::IsPostgresUrl(config.database)) {
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(config.DatabaseTarget() + suffix, ec);
        }
    };
    auto opened = Open(common, true);
    if (!opened) {
        undo();
        return Report(opened.error());
    }
    auto& o = **opened;
    auto done = dataexport::Import(file, *o.db, o.config.data_dir / "attachments");
    if (!done) {
        o.db->Close();
        undo();
        return Report(done.error());
    }
    auto chain = audit::Verify(*o.db);
    if (!chain) return Report(chain.error());
    o.db->Close();
    std::cout << fmt::format("imported into {} ({}): {} tables, {} rows, {} attachments\n", common.data_dir.string(),
                             Describe(config), done->tables, done->rows, done->attachments)
              << (chain->broken_seq ? fmt::format("audit chain BROKEN at seq {}: {}\n", *chain->broken_seq, chain->reason)
                                    : fmt::format("audit chain ok: {} entries\n", chain->entries))
              << fmt::format("{} accounts came without passwords (none is exported): give each a new one with "
                             "`unyo user passwd --data-dir {} --login LOGIN`\n",
                             done->users, common.data_dir.string());
    return chain->broken_seq ? 1 : 0;
}

int RunAuditVerify(const CommonOptions& common) {
    auto opened = Open(common, false);
    if (!opened) {
        return Report(opened.error());
    }
    auto report = audit::Verify(*(*opened)->db);
    if (!report) {
        return Report(report.error());
    }
    if (report->broken_seq) {
        std::cout << fmt::format(
            "audit chain BROKEN at seq {}: {} ({} entries verified before it)\n",
            *report->broken_seq, report->reason, report->entries);
        return 1;
    }
    std::cout << fmt::format("audit chain ok: {} entries\n", report->entries);
    return 0;
}

int RunBackup(const CommonOptions& common) {
    auto config = Load(common);
    if (!config) return Report(config.error());
    SystemClock clock;
    auto g = backup::BackupSelf(config->SelfBackup(), clock.Now());
    if (!g) return Report(g.error());
    PrintGeneration(*g);
    return 0;
}

int RunBackupList(const CommonOptions& common) {
    auto config = Load(common);
    if (!config) return Report(config.error());
    auto gens = backup::List(config->SelfBackup().destination);
    if (!gens) return Report(gens.error());
    for (const auto& g : *gens) {
        std::cout << fmt::format("{}  {}  {} files  {} bytes\n", FormatRfc3339(g.manifest.created_at),
                                 g.archive.string(), g.manifest.files.size(), g.manifest.archive_bytes);
    }
    return 0;
}

int RunBackupFiles(const BackupOptions& options) {
    auto spec = ParseObject(SpecOrEnv(options.spec));
    if (!spec) return Report(spec.error());
    auto o = backup::CreateOptionsFromJson(*spec);
    if (!o) {
        for (const auto& f : o.error().fields) std::cerr << "unyo: " << f.field << ": " << f.message << "\n";
        return Report(o.error());
    }
    SystemClock clock;
    auto g = backup::Create(*o, clock.Now());
    if (!g) return Report(g.error());
    PrintGeneration(*g);
    return 0;
}

int RunBackupVerify(const CommonOptions& /*common*/, const BackupOptions& options) {
    const auto v = backup::Verify(options.file, options.key_file);
    for (const auto& p : v.problems) std::cout << "problem: " << p << "\n";
    std::cout << fmt::format("{}: {} ({} files, {} bytes checked)\n", options.file, v.ok ? "ok" : "FAILED", v.files,
                             v.bytes);
    return v.ok ? 0 : 1;
}

int RunBackupDrill(const CommonOptions& common, const BackupOptions& options) {
    auto opened = Open(common, true);
    if (!opened) return Report(opened.error());
    const auto self = (*opened)->config.SelfBackup();
    std::filesystem::path file = options.file;
    if (file.empty()) {
        const std::filesystem::path dir = options.dir.empty() ? self.destination : std::filesystem::path(options.dir);
        const std::string name = options.dir.empty() ? backup::kSelfName : options.name;
        auto gens = backup::List(dir, name);
        if (!gens) return Report(gens.error());
        if (gens->empty()) return Report(Error::NotFound(fmt::format("no backup {} in {}", name, dir.string())));
        file = gens->front().archive;
    }
    // Run by a jobnet's restore-drill job, the drill is the job's (its runner sets UNYO_JOBNET).
    const char* jobnet = std::getenv("UNYO_JOBNET");
    const audit::Actor actor = jobnet ? audit::Actor{std::nullopt, fmt::format("job:{}", jobnet), "local"} : kCliActor;
    auto d = backup::RunDrill(*(*opened)->db, (*opened)->clock, file, self.destination / ".drills", actor);
    if (!d) return Report(d.error());
    std::cout << fmt::format("drill {}: {} — {} (RTO evidence {} ms, data age {} s)\n", d->id, d->ok ? "ok" : "FAILED",
                             d->message, d->duration_ms, d->data_age_ms / 1000);
    return d->ok ? 0 : 1;
}

int RunRestore(const CommonOptions& common, const BackupOptions& options) {
    auto m = backup::Restore(options.file, common.data_dir, options.overwrite, options.key_file);
    if (!m) return Report(m.error());
    std::cout << fmt::format("restored {} files ({} bytes) of {} made {} into {}\n", m->files.size(), m->bytes, m->name,
                             FormatRfc3339(m->created_at), common.data_dir.string());
    if (!std::filesystem::exists(common.data_dir / "unyo.db")) {
        if (std::filesystem::exists(common.data_dir / "unyo.pgdump")) {
            std::cout << "the database is a PostgreSQL dump: load it with pg_restore --dbname URL "
                      << (common.data_dir / "unyo.pgdump").string() << ", then run `unyo audit verify`\n";
        }
        return 0;
    }
    return RunAuditVerify(common);
}

int RunVersion() {
    std::cout << fmt::format("unyo {} (schema: sqlite {}, postgres {})\n", UNYO_VERSION,
                             storage::LatestVersion(storage::Dialect::kSqlite),
                             storage::LatestVersion(storage::Dialect::kPostgres));
    return 0;
}

}  // namespace unyo::app
