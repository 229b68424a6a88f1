#include "transfer/transfer.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/upload_buffer.hpp"

namespace unyo::transfer {
namespace {

namespace fs = std::filesystem;
using Curl = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Slist = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;
using File = std::unique_ptr<FILE, decltype(&std::fclose)>;

Error Unavailable(std::string message) { return {ErrorCode::kUnavailable, std::move(message), {}}; }

bool IsSftp(const Endpoint& e) { return e.url.starts_with("sftp://"); }

// The decoded path of a URL ("/dir/file"), for the commands that name files on the server.
std::string UrlPath(const std::string& url) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
    char* path = nullptr;
    if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
        curl_url_get(u.get(), CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK) {
        return {};
    }
    std::string out(path);
    curl_free(path);
    return out;
}

std::string BaseName(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A connection to `url` with the endpoint's credentials and checks.
Result<Curl> Open(const Endpoint& e, const std::string& url, char* error) {
    Curl c(curl_easy_init(), curl_easy_cleanup);
    if (!c) return Fail(Error::Internal("libcurl could not start"));
    curl_easy_setopt(c.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(c.get(), CURLOPT_PROTOCOLS_STR, "sftp,ftp,ftps");
    curl_easy_setopt(c.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c.get(), CURLOPT_CONNECTTIMEOUT, static_cast<long>(e.connect_timeout_s));
    // A stalled transfer (under 1 byte/s for a minute) fails; the job's timeout bounds the rest.
    curl_easy_setopt(c.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c.get(), CURLOPT_LOW_SPEED_TIME, 60L);
    if (!e.user.empty()) curl_easy_setopt(c.get(), CURLOPT_USERNAME, e.user.c_str());
    if (!e.password_file.empty()) {
        std::ifstream in(e.password_file);
        std::string password;
        if (!in || !std::getline(in, password)) {
            return Fail(Error::Field("password_file", fmt::format("cannot read {}", e.password_file.string())));
        }
        if (!password.empty() && password.back() == '\r') password.pop_back();
        curl_easy_setopt(c.get(), CURLOPT_PASSWORD, password.c_str());  // copied by libcurl
    }
    if (IsSftp(e)) {
        if (!e.private_key.empty()) curl_easy_setopt(c.get(), CURLOPT_SSH_PRIVATE_KEYFILE, e.private_key.c_str());
        if (!e.known_hosts.empty()) curl_easy_setopt(c.get(), CURLOPT_SSH_KNOWNHOSTS, e.known_hosts.c_str());
        if (!e.host_key_sha256.empty()) {
            curl_easy_setopt(c.get(), CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256, e.host_key_sha256.c_str());
        }
        curl_easy_setopt(c.get(), CURLOPT_SSH_AUTH_TYPES,
                         e.private_key.empty() ? CURLSSH_AUTH_PASSWORD : CURLSSH_AUTH_PUBLICKEY);
    } else {
        if (e.tls || e.url.starts_with("ftps://")) curl_easy_setopt(c.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        if (!e.ca_file.empty()) curl_easy_setopt(c.get(), CURLOPT_CAINFO, e.ca_file.c_str());
    }
    if (e.create_dirs) curl_easy_setopt(c.get(), CURLOPT_FTP_CREATE_MISSING_DIRS, static_cast<long>(CURLFTP_CREATE_DIR_RETRY));
    return c;
}

Result<void> Perform(CURL* c, const char* error, std::string_view what) {
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return {};
    const std::string why = error[0] ? error : curl_easy_strerror(rc);
    const auto code = rc == CURLE_REMOTE_FILE_NOT_FOUND ? ErrorCode::kNotFound : ErrorCode::kUnavailable;
    return Fail({code, fmt::format("{}: {}", what, why), {}});
}

std::size_t WriteFile(char* p, std::size_t size, std::size_t n, void* user) {
    return std::fwrite(p, size, n, static_cast<FILE*>(user)) * size;
}

std::size_t HashSink(char* p, std::size_t size, std::size_t n, void* user) {
    static_cast<Sha256*>(user)->Update(p, size * n);
    return size * n;
}

std::size_t TextSink(char* p, std::size_t size, std::size_t n, void* user) {
    auto* out = static_cast<std::string*>(user);
    if (out->size() + size * n > 1024 * 1024) return 0;  // a listing or a checksum file, not data
    out->append(p, size * n);
    return size * n;
}

std::size_t ReadFile(char* p, std::size_t size, std::size_t n, void* user) {
    return std::fread(p, size, n, static_cast<FILE*>(user));
}

int SeekFile(void* user, curl_off_t offset, int origin) {
    return fseeko(static_cast<FILE*>(user), offset, origin) == 0 ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL;
}


// The size of the remote file `url`, or -1 when it is not there.
Result<std::int64_t> RemoteSize(const Endpoint& e, const std::string& url) {
    char error[CURL_ERROR_SIZE] = {};
    auto c = UNYO_TRY(Open(e, url, error));
    curl_easy_setopt(c.get(), CURLOPT_NOBODY, 1L);
    std::string ignored;  // FTP answers a size query with header-like lines
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, TextSink);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &ignored);
    const CURLcode rc = curl_easy_perform(c.get());
    if (rc == CURLE_REMOTE_FILE_NOT_FOUND) return std::int64_t{-1};
    if (rc != CURLE_OK) return Fail(Unavailable(fmt::format("{}: {}", url, error[0] ? error : curl_easy_strerror(rc))));
    curl_off_t size = -1;
    curl_easy_getinfo(c.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
    return static_cast<std::int64_t>(size);
}

// Commands run on the server after (or instead of) a transfer: rename, remove.
Slist Commands(const Endpoint& e, const std::vector<std::pair<std::string, std::vector<std::string>>>& steps) {
    Slist list(nullptr, curl_slist_free_all);
    for (const auto& [verb, args] : steps) {
        std::string line = verb;
        for (const auto& a : args) line += (IsSftp(e) ? " \"" + a + "\"" : " " + a);
        list.reset(curl_slist_append(list.release(), line.c_str()));
    }
    return list;
}

// The name a command uses for `url`: the absolute path on SFTP, the name in the directory on
// FTP (libcurl changes into the URL's directory first).
std::string CommandName(const Endpoint& e, const std::string& url) {
    const std::string path = UrlPath(url);
    return IsSftp(e) ? path : BaseName(path);
}

// The directory URL of a file URL (up to its last '/').
std::string DirOf(const std::string& url) { return url.substr(0, url.rfind('/') + 1); }

// Runs `commands` on the server in the directory of `e.url`.
Result<void> RunCommands(const Endpoint& e, const Slist& commands) {
    char error[CURL_ERROR_SIZE] = {};
    auto c = UNYO_TRY(Open(e, DirOf(e.url), error));
    std::string ignored;
    curl_easy_setopt(c.get(), CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, TextSink);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &ignored);
    curl_easy_setopt(c.get(), CURLOPT_QUOTE, commands.get());
    return Perform(c.get(), error, "on " + DirOf(e.url));
}

Result<std::string> RemoteSha256(const Endpoint& e, const std::string& url) {
    char error[CURL_ERROR_SIZE] = {};
    auto c = UNYO_TRY(Open(e, url, error));
    Sha256 h;
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, HashSink);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &h);
    UNYO_TRY_VOID(Perform(c.get(), error, "reading back " + url));
    return h.Hex();
}

Result<std::string> RemoteText(const Endpoint& e, const std::string& url) {
    char error[CURL_ERROR_SIZE] = {};
    auto c = UNYO_TRY(Open(e, url, error));
    std::string out;
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, TextSink);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &out);
    UNYO_TRY_VOID(Perform(c.get(), error, url));
    return out;
}

bool Hex64(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::vector<std::string_view> EndpointMembersAnd(std::initializer_list<std::string_view> also) {
    std::vector<std::string_view> out{"url",         "user",            "password_file", "private_key", "known_hosts",
                                      "host_key_sha256", "tls",         "ca_file",       "create_dirs"};
    out.insert(out.end(), also.begin(), also.end());
    return out;
}

Endpoint DirectoryFromJson(FieldReader& f) {
    Endpoint e = EndpointFromJson(f);
    if (!e.url.empty() && e.url.back() != '/') f.AddError("url", "must be a directory, ending in /");
    return e;
}

Endpoint EndpointFromJson(FieldReader& f) {
    Endpoint e;
    e.url = f.RequiredString("url", 2000);
    const bool sftp = e.url.starts_with("sftp://");
    if (!e.url.empty() && !sftp && !e.url.starts_with("ftp://") && !e.url.starts_with("ftps://")) {
        f.AddError("url", "must start with sftp://, ftps:// or ftp://");
    }
    e.user = f.OptionalString("user", 200).value_or("");
    const auto path = [&](std::string_view name) -> fs::path {
        auto v = f.OptionalString(name, 1000).value_or("");
        if (!v.empty() && v.front() != '/') f.AddError(std::string(name), "must be an absolute path");
        return v;
    };
    e.password_file = path("password_file");
    e.private_key = path("private_key");
    e.known_hosts = path("known_hosts");
    e.ca_file = path("ca_file");
    e.host_key_sha256 = f.OptionalString("host_key_sha256", 100).value_or("");
    if (e.host_key_sha256.starts_with("SHA256:")) e.host_key_sha256.erase(0, 7);
    e.tls = f.OptionalBool("tls").value_or(false);
    e.create_dirs = f.OptionalBool("create_dirs").value_or(false);
    if (sftp) {
        if (e.known_hosts.empty() && e.host_key_sha256.empty()) {
            f.AddError("known_hosts", "SFTP needs the server's host key: known_hosts (a file) or host_key_sha256");
        }
        if (e.private_key.empty() && e.password_file.empty()) {
            f.AddError("private_key", "SFTP needs private_key (an SSH key file) or password_file");
        }
        if (e.tls) f.AddError("tls", "is for ftp:// only");
    }
    return e;
}

Endpoint At(const Endpoint& e, const std::string& name) {
    Endpoint out = e;
    std::unique_ptr<char, decltype(&curl_free)> escaped(curl_easy_escape(nullptr, name.c_str(), static_cast<int>(name.size())),
                                                         curl_free);
    out.url = e.url + (escaped ? escaped.get() : name);
    return out;
}

Result<Outcome> Put(const Endpoint& e, const fs::path& local, const PutOptions& o) {
    Outcome out;
    out.sha256 = UNYO_TRY(FileSha256(local, &out.bytes));
    const std::string part = e.url + ".part";
    if (o.resume) {
        const auto there = UNYO_TRY(RemoteSize(e, part));
        if (there > 0 && there <= out.bytes) out.resumed_from = there;
    }
    File in(std::fopen(local.c_str(), "rb"), std::fclose);
    if (!in) return Fail(Error::NotFound(fmt::format("cannot read {}", local.string())));
    char error[CURL_ERROR_SIZE] = {};
    auto c = UNYO_TRY(Open(e, part, error));
    curl_easy_setopt(c.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c.get(), CURLOPT_READFUNCTION, ReadFile);
    curl_easy_setopt(c.get(), CURLOPT_READDATA, in.get());
    curl_easy_setopt(c.get(), CURLOPT_SEEKFUNCTION, SeekFile);
    curl_easy_setopt(c.get(), CURLOPT_SEEKDATA, in.get());
    curl_easy_setopt(c.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(out.bytes));
    if (out.resumed_from > 0) curl_easy_setopt(c.get(), CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(out.resumed_from));
    UNYO_TRY_VOID(Perform(c.get(), error, "sending to " + e.url));
    // A resumed upload trusts what was there: the part is read back whole before it becomes the
    // file, and one that is not this file is removed (the next try starts afresh).
    const std::string from = CommandName(e, part), to = CommandName(e, e.url);
    if (o.verify || out.resumed_from > 0) {
        const auto back = UNYO_TRY(RemoteSha256(e, part));
        if (back != out.sha256) {
            (void)RunCommands(e, IsSftp(e) ? Commands(e, {{"rm", {from}}}) : Commands(e, {{"DELE", {from}}}));
            return Fail(Unavailable(fmt::format("{} reads back with SHA-256 {}, sent {}", part, back, out.sha256)));
        }
    }
    // Complete: replace the file by the part ('*': a missing old file is no error).
    UNYO_TRY_VOID(RunCommands(e, IsSftp(e) ? Commands(e, {{"*rm", {to}}, {"rename", {from, to}}})
                                           : Commands(e, {{"*DELE", {to}}, {"RNFR", {from}}, {"RNTO", {to}}})));
    if (o.sidecar) {
        UploadBuffer t{fmt::format("{}  {}\n", out.sha256, BaseName(UrlPath(e.url))), 0};
        char error2[CURL_ERROR_SIZE] = {};
        auto s = UNYO_TRY(Open(e, e.url + ".sha256", error2));
        curl_easy_setopt(s.get(), CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(s.get(), CURLOPT_READFUNCTION, ReadUploadBuffer);
        curl_easy_setopt(s.get(), CURLOPT_READDATA, &t);
        curl_easy_setopt(s.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(t.data.size()));
        UNYO_TRY_VOID(Perform(s.get(), error2, "writing the checksum file " + e.url + ".sha256"));
    }
    return out;
}

Result<Outcome> Get(const Endpoint& e, const fs::path& local, const GetOptions& o) {
    Outcome out;
    const fs::path part = local.string() + ".part";
    std::error_code ec;
    if (o.resume && fs::exists(part, ec)) out.resumed_from = static_cast<std::int64_t>(fs::file_size(part, ec));
    for (int pass = 0; pass < 2; ++pass) {
        File f(std::fopen(part.c_str(), out.resumed_from > 0 ? "ab" : "wb"), std::fclose);
        if (!f) return Fail(Unavailable(fmt::format("cannot write {}", part.string())));
        char error[CURL_ERROR_SIZE] = {};
        auto c = UNYO_TRY(Open(e, e.url, error));
        curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, WriteFile);
        curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, f.get());
        if (out.resumed_from > 0) curl_easy_setopt(c.get(), CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(out.resumed_from));
        const CURLcode rc = curl_easy_perform(c.get());
        if (std::fflush(f.get()) != 0) return Fail(Unavailable(fmt::format("cannot write {}", part.string())));
        if (rc == CURLE_OK) break;
        if (pass == 0 && out.resumed_from > 0 && (rc == CURLE_BAD_DOWNLOAD_RESUME || rc == CURLE_RANGE_ERROR)) {
            out.resumed_from = 0;  // the server cannot go on from there (or the file changed): from the start
            continue;
        }
        const auto code = rc == CURLE_REMOTE_FILE_NOT_FOUND ? ErrorCode::kNotFound : ErrorCode::kUnavailable;
        return Fail({code, fmt::format("fetching {}: {}", e.url, error[0] ? error : curl_easy_strerror(rc)), {}});
    }
    out.sha256 = UNYO_TRY(FileSha256(part, &out.bytes));
    std::string expected = o.expected_sha256;
    if (o.sidecar) {
        const auto text = UNYO_TRY(RemoteText(e, e.url + ".sha256"));
        const std::string hex = text.substr(0, std::min<std::size_t>(64, text.size()));
        if (!Hex64(hex)) return Fail(Unavailable(fmt::format("{}.sha256 holds no SHA-256", e.url)));
        if (!expected.empty() && expected != hex) {
            return Fail(Unavailable(fmt::format("{}.sha256 says {}, but {} was expected", e.url, hex, expected)));
        }
        expected = hex;
    }
    if (!expected.empty() && expected != out.sha256) {
        // Kept for a look, but not where the finished file goes: a rerun fetches it again whole.
        fs::rename(part, local.string() + ".bad", ec);
        return Fail(Unavailable(fmt::format("{} arrived with SHA-256 {}, expected {}", e.url, out.sha256, expected)));
    }
    fs::rename(part, local, ec);
    if (ec) return Fail(Unavailable(fmt::format("cannot move {} to {}: {}", part.string(), local.string(), ec.message())));
    return out;
}

Result<std::vector<std::string>> List(const Endpoint& e) {
    char error[CURL_ERROR_SIZE] = {};
    auto c = UNYO_TRY(Open(e, e.url, error));
    std::string text;
    curl_easy_setopt(c.get(), CURLOPT_DIRLISTONLY, 1L);
    curl_easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, TextSink);
    curl_easy_setopt(c.get(), CURLOPT_WRITEDATA, &text);
    UNYO_TRY_VOID(Perform(c.get(), error, "listing " + e.url));
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string name = text.substr(start, end - start);
        if (!name.empty() && name.back() == '\r') name.pop_back();
        if (!name.empty() && name != "." && name != "..") names.push_back(std::move(name));
        start = end + 1;
    }
    return names;
}

Result<void> Remove(const Endpoint& e, const std::string& name) {
    const Endpoint file = At(e, name);
    return RunCommands(file, IsSftp(e) ? Commands(e, {{"rm", {CommandName(e, file.url)}}}) : Commands(e, {{"DELE", {name}}}));
}

}  // namespace unyo::transfer
