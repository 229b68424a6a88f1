#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
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

struct Formats {
    lxw_format* header = nullptr;
    lxw_format* datetime = nullptr;
    lxw_format* date = nullptr;
    lxw_format* title = nullptr;
    lxw_format* caption = nullptr;
    std::vector<std::pair<int, lxw_format*>> decimals;  // places → format
};

lxw_format* DecimalFormat(lxw_workbook* wb, Formats& f, int places) {
    for (const auto& [p, fmt] : f.decimals) {
        if (p == places) return fmt;
    }
    lxw_format* made = workbook_add_format(wb);
    format_set_num_format(made, places <= 0 ? "0" : ("0." + std::string(static_cast<std::size_t>(places), '0')).c_str());
    f.decimals.emplace_back(places, made);
    return made;
}

void WriteCell(lxw_workbook* wb, lxw_worksheet* ws, Formats& f, lxw_row_t row, lxw_col_t col, const Cell& cell,
               const RenderOptions& options) {
    if (const auto* n = std::get_if<std::int64_t>(&cell)) {
        worksheet_write_number(ws, row, col, static_cast<double>(*n), nullptr);
    } else if (const auto* d = std::get_if<Decimal>(&cell)) {
        worksheet_write_number(ws, row, col, d->value, DecimalFormat(wb, f, d->places));
    } else if (const auto* t = std::get_if<Instant>(&cell)) {
        lxw_datetime dt = ToDatetime(t->at, options.utc_offset_minutes);
        worksheet_write_datetime(ws, row, col, &dt, f.datetime);
    } else if (const auto* day = std::get_if<Day>(&cell); day && day->ymd.size() == 10) {
        lxw_datetime dt{std::atoi(day->ymd.substr(0, 4).c_str()), std::atoi(day->ymd.substr(5, 2).c_str()),
                        std::atoi(day->ymd.substr(8, 2).c_str()), 0, 0, 0.0};
        worksheet_write_datetime(ws, row, col, &dt, f.date);
    } else if (!std::holds_alternative<std::monostate>(cell)) {
        worksheet_write_string(ws, row, col, CellText(cell, options).c_str(), nullptr);
    }
}

/// Writes `table` from `first_row`: its header row, then its rows; returns the row after it.
lxw_row_t WriteTable(lxw_workbook* wb, lxw_worksheet* ws, Formats& f, lxw_row_t first_row, const Table& table,
                     const RenderOptions& options) {
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        const auto& col = table.columns[c];
        worksheet_write_string(ws, first_row, static_cast<lxw_col_t>(c),
                               (options.language == Language::kJapanese ? col.ja : col.en).c_str(), f.header);
    }
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto row = static_cast<lxw_row_t>(first_row + 1 + r);
        for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
            WriteCell(wb, ws, f, row, static_cast<lxw_col_t>(c), table.rows[r][c], options);
        }
    }
    return static_cast<lxw_row_t>(first_row + 1 + table.rows.size());
}

/// Runs `write` on a new workbook in a private temporary file (libxlsxwriter 1.1.4 writes to a
/// file only) and returns the file's bytes.
template <typename F>
Result<std::string> WithWorkbook(F&& write) {
    const auto path = std::filesystem::temp_directory_path() / ("unyo-export-" + RandomToken(12) + ".xlsx");
    lxw_workbook* wb = workbook_new(path.c_str());
    if (wb == nullptr) {
        return Fail(Error::Internal(fmt::format("cannot create the workbook {}", path.string())));
    }
    Formats f;
    f.header = workbook_add_format(wb);
    format_set_bold(f.header);
    format_set_bg_color(f.header, 0xDDE4EE);
    format_set_border(f.header, LXW_BORDER_THIN);
    f.datetime = workbook_add_format(wb);
    format_set_num_format(f.datetime, "yyyy/mm/dd hh:mm");
    f.date = workbook_add_format(wb);
    format_set_num_format(f.date, "yyyy/mm/dd");
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    f.caption = workbook_add_format(wb);
    format_set_bold(f.caption);
    write(wb, f);
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
        return Fail(Error::Internal(fmt::format("writing the workbook failed: {}", lxw_strerror(err))));
    }
    return out;
}

/// A sheet name Excel accepts: at most 31 characters (not bytes) without []:*?/\ .
std::string SheetName(const std::string& name) {
    std::string out;
    int chars = 0;
    for (std::size_t i = 0; i < name.size() && chars < 31;) {
        const auto c = static_cast<unsigned char>(name[i]);
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        const std::string piece = name.substr(i, len);
        out += std::string("[]:*?/\\").find(piece) == std::string::npos || len > 1 ? piece : "_";
        i += len;
        ++chars;
    }
    return out;
}

}  // namespace

Result<std::string> RenderXlsx(const Table& table, const RenderOptions& options) {
    return WithWorkbook([&](lxw_workbook* wb, Formats& f) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, table.name.substr(0, 31).c_str());
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 16, nullptr);
        }
        worksheet_freeze_panes(ws, 1, 0);
        WriteTable(wb, ws, f, 0, table, options);
        if (!table.columns.empty()) {
            worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                                 static_cast<lxw_col_t>(table.columns.size() - 1));
        }
    });
}

Result<std::string> RenderWorkbook(const std::vector<Sheet>& sheets, const RenderOptions& options) {
    return WithWorkbook([&](lxw_workbook* wb, Formats& f) {
        for (const auto& sheet : sheets) {
            lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(sheet.name).c_str());
            std::size_t widest = 1;
            for (const auto& [caption, table] : sheet.blocks) widest = std::max(widest, table.columns.size());
            worksheet_set_column(ws, 0, static_cast<lxw_col_t>(widest - 1), 18, nullptr);
            lxw_row_t row = 0;
            worksheet_write_string(ws, row, 0, sheet.title.c_str(), f.title);
            row += 2;
            for (const auto& [caption, table] : sheet.blocks) {
                if (!caption.empty()) worksheet_write_string(ws, row++, 0, caption.c_str(), f.caption);
                row = WriteTable(wb, ws, f, row, table, options) + 1;
            }
        }
    });
}

}  // namespace unyo::reports
