#include "core/sheet.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/xml.hpp"

namespace unyo::sheet {
namespace {

constexpr std::size_t kMaxPart = 64u << 20;  // an XML part larger than this is refused
constexpr std::size_t kMaxCells = 2'000'000;

// The parts of the zip we need, by name.
Result<std::map<std::string, std::string>> Unzip(std::string_view bytes) {
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_format_zip(a.get());
    if (archive_read_open_memory(a.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
        return Fail(Error::Invalid("not an XLSX file (it is not a zip archive)"));
    }
    std::map<std::string, std::string> parts;
    archive_entry* entry = nullptr;
    while (true) {
        const int r = archive_read_next_header(a.get(), &entry);
        if (r == ARCHIVE_EOF) break;
        if (r != ARCHIVE_OK) return Fail(Error::Invalid(fmt::format("not an XLSX file: {}", archive_error_string(a.get()))));
        const std::string name = archive_entry_pathname(entry);
        if (name.rfind("xl/", 0) != 0 || name.size() < 4 || name.substr(name.size() - 4) != ".xml") {
            if (name.rfind("xl/_rels/", 0) != 0) continue;
        }
        std::string data;
        char buf[65536];
        la_ssize_t n = 0;
        while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
            data.append(buf, static_cast<std::size_t>(n));
            if (data.size() > kMaxPart) return Fail(Error::Invalid(fmt::format("XLSX part {} is too large", name)));
        }
        if (n < 0) return Fail(Error::Invalid(fmt::format("XLSX part {} cannot be read: {}", name, archive_error_string(a.get()))));
        parts.emplace(name, std::move(data));
    }
    return parts;
}

// The text of a shared string or inline string: its <t>, or its runs' <t>s, never the phonetic
// guide (<rPh>) Excel adds to Japanese text.
std::string StringItem(const xml::Node& si) {
    std::string out;
    for (const auto& c : si.children) {
        if (c.name == "t") {
            out += c.text;
        } else if (c.name == "r") {
            if (const auto* t = c.Child("t")) out += t->text;
        }
    }
    return out;
}

// "BC12" → column 54 (0-based); -1 when there are no letters.
int ColumnOf(std::string_view ref) {
    int col = 0;
    std::size_t i = 0;
    for (; i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z'; ++i) col = col * 26 + (ref[i] - 'A' + 1);
    return i == 0 ? -1 : col - 1;
}

std::string Resolve(std::string target) {
    if (target.rfind("/", 0) == 0) return target.substr(1);  // absolute: "/xl/worksheets/sheet1.xml"
    return "xl/" + target;
}

std::string Trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Result<Rows> ReadCsv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    Rows rows;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
            continue;
        }
        any = true;
        if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row.push_back(Trim(cell));
            cell.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            row.push_back(Trim(cell));
            cell.clear();
            rows.push_back(std::move(row));
            row.clear();
        } else {
            cell += c;
        }
    }
    if (quoted) return Fail(Error::Invalid("the CSV ends inside a quoted field"));
    if (any && (!cell.empty() || !row.empty())) {
        row.push_back(Trim(cell));
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<Rows> ReadXlsx(std::string_view bytes, std::size_t index) {
    const auto parts = UNYO_TRY(Unzip(bytes));
    const auto part = [&](const std::string& name) -> const std::string* {
        const auto it = parts.find(name);
        return it == parts.end() ? nullptr : &it->second;
    };
    // The sheet: the workbook's `index`th <sheet>, through its relationship to a part.
    std::string sheet_part = fmt::format("xl/worksheets/sheet{}.xml", index + 1);
    if (const auto* wb = part("xl/workbook.xml")) {
        const auto workbook = UNYO_TRY(xml::Parse(*wb));
        const auto sheets = workbook.FindAll("sheet");
        if (index >= sheets.size()) {
            return Fail(Error::Invalid(fmt::format("the workbook has {} sheet(s), not {}", sheets.size(), index + 1)));
        }
        const std::string rid(sheets[index]->Attr("id"));
        if (const auto* rels = part("xl/_rels/workbook.xml.rels"); rels && !rid.empty()) {
            const auto relationships = UNYO_TRY(xml::Parse(*rels));  // named: FindAll points into it
            for (const auto* rel : relationships.FindAll("Relationship")) {
                if (rel->Attr("Id") == rid) sheet_part = Resolve(std::string(rel->Attr("Target")));
            }
        }
    }
    const auto* sheet_xml = part(sheet_part);
    if (!sheet_xml) return Fail(Error::Invalid(fmt::format("not an XLSX file: {} is missing", sheet_part)));

    std::vector<std::string> shared;
    if (const auto* ss = part("xl/sharedStrings.xml")) {
        const auto strings = UNYO_TRY(xml::Parse(*ss));
        for (const auto* si : strings.FindAll("si")) shared.push_back(StringItem(*si));
    }
    Rows rows;
    std::size_t cells = 0;
    const auto sheet = UNYO_TRY(xml::Parse(*sheet_xml));
    for (const auto* row : sheet.FindAll("row")) {
        std::size_t at = rows.size();
        if (const auto r = row->Attr("r"); !r.empty()) {
            const auto n = std::strtoul(std::string(r).c_str(), nullptr, 10);
            if (n >= 1 && n - 1 >= rows.size() && n <= 1'048'576) at = n - 1;
        }
        rows.resize(at + 1);
        auto& out = rows[at];
        for (const auto& c : row->children) {
            if (c.name != "c") continue;
            if (++cells > kMaxCells) return Fail(Error::Invalid("the sheet has too many cells"));
            int col = ColumnOf(c.Attr("r"));
            if (col < 0) col = static_cast<int>(out.size());
            if (col > 16'384) return Fail(Error::Invalid("a cell lies beyond column XFD"));
            const auto type = c.Attr("t");
            std::string value;
            if (type == "inlineStr") {
                if (const auto* is = c.Child("is")) value = StringItem(*is);
            } else if (const auto* v = c.Child("v")) {
                value = v->text;
                if (type == "s") {
                    const auto i = std::strtoul(value.c_str(), nullptr, 10);
                    if (i >= shared.size()) return Fail(Error::Invalid(fmt::format("cell {} names shared string {} of {}", c.Attr("r"), i, shared.size())));
                    value = shared[i];
                } else if (type == "b") {
                    value = value == "1" ? "TRUE" : "FALSE";
                }
            }
            if (out.size() <= static_cast<std::size_t>(col)) out.resize(static_cast<std::size_t>(col) + 1);
            out[static_cast<std::size_t>(col)] = std::move(value);
        }
    }
    return rows;
}

}  // namespace unyo::sheet
