// /api/v1/export: the handover export of everything (KNW-2, docs/export.md) made in the
// background for an admin, its progress, and the file.
#include <fstream>
#include <sstream>

#include "api/export.hpp"
#include "api/routes.hpp"

namespace unyo::api {
namespace {

Result<dataexport::ExportJob*> Job(Context& ctx) {
    if (ctx.services().exports == nullptr) return Fail(Error{ErrorCode::kUnavailable, "exports are not available here", {}});
    return ctx.services().exports;
}

Result<http::Response> StartExport(Context& ctx) {
    auto* job = UNYO_TRY(Job(ctx));
    return http::Response::Json(202, UNYO_TRY(job->Start(ctx.actor())));
}

Result<http::Response> ExportStatus(Context& ctx) {
    auto* job = UNYO_TRY(Job(ctx));
    return http::Response::Json(200, job->Status());
}

Result<http::Response> ExportFile(Context& ctx) {
    auto* job = UNYO_TRY(Job(ctx));
    const auto file = job->LatestFile();
    if (!file) return Fail(Error::NotFound("no export has finished yet: POST /api/v1/export first"));
    std::ifstream in(*file, std::ios::binary);
    if (!in) return Fail(Error::NotFound("the export file is gone: make a new export"));
    std::ostringstream buf;
    buf << in.rdbuf();
    http::Response r;
    r.body = buf.str();
    r.content_type = "application/zstd";
    r.SetHeader("Content-Disposition", Disposition(file->filename().string()));
    return r;
}

}  // namespace

void AddDataExportRoutes(http::Router<Route>& r) {
    const auto in = Access::kSignedIn;
    r.Add({"POST", "/api/v1/export", in, kAdmin, false,
           "Start the handover export of everything (JSON Lines per table, manifest, checksums, data dictionary) "
           "into DIR/exports; 409 while one runs",
           "admin", StartExport});
    r.Add({"GET", "/api/v1/export", in, kAdmin, false, "The export's progress: state, tables done of total, rows, file",
           "admin", ExportStatus});
    r.Add({"GET", "/api/v1/export/file", in, kAdmin, false, "Download the last finished export (.tar.zst)", "admin",
           ExportFile});
}

}  // namespace unyo::api
