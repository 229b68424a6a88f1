#include "reports/report_model.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "calendar/civil_date.hpp"
#include "core/time_format.hpp"

namespace unyo::reports {
namespace {

std::string_view TypeOf(const Cell& c) {
    if (std::holds_alternative<std::int64_t>(c)) return "integer";
    if (std::holds_alternative<Decimal>(c)) return "decimal";
    if (std::holds_alternative<bool>(c)) return "boolean";
    if (std::holds_alternative<Instant>(c)) return "instant";
    if (std::holds_alternative<Day>(c)) return "date";
    return "text";
}

json::value CellJson(const Cell& c) {
    if (const auto* s = std::get_if<std::string>(&c)) return json::value(*s);
    if (const auto* n = std::get_if<std::int64_t>(&c)) return json::value(*n);
    if (const auto* b = std::get_if<bool>(&c)) return json::value(*b);
    if (const auto* t = std::get_if<Instant>(&c)) return json::value(FormatRfc3339(t->at));
    if (const auto* d = std::get_if<Decimal>(&c)) {
        // Rounded to its places, so that a snapshot compares equal to the same numbers again.
        const double scale = std::pow(10.0, d->places);
        return json::value(std::round(d->value * scale) / scale);
    }
    if (const auto* day = std::get_if<Day>(&c)) return json::value(day->ymd);
    return nullptr;
}

Result<Cell> CellFromJson(const json::value& v, std::string_view type, int places) {
    if (v.is_null()) return Cell{};
    if (type == "integer" && v.is_int64()) return Cell(v.as_int64());
    if (type == "decimal" && v.is_number()) return Cell(Decimal{v.to_number<double>(), places});
    if (type == "boolean" && v.is_bool()) return Cell(v.as_bool());
    if (type == "instant" && v.is_string()) {
        if (auto at = ParseRfc3339(v.as_string())) return Cell(Instant{*at});
    }
    if (type == "date" && v.is_string()) return Cell(Day{std::string(v.as_string())});
    if (type == "text" && v.is_string()) return Cell(std::string(v.as_string()));
    return Fail(Error::Invalid(fmt::format("a report cell is not a {}", type)));
}

int PlacesOf(const Cell& c) {
    const auto* d = std::get_if<Decimal>(&c);
    return d ? d->places : 0;
}

json::object TableJson(const Table& t) {
    json::array columns;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        std::string_view type = "text";
        int places = 0;
        for (const auto& row : t.rows) {
            if (i < row.size() && !std::holds_alternative<std::monostate>(row[i])) {
                type = TypeOf(row[i]);
                places = PlacesOf(row[i]);
                break;
            }
        }
        json::object col{{"ja", t.columns[i].ja}, {"en", t.columns[i].en}, {"type", type}};
        if (type == "decimal") col["places"] = places;
        columns.push_back(std::move(col));
    }
    json::array rows;
    for (const auto& row : t.rows) {
        json::array cells;
        for (const auto& c : row) cells.push_back(CellJson(c));
        rows.push_back(std::move(cells));
    }
    return {{"name", t.name},
            {"caption_ja", t.caption_ja},
            {"caption_en", t.caption_en},
            {"columns", std::move(columns)},
            {"rows", std::move(rows)}};
}

Result<Table> TableFromJson(const json::object& o) {
    Table t;
    t.name = StringOf(o, "name");
    t.caption_ja = StringOf(o, "caption_ja");
    t.caption_en = StringOf(o, "caption_en");
    std::vector<std::pair<std::string, int>> types;
    if (const auto* cols = o.if_contains("columns"); cols && cols->is_array()) {
        for (const auto& c : cols->as_array()) {
            if (!c.is_object()) return Fail(Error::Invalid("a report column is not an object"));
            const auto& co = c.as_object();
            t.columns.push_back({StringOf(co, "ja"), StringOf(co, "en")});
            types.emplace_back(StringOf(co, "type", "text"), static_cast<int>(IntOf(co, "places", 0)));
        }
    }
    if (const auto* rows = o.if_contains("rows"); rows && rows->is_array()) {
        for (const auto& r : rows->as_array()) {
            if (!r.is_array() || r.as_array().size() > types.size()) {
                return Fail(Error::Invalid("a report row does not fit its columns"));
            }
            std::vector<Cell> row;
            for (std::size_t i = 0; i < r.as_array().size(); ++i) {
                row.push_back(UNYO_TRY(CellFromJson(r.as_array()[i], types[i].first, types[i].second)));
            }
            t.rows.push_back(std::move(row));
        }
    }
    return t;
}

json::value OptText(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

json::object SectionJson(const Section& s) {
    json::array figures;
    for (const auto& f : s.figures) {
        json::object fo{{"key", f.key},         {"ja", f.ja},           {"en", f.en}, {"type", TypeOf(f.value)},
                        {"value", CellJson(f.value)}, {"unit_ja", f.unit_ja}, {"unit_en", f.unit_en}};
        if (std::holds_alternative<Decimal>(f.value)) fo["places"] = PlacesOf(f.value);
        figures.push_back(std::move(fo));
    }
    json::array charts;
    for (const auto& c : s.charts) {
        json::array bars;
        for (const auto& b : c.bars) bars.push_back(json::object{{"label", b.label}, {"value", b.value}});
        charts.push_back(json::object{{"ja", c.ja},
                                      {"en", c.en},
                                      {"unit", c.unit},
                                      {"bars", std::move(bars)},
                                      {"target", OrNull(c.target)},
                                      {"min", OrNull(c.min)},
                                      {"max", OrNull(c.max)}});
    }
    json::array tables;
    for (const auto& t : s.tables) tables.push_back(TableJson(t));
    return {{"id", s.id},
            {"ja", s.ja},
            {"en", s.en},
            {"missing", s.missing_ja.has_value()},
            {"missing_ja", OptText(s.missing_ja)},
            {"missing_en", OptText(s.missing_en)},
            {"figures", std::move(figures)},
            {"charts", std::move(charts)},
            {"tables", std::move(tables)},
            {"note_ja", s.note_ja}};
}

std::optional<double> OptDouble(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_number()) return std::nullopt;
    return v->to_number<double>();
}

std::optional<std::string> OptString(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

Result<Section> SectionFromJson(const json::object& o) {
    Section s;
    s.id = StringOf(o, "id");
    s.ja = StringOf(o, "ja");
    s.en = StringOf(o, "en");
    s.missing_ja = OptString(o, "missing_ja");
    s.missing_en = OptString(o, "missing_en");
    s.note_ja = StringOf(o, "note_ja");
    if (const auto* fs = o.if_contains("figures"); fs && fs->is_array()) {
        for (const auto& f : fs->as_array()) {
            if (!f.is_object()) return Fail(Error::Invalid("a report figure is not an object"));
            const auto& fo = f.as_object();
            const auto* value = fo.if_contains("value");
            s.figures.push_back({StringOf(fo, "key"), StringOf(fo, "ja"), StringOf(fo, "en"),
                                 UNYO_TRY(CellFromJson(value ? *value : json::value(nullptr), StringOf(fo, "type", "text"),
                                                       static_cast<int>(IntOf(fo, "places", 0)))),
                                 StringOf(fo, "unit_ja"), StringOf(fo, "unit_en")});
        }
    }
    if (const auto* cs = o.if_contains("charts"); cs && cs->is_array()) {
        for (const auto& c : cs->as_array()) {
            if (!c.is_object()) return Fail(Error::Invalid("a report chart is not an object"));
            const auto& co = c.as_object();
            Chart chart{StringOf(co, "ja"), StringOf(co, "en"), StringOf(co, "unit"), {},
                        OptDouble(co, "target"), OptDouble(co, "min"), OptDouble(co, "max")};
            if (const auto* bars = co.if_contains("bars"); bars && bars->is_array()) {
                for (const auto& b : bars->as_array()) {
                    if (!b.is_object()) continue;
                    chart.bars.push_back({StringOf(b.as_object(), "label"), OptDouble(b.as_object(), "value").value_or(0)});
                }
            }
            s.charts.push_back(std::move(chart));
        }
    }
    if (const auto* ts = o.if_contains("tables"); ts && ts->is_array()) {
        for (const auto& t : ts->as_array()) {
            if (!t.is_object()) return Fail(Error::Invalid("a report table is not an object"));
            s.tables.push_back(UNYO_TRY(TableFromJson(t.as_object())));
        }
    }
    return s;
}

// --- HTML ------------------------------------------------------------------------------------

std::string Escape(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (char c : in) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string CellHtml(const Cell& c, const HtmlOptions& o) {
    RenderOptions ro;
    ro.language = o.language;
    std::string text = CellText(c, ro);
    if (o.wareki) {
        std::optional<calendar::Date> d;
        if (const auto* day = std::get_if<Day>(&c)) d = calendar::Date::Parse(day->ymd);
        if (const auto* t = std::get_if<Instant>(&c)) d = calendar::Date::FromInstant(t->at);
        if (d) {
            if (auto w = calendar::ToWareki(*d)) text += " (" + *w + ")";
        }
    }
    return Escape(text);
}

bool Numeric(const Cell& c) {
    return std::holds_alternative<std::int64_t>(c) || std::holds_alternative<Decimal>(c);
}

std::string ChartSvg(const Chart& c, bool ja) {
    constexpr int kWidth = 640, kLabel = 190, kRow = 22, kPad = 8, kValue = 70;
    const int height = kPad * 2 + kRow * static_cast<int>(std::max<std::size_t>(c.bars.size(), 1)) + 16;
    double lo = c.min.value_or(0), hi = c.max.value_or(0);
    for (const auto& b : c.bars) hi = std::max(hi, b.value);
    if (c.target) hi = std::max(hi, *c.target);
    if (hi <= lo) hi = lo + 1;
    const double span = kWidth - kLabel - kValue - kPad;
    auto x = [&](double v) { return kLabel + span * std::clamp((v - lo) / (hi - lo), 0.0, 1.0); };
    std::string out = fmt::format(
        R"(<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" xmlns="http://www.w3.org/2000/svg">)",
        Escape(ja ? c.ja : c.en), kWidth, height, kWidth, height);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#888"/>)", kLabel, kPad, kLabel, height - 16);
    for (std::size_t i = 0; i < c.bars.size(); ++i) {
        const auto& b = c.bars[i];
        const int y = kPad + kRow * static_cast<int>(i);
        const bool below = c.target && b.value < *c.target;
        out += fmt::format(R"(<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>)", kLabel - 6, y + 15,
                           Escape(b.label));
        out += fmt::format(R"(<rect x="{}" y="{}" width="{:.1f}" height="{}" fill="{}"/>)", kLabel, y + 3,
                           x(b.value) - kLabel, kRow - 6, below ? "#c0392b" : "#2e6da4");
        out += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="11">{}{}</text>)", x(b.value) + 4, y + 15,
                           std::abs(b.value - std::round(b.value)) < 1e-9 ? fmt::format("{:.0f}", b.value)
                                                                          : fmt::format("{:.3f}", b.value),
                           Escape(c.unit));
    }
    if (c.target) {
        out += fmt::format(R"(<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}" stroke="#333" stroke-dasharray="4 3"/>)",
                           x(*c.target), kPad, height - 16);
        out += fmt::format(R"(<text x="{:.1f}" y="{}" font-size="10" text-anchor="middle">{} {}{}</text>)", x(*c.target),
                           height - 3, ja ? "目標" : "target", *c.target, Escape(c.unit));
    }
    out += "</svg>";
    return out;
}

constexpr std::string_view kStyle = R"(
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 186mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; border-bottom: 1.5pt solid #2e6da4; padding-bottom: 1mm; margin: 6mm 0 2mm; break-after: avoid; }
h3 { font-size: 10pt; margin: 3mm 0 1mm; }
.meta { color: #444; margin-bottom: 4mm; }
.missing { background: #fff4e5; border: 1px solid #e0a040; padding: 2mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 0.5pt solid #999; padding: 0.8mm 1.5mm; vertical-align: top; }
th { background: #dde4ee; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
table.figures { width: auto; }
table.wide { font-size: 8pt; }
table.wide th, table.wide td { padding: 0.5mm 1mm; }
section { break-inside: auto; }
tr { break-inside: avoid; }
.chart { display: block; margin: 2mm 0; max-width: 100%; height: auto; }
.note { white-space: pre-wrap; border: 1px solid #999; padding: 2mm; min-height: 20mm; }
nav ol { columns: 2; margin: 0 0 4mm; }
)";

}  // namespace

json::array SectionsJson(const Report& r) {
    json::array out;
    for (const auto& s : r.sections) out.push_back(SectionJson(s));
    return out;
}

json::object ToJson(const Report& r) {
    return {{"kind", r.kind},
            {"period", r.period},
            {"title_ja", r.title_ja},
            {"title_en", r.title_en},
            {"period_ja", r.period_ja},
            {"from", FormatRfc3339(r.from)},
            {"to", FormatRfc3339(r.to)},
            {"generated_at", FormatRfc3339(r.generated_at)},
            {"closed", r.closed},
            {"sections", SectionsJson(r)}};
}

Result<Report> ReportFromJson(const json::object& o) {
    Report r;
    r.kind = StringOf(o, "kind");
    r.period = StringOf(o, "period");
    r.title_ja = StringOf(o, "title_ja");
    r.title_en = StringOf(o, "title_en");
    r.period_ja = StringOf(o, "period_ja");
    r.from = ParseRfc3339(StringOf(o, "from")).value_or(0);
    r.to = ParseRfc3339(StringOf(o, "to")).value_or(0);
    r.generated_at = ParseRfc3339(StringOf(o, "generated_at")).value_or(0);
    if (const auto* c = o.if_contains("closed"); c && c->is_bool()) r.closed = c->as_bool();
    const auto* sections = o.if_contains("sections");
    if (r.kind.empty() || sections == nullptr || !sections->is_array()) {
        return Fail(Error::Invalid("not a report document (kind and sections)"));
    }
    for (const auto& s : sections->as_array()) {
        if (!s.is_object()) return Fail(Error::Invalid("a report section is not an object"));
        r.sections.push_back(UNYO_TRY(SectionFromJson(s.as_object())));
    }
    return r;
}

std::string RenderHtml(const Report& r, const HtmlOptions& o) {
    const bool ja = o.language == Language::kJapanese;
    std::string out = fmt::format(R"(<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{} {}</title><style>{}</style></head><body>)",
                                  ja ? "ja" : "en", Escape(ja ? r.title_ja : r.title_en), Escape(r.period), kStyle);
    out += fmt::format("<h1>{}</h1>", Escape(ja ? r.title_ja : r.title_en));
    const HtmlOptions cells = o;
    out += fmt::format(R"(<p class="meta">{}: {}　{}: {} 〜 {}　{}: {}{}</p>)", ja ? "対象期間" : "Period",
                       Escape(ja ? r.period_ja : r.period), ja ? "集計範囲" : "Range",
                       CellHtml(Instant{r.from}, cells), CellHtml(Instant{r.to}, cells), ja ? "作成" : "Generated",
                       CellHtml(Instant{r.generated_at}, cells),
                       r.closed ? "" : (ja ? "（期間中の速報値）" : " (period in progress: provisional)"));
    if (!o.notice_ja.empty()) {
        out += fmt::format(R"(<p class="missing" data-notice>{}</p>)", Escape(ja ? o.notice_ja : o.notice_en));
    }
    out += "<nav><ol>";
    for (const auto& s : r.sections) {
        out += fmt::format(R"(<li><a href="#{}">{}</a></li>)", Escape(s.id), Escape(ja ? s.ja : s.en));
    }
    out += "</ol></nav>";
    for (const auto& s : r.sections) {
        out += fmt::format(R"(<section id="{}" data-section="{}"><h2>{}</h2>)", Escape(s.id), Escape(s.id),
                           Escape(ja ? s.ja : s.en));
        if (s.missing_ja) {
            out += fmt::format(R"(<p class="missing" data-missing>{}</p>)", Escape(ja ? *s.missing_ja : s.missing_en.value_or("")));
        }
        if (!s.figures.empty()) {
            out += R"(<table class="figures"><tbody>)";
            for (const auto& f : s.figures) {
                out += fmt::format(R"(<tr data-figure="{}"><th>{}</th><td class="num">{}</td><td>{}</td></tr>)",
                                   Escape(f.key), Escape(ja ? f.ja : f.en), CellHtml(f.value, cells),
                                   Escape(ja ? f.unit_ja : f.unit_en));
            }
            out += "</tbody></table>";
        }
        for (const auto& c : s.charts) {
            out += fmt::format("<h3>{}</h3>", Escape(ja ? c.ja : c.en)) + ChartSvg(c, ja);
        }
        for (const auto& t : s.tables) {
            if (!t.caption_ja.empty()) out += fmt::format("<h3>{}</h3>", Escape(ja ? t.caption_ja : t.caption_en));
            out += fmt::format(R"(<table data-table="{}"{}><thead><tr>)", Escape(t.name), t.columns.size() > 8 ? R"( class="wide")" : "");
            for (const auto& col : t.columns) out += "<th>" + Escape(ja ? col.ja : col.en) + "</th>";
            out += "</tr></thead><tbody>";
            if (t.rows.empty()) {
                out += fmt::format(R"(<tr><td colspan="{}">{}</td></tr>)", std::max<std::size_t>(t.columns.size(), 1),
                                   ja ? "該当なし" : "None");
            }
            for (const auto& row : t.rows) {
                out += "<tr>";
                for (const auto& c : row) {
                    out += fmt::format(R"(<td{}>{}</td>)", Numeric(c) ? R"( class="num")" : "", CellHtml(c, cells));
                }
                out += "</tr>";
            }
            out += "</tbody></table>";
        }
        if (!s.note_ja.empty()) out += fmt::format(R"(<div class="note">{}</div>)", Escape(s.note_ja));
        out += "</section>";
    }
    out += "</body></html>\n";
    return out;
}

namespace {

Table FiguresTable(const Section& s) {
    Table t{s.id + "-figures", {{"項目", "Item"}, {"値", "Value"}, {"単位", "Unit"}}, {}};
    for (const auto& f : s.figures) t.rows.push_back({f.ja, f.value, f.unit_ja});
    return t;
}

}  // namespace

std::vector<Sheet> ToSheets(const Report& r, Language language) {
    const bool ja = language == Language::kJapanese;
    std::vector<Sheet> out;
    for (std::size_t i = 0; i < r.sections.size(); ++i) {
        const auto& s = r.sections[i];
        Sheet sheet{fmt::format("{:02} {}", i + 1, ja ? s.ja : s.en),
                    fmt::format("{} {}", ja ? s.ja : s.en, ja ? r.period_ja : r.period),
                    {}};
        if (s.missing_ja) sheet.title += fmt::format("　{}", ja ? *s.missing_ja : s.missing_en.value_or(""));
        if (!s.figures.empty()) sheet.blocks.emplace_back("", FiguresTable(s));
        for (const auto& t : s.tables) sheet.blocks.emplace_back(ja ? t.caption_ja : t.caption_en, t);
        if (!s.note_ja.empty()) {
            sheet.blocks.emplace_back("", Table{"note", {{"内容", "Text"}}, {{s.note_ja}}});
        }
        out.push_back(std::move(sheet));
    }
    return out;
}

std::vector<Table> CsvTables(const Report& r) {
    std::vector<Table> out;
    for (const auto& s : r.sections) {
        if (!s.figures.empty()) out.push_back(FiguresTable(s));
        for (const auto& t : s.tables) out.push_back(t);
    }
    return out;
}

}  // namespace unyo::reports
