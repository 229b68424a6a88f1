#include "api/export.hpp"

#include <fmt/format.h>

#include "calendar/civil_date.hpp"

namespace unyo::api {
namespace {

reports::RenderOptions Options(const Context& ctx) {
    reports::RenderOptions o;
    o.language = ExportLanguage(ctx);
    return o;
}

}  // namespace

std::string Disposition(const std::string& name) {
    std::string encoded;
    for (unsigned char c : name) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            encoded += static_cast<char>(c);
        } else {
            encoded += fmt::format("%{:02X}", c);
        }
    }
    return fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}", name, encoded);
}

reports::Language ExportLanguage(const Context& ctx) {
    return ctx.QueryString("lang") == "en" ? reports::Language::kEnglish
                                           : reports::Language::kJapanese;
}

Result<bool> WantsExport(const Context& ctx) {
    const auto format = ctx.QueryString("format");
    if (!format || *format == "json") {
        return false;
    }
    if (*format != "csv" && *format != "xlsx") {
        return Fail(
            Error::Field("format", "must be json, csv or xlsx", ErrorCode::kInvalidArgument));
    }
    const auto encoding = ctx.QueryString("encoding");
    if (encoding && *encoding != "utf-8" && *encoding != "cp932") {
        return Fail(
            Error::Field("encoding", "must be utf-8 or cp932", ErrorCode::kInvalidArgument));
    }
    const auto lang = ctx.QueryString("lang");
    if (lang && *lang != "ja" && *lang != "en") {
        return Fail(Error::Field("lang", "must be ja or en", ErrorCode::kInvalidArgument));
    }
    return true;
}

Result<http::Response> ExportResponse(const Context& ctx, const reports::Table& table) {
    const auto options = Options(ctx);
    const std::string day = calendar::Date::FromInstant(ctx.services().clock.Now()).ToString();  // today in Japan
    std::string stamp;
    for (char c : day) {
        if (c != '-') stamp += c;
    }
    http::Response r;
    if (ctx.QueryString("format") == "xlsx") {
        r.body = UNYO_TRY(reports::RenderXlsx(table, options));
        r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        r.SetHeader("Content-Disposition",
                    Disposition(fmt::format("{}-{}.xlsx", table.name, stamp)));
        return r;
    }
    const bool cp932 = ctx.QueryString("encoding") == "cp932";
    r.body = UNYO_TRY(reports::RenderCsv(
        table, cp932 ? reports::CsvEncoding::kCp932 : reports::CsvEncoding::kUtf8Bom, options));
    r.content_type = cp932 ? "text/csv; charset=Shift_JIS" : "text/csv; charset=utf-8";
    r.SetHeader("Content-Disposition", Disposition(fmt::format("{}-{}.csv", table.name, stamp)));
    return r;
}

std::string RoleTitle(const std::string& role, reports::Language language) {
    if (language == reports::Language::kEnglish) {
        return role;
    }
    if (role == "admin") return "管理者";
    if (role == "manager") return "承認者";
    if (role == "operator") return "運用担当";
    if (role == "vendor") return "保守事業者";
    if (role == "requester") return "依頼者";
    if (role == "viewer") return "閲覧者";
    return role;
}

}  // namespace unyo::api
