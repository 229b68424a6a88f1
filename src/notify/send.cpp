// Delivery over libcurl: SMTP (UTF-8 mail, base64 body, RFC 2047 subject) and webhooks.
#include <curl/curl.h>
#include <sodium.h>

#include <cstring>
#include <ctime>
#include <memory>

#include <fmt/format.h>

#include "core/upload_buffer.hpp"
#include "notify/outbox.hpp"

namespace unyo::notify {
namespace {

std::string Base64(std::string_view data) {
    std::string out(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}


std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using List = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

Result<void> Perform(CURL* curl) {
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30'000L);
    const CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        return Fail(Error{ErrorCode::kUnavailable, error[0] != '\0' ? std::string(error) : curl_easy_strerror(rc), {}});
    }
    return {};
}

Result<void> SendMail(const json::object& cfg, const std::string& subject, const std::string& body,
                      const std::vector<std::string>& recipients) {
    Easy curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Fail(Error::Internal("curl_easy_init failed"));
    const auto port = IntOf(cfg, "port", 25);
    const std::string url = fmt::format("smtp://{}:{}", StringOf(cfg, "host"), port);
    const std::string from = StringOf(cfg, "from");
    List rcpt(nullptr, curl_slist_free_all);
    std::string to_header;
    std::vector<std::string> to = recipients;
    if (to.empty()) {
        if (const auto* list = cfg.if_contains("to"); list && list->is_array()) {
            for (const auto& a : list->as_array()) {
                if (a.is_string()) to.emplace_back(a.as_string());
            }
        }
    }
    for (const auto& address : to) {
        rcpt.reset(curl_slist_append(rcpt.release(), fmt::format("<{}>", address).c_str()));
        to_header += (to_header.empty() ? "" : ", ") + address;
    }
    char date[64];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    std::string encoded = Base64(body);
    std::string wrapped;
    for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
    UploadBuffer upload{fmt::format("Date: {}\r\nFrom: {}\r\nTo: {}\r\nSubject: =?UTF-8?B?{}?=\r\nMIME-Version: 1.0\r\n"
                              "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"
                              "X-Mailer: unyo\r\n\r\n{}",
                              date, from, to_header, Base64(subject), wrapped),
                  0};
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    const std::string mail_from = fmt::format("<{}>", from);
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, ReadUploadBuffer);
    curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
    const auto* tls = cfg.if_contains("starttls");
    if (tls && tls->is_bool() && tls->as_bool()) curl_easy_setopt(curl.get(), CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    const std::string user = StringOf(cfg, "username"), password = StringOf(cfg, "password");
    if (!user.empty()) {
        curl_easy_setopt(curl.get(), CURLOPT_USERNAME, user.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, password.c_str());
    }
    return Perform(curl.get());
}

Result<void> PostWebhook(const json::object& cfg, const std::string& subject, const std::string& body) {
    Easy curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) return Fail(Error::Internal("curl_easy_init failed"));
    const std::string format = StringOf(cfg, "format");
    json::object payload;
    if (format == "slack") {
        payload = {{"text", fmt::format("*{}*\n{}", subject, body)}};
    } else if (format == "teams") {
        payload = {{"@type", "MessageCard"}, {"@context", "https://schema.org/extensions"}, {"summary", subject},
                   {"title", subject}, {"text", body}};
    } else {
        payload = {{"subject", subject}, {"body", body}, {"source", "unyo"}};
    }
    const std::string data = json::serialize(payload);
    const std::string url = StringOf(cfg, "url");
    List headers(curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8"), curl_slist_free_all);
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, data.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(data.size()));
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    UNYO_TRY_VOID(Perform(curl.get()));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) return Fail(Error{ErrorCode::kUnavailable, fmt::format("the webhook answered {}", status), {}});
    return {};
}

}  // namespace

Result<void> Send(const Channel& channel, const std::string& subject, const std::string& body,
                  const std::vector<std::string>& recipients) {
    if (channel.type == "smtp") return SendMail(channel.config, subject, body, recipients);
    if (channel.type == "webhook") return PostWebhook(channel.config, subject, body);
    return Fail(Error::Invalid(fmt::format("unknown channel type {}", channel.type)));
}

}  // namespace unyo::notify
