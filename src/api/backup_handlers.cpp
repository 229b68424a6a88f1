// /api/v1/backups and /api/v1/backup-drills (issue 6: BAK-1, BAK-3, BAK-4, PRC-8).
#include <fmt/format.h>

#include "api/routes.hpp"
#include "backup/self_backup.hpp"
#include "core/time_format.hpp"

namespace unyo::api {
namespace {

namespace fs = std::filesystem;

const backup::SelfOptions& Self(Context& ctx) { return ctx.services().jobs.self_backup; }

json::object GenerationJson(const backup::Generation& g) {
    const auto& m = g.manifest;
    return {{"file", g.archive.filename().string()},
            {"name", m.name},
            {"created_at", FormatRfc3339(m.created_at)},
            {"files", static_cast<std::int64_t>(m.files.size())},
            {"bytes", m.bytes},
            {"archive_bytes", m.archive_bytes},
            {"archive_sha256", m.archive_sha256}};
}

// The generation `{file}` of the backup directory (404 for anything else: no path leaves it).
Result<backup::Generation> Named(Context& ctx) {
    const std::string file(ctx.request().Param("file"));
    for (auto& g : UNYO_TRY(backup::List(Self(ctx).destination))) {
        if (g.archive.filename() == file) return std::move(g);
    }
    return Fail(Error::NotFound(fmt::format("no backup generation is named \"{}\"", file)));
}

// An audit entry for `action` on generation `g`.
Result<void> Audit(Context& ctx, const std::string& action, const backup::Generation& g, json::object what) {
    return ctx.services().db.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(audit::Append(c, ctx.actor(), {action, "backup", g.archive.filename().string(), nullptr, std::move(what)},
                               ctx.services().clock.Now()));
        return {};
    });
}

Result<http::Response> ListBackups(Context& ctx) {
    json::array items;
    for (const auto& g : UNYO_TRY(backup::List(Self(ctx).destination))) items.push_back(GenerationJson(g));
    return ListResponse(std::move(items), std::nullopt);
}

Result<http::Response> CreateBackup(Context& ctx) {
    const Millis now = ctx.services().clock.Now();
    const auto g = UNYO_TRY(backup::BackupSelf(Self(ctx), now));
    UNYO_TRY_VOID(Audit(ctx, "backup.create", g, GenerationJson(g)));
    return http::Response::Json(201, GenerationJson(g));
}

Result<http::Response> VerifyBackup(Context& ctx) {
    const auto g = UNYO_TRY(Named(ctx));
    const auto v = backup::Verify(g.archive);
    return http::Response::Json(200, json::object{{"file", g.archive.filename().string()},
                                                  {"ok", v.ok},
                                                  {"files", v.files},
                                                  {"bytes", v.bytes},
                                                  {"problems", json::value_from(v.problems)}});
}

Result<http::Response> DrillBackup(Context& ctx) {
    const auto g = UNYO_TRY(Named(ctx));
    const auto d = UNYO_TRY(backup::RunDrill(ctx.services().db, ctx.services().clock, g.archive,
                                             Self(ctx).destination / ".drills", ctx.actor()));
    return http::Response::Json(201, backup::ToJson(d));
}

Result<http::Response> RestoreBackup(Context& ctx) {
    const auto g = UNYO_TRY(Named(ctx));
    const auto body = UNYO_TRY(ctx.Body());
    FieldReader f(body);
    f.AllowOnly({"target", "overwrite"});
    const auto target = f.RequiredString("target", 1000);
    const bool overwrite = f.OptionalBool("overwrite").value_or(false);
    if (!target.empty() && target.front() != '/') f.AddError("target", "must be an absolute directory path");
    UNYO_TRY_VOID(f.Finish());
    // Never over the live data directory, whatever the flag says: that is `unyo restore` with the
    // server stopped.
    std::error_code ec;
    const auto live = fs::weakly_canonical(Self(ctx).data_dir, ec), into = fs::weakly_canonical(target, ec);
    const auto rel = into.lexically_relative(live);
    const auto back = live.lexically_relative(into);
    if (rel.empty() || *rel.begin() != ".." || back.empty() || *back.begin() != "..") {
        return Fail(Error::Field("target", "must be outside the running server's data directory", ErrorCode::kConflict));
    }
    const auto m = UNYO_TRY(backup::Restore(g.archive, target, overwrite));
    UNYO_TRY_VOID(Audit(ctx, "backup.restore", g, json::object{{"target", target}, {"overwrite", overwrite}}));
    return http::Response::Json(200, json::object{{"file", g.archive.filename().string()},
                                                  {"target", target},
                                                  {"files", static_cast<std::int64_t>(m.files.size())},
                                                  {"bytes", m.bytes}});
}

Result<http::Response> ListDrills(Context& ctx) {
    json::array items;
    for (const auto& d : UNYO_TRY(backup::ListDrills(ctx.services().db, UNYO_TRY(ctx.Limit())))) {
        items.push_back(backup::ToJson(d));
    }
    return ListResponse(std::move(items), std::nullopt);
}

}  // namespace

void AddBackupRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    const std::string staff = "admin, manager, operator";
    r.Add({"GET", "/api/v1/backups", in, kStaff, false, "unyo's own backup generations, newest first", staff, ListBackups});
    r.Add({"POST", "/api/v1/backups", in, kAdmin, false, "Back up unyo's own data now", "admin", CreateBackup});
    r.Add({"POST", "/api/v1/backups/{file}/verify", in, kStaff, false, "Re-read a generation and check every checksum",
           staff, VerifyBackup});
    r.Add({"POST", "/api/v1/backups/{file}/drill", in, kStaff, false,
           "Restore drill: restore to a scratch place, check, record RTO and RPO evidence", staff, DrillBackup});
    r.Add({"POST", "/api/v1/backups/{file}/restore", in, kAdmin, false,
           "Restore a generation into a directory outside the data directory", "admin", RestoreBackup});
    r.Add({"GET", "/api/v1/backup-drills", in, kStaff, false, "Restore drills, newest first", staff, ListDrills});
}

}  // namespace unyo::api
