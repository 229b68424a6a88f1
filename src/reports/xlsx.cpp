#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <xlsxwriter.h>

#include "core/crypto.hpp"
#include "reports/table.hpp"

namespace unyo::reports {
namespace {

lxw_datetime ToDatetime(Millis at, int offset_minutes) {
    using namespace std::chrono;
    const sys_time<milliseconds> tp{milliseconds{at + offset_minutes * kMinuteMs}};
    const auto day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss hms{tp - day};
    return {int(ymd.year()),
            int(unsigned(ymd.month())),
            int(unsigned(ymd.day())),
            int(hms.hours().count()),
            int(hms.minutes().count()),
            static_cast<double>(hms.seconds().count()) +
                static_cast<double>(hms.subseconds().count()) / 1000.0};
}

}  // namespace

Result<std::string> RenderXlsx(const Table& table, const RenderOptions& options) {
    // libxlsxwriter 1.1.4 writes to a file only: use a private temporary file.
    const auto path =
        std::filesystem::temp_directory_path() / ("unyo-export-" + RandomToken(12) + ".xlsx");
    lxw_workbook* wb = workbook_new(path.c_str());
    if (wb == nullptr) {
        return Fail(Error::Internal(fmt::format("cannot create the workbook {}", path.string())));
    }
    lxw_worksheet* ws = workbook_add_worksheet(wb, table.name.substr(0, 31).c_str());
    lxw_format* header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_bg_color(header, 0xDDE4EE);
    format_set_border(header, LXW_BORDER_THIN);
    lxw_format* datetime = workbook_add_format(wb);
    format_set_num_format(datetime, "yyyy/mm/dd hh:mm");
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const auto& col = table.columns[c];
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c),
                               (options.language == Language::kJapanese ? col.ja : col.en).c_str(),
                               header);
        worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 16, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 0);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto row = static_cast<lxw_row_t>(r + 1);
        for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            const Cell& cell = table.rows[r][c];
            if (const auto* n = std::get_if<std::int64_t>(&cell)) {
                worksheet_write_number(ws, row, col, static_cast<double>(*n), nullptr);
            } else if (const auto* t = std::get_if<Instant>(&cell)) {
                lxw_datetime dt = ToDatetime(t->at, options.utc_offset_minutes);
                worksheet_write_datetime(ws, row, col, &dt, datetime);
            } else if (!std::holds_alternative<std::monostate>(cell)) {
                worksheet_write_string(ws, row, col, CellText(cell, options).c_str(), nullptr);
            }
        }
    }
    if (!table.columns.empty()) {
        worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                             static_cast<lxw_col_t>(table.columns.size() - 1));
    }
    const lxw_error err = workbook_close(wb);
    std::string out;
    if (err == LXW_NO_ERROR) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buf;
        buf << in.rdbuf();
        out = buf.str();
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (err != LXW_NO_ERROR || out.empty()) {
        return Fail(
            Error::Internal(fmt::format("writing the workbook failed: {}", lxw_strerror(err))));
    }
    return out;
}

}  // namespace unyo::reports
