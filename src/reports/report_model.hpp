#pragma once
// An operation report (月次・年次・日次の運用報告書, RPT-1..4) as data: sections of figures, bar
// charts and tables with typed cells, whichever period and source made them. Rendered as JSON
// (and read back from it: a closed period's snapshot), as the HTML master (A4, inline SVG), as
// an XLSX workbook with one sheet per section and as CSV per table. Pure; any thread.

#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "reports/table.hpp"

namespace unyo::reports {

/// One number of a section: "incidents.total" 件数 12 件.
struct Figure {
    std::string key;
    std::string ja, en;
    Cell value;
    std::string unit_ja, unit_en;
};

struct Bar {
    std::string label;
    double value = 0;
};

/// A bar chart; `target` draws a line (a target availability, say).
struct Chart {
    std::string ja, en;
    std::string unit;
    std::vector<Bar> bars;
    std::optional<double> target;
    std::optional<double> min;  // the axis's start (0 unless given: 99.0 for availability)
    std::optional<double> max;
};

struct Section {
    std::string id;  // "availability", "incidents" … (the CSV's and the sheet's name)
    std::string ja, en;
    /// Set when the data this section needs is not there at all (no monitors, nothing configured):
    /// the section is empty because it is missing, not because the count is zero.
    std::optional<std::string> missing_ja, missing_en;
    std::vector<Figure> figures;
    std::vector<Chart> charts;
    std::vector<Table> tables;  // Table::name is the CSV file's name ("incidents-list")
    std::string note_ja;        // free text (an improvement plan)
};

struct Report {
    std::string kind;    // monthly | yearly | daily
    std::string period;  // 2026-11 | 2026 (年度) | 2026-11-23
    std::string title_ja, title_en;
    std::string period_ja;  // 2026年11月 (令和8年11月)
    Millis from = 0, to = 0;
    Millis generated_at = 0;
    bool closed = false;  // the period has ended (the report is snapshotted)
    std::vector<Section> sections;
};

/// The report as JSON: cells typed by their column (`type`: text, integer, decimal, boolean,
/// instant, date); instants as RFC 3339.
[[nodiscard]] json::object ToJson(const Report& r);
/// Reads what ToJson wrote (a snapshot). Error when it is not such a document.
[[nodiscard]] Result<Report> ReportFromJson(const json::object& o);
/// The sections only, canonical: what a snapshot compares.
[[nodiscard]] json::array SectionsJson(const Report& r);

struct HtmlOptions {
    Language language = Language::kJapanese;
    bool wareki = false;  // dates also in the Japanese era (令和8年11月23日)
    std::string notice_ja, notice_en;  // shown under the title (a snapshot's changes since)
};
/// The HTML master: a complete document, A4 print layout, charts as inline SVG, no scripts and
/// nothing fetched.
[[nodiscard]] std::string RenderHtml(const Report& r, const HtmlOptions& options);

/// One sheet per section: its figures as a table, then its tables.
[[nodiscard]] std::vector<Sheet> ToSheets(const Report& r, Language language);

/// Every table of the report as CSV-ready tables: per section "<section>-figures" and its own.
[[nodiscard]] std::vector<Table> CsvTables(const Report& r);

}  // namespace unyo::reports
