#include "raci/matrix.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/sheet.hpp"

namespace unyo::raci {
namespace {

using Row = std::vector<std::string>;

const std::vector<std::string> kMarks{"○", "●", "◎", "△", "▲", "□", "◯"};

bool IsSpaceAt(std::string_view s, std::size_t i, std::size_t* len) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
        *len = 1;
        return true;
    }
    if (s.substr(i, 3) == "\u3000") {  // ideographic space
        *len = 3;
        return true;
    }
    return false;
}

std::string Trim(std::string_view s) {
    std::size_t b = 0, e = s.size(), len = 0;
    while (b < e && IsSpaceAt(s, b, &len)) b += len;
    while (e > b) {
        std::size_t k = e - 1;
        if (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n') {
            e = k;
        } else if (e - b >= 3 && s.substr(e - 3, 3) == "\u3000") {
            e -= 3;
        } else {
            break;
        }
    }
    return std::string(s.substr(b, e - b));
}

// Without any spaces: header titles and organisation names broken over lines in the source.
std::string Squeeze(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len = 0;
        if (IsSpaceAt(s, i, &len)) {
            i += len;
        } else {
            out += s[i++];
        }
    }
    return out;
}

bool IsNumber(std::string_view s) {
    return !s.empty() && s.size() <= 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsMark(std::string_view s) { return std::find(kMarks.begin(), kMarks.end(), s) != kMarks.end(); }

// The mark written just before `word` in `text` ("○ 作業主体", "●:作業主体"), if any.
std::string MarkBefore(std::string_view text, std::string_view word) {
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
        std::size_t i = at;
        // Skip spaces and a colon between the mark and the word.
        while (i > 0) {
            if (text[i - 1] == ' ' || text[i - 1] == ':' || text[i - 1] == '\t') {
                --i;
            } else if (i >= 3 && (text.substr(i - 3, 3) == "\u3000" || text.substr(i - 3, 3) == "：")) {
                i -= 3;
            } else {
                break;
            }
        }
        if (i >= 3 && IsMark(text.substr(i - 3, 3))) return std::string(text.substr(i - 3, 3));
    }
    return {};
}

std::vector<Row> TabRows(std::string_view text) {
    std::vector<Row> rows;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const auto line = text.substr(start, end - start);
        Row row;
        std::size_t from = 0;
        for (;;) {
            const auto tab = line.find('\t', from);
            row.push_back(Trim(line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from)));
            if (tab == std::string_view::npos) break;
            from = tab + 1;
        }
        rows.push_back(std::move(row));
        if (end == text.size()) break;
        start = end + 1;
    }
    return rows;
}

// A file's rows with every cell trimmed as the text's are (full-width spaces too).
std::vector<Row> Trimmed(sheet::Rows rows) {
    for (auto& r : rows) {
        for (auto& cell : r) cell = Trim(cell);
    }
    return rows;
}

// The columns of one table, from its header rows.
struct Layout {
    int seq = -1, l1 = -1, l2 = -1, item = -1, content = -1, cycle = -1, note = -1;
    std::vector<std::pair<int, std::string>> orgs;  // column → name as printed
};

const std::string& Cell(const Row& r, int i) {
    static const std::string kEmpty;
    return i >= 0 && static_cast<std::size_t>(i) < r.size() ? r[static_cast<std::size_t>(i)] : kEmpty;
}

Layout ReadHeader(const Row& top, const Row* below) {
    Layout l;
    int group = -1, first_org = -1;
    for (std::size_t i = 0; i < top.size(); ++i) {
        const std::string k = Squeeze(top[i]);
        const int c = static_cast<int>(i);
        if (k.empty()) continue;
        if (k == "項番" || k == "No" || k == "No.") {
            l.seq = c;
        } else if (k == "大項目") {
            l.l1 = c;
        } else if (k == "中項目") {
            l.l2 = c;
        } else if (k == "作業項目" || k == "小項目") {
            l.item = c;
        } else if (k.starts_with("作業内容") || k == "詳細" || k == "内容") {
            l.content = c;
        } else if (k.find("サイクル") != std::string::npos || k == "頻度") {
            l.cycle = c;
        } else if (k == "備考") {
            l.note = c;
        } else if (k == "実施者" || k == "実施主体" || k == "担当" || k == "役割分担") {
            group = c;
        } else if (l.seq >= 0) {
            if (first_org < 0) first_org = c;
        }
    }
    if (group >= 0 && below) {
        // Organisations under a group title: the names in the row below, one column each from it.
        int c = group;
        for (std::size_t i = static_cast<std::size_t>(group); i < below->size(); ++i) {
            if (!(*below)[i].empty()) l.orgs.emplace_back(c++, Squeeze((*below)[i]));
        }
        l.note = c;
        return l;
    }
    if (first_org >= 0) {
        const int end = l.note > first_org ? l.note : static_cast<int>(std::max(top.size(), below ? below->size() : 0));
        for (int c = first_org; c < end; ++c) {
            const std::string name = below && !Cell(*below, c).empty() ? Cell(*below, c) : Cell(top, c);
            if (!name.empty()) l.orgs.emplace_back(c, Squeeze(name));
        }
    }
    return l;
}

Result<Matrix> Read(const std::vector<Row>& rows, std::string_view all_text) {
    Matrix m;
    if (auto main = MarkBefore(all_text, "作業主体"); !main.empty()) m.main_mark = main;
    for (const char* word : {"作業協力", "作業支援", "作業補助"}) {
        if (auto s = MarkBefore(all_text, word); !s.empty()) {
            m.support_mark = s;
            break;
        }
    }
    if (m.main_mark == m.support_mark) return Fail(Error::Invalid(fmt::format("the legend gives {} for both roles", m.main_mark)));
    std::optional<Layout> layout;
    std::string l1, l2, item_title;
    std::vector<std::string> sections;  // the open headings (seed style: rows without marks)
    bool last_was_section = false;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const Row& header = rows[r];
        if (std::any_of(header.begin(), header.end(), [](const std::string& c) { return Squeeze(c) == "項番"; })) {
            const Row* below = r + 1 < rows.size() && !rows[r + 1].empty() && rows[r + 1].front().empty() &&
                                       std::any_of(rows[r + 1].begin(), rows[r + 1].end(),
                                                   [](const std::string& c) { return !c.empty(); })
                                   ? &rows[r + 1]
                                   : nullptr;
            layout = ReadHeader(header, below);
            if (below) ++r;
            // The same matrix across pages: organisations by position.
            for (std::size_t k = 0; k < layout->orgs.size(); ++k) {
                const auto& name = layout->orgs[k].second;
                if (k >= m.organizations.size()) {
                    m.organizations.push_back(name);
                } else if (m.organizations[k] != name) {
                    m.warnings.push_back(fmt::format("行 {}: {} 列目の組織は「{}」と書かれていますが、最初の表の「{}」と同じ列とみなしました",
                                                     r + 1, k + 1, name, m.organizations[k]));
                }
            }
            continue;
        }
        if (!layout || header.empty() || !IsNumber(header.front())) continue;
        const Layout& l = *layout;
        Row row = header;  // a data row (copied: it may be realigned)
        // A mark in a text column before the organisations' (作業内容, 実施サイクル): the row lost
        // empty cells when it was copied; its marks are moved right to start at the first
        // organisation. Said in the warnings.
        if (!l.orgs.empty()) {
            const int first_org = l.orgs.front().first;
            const int title_col = std::max({l.seq, l.l1, l.l2, l.item});
            for (int c = title_col + 1; c < first_org; ++c) {
                if (!IsMark(Cell(row, c))) continue;
                const auto shift = static_cast<std::size_t>(first_org - c);
                // With 作業項目 beside 大/中項目, the cell lost is the 作業項目 (its 詳細 sits there).
                const int at = l.l1 >= 0 && l.item >= 0 && l.item < c ? l.item : c;
                row.insert(row.begin() + at, shift, std::string());
                m.warnings.push_back(fmt::format("項番 {}: 組織の列より前 ({} 列目) に記号があるため、この行の記号を {} 列右へずらして読みました",
                                                 row.front(), c + 1, shift));
                break;
            }
        }
        Item it;
        it.seq = std::stoi(row.front());
        it.content = Cell(row, l.content);
        it.cycle = Cell(row, l.cycle);
        it.note = Cell(row, l.note);
        if (IsMark(it.note)) {
            m.warnings.push_back(fmt::format("項番 {}: 備考の列の記号「{}」は読みませんでした", it.seq, it.note));
            it.note.clear();
        }
        int last_known = std::max({l.seq, l.l1, l.l2, l.item, l.content, l.cycle, l.note});
        for (std::size_t k = 0; k < l.orgs.size(); ++k) {
            const int c = l.orgs[k].first;
            last_known = std::max(last_known, c);
            const std::string& v = Cell(row, c);
            if (v.empty()) continue;
            if (v == m.main_mark) {
                it.marks[static_cast<int>(k)] = Role::kMain;
            } else if (v == m.support_mark) {
                it.marks[static_cast<int>(k)] = Role::kSupport;
            } else if (IsMark(v)) {
                m.warnings.push_back(fmt::format("項番 {}: 「{}」の {} は凡例にない記号のため読みませんでした", it.seq,
                                                 m.organizations[k], v));
            } else {
                it.note += (it.note.empty() ? "" : " ") + v;
                m.warnings.push_back(fmt::format("項番 {}: 「{}」の列の文字「{}」を備考として読みました", it.seq,
                                                 m.organizations[k], v));
            }
        }
        for (std::size_t c = static_cast<std::size_t>(last_known) + 1; c < row.size(); ++c) {
            if (!row[c].empty()) {
                m.warnings.push_back(fmt::format("項番 {}: 表の列の外 ({} 列目) の「{}」は読みませんでした", it.seq, c + 1, row[c]));
            }
        }
        if (l.l1 >= 0 || l.l2 >= 0) {
            m.levels = true;
            // 大項目/中項目/作業項目 columns, each left empty under the one above it.
            if (!Cell(row, l.l1).empty()) {
                l1 = Cell(row, l.l1);
                l2.clear();
                item_title.clear();
            }
            if (!Cell(row, l.l2).empty()) {
                l2 = Cell(row, l.l2);
                item_title.clear();
            }
            if (!Cell(row, l.item).empty()) item_title = Cell(row, l.item);
            for (const auto& p : {l1, l2}) {
                if (!p.empty()) it.path.push_back(p);
            }
            it.title = !item_title.empty() ? item_title : !l2.empty() ? l2 : l1;
        } else {
            // Headings are rows without marks, content, cycle or note; one right under another
            // is below it, one after work items starts anew.
            it.title = Cell(row, l.item);
            it.section = it.marks.empty() && it.content.empty() && it.cycle.empty() && it.note.empty();
            if (it.section) {
                if (!last_was_section) sections.clear();
                it.path = sections;
                sections.push_back(it.title);
            } else {
                it.path = sections;
            }
            last_was_section = it.section;
        }
        m.items.push_back(std::move(it));
    }
    if (!layout) return Fail(Error::Invalid("no table found: a header row with 項番 is needed"));
    if (m.organizations.empty()) return Fail(Error::Invalid("the table names no organisations"));
    return m;
}

std::string CsvCell(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// A cell of a tab-separated row: tabs and line breaks inside become spaces.
std::string TabCell(const std::string& s) {
    std::string out = s;
    std::replace_if(out.begin(), out.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return out;
}

}  // namespace

std::string_view RoleName(Role r) { return r == Role::kMain ? "main" : "support"; }

std::optional<Role> RoleFromName(std::string_view s) {
    if (s == "main") return Role::kMain;
    if (s == "support") return Role::kSupport;
    return std::nullopt;
}

Result<Matrix> ReadText(std::string_view text) { return Read(TabRows(text), text); }

Result<Matrix> ReadCsv(std::string_view text) {
    const auto rows = Trimmed(UNYO_TRY(sheet::ReadCsv(text)));
    return Read(rows, text);
}

Result<Matrix> ReadXlsx(std::string_view bytes) {
    const auto rows = Trimmed(UNYO_TRY(sheet::ReadXlsx(bytes)));
    // The legend is looked for in the text of every cell, as in a copied document.
    std::string text;
    for (const auto& r : rows) {
        for (const auto& cell : r) text += cell + "\t";
        text += "\n";
    }
    return Read(rows, text);
}

std::vector<std::vector<std::string>> Table(const Matrix& m) {
    std::vector<std::vector<std::string>> rows{{fmt::format("{} 作業主体 {} 作業協力", m.main_mark, m.support_mark)}};
    std::vector<std::string> header{"項番"};
    if (m.levels) header.insert(header.end(), {"大項目", "中項目"});
    header.insert(header.end(), {"作業項目", "作業内容", "実施サイクル"});
    header.insert(header.end(), m.organizations.begin(), m.organizations.end());
    header.push_back("備考");
    rows.push_back(std::move(header));
    for (const auto& it : m.items) {
        std::vector<std::string> cells{std::to_string(it.seq)};
        if (m.levels) cells.insert(cells.end(), {it.path.size() > 0 ? it.path[0] : "", it.path.size() > 1 ? it.path[1] : ""});
        cells.insert(cells.end(), {it.title, it.content, it.cycle});
        for (std::size_t k = 0; k < m.organizations.size(); ++k) {
            const auto mark = it.marks.find(static_cast<int>(k));
            cells.push_back(mark == it.marks.end() ? "" : mark->second == Role::kMain ? m.main_mark : m.support_mark);
        }
        cells.push_back(it.note);
        rows.push_back(std::move(cells));
    }
    return rows;
}

std::string Write(const Matrix& m, bool csv) {
    std::string out;
    for (const auto& cells : Table(m)) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) out += csv ? "," : "\t";
            out += csv ? CsvCell(cells[i]) : TabCell(cells[i]);
        }
        out += csv ? "\r\n" : "\n";
    }
    return out;
}

}  // namespace unyo::raci
