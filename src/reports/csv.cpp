#include <iconv.h>

#include <algorithm>

#include <fmt/format.h>

#include "reports/table.hpp"

namespace unyo::reports {
namespace {

void AppendField(std::string& out, const std::string& text) {
    // Quote every field with a quote, comma or line break; a leading = + - @ is prefixed with a
    // quote so that Excel does not run it as a formula (CSV injection).
    const bool formula =
        !text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@');
    const bool quote = formula || text.find_first_of(",\"\r\n") != std::string::npos;
    if (!quote) {
        out += text;
        return;
    }
    out += '"';
    if (formula) {
        out += '\'';
    }
    for (char c : text) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    out += '"';
}

Result<std::string> ToCp932(const std::string& utf8) {
    iconv_t cd = iconv_open("CP932", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return Fail(Error::Internal("this system cannot convert to CP932 (iconv)"));
    }
    std::string out(utf8.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    std::size_t in_left = utf8.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    const std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) {
        // Find the line of the offending character for the message.
        const std::size_t offset = utf8.size() - in_left;
        const auto line =
            std::count(utf8.begin(), utf8.begin() + static_cast<std::ptrdiff_t>(offset), '\n') + 1;
        return Fail(Error::Field(
            "encoding",
            fmt::format("line {} has a character that Shift_JIS (CP932) cannot represent; "
                        "export as UTF-8 instead",
                        line)));
    }
    out.resize(out.size() - out_left);
    return out;
}

}  // namespace

Result<std::string> RenderCsv(const Table& table, CsvEncoding encoding,
                              const RenderOptions& options) {
    std::string out;
    if (encoding == CsvEncoding::kUtf8Bom) {
        out = "\xEF\xBB\xBF";
    }
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        out += i ? "," : "";
        AppendField(out, options.language == Language::kJapanese ? table.columns[i].ja
                                                                 : table.columns[i].en);
    }
    out += "\r\n";
    for (const auto& row : table.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            out += i ? "," : "";
            AppendField(out, CellText(row[i], options));
        }
        out += "\r\n";
    }
    if (encoding == CsvEncoding::kCp932) {
        return ToCp932(out);
    }
    return out;
}

}  // namespace unyo::reports
