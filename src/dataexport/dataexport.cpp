#include "dataexport/dataexport.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "storage/migrations.hpp"

// The data dictionary, embedded as it is in the source tree (CMake: UNYO_DICTIONARY_PATH).
__asm__(".section .rodata\n"
        ".balign 16\n"
        "unyo_dictionary_begin:\n"
        ".incbin \"" UNYO_DICTIONARY_PATH "\"\n"
        "unyo_dictionary_end:\n"
        ".byte 0\n"
        ".previous\n");
extern "C" const char unyo_dictionary_begin[];
extern "C" const char unyo_dictionary_end[];

namespace unyo::dataexport {
namespace fs = std::filesystem;
namespace {

constexpr la_int64_t kFixedTime = 1577836800;  // 2020-01-01: the same files give the same archive
constexpr std::size_t kChunk = 1 << 16;
constexpr std::size_t kBatch = 200;  // rows per INSERT
constexpr std::string_view kRedacted = "(secret: not exported)";

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;

std::string ArchiveError(struct archive* a) {
    const char* e = archive_error_string(a);
    return e ? e : "unknown error";
}

std::vector<std::string> TableNames() {
    std::vector<std::string> out;
    for (const auto& kv : Dictionary().at("tables").as_object()) out.emplace_back(kv.key());
    return out;
}

std::vector<std::string> ColumnsOf(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& kv : Dictionary().at("tables").at(table).at("columns").as_object()) out.emplace_back(kv.key());
    return out;
}

bool Omitted(const std::string& table) { return Dictionary().at("omitted_tables").as_object().contains(table); }

std::string Quote(const std::string& name) { return "\"" + name + "\""; }

/// The live schema: table → columns in order (search shadow tables included on SQLite).
Result<std::map<std::string, std::vector<std::string>>> LiveSchema(storage::Connection& c) {
    std::map<std::string, std::vector<std::string>> out;
    if (c.dialect() == storage::Dialect::kSqlite) {
        const auto tables = UNYO_TRY(c.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"));
        for (const auto& t : tables.rows) {
            auto& cols = out[t.Text(0)];
            for (const auto& col : UNYO_TRY(c.Query("SELECT name FROM pragma_table_info($1) ORDER BY cid", {t.Text(0)})).rows) {
                cols.push_back(col.Text(0));
            }
        }
    } else {
        const auto rows = UNYO_TRY(c.Query(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "ORDER BY table_name, ordinal_position"));
        for (const auto& r : rows.rows) out[r.Text(0)].push_back(r.Text(1));
    }
    return out;
}

/// The dictionary's tables ordered so that every table comes after those its foreign keys name
/// (the dictionary's order among equals).
Result<std::vector<std::string>> InsertOrder(storage::Connection& c) {
    const auto names = TableNames();
    std::map<std::string, std::set<std::string>> needs;
    if (c.dialect() == storage::Dialect::kSqlite) {
        for (const auto& t : names) {
            for (const auto& r : UNYO_TRY(c.Query("SELECT \"table\" FROM pragma_foreign_key_list($1)", {t})).rows) {
                if (r.Text(0) != t) needs[t].insert(r.Text(0));
            }
        }
    } else {
        const auto rows = UNYO_TRY(c.Query(
            "SELECT tc.table_name, ccu.table_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name "
            "AND ccu.constraint_schema = tc.constraint_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()"));
        for (const auto& r : rows.rows) {
            if (r.Text(0) != r.Text(1)) needs[r.Text(0)].insert(r.Text(1));
        }
    }
    std::vector<std::string> out;
    std::set<std::string> placed;
    while (out.size() < names.size()) {
        bool progressed = false;
        for (const auto& t : names) {
            if (placed.contains(t)) continue;
            const bool ready = std::all_of(needs[t].begin(), needs[t].end(), [&](const std::string& d) {
                return placed.contains(d) || std::find(names.begin(), names.end(), d) == names.end();
            });
            if (ready) {
                out.push_back(t);
                placed.insert(t);
                progressed = true;
            }
        }
        if (!progressed) return Fail(Error::Internal("the tables' foreign keys form a cycle: cannot order the import"));
    }
    return out;
}

json::value CellJson(const storage::Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return json::value(*i);
    if (const auto* d = std::get_if<double>(&v)) return json::value(*d);
    if (const auto* s = std::get_if<std::string>(&v)) return json::value(*s);
    return nullptr;
}

Result<storage::Value> CellValue(const json::value& v, const std::string& where) {
    if (v.is_null()) return storage::Value{};
    if (v.is_int64()) return storage::Value(v.as_int64());
    if (v.is_uint64()) return storage::Value(static_cast<std::int64_t>(v.as_uint64()));
    if (v.is_double()) return storage::Value(v.as_double());
    if (v.is_string()) return storage::Value(std::string(v.as_string()));
    return Fail(Error::Invalid(fmt::format("{}: a value is neither null, a number nor text", where)));
}

Result<void> WriteFile(const fs::path& p, std::string_view content) {
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) return Fail(Error::Internal(fmt::format("cannot write {}", p.string())));
    return {};
}

std::string ReadFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

/// Adds the file at `path` as `name` with fixed owner, mode and time.
Result<void> AddEntry(struct archive* a, const std::string& name, const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot read {}: {}", path.string(), ec.message())));
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(size));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, kFixedTime, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    const bool header = archive_write_header(a, e) == ARCHIVE_OK;
    archive_entry_free(e);
    if (!header) return Fail(Error::Internal(fmt::format("cannot add {}: {}", name, ArchiveError(a))));
    std::ifstream in(path, std::ios::binary);
    std::vector<char> buf(kChunk);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = in.gcount();
        if (n > 0 && archive_write_data(a, buf.data(), static_cast<std::size_t>(n)) != n) {
            return Fail(Error::Internal(fmt::format("cannot write {}: {}", name, ArchiveError(a))));
        }
    }
    return {};
}

struct Staging {
    fs::path dir;
    ~Staging() {
        std::error_code ec;
        if (!dir.empty()) fs::remove_all(dir, ec);
    }
};

bool IsHex64(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsTableName(std::string_view s) {
    return !s.empty() && s.size() <= 64 &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

/// Which archive member names an import accepts (nothing outside these, no paths that climb).
bool AcceptedName(const std::string& name) {
    if (name == "manifest.json" || name == "SHA256SUMS" || name == "DATA-DICTIONARY.md") return true;
    if (name.starts_with("data/") && name.ends_with(".jsonl")) return IsTableName(name.substr(5, name.size() - 11));
    if (name.starts_with("attachments/")) return IsHex64(name.substr(12));
    return false;
}

/// What each omitted column gets on import (its NOT NULL must hold): no password matches "!".
std::string FillOf(const std::string& table, const std::string& column) {
    if (table == "users" && column == "password_hash") return "!";
    return "";
}

std::vector<std::string> OmittedColumnsOf(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& kv : Dictionary().at("omitted_columns").as_object()) {
        const std::string key(kv.key());
        if (key.starts_with(table + ".")) out.push_back(key.substr(table.size() + 1));
    }
    return out;
}

bool SensitiveName(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* word : {"authorization", "cookie", "pass", "secret", "token", "apikey", "api-key", "api_key", "credential"}) {
        if (name.find(word) != std::string::npos) return true;
    }
    return false;
}

/// Replaces the values of sensitive members of `o` (headers, environment variables).
bool RedactMembers(json::object& o) {
    bool changed = false;
    for (auto& kv : o) {
        if (SensitiveName(std::string(kv.key())) && kv.value() != json::value(kRedacted)) {
            kv.value() = kRedacted;
            changed = true;
        }
    }
    return changed;
}

/// Secrets kept inside JSON columns, taken out of the export: an SMTP channel's password, and in
/// job definitions the values of sensitive HTTP headers and environment variables.
std::optional<std::string> Redacted(const std::string& table, const std::string& column, const std::string& text) {
    if (table == "notification_channels" && column == "config_json") {
        if (text.find("\"password\"") == std::string::npos) return std::nullopt;
        auto o = ParseObject(text);
        if (!o || !o->contains("password")) return std::nullopt;
        o->erase("password");
        return json::serialize(*o);
    }
    if ((table == "jobnets" || table == "jobnet_runs") && column == "definition_json") {
        if (text.find("\"headers\"") == std::string::npos && text.find("\"env\"") == std::string::npos) return std::nullopt;
        auto o = ParseObject(text);
        if (!o) return std::nullopt;
        bool changed = false;
        if (auto* jobs = o->if_contains("jobs"); jobs && jobs->is_array()) {
            for (auto& j : jobs->as_array()) {
                if (!j.is_object()) continue;
                if (auto* env = j.as_object().if_contains("env"); env && env->is_object()) changed |= RedactMembers(env->as_object());
                if (auto* http = j.as_object().if_contains("http"); http && http->is_object()) {
                    if (auto* h = http->as_object().if_contains("headers"); h && h->is_object()) changed |= RedactMembers(h->as_object());
                }
            }
        }
        if (!changed) return std::nullopt;
        return json::serialize(*o);
    }
    return std::nullopt;
}

}  // namespace

const json::object& Dictionary() {
    static const json::object k = [] {
        auto parsed = ParseObject(std::string_view(unyo_dictionary_begin, static_cast<std::size_t>(unyo_dictionary_end - unyo_dictionary_begin)));
        return parsed ? *parsed : json::object{};
    }();
    return k;
}

std::string DictionaryMarkdown() {
    const auto& d = Dictionary();
    std::string out =
        "# unyo データ辞書 / Data dictionary\n\n"
        "この書庫は unyo (運用管理システム) が保持するすべてのデータを、unyo がなくても読める形で収めたものです。\n"
        "This archive holds everything unyo kept, in a form that can be read without unyo.\n\n"
        "## ファイル / Files\n\n"
        "| ファイル / File | 内容 | Contents |\n|---|---|---|\n"
        "| `manifest.json` | 書庫の形式と版、出力日時、スキーマの版、表ごとの件数と SHA-256 | format and version, export time, schema version, rows and SHA-256 of each table |\n"
        "| `SHA256SUMS` | `manifest.json` 以外の全ファイルの SHA-256 (`sha256sum -c SHA256SUMS` で検証) | SHA-256 of every other file (check with `sha256sum -c SHA256SUMS`) |\n"
        "| `DATA-DICTIONARY.md` | この文書 | this document |\n"
        "| `data/<表>.jsonl` | 表ごとに 1 行 1 件の JSON (JSON Lines, UTF-8)。キーは下記の列名 | one JSON object per row (JSON Lines, UTF-8), keyed by the columns below |\n"
        "| `attachments/<SHA-256>` | 記録の添付ファイルの中身 (`attachments` 表の `sha256` で対応) | the bytes of attachments (matched by `attachments.sha256`) |\n\n"
        "## 型 / Types\n\n"
        "| 型 / type | 意味 | Meaning |\n|---|---|---|\n"
        "| integer | 整数 | integer |\n"
        "| real | 小数 | floating-point number |\n"
        "| text | 文字列 | text |\n"
        "| boolean | 0 (いいえ) または 1 (はい) | 0 (no) or 1 (yes) |\n"
        "| instant | 日時: 1970-01-01T00:00:00Z からのミリ秒 (UTC)。日本時間は +9 時間 | an instant: milliseconds since 1970-01-01T00:00:00Z (UTC) |\n"
        "| date | 日付 `YYYY-MM-DD` (日本の暦日) | a calendar day `YYYY-MM-DD` (in Japan) |\n"
        "| json | JSON を文字列として格納 | JSON stored as text |\n"
        "| time_of_day | 時刻 `HH:MM` | a time of day `HH:MM` |\n\n"
        "値のない列は `null` です。 / A column without a value is `null`.\n\n"
        "## 表 / Tables\n\n";
    for (const auto& t : d.at("tables").as_object()) {
        const auto& table = t.value().as_object();
        out += fmt::format("### `{}` — data/{}.jsonl\n\n{}\n\n{}\n\n| 列 / column | 型 / type | 意味 | Meaning |\n|---|---|---|---|\n",
                           std::string(t.key()), std::string(t.key()), StringOf(table, "ja"), StringOf(table, "en"));
        for (const auto& c : table.at("columns").as_object()) {
            const auto& col = c.value().as_object();
            out += fmt::format("| `{}` | {} | {} | {} |\n", std::string(c.key()), StringOf(col, "type"), StringOf(col, "ja"),
                               StringOf(col, "en"));
        }
        out += "\n";
    }
    out += "## 出力しないもの / Not exported\n\n| 表・列 / table or column | 理由 | Why |\n|---|---|---|\n";
    for (const auto* member : {"omitted_tables", "omitted_columns"}) {
        for (const auto& t : d.at(member).as_object()) {
            out += fmt::format("| `{}` | {} | {} |\n", std::string(t.key()), StringOf(t.value().as_object(), "ja"),
                               StringOf(t.value().as_object(), "en"));
        }
    }
    return out;
}

Result<std::vector<std::string>> DictionaryGaps(storage::Database& db) {
    if (Dictionary().empty()) return std::vector<std::string>{"the embedded data dictionary is not valid JSON"};
    const auto live = UNYO_TRY(db.Read([](storage::Connection& c) { return LiveSchema(c); }));
    std::vector<std::string> gaps;
    const auto& tables = Dictionary().at("tables").as_object();
    for (const auto& [name, columns] : live) {
        if (Omitted(name)) continue;
        if (!tables.contains(name)) {
            gaps.push_back(fmt::format("table {} is neither described nor omitted", name));
            continue;
        }
        auto described = ColumnsOf(name);
        for (const auto& o : OmittedColumnsOf(name)) described.push_back(o);
        for (const auto& c : columns) {
            if (std::find(described.begin(), described.end(), c) == described.end()) {
                gaps.push_back(fmt::format("table {}: column {} is not described", name, c));
            }
        }
        for (const auto& c : described) {
            if (std::find(columns.begin(), columns.end(), c) == columns.end()) {
                gaps.push_back(fmt::format("table {}: column {} is described but not in the schema", name, c));
            }
        }
    }
    for (const auto& kv : tables) {
        if (!live.contains(std::string(kv.key()))) gaps.push_back(fmt::format("table {} is described but not in the schema", std::string(kv.key())));
    }
    return gaps;
}

Result<ExportSummary> Export(storage::Database& db, const fs::path& attachments_dir, const fs::path& out, Millis now,
                             const std::string& unyo_version, const std::function<void(const Progress&)>& progress) {
    if (const auto gaps = UNYO_TRY(DictionaryGaps(db)); !gaps.empty()) {
        return Fail(Error::Internal("the data dictionary does not match the schema: " + gaps.front()));
    }
    Staging staging{out.parent_path() / (".unyo-export-" + RandomToken(8))};
    std::error_code ec;
    fs::create_directories(staging.dir / "data", ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot create {}: {}", staging.dir.string(), ec.message())));

    ExportSummary summary;
    const auto names = TableNames();
    json::array manifest_tables;
    int schema_version = 0;
    // One read transaction: every table as of the same instant.
    UNYO_TRY_VOID(db.Read([&](storage::Connection& c) -> Result<void> {
        const auto v = UNYO_TRY(c.Query("SELECT MAX(version) FROM schema_migrations"));
        schema_version = static_cast<int>(v.front().OptInt(0).value_or(0));
        Progress p;
        p.tables_total = static_cast<int>(names.size());
        for (const auto& table : names) {
            const auto cols = ColumnsOf(table);
            std::string select, order;
            for (std::size_t i = 0; i < cols.size(); ++i) {
                select += (i ? ", " : "") + Quote(cols[i]);
                order += (i ? ", " : "") + std::to_string(i + 1);
            }
            const auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM {} ORDER BY {}", select, Quote(table), order)));
            const fs::path file = staging.dir / "data" / (table + ".jsonl");
            std::ofstream f(file, std::ios::binary);
            Sha256 sha;
            for (const auto& row : rows.rows) {
                json::object o;
                for (std::size_t i = 0; i < cols.size(); ++i) {
                    const auto* text = std::get_if<std::string>(&row.At(i));
                    const auto redacted = text ? Redacted(table, cols[i], *text) : std::nullopt;
                    o[cols[i]] = redacted ? json::value(*redacted) : CellJson(row.At(i));
                }
                const std::string line = json::serialize(o) + "\n";
                f.write(line.data(), static_cast<std::streamsize>(line.size()));
                sha.Update(line.data(), line.size());
            }
            if (!f) return Fail(Error::Internal(fmt::format("cannot write {}", file.string())));
            const auto count = static_cast<std::int64_t>(rows.rows.size());
            manifest_tables.push_back(json::object{{"table", table},
                                                   {"file", "data/" + table + ".jsonl"},
                                                   {"rows", count},
                                                   {"sha256", sha.Hex()}});
            summary.rows += count;
            ++summary.tables;
            p.tables_done = summary.tables;
            p.rows = summary.rows;
            p.table = table;
            if (progress) progress(p);
        }
        return {};
    }));

    // Attachments: every stored file, by its SHA-256 (checked on the way out).
    std::vector<std::pair<std::string, fs::path>> files;  // archive name → path
    std::int64_t attachment_bytes = 0;
    if (fs::is_directory(attachments_dir)) {
        for (const auto& e : fs::recursive_directory_iterator(attachments_dir)) {
            if (!e.is_regular_file() || !IsHex64(e.path().filename().string())) continue;
            std::int64_t size = 0;
            const auto sha = UNYO_TRY(FileSha256(e.path(), &size));
            if (sha != e.path().filename().string()) {
                return Fail(Error::Internal(fmt::format("attachment {} does not match its checksum (damaged?)", e.path().string())));
            }
            files.emplace_back("attachments/" + sha, e.path());
            attachment_bytes += size;
        }
    }
    summary.attachments = static_cast<std::int64_t>(files.size());
    UNYO_TRY_VOID(WriteFile(staging.dir / "DATA-DICTIONARY.md", DictionaryMarkdown()));
    files.emplace_back("DATA-DICTIONARY.md", staging.dir / "DATA-DICTIONARY.md");
    for (const auto& t : names) files.emplace_back("data/" + t + ".jsonl", staging.dir / "data" / (t + ".jsonl"));
    std::sort(files.begin(), files.end());
    std::string sums;
    for (const auto& [name, path] : files) sums += UNYO_TRY(FileSha256(path)) + "  " + name + "\n";
    UNYO_TRY_VOID(WriteFile(staging.dir / "SHA256SUMS", sums));
    json::array omitted_tables, omitted_columns;
    for (const auto& kv : Dictionary().at("omitted_tables").as_object()) omitted_tables.push_back(json::value(kv.key()));
    for (const auto& kv : Dictionary().at("omitted_columns").as_object()) omitted_columns.push_back(json::value(kv.key()));
    const json::object manifest{{"format", "unyo-export"},
                                {"format_version", kFormatVersion},
                                {"exported_at", FormatRfc3339(now)},
                                {"unyo_version", unyo_version},
                                {"schema_version", schema_version},
                                {"tables", std::move(manifest_tables)},
                                {"attachments", json::object{{"files", summary.attachments}, {"bytes", attachment_bytes}}},
                                {"omitted_tables", std::move(omitted_tables)},
                                {"omitted_columns", std::move(omitted_columns)},
                                {"secrets",
                                 "パスワードのハッシュ、セッション、API トークン、カレンダー購読トークンは含みません。"
                                 " Password hashes, sessions, API tokens and calendar feed tokens are not included."}};
    UNYO_TRY_VOID(WriteFile(staging.dir / "manifest.json", json::serialize(manifest) + "\n"));
    files.emplace_back("SHA256SUMS", staging.dir / "SHA256SUMS");
    files.emplace_back("manifest.json", staging.dir / "manifest.json");
    std::sort(files.begin(), files.end());

    const fs::path part = out.string() + ".part";
    {
        ArchivePtr a(archive_write_new(), archive_write_free);
        archive_write_add_filter_zstd(a.get());
        archive_write_set_format_pax_restricted(a.get());
        if (archive_write_open_filename(a.get(), part.c_str()) != ARCHIVE_OK) {
            return Fail(Error::Internal(fmt::format("cannot write {}: {}", part.string(), ArchiveError(a.get()))));
        }
        for (const auto& [name, path] : files) UNYO_TRY_VOID(AddEntry(a.get(), name, path));
        if (archive_write_close(a.get()) != ARCHIVE_OK) {
            return Fail(Error::Internal(fmt::format("cannot finish {}: {}", part.string(), ArchiveError(a.get()))));
        }
    }
    fs::rename(part, out, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot rename {} to {}: {}", part.string(), out.string(), ec.message())));
    summary.bytes = static_cast<std::int64_t>(fs::file_size(out, ec));
    return summary;
}

Result<ImportSummary> Import(const fs::path& archive, storage::Database& db, const fs::path& attachments_dir) {
    Staging staging{fs::temp_directory_path() / ("unyo-import-" + RandomToken(8))};
    std::error_code ec;
    fs::create_directories(staging.dir, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot create {}: {}", staging.dir.string(), ec.message())));
    // 1. Unpack what an export holds, and nothing else.
    {
        ArchivePtr a(archive_read_new(), archive_read_free);
        archive_read_support_filter_zstd(a.get());
        archive_read_support_format_tar(a.get());
        if (archive_read_open_filename(a.get(), archive.c_str(), kChunk) != ARCHIVE_OK) {
            return Fail(Error::Invalid(fmt::format("cannot read {}: {}", archive.string(), ArchiveError(a.get()))));
        }
        for (;;) {
            struct archive_entry* e = nullptr;
            const int r = archive_read_next_header(a.get(), &e);
            if (r == ARCHIVE_EOF) break;
            if (r != ARCHIVE_OK) return Fail(Error::Invalid(fmt::format("{} is damaged: {}", archive.string(), ArchiveError(a.get()))));
            const std::string name = archive_entry_pathname(e);
            if (archive_entry_filetype(e) != AE_IFREG || !AcceptedName(name)) {
                return Fail(Error::Invalid(fmt::format("{} holds {}, which a unyo export does not", archive.string(), name)));
            }
            const fs::path to = staging.dir / name;
            fs::create_directories(to.parent_path(), ec);
            std::ofstream f(to, std::ios::binary);
            std::vector<char> buf(kChunk);
            for (;;) {
                const auto n = archive_read_data(a.get(), buf.data(), buf.size());
                if (n < 0) return Fail(Error::Invalid(fmt::format("{} is damaged: {}", archive.string(), ArchiveError(a.get()))));
                if (n == 0) break;
                f.write(buf.data(), n);
            }
            if (!f) return Fail(Error::Internal(fmt::format("cannot write {}", to.string())));
        }
    }
    // 2. Check the manifest and every checksum before anything is written.
    if (!fs::exists(staging.dir / "manifest.json") || !fs::exists(staging.dir / "SHA256SUMS")) {
        return Fail(Error::Invalid(fmt::format("{} is not a unyo export (no manifest.json or SHA256SUMS)", archive.string())));
    }
    const auto manifest = UNYO_TRY(ParseObject(ReadFile(staging.dir / "manifest.json")));
    if (StringOf(manifest, "format") != "unyo-export" || IntOf(manifest, "format_version", 0) != kFormatVersion) {
        return Fail(Error::Invalid(fmt::format("{} is not a unyo export of format version {}", archive.string(), kFormatVersion)));
    }
    const int latest = storage::LatestVersion(db.dialect());
    if (IntOf(manifest, "schema_version", 0) != latest) {
        return Fail(Error::Conflict(fmt::format("the export has schema version {} and this unyo {}: import it with the unyo "
                                                "that exported it, then upgrade",
                                                IntOf(manifest, "schema_version", 0), latest)));
    }
    std::set<std::string> listed;
    {
        std::istringstream sums(ReadFile(staging.dir / "SHA256SUMS"));
        std::string line;
        while (std::getline(sums, line)) {
            if (line.size() < 67 || line.substr(64, 2) != "  ") return Fail(Error::Invalid("SHA256SUMS has a malformed line"));
            const std::string name = line.substr(66);
            if (!AcceptedName(name) || !fs::exists(staging.dir / name)) {
                return Fail(Error::Invalid(fmt::format("SHA256SUMS names {}, which the archive does not hold", name)));
            }
            if (UNYO_TRY(FileSha256(staging.dir / name)) != line.substr(0, 64)) {
                return Fail(Error::Invalid(fmt::format("{} does not match its checksum: the archive is damaged", name)));
            }
            listed.insert(name);
        }
    }
    for (const auto& e : fs::recursive_directory_iterator(staging.dir)) {
        if (!e.is_regular_file()) continue;
        const std::string name = fs::relative(e.path(), staging.dir).string();
        if (name != "manifest.json" && name != "SHA256SUMS" && !listed.contains(name)) {
            return Fail(Error::Invalid(fmt::format("{} is not in SHA256SUMS", name)));
        }
    }
    std::map<std::string, std::int64_t> expected_rows;
    const auto* tables = manifest.if_contains("tables");
    if (tables == nullptr || !tables->is_array()) return Fail(Error::Invalid("manifest.json lists no tables"));
    const auto known = TableNames();
    for (const auto& t : tables->as_array()) {
        if (!t.is_object()) return Fail(Error::Invalid("manifest.json: a table entry is not an object"));
        const std::string name = StringOf(t.as_object(), "table");
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            return Fail(Error::Invalid(fmt::format("manifest.json names the table {}, which this unyo does not have", name)));
        }
        const fs::path file = staging.dir / "data" / (name + ".jsonl");
        if (!fs::exists(file) || UNYO_TRY(FileSha256(file)) != StringOf(t.as_object(), "sha256")) {
            return Fail(Error::Invalid(fmt::format("data/{}.jsonl is missing or does not match the manifest", name)));
        }
        expected_rows[name] = IntOf(t.as_object(), "rows", -1);
    }
    for (const auto& name : known) {
        if (!expected_rows.contains(name)) return Fail(Error::Invalid(fmt::format("the export has no data/{}.jsonl", name)));
    }
    // 3. Only into an empty unyo.
    const bool empty = UNYO_TRY(db.Read([](storage::Connection& c) -> Result<bool> {
        const auto users = UNYO_TRY(c.Query("SELECT COUNT(*) FROM users"));
        const auto records = UNYO_TRY(c.Query("SELECT COUNT(*) FROM records"));
        return users.front().Int(0) == 0 && records.front().Int(0) == 0;
    }));
    if (!empty) return Fail(Error::Conflict("the database already holds users or records: import only into a new data directory"));

    ImportSummary summary;
    // 4. Attachments first (content-addressed, so a retry writes the same files).
    for (const auto& e : fs::directory_iterator(staging.dir / "attachments", ec)) {
        const std::string sha = e.path().filename().string();
        const fs::path to = attachments_dir / sha.substr(0, 2) / sha;
        fs::create_directories(to.parent_path(), ec);
        fs::copy_file(e.path(), to, fs::copy_options::overwrite_existing, ec);
        if (ec) return Fail(Error::Internal(fmt::format("cannot write {}: {}", to.string(), ec.message())));
        ++summary.attachments;
    }
    // 5. Every row in one transaction, parents before children.
    UNYO_TRY_VOID(db.Write([&](storage::Connection& c) -> Result<void> {
        const auto order = UNYO_TRY(InsertOrder(c));
        for (auto it = order.rbegin(); it != order.rend(); ++it) UNYO_TRY(c.Exec("DELETE FROM " + Quote(*it)));
        for (const auto& table : order) {
            const auto cols = ColumnsOf(table);
            const auto omitted = OmittedColumnsOf(table);
            std::string column_list;
            for (const auto& col : cols) column_list += (column_list.empty() ? "" : ", ") + Quote(col);
            for (const auto& col : omitted) column_list += ", " + Quote(col);
            std::vector<storage::Value> params;
            std::string values;
            int n = 0;
            auto flush = [&]() -> Result<void> {
                if (n == 0) return {};
                UNYO_TRY(c.Exec(fmt::format("INSERT INTO {} ({}) VALUES {}", Quote(table), column_list, values), params));
                params.clear();
                values.clear();
                n = 0;
                return {};
            };
            std::ifstream in(staging.dir / "data" / (table + ".jsonl"), std::ios::binary);
            std::string line;
            std::int64_t count = 0;
            while (std::getline(in, line)) {
                ++count;
                const std::string where = fmt::format("data/{}.jsonl line {}", table, count);
                auto row = ParseObject(line);
                if (!row) return Fail(Error::Invalid(where + ": not a JSON object"));
                if (row->size() != cols.size()) return Fail(Error::Invalid(where + ": its members are not the table's columns"));
                values += values.empty() ? "(" : ", (";
                for (std::size_t i = 0; i < cols.size(); ++i) {
                    const auto* v = row->if_contains(cols[i]);
                    if (v == nullptr) return Fail(Error::Invalid(fmt::format("{}: no {}", where, cols[i])));
                    params.push_back(UNYO_TRY(CellValue(*v, where)));
                    values += (i ? ", $" : "$") + std::to_string(params.size());
                }
                for (const auto& col : omitted) {
                    params.emplace_back(FillOf(table, col));
                    values += ", $" + std::to_string(params.size());
                }
                values += ")";
                if (++n == static_cast<int>(kBatch)) UNYO_TRY_VOID(flush());
            }
            UNYO_TRY_VOID(flush());
            if (count != expected_rows[table]) {
                return Fail(Error::Invalid(fmt::format("data/{}.jsonl has {} rows, the manifest says {}", table, count, expected_rows[table])));
            }
            summary.rows += count;
            ++summary.tables;
            if (table == "users") summary.users = count;
        }
        if (c.dialect() == storage::Dialect::kPostgres) {
            // Identity columns continue after the rows brought in.
            const auto ids = UNYO_TRY(c.Query(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND is_identity = 'YES'"));
            for (const auto& r : ids.rows) {
                UNYO_TRY(c.Query(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE(MAX({1}), 0) + 1, false) FROM {0}",
                                             r.Text(0), r.Text(1))));
            }
        } else {
            // The search index is derived from the records' text.
            UNYO_TRY(c.Exec("INSERT INTO records_fts (rowid, search_text) SELECT id, search_text FROM records"));
        }
        return {};
    }));
    return summary;
}

ExportJob::~ExportJob() {
    if (worker_.joinable()) worker_.join();
}

Result<json::object> ExportJob::Start(const audit::Actor& actor) {
    const Millis now = clock_.Now();
    const fs::path file = data_dir_ / "exports" / fmt::format("unyo-export-{}.tar.zst", FormatCompactUtc(now, false));
    {
        // Claimed under the lock, so that two requests at once do not both start one.
        std::lock_guard lock(mu_);
        if (state_ == "running") return Fail(Error::Conflict("an export is running already; wait for it to finish"));
        state_ = "running";
        progress_ = Progress{};
        file_ = file;
        bytes_ = 0;
        started_at_ = now;
        finished_at_.reset();
        error_.clear();
    }
    auto fail = [&](Error e) -> Result<json::object> {
        std::lock_guard lock(mu_);
        state_ = "failed";
        error_ = e.message;
        finished_at_ = clock_.Now();
        return Fail(std::move(e));
    };
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) return fail(Error::Internal(fmt::format("cannot create {}: {}", file.parent_path().string(), ec.message())));
    // An export carries every record and the audit log: who asked for one is audited.
    auto audited = db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(audit::Append(c, actor, {"export.create", "export", file.filename().string(), nullptr,
                                          json::object{{"file", file.filename().string()}}},
                               now));
        return {};
    });
    if (!audited) return fail(audited.error());
    if (worker_.joinable()) worker_.join();  // the previous one, finished
    worker_ = std::jthread([this, file, now] {
        auto done = Export(db_, data_dir_ / "attachments", file, now, version_, [this](const Progress& p) {
            std::lock_guard lock(mu_);
            progress_ = p;
        });
        std::lock_guard lock(mu_);
        finished_at_ = clock_.Now();
        if (done) {
            state_ = "done";
            bytes_ = done->bytes;
            done_file_ = file;
        } else {
            state_ = "failed";
            error_ = done.error().message;
        }
    });
    return Status();
}

json::object ExportJob::Status() const {
    std::lock_guard lock(mu_);
    return {{"state", state_},
            {"tables_done", progress_.tables_done},
            {"tables_total", progress_.tables_total},
            {"rows", progress_.rows},
            {"table", progress_.table},
            {"file", file_ ? json::value(file_->filename().string()) : json::value(nullptr)},
            {"bytes", bytes_},
            {"started_at", InstantOrNull(started_at_)},
            {"finished_at", InstantOrNull(finished_at_)},
            {"error", error_.empty() ? json::value(nullptr) : json::value(error_)}};
}

std::optional<fs::path> ExportJob::LatestFile() const {
    std::lock_guard lock(mu_);
    return done_file_;
}

}  // namespace unyo::dataexport
