#include "backup/backup.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/time_format.hpp"

namespace unyo::backup {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifestEntry = "MANIFEST.json";
constexpr std::size_t kChunk = 256 * 1024;
constexpr const char* kCipher = "xchacha20poly1305-secretstream";
constexpr std::string_view kMagic = "UNYOENC1";
constexpr std::string_view kPlainSuffix = ".tar.zst", kEncryptedSuffix = ".tar.zst.enc";

using Key = std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES>;

// The key in `p`: 64 hex digits (e.g. made by `openssl rand -hex 32`), whitespace around allowed.
Result<Key> ReadKey(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream text;
    text << in.rdbuf();
    std::string hex;
    for (const char c : text.str()) {
        if (!std::isspace(static_cast<unsigned char>(c))) hex += c;
    }
    Key key{};
    std::size_t len = 0;
    if (!in || hex.size() != 64 ||
        sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 || len != key.size()) {
        sodium_memzero(hex.data(), hex.size());
        return Fail(Error::Field("key_file", fmt::format("{} must hold the key as 64 hex digits (openssl rand -hex 32)", p.string())));
    }
    sodium_memzero(hex.data(), hex.size());
    return key;
}

// Tells keys apart without saying anything about them.
std::string KeyId(const Key& key) {
    return Sha256Hex(std::string("unyo-backup-key:") + std::string(reinterpret_cast<const char*>(key.data()), key.size()))
        .substr(0, 16);
}

Result<void> EncryptFile(const fs::path& from, const fs::path& to, const Key& key) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!in || !out) return Fail(Error::Internal(fmt::format("cannot encrypt {} into {}", from.string(), to.string())));
    crypto_secretstream_xchacha20poly1305_state st;
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    crypto_secretstream_xchacha20poly1305_init_push(&st, header, key.data());
    out.write(kMagic.data(), static_cast<std::streamsize>(kMagic.size()));
    out.write(reinterpret_cast<const char*>(header), sizeof header);
    std::vector<char> cur(kChunk), next(kChunk);
    std::vector<unsigned char> sealed(kChunk + crypto_secretstream_xchacha20poly1305_ABYTES);
    in.read(cur.data(), static_cast<std::streamsize>(kChunk));
    auto n = in.gcount();
    for (;;) {
        in.read(next.data(), static_cast<std::streamsize>(kChunk));
        const auto m = in.gcount();
        const bool last = m <= 0;
        unsigned long long sealed_len = 0;
        crypto_secretstream_xchacha20poly1305_push(&st, sealed.data(), &sealed_len,
                                                   reinterpret_cast<const unsigned char*>(cur.data()),
                                                   static_cast<unsigned long long>(n), nullptr, 0,
                                                   last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
        out.write(reinterpret_cast<const char*>(sealed.data()), static_cast<std::streamsize>(sealed_len));
        if (last) break;
        std::swap(cur, next);
        n = m;
    }
    sodium_memzero(cur.data(), cur.size());
    sodium_memzero(next.data(), next.size());
    if (!out.flush()) return Fail(Error::Internal(fmt::format("cannot write {}", to.string())));
    return {};
}

Result<void> DecryptFile(const fs::path& from, const fs::path& to, const Key& key) {
    std::ifstream in(from, std::ios::binary);
    if (!in) return Fail(Error::Invalid(fmt::format("cannot read {}", from.string())));
    std::string magic(kMagic.size(), '\0');
    unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
    in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
    in.read(reinterpret_cast<char*>(header), sizeof header);
    crypto_secretstream_xchacha20poly1305_state st;
    if (!in || magic != kMagic || crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key.data()) != 0) {
        return Fail(Error::Invalid("not an encrypted unyo backup"));
    }
    const int fd = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Fail(Error::Internal(fmt::format("cannot write {}", to.string())));
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    ::close(fd);
    std::vector<unsigned char> sealed(kChunk + crypto_secretstream_xchacha20poly1305_ABYTES), plain(kChunk);
    for (;;) {
        in.read(reinterpret_cast<char*>(sealed.data()), static_cast<std::streamsize>(sealed.size()));
        const auto n = in.gcount();
        if (n <= 0) return Fail(Error::Invalid("the encrypted archive is cut short (no final chunk)"));
        unsigned long long plain_len = 0;
        unsigned char tag = 0;
        if (crypto_secretstream_xchacha20poly1305_pull(&st, plain.data(), &plain_len, &tag, sealed.data(),
                                                       static_cast<unsigned long long>(n), nullptr, 0) != 0) {
            return Fail(Error::Invalid("the encrypted archive does not decrypt with this key, or it was changed"));
        }
        out.write(reinterpret_cast<const char*>(plain.data()), static_cast<std::streamsize>(plain_len));
        if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) break;
    }
    if (in.peek() != std::char_traits<char>::eof()) return Fail(Error::Invalid("the encrypted archive has data after its end"));
    if (!out.flush()) return Fail(Error::Internal(fmt::format("cannot write {}", to.string())));
    return {};
}

// A decrypted copy of an encrypted archive in the temporary directory (0600), removed with it.
class Plain {
public:
    Plain() = default;
    Plain(const Plain&) = delete;
    Plain& operator=(const Plain&) = delete;
    ~Plain() {
        std::error_code ec;
        if (!path_.empty()) fs::remove(path_, ec);
    }
    Result<fs::path> Open(const fs::path& archive_path, const Manifest& m, const fs::path& key_file) {
        if (m.encryption.empty()) return archive_path;
        if (m.encryption != kCipher) return Fail(Error::Invalid(fmt::format("unknown encryption {}", m.encryption)));
        const fs::path kf = key_file.empty() ? fs::path(m.key_file) : key_file;
        if (kf.empty()) return Fail(Error::Invalid("the archive is encrypted: give its key file"));
        const Key key = UNYO_TRY(ReadKey(kf));
        if (KeyId(key) != m.key_id) {
            return Fail(Error::Invalid(fmt::format("{} is not the key this archive was encrypted with", kf.string())));
        }
        path_ = fs::temp_directory_path() / fmt::format("unyo-plain-{}.tar.zst", RandomToken(9));
        UNYO_TRY_VOID(DecryptFile(archive_path, path_, key));
        return path_;
    }

private:
    fs::path path_;
};

// Runs `argv` (no shell) with its standard output into `to` (0600); its standard error is ours
// (the job's output). Error naming `field` when it cannot start or does not exit 0.
Result<void> RunInto(const std::vector<std::string>& argv, const fs::path& to, const std::string& field) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, to.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> args = argv;
    std::vector<char*> p;
    for (auto& a : args) p.push_back(a.data());
    p.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, p[0], &fa, nullptr, p.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return Fail(Error::Field(field, fmt::format("{} cannot start: {}", argv.front(), std::strerror(rc))));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return Fail(Error::Field(field, fmt::format("{} ended with {} {}", argv.front(), WIFEXITED(status) ? "exit code" : "signal",
                                                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status))));
    }
    return {};
}

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;

std::string ArchiveError(archive* a) {
    const char* e = archive_error_string(a);
    return e ? e : "unknown archive error";
}

bool ValidName(std::string_view n) {
    return !n.empty() && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

fs::path SidecarOf(const fs::path& archive_path) {
    auto s = archive_path.string();
    if (s.ends_with(kEncryptedSuffix)) {
        s.resize(s.size() - kEncryptedSuffix.size());
    } else if (s.ends_with(kPlainSuffix)) {
        s.resize(s.size() - kPlainSuffix.size());
    }
    return s + ".json";
}

bool ArchiveName(std::string_view file) { return file.ends_with(kPlainSuffix) || file.ends_with(kEncryptedSuffix); }

// The manifest beside `archive_path`.
Result<Manifest> ReadSidecar(const fs::path& archive_path) {
    std::ifstream in(SidecarOf(archive_path));
    std::stringstream text;
    text << in.rdbuf();
    return ManifestFromJson(UNYO_TRY(ParseObject(text.str())));
}

Result<void> WriteText(const fs::path& p, const std::string& text) {
    const fs::path tmp = p.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) return Fail(Error::Internal(fmt::format("cannot write {}", tmp.string())));
    }
    std::error_code ec;
    fs::rename(tmp, p, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot write {}: {}", p.string(), ec.message())));
    return {};
}

// Every regular file of the sources, (path on disk, path in the archive), sorted by the latter.
Result<std::vector<std::pair<fs::path, std::string>>> Collect(const std::vector<Source>& sources) {
    std::vector<std::pair<fs::path, std::string>> out;
    std::vector<FieldError> missing;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const auto& s = sources[i];
        if (!s.command.empty()) continue;  // run by Create
        std::error_code ec;
        const auto st = fs::status(s.path, ec);
        if (ec || !fs::exists(st)) {
            missing.push_back({fmt::format("sources[{}]", i), fmt::format("{} does not exist", s.path.string())});
            continue;
        }
        if (fs::is_regular_file(st)) {
            out.emplace_back(s.path, s.as);
            continue;
        }
        for (auto it = fs::recursive_directory_iterator(s.path, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (!it->is_regular_file()) continue;  // symbolic links, sockets and devices are not kept
            out.emplace_back(it->path(), (fs::path(s.as) / fs::relative(it->path(), s.path)).generic_string());
        }
        if (ec) missing.push_back({fmt::format("sources[{}]", i), fmt::format("cannot read {}: {}", s.path.string(), ec.message())});
    }
    if (!missing.empty()) return Fail(Error::Validation(std::move(missing)));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return out;
}

// Writes one entry from `data` (or the file at `from`), hashing what it writes.
Result<FileEntry> AddEntry(archive* a, const std::string& name, const fs::path* from, const std::string* data,
                           Millis mtime) {
    std::int64_t size = 0;
    std::unique_ptr<std::ifstream> in;
    if (from) {
        std::error_code ec;
        size = static_cast<std::int64_t>(fs::file_size(*from, ec));
        if (ec) return Fail(Error::Internal(fmt::format("cannot read {}: {}", from->string(), ec.message())));
        in = std::make_unique<std::ifstream>(*from, std::ios::binary);
        if (!*in) return Fail(Error::Internal(fmt::format("cannot read {}", from->string())));
    } else {
        size = static_cast<std::int64_t>(data->size());
    }
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(e.get(), name.c_str());  // raw UTF-8 bytes (hdrcharset=BINARY)
    archive_entry_set_size(e.get(), size);
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0600);
    archive_entry_set_mtime(e.get(), mtime / 1000, 0);
    if (archive_write_header(a, e.get()) != ARCHIVE_OK) {
        return Fail(Error::Internal(fmt::format("archive: {}: {}", name, ArchiveError(a))));
    }
    Sha256 h;
    std::int64_t written = 0;
    const auto put = [&](const char* p, std::size_t n) -> Result<void> {
        // A file that grew while read is cut at the size in its header; one that shrank fails.
        n = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(n), size - written));
        if (n == 0) return {};
        if (archive_write_data(a, p, n) < 0) return Fail(Error::Internal(fmt::format("archive: {}: {}", name, ArchiveError(a))));
        h.Update(p, n);
        written += static_cast<std::int64_t>(n);
        return {};
    };
    if (in) {
        std::vector<char> buf(kChunk);
        while (*in && written < size) {
            in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
            UNYO_TRY_VOID(put(buf.data(), static_cast<std::size_t>(in->gcount())));
        }
    } else {
        UNYO_TRY_VOID(put(data->data(), data->size()));
    }
    if (written != size) {
        return Fail(Error::Internal(fmt::format("{} changed while it was backed up ({} of {} bytes)", name, written, size)));
    }
    return FileEntry{name, size, h.Hex()};
}

// Sends the archive and its sidecar to the remote directory and keeps the newest `keep`
// generations of `name` there (the names sort as time does).
Result<void> CopyRemote(const transfer::Endpoint& remote, const fs::path& archive_path, const std::string& name, int keep) {
    UNYO_TRY(transfer::Put(transfer::At(remote, archive_path.filename().string()), archive_path, {true, false, true}));
    const fs::path sidecar = SidecarOf(archive_path);
    UNYO_TRY(transfer::Put(transfer::At(remote, sidecar.filename().string()), sidecar, {false, false, false}));
    auto names = UNYO_TRY(transfer::List(remote));
    std::vector<std::string> archives;
    for (const auto& n : names) {
        if (n.starts_with(name + "-") && ArchiveName(n)) archives.push_back(n);
    }
    std::sort(archives.rbegin(), archives.rend());
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 1)); i < archives.size(); ++i) {
        UNYO_TRY_VOID(transfer::Remove(remote, archives[i]));
        const std::string side = SidecarOf(archives[i]).string();
        if (std::find(names.begin(), names.end(), side) != names.end()) UNYO_TRY_VOID(transfer::Remove(remote, side));
    }
    return {};
}

void Prune(const fs::path& dir, const std::string& name, int keep) {
    auto gens = List(dir, name);
    if (!gens) return;
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 1)); i < gens->size(); ++i) {
        std::error_code ec;
        fs::remove((*gens)[i].archive, ec);
        fs::remove(SidecarOf((*gens)[i].archive), ec);
    }
}

// Where an entry's bytes go while it is read (restoring), or nothing (verifying).
using Sink = std::function<Result<std::unique_ptr<std::ofstream>>(const std::string& path)>;

// The entries of an archive, each handed to `fn(path, size read, sha256)` after its bytes went to
// `sink`'s stream; an error names what could not be read.
template <typename F>
Result<void> ReadEntries(const fs::path& path, F&& fn, const Sink& sink) {
    ArchivePtr a(archive_read_new(), archive_read_free);
    archive_read_support_filter_zstd(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_filename(a.get(), path.c_str(), kChunk) != ARCHIVE_OK) {
        return Fail(Error::Invalid(fmt::format("cannot open {}: {}", path.string(), ArchiveError(a.get()))));
    }
    archive_entry* e = nullptr;
    std::vector<char> buf(kChunk);
    for (;;) {
        const int r = archive_read_next_header(a.get(), &e);
        if (r == ARCHIVE_EOF) break;
        if (r != ARCHIVE_OK) return Fail(Error::Invalid(fmt::format("unreadable archive: {}", ArchiveError(a.get()))));
        const char* raw = archive_entry_pathname(e);
        const std::string name = raw ? raw : "";
        Sha256 h;
        std::int64_t size = 0;
        std::unique_ptr<std::ofstream> out;
        if (sink && name != kManifestEntry) out = UNYO_TRY(sink(name));
        for (;;) {
            const auto n = archive_read_data(a.get(), buf.data(), buf.size());
            if (n < 0) return Fail(Error::Invalid(fmt::format("unreadable archive at {}: {}", name, ArchiveError(a.get()))));
            if (n == 0) break;
            h.Update(buf.data(), static_cast<std::size_t>(n));
            size += n;
            if (out) out->write(buf.data(), n);
        }
        if (out && !out->flush()) return Fail(Error::Internal(fmt::format("cannot write {}", name)));
        UNYO_TRY_VOID(fn(name, size, h.Hex()));
    }
    return {};
}

// A path inside the archive that stays inside the target when joined to it.
bool SafeRelative(const std::string& p) {
    if (p.empty() || p.front() == '/') return false;
    for (const auto& part : fs::path(p)) {
        if (part == "..") return false;
    }
    return true;
}

}  // namespace

json::object ToJson(const Manifest& m) {
    json::array files;
    for (const auto& f : m.files) files.push_back(json::object{{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
    json::object out{{"name", m.name},
            {"created_at", FormatRfc3339(m.created_at)},
            {"files", std::move(files)},
            {"bytes", m.bytes},
            {"archive_bytes", m.archive_bytes},
            {"archive_sha256", m.archive_sha256}};
    if (!m.encryption.empty()) {
        out["encryption"] = m.encryption;
        out["key_file"] = m.key_file;
        out["key_id"] = m.key_id;
    }
    return out;
}

Result<Manifest> ManifestFromJson(const json::object& o) {
    Manifest m;
    m.name = StringOf(o, "name");
    const auto at = ParseRfc3339(StringOf(o, "created_at"));
    if (m.name.empty() || !at) return Fail(Error::Invalid("not a backup manifest"));
    m.created_at = *at;
    if (const auto* files = o.if_contains("files"); files && files->is_array()) {
        for (const auto& f : files->as_array()) {
            if (!f.is_object()) continue;
            m.files.push_back({StringOf(f.as_object(), "path"), IntOf(f.as_object(), "size", 0), StringOf(f.as_object(), "sha256")});
        }
    }
    m.bytes = IntOf(o, "bytes", 0);
    m.archive_bytes = IntOf(o, "archive_bytes", 0);
    m.archive_sha256 = StringOf(o, "archive_sha256");
    m.encryption = StringOf(o, "encryption");
    m.key_file = StringOf(o, "key_file");
    m.key_id = StringOf(o, "key_id");
    return m;
}

Result<CreateOptions> CreateOptionsFromJson(const json::object& spec) {
    CreateOptions o;
    FieldReader f(spec);
    f.AllowOnly({"name", "sources", "destination", "copies", "generations", "encrypt", "remote"});
    o.name = f.RequiredString("name", 64);
    if (!o.name.empty() && !ValidName(o.name)) f.AddError("name", "use 1–64 letters, digits, _ or -");
    const auto absolute = [&](const std::string& field, const std::string& p) {
        if (p.empty() || p.front() != '/') f.AddError(field, "must be an absolute path");
        return fs::path(p);
    };
    o.destination = absolute("destination", f.RequiredString("destination", 1000));
    for (const auto& c : f.OptionalStrings("copies").value_or(std::vector<std::string>{})) {
        o.copies.push_back(absolute("copies", c));
    }
    if (auto g = f.OptionalInt("generations", 1, 1000)) o.generations = static_cast<int>(*g);
    static const json::object kNone;
    if (const auto* enc = spec.if_contains("encrypt")) {
        FieldReader ef(enc->is_object() ? enc->as_object() : kNone);
        if (!enc->is_object()) ef.AddError("key_file", "give encrypt: {key_file}");
        ef.AllowOnly({"key_file"});
        o.key_file = ef.RequiredString("key_file", 1000);
        if (!o.key_file.empty() && !o.key_file.is_absolute()) ef.AddError("key_file", "must be an absolute path");
        if (auto done = ef.Finish(); !done) f.AddErrors("encrypt", done.error());
    }
    if (const auto* remote = spec.if_contains("remote")) {
        FieldReader rf(remote->is_object() ? remote->as_object() : kNone);
        rf.AllowOnly(transfer::EndpointMembersAnd());
        auto e = transfer::DirectoryFromJson(rf);
        if (auto done = rf.Finish(); !done) {
            f.AddErrors("remote", done.error());
        } else {
            o.remote = std::move(e);
        }
    }
    const auto* sources = spec.if_contains("sources");
    if (!sources || !sources->is_array() || sources->as_array().empty()) {
        f.AddError("sources", "give at least one {path, as?}");
    } else {
        for (std::size_t i = 0; i < sources->as_array().size(); ++i) {
            const auto& s = sources->as_array()[i];
            const std::string at = fmt::format("sources[{}]", i);
            if (s.is_object() && s.as_object().contains("command")) {
                FieldReader sf(s.as_object());
                sf.AllowOnly({"command", "as"});
                Source src;
                src.command = sf.OptionalStrings("command").value_or(std::vector<std::string>{});
                if (src.command.empty() || src.command.front().empty()) sf.AddError("command", "give the program and its arguments, e.g. [\"pg_dump\", \"juki\"]");
                src.as = sf.RequiredString("as", 200);
                if (!src.as.empty() && (src.as.front() == '/' || src.as.find("..") != std::string::npos)) {
                    sf.AddError("as", "must be a relative name without ..");
                }
                if (auto done = sf.Finish(); !done) f.AddErrors(at, done.error());
                o.sources.push_back(std::move(src));
                continue;
            }
            if (!s.is_object() || !s.as_object().contains("path") || !s.as_object().at("path").is_string()) {
                f.AddError(at + ".path", "is required: an absolute path");
                continue;
            }
            const auto path = absolute(at + ".path", StringOf(s.as_object(), "path"));
            std::string as = StringOf(s.as_object(), "as", path.filename().string());
            if (as.empty() || as.front() == '/' || as.find("..") != std::string::npos) {
                f.AddError(at + ".as", "must be a relative name without ..");
            }
            o.sources.push_back({path, std::move(as)});
        }
    }
    UNYO_TRY_VOID(f.Finish());
    return o;
}

Result<Generation> Create(const CreateOptions& o, Millis now) {
    if (!ValidName(o.name)) return Fail(Error::Field("name", "use 1–64 letters, digits, _ or -"));
    if (o.generations < 1 || o.generations > 1000) return Fail(Error::Field("generations", "must be 1–1000"));
    auto files = UNYO_TRY(Collect(o.sources));
    std::optional<Key> key;
    if (!o.key_file.empty()) key = UNYO_TRY(ReadKey(o.key_file));
    std::error_code ec;
    fs::create_directories(o.destination, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot create {}: {}", o.destination.string(), ec.message())));
    // The name sorts as time does.
    const std::string stem = fmt::format("{}-{}", o.name, FormatCompactUtc(now, true));
    const fs::path final_path = o.destination / (stem + std::string(key ? kEncryptedSuffix : kPlainSuffix));
    const fs::path tmp = o.destination / (stem + ".tar.zst.partial");
    // Commands' output, spooled beside (the archive needs each size first); removed at the end.
    std::vector<fs::path> spooled;
    struct Cleanup {
        std::vector<fs::path>& paths;
        ~Cleanup() {
            std::error_code e;
            for (const auto& p : paths) fs::remove(p, e);
        }
    } cleanup{spooled};
    for (std::size_t i = 0; i < o.sources.size(); ++i) {
        if (o.sources[i].command.empty()) continue;
        spooled.push_back(o.destination / fmt::format(".{}.source{}.partial", stem, i));
        UNYO_TRY_VOID(RunInto(o.sources[i].command, spooled.back(), fmt::format("sources[{}].command", i)));
        files.emplace_back(spooled.back(), o.sources[i].as);
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    Manifest m;
    m.name = o.name;
    m.created_at = now;
    {
        ArchivePtr a(archive_write_new(), archive_write_free);
        archive_write_add_filter_zstd(a.get());
        archive_write_set_filter_option(a.get(), "zstd", "compression-level", std::to_string(o.zstd_level).c_str());
        archive_write_set_format_pax_restricted(a.get());
        // Names are UTF-8 already: stored as they are, whatever the process's locale.
        archive_write_set_format_option(a.get(), "pax", "hdrcharset", "BINARY");
        if (archive_write_open_filename(a.get(), tmp.c_str()) != ARCHIVE_OK) {
            return Fail(Error::Internal(fmt::format("cannot write {}: {}", tmp.string(), ArchiveError(a.get()))));
        }
        const auto fail = [&](const Error& e) {
            archive_write_close(a.get());
            fs::remove(tmp, ec);
            return Fail(e);
        };
        for (const auto& [from, as] : files) {
            std::error_code mec;
            const auto ft = fs::last_write_time(from, mec);
            const Millis mtime = mec ? now
                                     : std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::file_clock::to_sys(ft).time_since_epoch())
                                           .count();
            auto entry = AddEntry(a.get(), as, &from, nullptr, mtime);
            if (!entry) return fail(entry.error());
            m.bytes += entry->size;
            m.files.push_back(std::move(*entry));
        }
        const std::string inner = json::serialize(ToJson(m));
        if (auto entry = AddEntry(a.get(), kManifestEntry, nullptr, &inner, now); !entry) return fail(entry.error());
        if (archive_write_close(a.get()) != ARCHIVE_OK) return fail(Error::Internal(ArchiveError(a.get())));
    }
    if (key) {
        // The plain archive is not left behind: encrypted into place, then removed.
        spooled.push_back(tmp);
        const fs::path sealed = final_path.string() + ".partial";
        spooled.push_back(sealed);
        UNYO_TRY_VOID(EncryptFile(tmp, sealed, *key));
        fs::rename(sealed, final_path, ec);
        if (ec) return Fail(Error::Internal(fmt::format("cannot write {}: {}", final_path.string(), ec.message())));
        m.encryption = kCipher;
        m.key_file = o.key_file.string();
        m.key_id = KeyId(*key);
        sodium_memzero(key->data(), key->size());
    } else {
        fs::rename(tmp, final_path, ec);
    }
    m.archive_sha256 = UNYO_TRY(FileSha256(final_path, &m.archive_bytes));
    if (ec) return Fail(Error::Internal(fmt::format("cannot write {}: {}", final_path.string(), ec.message())));
    UNYO_TRY_VOID(WriteText(SidecarOf(final_path), json::serialize(ToJson(m)) + "\n"));
    Prune(o.destination, o.name, o.generations);
    for (const auto& copy : o.copies) {
        fs::create_directories(copy, ec);
        const fs::path to = copy / final_path.filename();
        fs::copy_file(final_path, to.string() + ".partial", fs::copy_options::overwrite_existing, ec);
        if (!ec) fs::rename(to.string() + ".partial", to, ec);
        if (ec) return Fail(Error::Internal(fmt::format("cannot copy the backup to {}: {}", copy.string(), ec.message())));
        UNYO_TRY_VOID(WriteText(SidecarOf(to), json::serialize(ToJson(m)) + "\n"));
        Prune(copy, o.name, o.generations);
    }
    if (o.remote) {
        if (auto sent = CopyRemote(*o.remote, final_path, o.name, o.generations); !sent) {
            return Fail(Error::Internal(fmt::format("the generation {} is made, but its remote copy failed: {}",
                                                    final_path.filename().string(), sent.error().message)));
        }
    }
    return Generation{final_path, std::move(m)};
}

Result<std::vector<Generation>> List(const fs::path& dir, const std::string& name) {
    std::vector<Generation> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return out;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto file = e.path().filename().string();
        if (!ArchiveName(file)) continue;
        if (!name.empty() && !file.starts_with(name + "-")) continue;
        auto m = ReadSidecar(e.path());
        if (!m || (!name.empty() && m->name != name)) continue;  // a copy in progress, or not ours
        out.push_back({e.path(), std::move(*m)});
    }
    std::sort(out.begin(), out.end(), [](const Generation& a, const Generation& b) {
        return a.manifest.created_at > b.manifest.created_at;
    });
    return out;
}

VerifyResult Verify(const fs::path& archive_path, const fs::path& key_file) {
    VerifyResult v;
    const auto manifest = ReadSidecar(archive_path);
    if (!manifest) {
        v.problems.push_back(fmt::format("{}: the manifest beside the archive is missing or unreadable",
                                         SidecarOf(archive_path).filename().string()));
        return v;
    }
    std::int64_t size = 0;
    if (auto sum = FileSha256(archive_path, &size); !sum) {
        v.problems.push_back(sum.error().message);
        return v;
    } else if (*sum != manifest->archive_sha256) {
        v.problems.push_back(fmt::format("the archive's SHA-256 is {}, the manifest says {}", *sum, manifest->archive_sha256));
    }
    Plain plain;
    const auto readable = plain.Open(archive_path, *manifest, key_file);
    if (!readable) {
        v.problems.push_back(readable.error().message);
        return v;
    }
    std::map<std::string, const FileEntry*> expected;
    for (const auto& f : manifest->files) expected[f.path] = &f;
    const auto read = ReadEntries(
        *readable,
        [&](const std::string& path, std::int64_t n, const std::string& sha) -> Result<void> {
            if (path == kManifestEntry) return {};
            const auto it = expected.find(path);
            if (it == expected.end()) {
                v.problems.push_back(fmt::format("{}: not in the manifest", path));
                return {};
            }
            if (it->second->size != n || it->second->sha256 != sha) {
                v.problems.push_back(fmt::format("{}: {} bytes SHA-256 {}, the manifest says {} bytes {}", path, n, sha,
                                                 it->second->size, it->second->sha256));
            }
            ++v.files;
            v.bytes += n;
            expected.erase(it);
            return {};
        },
        nullptr);
    if (!read) v.problems.push_back(read.error().message);
    for (const auto& [path, f] : expected) v.problems.push_back(fmt::format("{}: missing from the archive", path));
    v.ok = v.problems.empty();
    return v;
}

Result<Manifest> Restore(const fs::path& archive_path, const fs::path& target, bool overwrite, const fs::path& key_file) {
    std::error_code ec;
    if (fs::exists(target, ec) && !fs::is_empty(target, ec) && !overwrite) {
        return Fail(Error::Field("target", fmt::format("{} is not empty; restoring over existing data needs overwrite",
                                                      target.string()),
                                 ErrorCode::kConflict));
    }
    const auto v = Verify(archive_path, key_file);
    if (!v.ok) return Fail(Error::Invalid(fmt::format("the backup does not verify: {}", v.problems.front())));
    Manifest m = UNYO_TRY(ReadSidecar(archive_path));
    Plain plain;
    const fs::path readable = UNYO_TRY(plain.Open(archive_path, m, key_file));
    std::map<std::string, const FileEntry*> expected;
    for (const auto& f : m.files) expected[f.path] = &f;
    fs::create_directories(target, ec);
    // Each file is written beside its place and moved there once its checksum matched.
    const auto partial = [&](const std::string& path) { return fs::path(target / fs::path(path)).string() + ".partial"; };
    const Sink sink = [&](const std::string& path) -> Result<std::unique_ptr<std::ofstream>> {
        if (!SafeRelative(path) || !expected.contains(path)) {
            return Fail(Error::Invalid(fmt::format("{}: not a path this backup may write", path)));
        }
        fs::create_directories(fs::path(partial(path)).parent_path());
        auto out = std::make_unique<std::ofstream>(partial(path), std::ios::binary | std::ios::trunc);
        if (!*out) return Fail(Error::Internal(fmt::format("cannot write {}", partial(path))));
        return out;
    };
    UNYO_TRY_VOID(ReadEntries(
        readable,
        [&](const std::string& path, std::int64_t n, const std::string& sha) -> Result<void> {
            if (path == kManifestEntry) return {};
            const auto* want = expected.at(path);
            if (want->size != n || want->sha256 != sha) {
                fs::remove(partial(path), ec);
                return Fail(Error::Invalid(fmt::format("{}: does not match its manifest entry", path)));
            }
            fs::rename(partial(path), target / fs::path(path), ec);
            if (ec) return Fail(Error::Internal(fmt::format("cannot write {}: {}", path, ec.message())));
            return {};
        },
        sink));
    return m;
}

}  // namespace unyo::backup
