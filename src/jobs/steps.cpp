#include "jobs/steps.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "transfer/transfer.hpp"

namespace unyo::jobs {
namespace {

namespace fs = std::filesystem;
const std::vector<std::string> kMethods{"GET", "POST", "PUT", "DELETE", "HEAD"};

std::size_t Keep(char* p, std::size_t size, std::size_t n, void* user) {
    auto* out = static_cast<std::string*>(user);
    if (out->size() < 4096) out->append(p, std::min(size * n, 4096 - out->size()));
    return size * n;
}

int Http(const json::object& spec) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return 2;
    const std::string url = StringOf(spec, "url"), method = StringOf(spec, "method", "GET"),
                      body = StringOf(spec, "body");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
    if (const auto* h = spec.if_contains("headers"); h && h->is_object()) {
        for (const auto& [k, v] : h->as_object()) {
            if (v.is_string()) {
                headers.reset(curl_slist_append(headers.release(),
                                                fmt::format("{}: {}", std::string_view(k), std::string_view(v.as_string())).c_str()));
            }
        }
    }
    std::string answer;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "HEAD") curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
    if (!body.empty()) {
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    if (headers) curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Keep);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, IntOf(spec, "timeout_s", 60) * 1000L);
    const CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK) {
        std::printf("%s %s: %s\n", method.c_str(), url.c_str(), error[0] ? error : curl_easy_strerror(rc));
        return 1;
    }
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    bool expected = status >= 200 && status < 300;
    if (const auto* e = spec.if_contains("expect"); e && e->is_array()) {
        expected = std::any_of(e->as_array().begin(), e->as_array().end(),
                               [&](const json::value& v) { return v.is_int64() && v.as_int64() == status; });
    }
    std::printf("%s %s: %ld (%s)\n%s\n", method.c_str(), url.c_str(), status, expected ? "expected" : "NOT expected",
                answer.c_str());
    return expected ? 0 : 1;
}

int FileWait(const json::object& spec) {
    const fs::path path = StringOf(spec, "path");
    const auto stable = std::chrono::seconds(IntOf(spec, "stable_s", 5));
    const auto poll = std::chrono::seconds(std::max<std::int64_t>(1, IntOf(spec, "poll_s", 1)));
    std::printf("waiting for %s (unchanged for %lld s)\n", path.c_str(), static_cast<long long>(stable.count()));
    std::fflush(stdout);
    std::uintmax_t last_size = 0;
    auto since = std::chrono::steady_clock::now();
    bool seen = false;
    for (;;) {
        std::error_code ec;
        const auto size = fs::file_size(path, ec);
        const auto now = std::chrono::steady_clock::now();
        if (ec) {
            seen = false;
        } else if (!seen || size != last_size) {
            seen = true;
            last_size = size;
            since = now;
        }
        if (seen && now - since >= stable) {
            std::printf("%s is there: %ju bytes\n", path.c_str(), last_size);
            return 0;
        }
        std::this_thread::sleep_for(poll);
    }
}

// file_transfer: the endpoint and what to do; `out` gets the parts (null: only checked).
struct TransferSpec {
    transfer::Endpoint endpoint;
    bool put = true;
    std::string local;
    bool resume = true, sidecar = false, verify = false;
    std::string sha256;
};

Result<TransferSpec> ReadTransfer(const json::object& spec) {
    FieldReader f(spec);
    f.AllowOnly(transfer::EndpointMembersAnd({"direction", "local", "resume", "sidecar", "verify", "sha256"}));
    TransferSpec t;
    t.endpoint = transfer::EndpointFromJson(f);
    const auto dir = f.RequiredString("direction", 10);
    if (!dir.empty() && dir != "put" && dir != "get") f.AddError("direction", "must be put (send) or get (fetch)");
    t.put = dir != "get";
    t.local = f.RequiredString("local", 1000);
    if (!t.local.empty() && t.local.front() != '/') f.AddError("local", "must be an absolute path");
    if (!t.endpoint.url.empty() && t.endpoint.url.back() == '/') f.AddError("url", "must name a file, not a directory");
    t.resume = f.OptionalBool("resume").value_or(true);
    t.sidecar = f.OptionalBool("sidecar").value_or(false);
    t.verify = f.OptionalBool("verify").value_or(false);
    t.sha256 = f.OptionalString("sha256", 64).value_or("");
    if (!t.sha256.empty() && (t.sha256.size() != 64 || t.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
        f.AddError("sha256", "must be 64 lower-case hex digits");
    }
    if (t.put && !t.sha256.empty()) f.AddError("sha256", "is for get: the SHA-256 the fetched file must have");
    if (!t.put && t.verify) f.AddError("verify", "is for put: read the upload back and compare");
    UNYO_TRY_VOID(f.Finish());
    return t;
}

int FileTransfer(const json::object& spec) {
    auto t = ReadTransfer(spec);
    if (!t) return 2;
    const std::string what = t->put ? fmt::format("PUT {} → {}", t->local, t->endpoint.url)
                                    : fmt::format("GET {} → {}", t->endpoint.url, t->local);
    std::printf("%s\n", what.c_str());
    std::fflush(stdout);
    auto done = t->put ? transfer::Put(t->endpoint, t->local, {t->resume, t->sidecar, t->verify})
                       : transfer::Get(t->endpoint, t->local, {t->resume, t->sidecar, t->sha256});
    if (!done) {
        std::printf("失敗: %s\n", done.error().message.c_str());
        return 1;
    }
    std::printf("%lld バイト%s, SHA-256 %s%s\n", static_cast<long long>(done->bytes),
                done->resumed_from > 0 ? fmt::format(" ({} バイト目から再開)", done->resumed_from).c_str() : "",
                done->sha256.c_str(),
                t->verify || t->sidecar || !t->sha256.empty() ? " (照合済み)" : "");
    return 0;
}

}  // namespace

Result<void> CheckStepSpec(const std::string& type, const json::object& spec) {
    FieldReader f(spec);
    if (type == "http") {
        f.AllowOnly({"url", "method", "body", "headers", "expect", "timeout_s"});
        const auto url = f.RequiredString("url", 2000);
        if (!url.empty() && !url.starts_with("http://") && !url.starts_with("https://")) {
            f.AddError("url", "must start with http:// or https://");
        }
        if (auto m = f.OptionalString("method", 10); m && std::find(kMethods.begin(), kMethods.end(), *m) == kMethods.end()) {
            f.AddError("method", "must be GET, POST, PUT, DELETE or HEAD");
        }
        f.OptionalString("body", 100000);
        if (const auto* h = spec.if_contains("headers");
            h && !(h->is_object() && std::all_of(h->as_object().begin(), h->as_object().end(),
                                                 [](const auto& kv) { return kv.value().is_string(); }))) {
            f.AddError("headers", "must be an object of name: value");
        }
        if (const auto* e = spec.if_contains("expect");
            e && !(e->is_array() && !e->as_array().empty() &&
                   std::all_of(e->as_array().begin(), e->as_array().end(), [](const json::value& v) {
                       return v.is_int64() && v.as_int64() >= 100 && v.as_int64() <= 599;
                   }))) {
            f.AddError("expect", "must be a list of HTTP statuses");
        }
        f.OptionalInt("timeout_s", 1, 3600);
    } else if (type == "file_transfer") {
        return ReadTransfer(spec).transform([](const TransferSpec&) {});
    } else {
        f.AllowOnly({"path", "stable_s", "poll_s"});
        const auto path = f.RequiredString("path", 1000);
        if (!path.empty() && path.front() != '/') f.AddError("path", "must be an absolute path");
        f.OptionalInt("stable_s", 0, 3600);
        f.OptionalInt("poll_s", 1, 600);
    }
    return f.Finish();
}

int RunStep(const std::string& type, const json::object& spec) {
    if (auto ok = CheckStepSpec(type, spec); !ok) {
        std::printf("%s\n", ok.error().message.c_str());
        return 2;
    }
    if (type == "file_transfer") return FileTransfer(spec);
    return type == "http" ? Http(spec) : FileWait(spec);
}

}  // namespace unyo::jobs
