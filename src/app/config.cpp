#include "app/config.hpp"

#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <sys/stat.h>

#include "calendar/civil_date.hpp"
#include "core/json.hpp"
#include "storage/sql/database.hpp"
#include "transfer/transfer.hpp"

namespace unyo::app {
namespace {

// Reads typed members of one section; the first wrong type is reported with its JSON path.
class Section {
  public:
    Section(const json::object* obj, std::string path) : obj_(obj), path_(std::move(path)) {}

    Result<void> Int(const char* key, int& out, int min, int max) const {
        const auto* v = Find(key);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max) {
            return Fail(Bad(key, fmt::format("an integer from {} to {}", min, max)));
        }
        out = static_cast<int>(v->as_int64());
        return {};
    }
    Result<void> String(const char* key, std::string& out) const {
        const auto* v = Find(key);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_string()) {
            return Fail(Bad(key, "a string"));
        }
        out = std::string(v->as_string());
        return {};
    }
    Result<void> Strings(const char* key, std::vector<std::string>& out) const {
        const auto* v = Find(key);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_array()) {
            return Fail(Bad(key, "an array of strings"));
        }
        out.clear();
        for (const auto& s : v->as_array()) {
            if (!s.is_string()) {
                return Fail(Bad(key, "an array of strings"));
            }
            out.emplace_back(s.as_string());
        }
        return {};
    }
    /// An object whose members are all strings, e.g. {"/juki/maintenance": "住民記録"}.
    Result<void> IntMap(const char* key, std::map<std::string, int>& out, int lo, int hi) const {
        const auto* v = Find(key);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_object()) {
            return Fail(Bad(key, fmt::format("an object of integers {}–{}", lo, hi)));
        }
        out.clear();
        for (const auto& [k, x] : v->as_object()) {
            if (!x.is_int64() || x.as_int64() < lo || x.as_int64() > hi) {
                return Fail(Bad(key, fmt::format("an object of integers {}–{}", lo, hi)));
            }
            out.emplace(std::string(k), static_cast<int>(x.as_int64()));
        }
        return {};
    }
    Result<void> StringMap(const char* key, std::map<std::string, std::string>& out) const {
        const auto* v = Find(key);
        if (v == nullptr) {
            return {};
        }
        if (!v->is_object()) {
            return Fail(Bad(key, "an object of strings"));
        }
        out.clear();
        for (const auto& [k, x] : v->as_object()) {
            if (!x.is_string()) {
                return Fail(Bad(key, "an object of strings"));
            }
            out.emplace(std::string(k), std::string(x.as_string()));
        }
        return {};
    }
    /// An object taken as it is (read by its own reader), `{}` when absent.
    Result<void> Object(const char* key, json::object& out) const {
        const auto* v = Find(key);
        if (v == nullptr || v->is_null()) return {};
        if (!v->is_object()) return Fail(Bad(key, "an object"));
        out = v->as_object();
        return {};
    }

    Result<Section> Child(const char* key) const {
        const auto* v = Find(key);
        if (v != nullptr && !v->is_object()) {
            return Fail(Bad(key, "an object"));
        }
        return Section(v ? &v->as_object() : nullptr, Path(key));
    }

  private:
    const json::value* Find(const char* key) const {
        return obj_ ? obj_->if_contains(key) : nullptr;
    }
    std::string Path(const char* key) const { return path_.empty() ? key : path_ + "." + key; }
    Error Bad(const char* key, std::string_view want) const {
        return Error::Field(Path(key), fmt::format("config.json: {} must be {}", Path(key), want),
                            ErrorCode::kInvalidArgument);
    }

    const json::object* obj_;
    std::string path_;
};

}  // namespace

std::string Config::DatabaseTarget() const {
    if (storage::IsPostgresUrl(database)) {
        return database;
    }
    const std::filesystem::path p(database.empty() ? "unyo.db" : database);
    return (p.is_absolute() ? p : data_dir / p).string();
}

backup::SelfOptions Config::SelfBackup() const {
    backup::SelfOptions o;
    o.data_dir = data_dir;
    o.database_target = DatabaseTarget();
    const auto resolve = [&](const std::string& p) { return std::filesystem::path(p).is_absolute() ? std::filesystem::path(p) : data_dir / p; };
    o.destination = resolve(backup_dir.empty() ? "backups" : backup_dir);
    for (const auto& c : backup_copies) o.copies.push_back(resolve(c));
    o.generations = backup_generations;
    if (!backup_key_file.empty()) o.key_file = resolve(backup_key_file);
    if (!backup_remote.empty()) {
        FieldReader f(backup_remote);
        auto e = transfer::DirectoryFromJson(f);
        if (f.Finish()) o.remote = std::move(e);
    }
    return o;
}

Result<Config> LoadConfig(const std::filesystem::path& data_dir) {
    Config c;
    c.data_dir = data_dir;
    const auto file = data_dir / "config.json";
    std::ifstream in(file);
    if (!in) {
        return Fail(
            Error::NotFound(fmt::format("{} does not exist; run `unyo init --data-dir {}` first",
                                        file.string(), data_dir.string())));
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto obj = ParseObject(buf.str());
    if (!obj) {
        return Fail(Error::Invalid(fmt::format("{}: {}", file.string(), obj.error().message)));
    }
    const Section root(&*obj, "");
    UNYO_TRY_VOID(root.String("database", c.database));
    UNYO_TRY_VOID(root.String("listen", c.listen));
    UNYO_TRY_VOID(root.String("log_level", c.log_level));
    std::string sync = "normal";
    const auto sqlite = UNYO_TRY(root.Child("sqlite"));
    UNYO_TRY_VOID(sqlite.String("synchronous", sync));
    if (sync != "normal" && sync != "full") {
        return Fail(Error::Field("sqlite.synchronous",
                                 "config.json: sqlite.synchronous must be \"normal\" or \"full\"",
                                 ErrorCode::kInvalidArgument));
    }
    c.sqlite_sync_full = sync == "full";
    auto& a = c.auth;
    const auto pw = UNYO_TRY(root.Child("password_policy"));
    UNYO_TRY_VOID(pw.Int("min_length", a.password.min_length, 4, 128));
    UNYO_TRY_VOID(pw.Int("min_classes", a.password.min_classes, 1, 4));
    UNYO_TRY_VOID(pw.Int("history", a.password.history, 0, 24));
    UNYO_TRY_VOID(pw.Int("expiry_days", a.password.expiry_days, 0, 3650));
    UNYO_TRY_VOID(pw.Strings("banned_words", a.password.banned_words));
    const auto lock = UNYO_TRY(root.Child("lockout"));
    UNYO_TRY_VOID(lock.Int("max_failures", a.max_failures, 1, 100));
    UNYO_TRY_VOID(lock.Int("minutes", a.lock_minutes, 1, 24 * 60));
    const auto session = UNYO_TRY(root.Child("session"));
    UNYO_TRY_VOID(session.Int("idle_minutes", a.session_idle_minutes, 1, 24 * 60));
    UNYO_TRY_VOID(session.Int("max_hours", a.session_max_hours, 1, 24 * 30));
    const auto accounts = UNYO_TRY(root.Child("accounts"));
    UNYO_TRY_VOID(accounts.Int("dormant_days", a.dormant_days, 1, 3650));
    UNYO_TRY_VOID(accounts.Int("login_history_days", a.login_history_days, 1, 36500));
    const auto monitoring = UNYO_TRY(root.Child("monitoring"));
    UNYO_TRY_VOID(monitoring.Int("results_raw_days", c.results.raw_days, 1, 3650));
    UNYO_TRY_VOID(monitoring.Int("results_minute_days", c.results.minute_days, 0, 36500));
    UNYO_TRY_VOID(monitoring.Int("results_hour_days", c.results.hour_days, 0, 36500));
    UNYO_TRY_VOID(monitoring.Int("lateness_alert_s", c.lateness_alert_s, 1, 3600));
    UNYO_TRY_VOID(monitoring.String("syslog_listen", c.syslog_listen));
    const auto stops = UNYO_TRY(root.Child("planned_stops"));
    UNYO_TRY_VOID(stops.Int("notice_days", c.notice_days, 0, 365));
    UNYO_TRY_VOID(stops.StringMap("maintenance_pages", c.maintenance_pages));
    const auto jobs = UNYO_TRY(root.Child("jobs"));
    UNYO_TRY_VOID(jobs.Int("max_parallel", c.jobs_max_parallel, 1, 1024));
    UNYO_TRY_VOID(jobs.Int("keep_files_days", c.jobs_keep_files_days, 1, 3650));
    UNYO_TRY_VOID(jobs.IntMap("queues", c.jobs_queues, 1, 1024));
    const auto backups = UNYO_TRY(root.Child("backup"));
    UNYO_TRY_VOID(backups.String("dir", c.backup_dir));
    UNYO_TRY_VOID(backups.Int("generations", c.backup_generations, 1, 1000));
    UNYO_TRY_VOID(backups.String("at", c.backup_at));
    UNYO_TRY_VOID(backups.Strings("copies", c.backup_copies));
    UNYO_TRY_VOID(backups.String("key_file", c.backup_key_file));
    UNYO_TRY_VOID(backups.Object("remote", c.backup_remote));
    if (!c.backup_remote.empty()) {
        FieldReader f(c.backup_remote);
        (void)transfer::DirectoryFromJson(f);
        if (auto done = f.Finish(); !done) {
            const auto& first = done.error().fields.front();
            return Fail(Error::Field("backup.remote." + first.field,
                                     fmt::format("config.json: backup.remote.{}: {}", first.field, first.message),
                                     ErrorCode::kInvalidArgument));
        }
    }
    if (!c.backup_at.empty() && !calendar::ParseClock(c.backup_at)) {
        return Fail(Error::Field("backup.at", fmt::format("config.json: backup.at: \"{}\" is not a time HH:MM (or \"\" for none)", c.backup_at),
                                 ErrorCode::kInvalidArgument));
    }
    for (const auto& [path, service] : c.maintenance_pages) {
        // Under /maintenance/ only: no page may shadow the console's or the API's paths.
        if (!path.starts_with("/maintenance/") || path.size() == 13 || path.find_first_of("{}?# ") != std::string::npos) {
            return Fail(Error::Field("planned_stops.maintenance_pages",
                                     fmt::format("config.json: planned_stops.maintenance_pages: \"{}\" must be a path "
                                                 "under /maintenance/, like /maintenance/juki",
                                                 path),
                                     ErrorCode::kInvalidArgument));
        }
    }
    return c;
}

Result<void> SaveConfig(const Config& c) {
    const auto& a = c.auth;
    json::array banned;
    for (const auto& w : a.password.banned_words) {
        banned.emplace_back(w);
    }
    json::object obj{
        {"database", c.database},
        {"listen", c.listen},
        {"log_level", c.log_level},
        {"sqlite", {{"synchronous", c.sqlite_sync_full ? "full" : "normal"}}},
        {"password_policy",
         {{"min_length", a.password.min_length},
          {"min_classes", a.password.min_classes},
          {"history", a.password.history},
          {"expiry_days", a.password.expiry_days},
          {"banned_words", std::move(banned)}}},
        {"lockout", {{"max_failures", a.max_failures}, {"minutes", a.lock_minutes}}},
        {"session", {{"idle_minutes", a.session_idle_minutes}, {"max_hours", a.session_max_hours}}},
        {"accounts",
         {{"dormant_days", a.dormant_days}, {"login_history_days", a.login_history_days}}},
        {"monitoring",
         {{"results_raw_days", c.results.raw_days},
          {"results_minute_days", c.results.minute_days},
          {"results_hour_days", c.results.hour_days},
          {"lateness_alert_s", c.lateness_alert_s},
          {"syslog_listen", c.syslog_listen}}},
        {"planned_stops",
         {{"notice_days", c.notice_days},
          {"maintenance_pages", json::value_from(c.maintenance_pages)}}},
        {"jobs",
         {{"max_parallel", c.jobs_max_parallel},
          {"keep_files_days", c.jobs_keep_files_days},
          {"queues", json::value_from(c.jobs_queues)}}},
        {"backup",
         {{"dir", c.backup_dir},
          {"generations", c.backup_generations},
          {"at", c.backup_at},
          {"copies", json::value_from(c.backup_copies)},
          {"key_file", c.backup_key_file},
          {"remote", c.backup_remote}}},
    };
    const auto file = c.data_dir / "config.json";
    const auto tmp = c.data_dir / "config.json.tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) {
            return Fail(Error::Internal(fmt::format("cannot write {}", tmp.string())));
        }
        out << json::serialize(obj) << "\n";
    }
    ::chmod(tmp.c_str(), 0600);
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        return Fail(
            Error::Internal(fmt::format("cannot write {}: {}", file.string(), ec.message())));
    }
    return {};
}

Result<std::pair<std::string, std::uint16_t>> ParseListen(const std::string& listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        return Fail(Error::Field("listen", "must be HOST:PORT, e.g. 127.0.0.1:8080",
                                 ErrorCode::kInvalidArgument));
    }
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const std::string port = listen.substr(colon + 1);
    int n = -1;
    try {
        std::size_t used = 0;
        n = std::stoi(port, &used);
        if (used != port.size()) {
            n = -1;
        }
    } catch (const std::exception&) {
        n = -1;
    }
    if (n < 0 || n > 65535) {
        return Fail(
            Error::Field("listen", "the port must be 0 to 65535", ErrorCode::kInvalidArgument));
    }
    return std::pair{host, static_cast<std::uint16_t>(n)};
}

}  // namespace unyo::app
