#include "monitor/net_checks.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <charconv>
#include <chrono>
#include <deque>
#include <fstream>
#include <set>
#include <memory>
#include <random>
#include <variant>

#include <fmt/format.h>

#include "core/time_format.hpp"
#include "monitor/local_checks.hpp"
#include "monitor/protocols.hpp"

namespace unyo::monitor {

using namespace net::experimental::awaitable_operators;
using SteadyClock = std::chrono::steady_clock;
using Deadline = SteadyClock::time_point;
using boost::system::error_code;

namespace {

double MsSince(SteadyClock::time_point start) {
    return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

std::string Why(const error_code& ec) { return ec == net::error::timed_out ? "timeout" : ec.message(); }

CheckResult Done(State s, std::optional<double> value, std::string message, const Clock& clock) {
    return CheckResult{s, value, std::move(message), clock.Now()};
}

bool IsIpAddress(const std::string& host) {
    error_code ec;
    (void)net::ip::make_address(host, ec);
    return !ec;
}

// Runs one asynchronous operation (which yields (error_code, size)) until `deadline`.
awaitable<std::tuple<error_code, std::size_t>> Within(awaitable<std::tuple<error_code, std::size_t>> op,
                                                      Deadline deadline) {
    net::steady_timer timer(co_await net::this_coro::executor, deadline);
    auto r = co_await (std::move(op) || timer.async_wait(kAsTuple));
    if (r.index() == 1) co_return std::tuple{error_code(net::error::timed_out), std::size_t{0}};
    co_return std::get<0>(std::move(r));
}

// `op` (a deferred operation) raced against `timer`, as a parallel group: unlike `||` on
// awaitables it spawns no coroutine. The result's first element says which ended first (1: the timer),
// then come the operation's results and the timer's error.
template <typename Op>
auto RaceTimer(Op&& op, net::steady_timer& timer) {
    return net::experimental::make_parallel_group(std::forward<Op>(op), timer.async_wait(net::deferred))
        .async_wait(net::experimental::wait_for_one(), net::use_awaitable);
}

// Connects to host:port within the deadline; the error says why not.
awaitable<error_code> Connect(net::ip::tcp::socket& socket, const std::string& host, const std::string& port,
                              Deadline deadline) {
    auto ex = co_await net::this_coro::executor;
    net::steady_timer timer(ex, deadline);
    // An address needs no resolver (whose thread costs two switches a check): connect at once.
    error_code literal;
    unsigned short number = 0;
    const auto address = net::ip::make_address(host, literal);
    if (!literal && std::from_chars(port.data(), port.data() + port.size(), number).ec == std::errc{}) {
        auto [order, connected, expired] =
            co_await RaceTimer(socket.async_connect(net::ip::tcp::endpoint(address, number), net::deferred), timer);
        co_return order[0] == 1 ? error_code(net::error::timed_out) : connected;
    }
    net::ip::tcp::resolver resolver(ex);
    auto [resolve_order, rerr, endpoints, resolve_expired] =
        co_await RaceTimer(resolver.async_resolve(host, port, net::deferred), timer);
    if (resolve_order[0] == 1) co_return net::error::timed_out;
    if (rerr) co_return rerr;
    auto [order, connected, endpoint, expired] = co_await RaceTimer(net::async_connect(socket, endpoints, net::deferred), timer);
    co_return order[0] == 1 ? error_code(net::error::timed_out) : connected;
}

std::string PortOf(const Monitor& m, int fallback) { return std::to_string(IntOf(m.target, "port", fallback)); }

Deadline DeadlineOf(const Monitor& m, SteadyClock::time_point start) {
    return start + std::chrono::milliseconds(m.timeout_ms);
}

awaitable<CheckResult> CheckTcp(const Monitor& m, const Clock& clock) {
    const auto start = SteadyClock::now();
    net::ip::tcp::socket socket(co_await net::this_coro::executor);
    const auto host = StringOf(m.target, "host");
    const auto port = PortOf(m, 0);
    const auto ec = co_await Connect(socket, host, port, DeadlineOf(m, start));
    const double ms = MsSince(start);
    if (ec) co_return Done(State::kCritical, std::nullopt, fmt::format("{}:{} に接続できません ({})", host, port, Why(ec)), clock);
    co_return Done(Grade(m, ms), ms, fmt::format("{}:{} 接続 {:.1f} ms", host, port, ms), clock);
}

// --- TLS ---------------------------------------------------------------------------------------

struct TlsOptions {
    bool verify = true;
    std::string ca_file;  // trusted CAs instead of the system's
};

TlsOptions TlsOptionsOf(const Monitor& m) {
    TlsOptions o;
    if (const auto* v = m.target.if_contains("tls_verify"); v && v->is_bool()) o.verify = v->as_bool();
    o.ca_file = StringOf(m.target, "ca_file");
    return o;
}

// The system's trust store, loaded once; a CA file gets a context of its own.
Result<std::shared_ptr<net::ssl::context>> TlsContext(const TlsOptions& o) {
    static const auto system = [] {
        auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
        error_code ignored;
        ctx->set_default_verify_paths(ignored);
        return ctx;
    }();
    if (o.ca_file.empty()) return system;
    auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
    error_code ec;
    ctx->load_verify_file(o.ca_file, ec);
    if (ec) return Fail(Error::Invalid(fmt::format("CA ファイル {} を読めません ({})", o.ca_file, ec.message())));
    return ctx;
}

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Sets the name for SNI and, when verifying, the name the certificate must carry.
void PrepareTls(TlsStream& stream, const std::string& host, bool verify) {
    SSL* ssl = stream.native_handle();
    const bool ip = IsIpAddress(host);
    if (!ip) SSL_set_tlsext_host_name(ssl, host.c_str());
    if (!verify) {
        stream.set_verify_mode(net::ssl::verify_none);
        return;
    }
    stream.set_verify_mode(net::ssl::verify_peer);
    if (ip) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
    } else {
        SSL_set1_host(ssl, host.c_str());
    }
}

std::string HandshakeFailure(TlsStream& stream, const error_code& ec, bool verify) {
    const long v = SSL_get_verify_result(stream.native_handle());
    if (verify && v != X509_V_OK) return fmt::format("証明書を検証できません ({})", X509_verify_cert_error_string(v));
    return fmt::format("TLS ハンドシェイクに失敗しました ({})", Why(ec));
}

// --- http --------------------------------------------------------------------------------------

struct Url {
    bool tls = false;
    std::string host, port, target;
    [[nodiscard]] std::string HostHeader() const {
        const bool default_port = port == (tls ? "443" : "80");
        const auto h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
        return default_port ? h : h + ":" + port;
    }
    [[nodiscard]] std::string Text() const { return fmt::format("{}://{}{}", tls ? "https" : "http", HostHeader(), target); }
};

std::optional<Url> ParseUrl(std::string_view url) {
    Url u;
    if (url.starts_with("https://")) {
        u.tls = true;
        url.remove_prefix(8);
    } else if (url.starts_with("http://")) {
        url.remove_prefix(7);
    } else {
        return std::nullopt;
    }
    const auto slash = url.find_first_of("/?#");
    auto authority = url.substr(0, slash);
    u.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    if (u.target.front() != '/') u.target.insert(0, "/");
    if (const auto hash = u.target.find('#'); hash != std::string::npos) u.target.resize(hash);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    u.port = u.tls ? "443" : "80";
    if (authority.starts_with("[")) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        u.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size() && authority[close + 1] == ':') u.port = std::string(authority.substr(close + 2));
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        u.host = std::string(authority.substr(0, colon));
        u.port = std::string(authority.substr(colon + 1));
    } else {
        u.host = std::string(authority);
    }
    if (u.host.empty() || u.port.empty()) return std::nullopt;
    return u;
}

// A path with its "." and ".." segments removed (RFC 3986 §5.2.4), the query kept.
std::string RemoveDotSegments(const std::string& target) {
    const auto q = target.find('?');
    const std::string path = target.substr(0, q), query = q == std::string::npos ? "" : target.substr(q);
    std::vector<std::string> segments;
    std::size_t at = 1;
    while (at <= path.size()) {
        const auto slash = path.find('/', at);
        const auto seg = path.substr(at, slash == std::string::npos ? std::string::npos : slash - at);
        if (seg == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (seg != ".") {
            segments.push_back(seg);
        }
        if (slash == std::string::npos) break;
        if (slash + 1 == path.size() && (seg == ".." || seg == ".")) segments.emplace_back();
        at = slash + 1;
    }
    std::string out;
    for (const auto& seg : segments) out += "/" + seg;
    return (out.empty() ? "/" : out) + query;
}

// Where a link or a Location header leads from `base`.
std::optional<Url> Resolve(const Url& base, const std::string& location) {
    if (location.starts_with("http://") || location.starts_with("https://")) return ParseUrl(location);
    if (location.starts_with("//")) return ParseUrl((base.tls ? "https:" : "http:") + location);
    if (const auto colon = location.find(':'); colon != std::string::npos && colon > 0) {  // another scheme (ftp: …)
        const auto scheme = std::string_view(location).substr(0, colon);
        if (std::all_of(scheme.begin(), scheme.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'; })) {
            return std::nullopt;
        }
    }
    Url u = base;
    if (location.starts_with("/")) {
        u.target = location;
    } else if (location.starts_with("?")) {
        u.target = base.target.substr(0, base.target.find('?')) + location;
    } else {
        const auto path = base.target.substr(0, base.target.find('?'));
        u.target = path.substr(0, path.rfind('/') + 1) + location;
    }
    u.target = RemoveDotSegments(u.target);
    return u;
}

struct HttpReply {
    int status = 0;
    std::string location;
    std::string content_type;
    std::string body;
};

template <typename Stream>
awaitable<Result<HttpReply>> Exchange(Stream& stream, const Url& u) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, u.target, 11};
    req.set(bhttp::field::host, u.HostHeader());
    req.set(bhttp::field::user_agent, "unyo-monitor");
    req.set(bhttp::field::connection, "close");
    auto [werr, written] = co_await bhttp::async_write(stream, req, kAsTuple);
    if (werr) co_return Fail(Error::Invalid(werr == beast::error::timeout ? "タイムアウト" : werr.message()));
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(4 * 1024 * 1024);
    auto [rerr, read] = co_await bhttp::async_read(stream, buffer, parser, kAsTuple);
    if (rerr == bhttp::error::body_limit) co_return Fail(Error::Invalid("応答本文が 4 MiB を超えます"));
    if (rerr) co_return Fail(Error::Invalid(rerr == beast::error::timeout ? "応答タイムアウト" : rerr.message()));
    const auto& res = parser.get();
    co_return HttpReply{static_cast<int>(res.result_int()), std::string(res[bhttp::field::location]),
                        std::string(res[bhttp::field::content_type]), res.body()};
}

// One GET of `u` (no redirects), by the deadline; `ctx` gives the trusted CAs for https.
awaitable<Result<HttpReply>> Get(const Url& u, const TlsOptions& tls, net::ssl::context& ctx, Deadline deadline) {
    beast::tcp_stream tcp(co_await net::this_coro::executor);
    if (auto ec = co_await Connect(tcp.socket(), u.host, u.port, deadline)) {
        co_return Fail(Error::Invalid(ec == net::error::timed_out ? "接続タイムアウト" : "接続できません (" + ec.message() + ")"));
    }
    tcp.expires_at(deadline);
    if (!u.tls) co_return co_await Exchange(tcp, u);
    TlsStream stream(std::move(tcp), ctx);
    PrepareTls(stream, u.host, tls.verify);
    auto [herr] = co_await stream.async_handshake(net::ssl::stream_base::client, kAsTuple);
    if (herr) co_return Fail(Error::Invalid(HandshakeFailure(stream, herr, tls.verify)));
    co_return co_await Exchange(stream, u);
}

constexpr int kMaxRedirects = 5;

struct Fetched {
    HttpReply reply;
    Url url;  // where the reply came from, after redirects
};

// GET following redirects (when `follow`), by the deadline.
awaitable<Result<Fetched>> Fetch(Url url, const TlsOptions& tls, net::ssl::context& ctx, Deadline deadline, bool follow) {
    for (int hops = 0;; ++hops) {
        auto got = co_await Get(url, tls, ctx, deadline);
        if (!got) co_return Fail(got.error());
        const bool redirect = got->status >= 300 && got->status < 400 && !got->location.empty();
        if (!redirect || !follow) co_return Fetched{std::move(*got), std::move(url)};
        if (hops == kMaxRedirects) co_return Fail(Error::Invalid(fmt::format("リダイレクトが {} 回を超えます", kMaxRedirects)));
        auto next = Resolve(url, got->location);
        if (!next) co_return Fail(Error::Invalid("リダイレクト先 " + got->location + " を解釈できません"));
        url = std::move(*next);
    }
}

bool Follows(const Monitor& m) {
    const auto* follow = m.target.if_contains("follow_redirects");
    return !(follow && follow->is_bool() && !follow->as_bool());
}

awaitable<CheckResult> CheckHttp(const Monitor& m, const Clock& clock) {
    const auto start = SteadyClock::now();
    const auto url = ParseUrl(StringOf(m.target, "url"));
    if (!url) co_return Done(State::kUnknown, std::nullopt, "URL を解釈できません", clock);
    const auto tls = TlsOptionsOf(m);
    const auto ctx = TlsContext(tls);
    if (!ctx) co_return Done(State::kUnknown, std::nullopt, ctx.error().message, clock);
    auto fail = [&](const std::string& why) {
        return Done(State::kCritical, std::nullopt, fmt::format("{}: {}", url->Text(), why), clock);
    };
    const auto got = co_await Fetch(*url, tls, **ctx, DeadlineOf(m, start), Follows(m));
    if (!got) co_return fail(got.error().message);
    const auto& reply = got->reply;
    const double ms = MsSince(start);
    const auto* expect = m.target.if_contains("expect_status");
    const bool status_ok =
        expect && expect->is_int64() ? reply.status == expect->as_int64() : reply.status >= 200 && reply.status < 400;
    if (!status_ok) co_return fail(fmt::format("HTTP {}", reply.status));
    const auto keyword = StringOf(m.target, "keyword");
    if (!keyword.empty() && reply.body.find(keyword) == std::string::npos) {
        co_return fail(fmt::format("キーワード「{}」がありません", keyword));
    }
    co_return Done(Grade(m, ms), ms, fmt::format("HTTP {} {:.1f} ms", reply.status, ms), clock);
}

// links (MON-3): crawls the site from target.url to target.depth (default 1) and at most
// target.max_pages (default 50) pages of the same origin, and counts the broken ones (HTTP 4xx/5xx
// or unreachable). Without thresholds one broken link warns; the start page failing is critical.
awaitable<CheckResult> CheckLinks(Monitor m, const Clock& clock) {
    const auto start = SteadyClock::now();
    const auto deadline = DeadlineOf(m, start);
    const auto root = ParseUrl(StringOf(m.target, "url"));
    if (!root) co_return Done(State::kUnknown, std::nullopt, "URL を解釈できません", clock);
    const auto depth = IntOf(m.target, "depth", 1);
    const auto max_pages = IntOf(m.target, "max_pages", 50);
    const auto tls = TlsOptionsOf(m);
    const auto ctx = TlsContext(tls);
    if (!ctx) co_return Done(State::kUnknown, std::nullopt, ctx.error().message, clock);
    std::deque<std::pair<Url, std::int64_t>> queue{{*root, 0}};
    std::set<std::string> seen{root->Text()};
    std::vector<std::string> broken;
    std::int64_t checked = 0;
    bool cut = false;
    while (!queue.empty()) {
        if (checked >= max_pages || SteadyClock::now() >= deadline) {
            cut = true;
            break;
        }
        auto [url, level] = std::move(queue.front());
        queue.pop_front();
        ++checked;
        const auto got = co_await Fetch(url, tls, **ctx, deadline, true);
        const auto problem = !got ? std::optional(got.error().message)
                             : got->reply.status >= 400 ? std::optional(fmt::format("HTTP {}", got->reply.status))
                                                        : std::nullopt;
        if (problem && checked == 1) co_return Done(State::kCritical, std::nullopt, fmt::format("{}: {}", url.Text(), *problem), clock);
        if (problem) {
            broken.push_back(fmt::format("{} ({})", url.target, *problem));
            continue;
        }
        if (level >= depth || got->reply.content_type.find("html") == std::string::npos) continue;
        for (const auto& link : ExtractLinks(got->reply.body)) {
            auto next = Resolve(got->url, link);
            if (!next || next->tls != root->tls || next->host != root->host || next->port != root->port) continue;
            if (seen.insert(next->Text()).second) queue.emplace_back(std::move(*next), level + 1);
        }
    }
    const auto tail = cut ? fmt::format(" (上限 {} ページまたは時間で打ち切り)", max_pages) : std::string();
    if (broken.empty()) {
        co_return Done(State::kOk, 0.0, fmt::format("{} ページ確認, 壊れたリンクなし{}", checked, tail), clock);
    }
    if (!m.warning && !m.critical) m.warning = 1;
    const auto shown = std::vector<std::string>(broken.begin(), broken.begin() + std::min<std::ptrdiff_t>(5, std::ssize(broken)));
    co_return Done(Grade(m, static_cast<double>(broken.size())), static_cast<double>(broken.size()),
                   fmt::format("{} ページ確認, 壊れたリンク {} 件: {}{}{}", checked, broken.size(), fmt::join(shown, ", "),
                               broken.size() > shown.size() ? " ほか" : "", tail),
                   clock);
}

// --- tls_cert (SEC-3) --------------------------------------------------------------------------

std::string IssuerOf(X509* cert) {
    X509_NAME* name = X509_get_issuer_name(cert);
    const int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (i >= 0) {
        unsigned char* utf8 = nullptr;
        const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
        if (len >= 0) {
            std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
            OPENSSL_free(utf8);
            return out;
        }
    }
    char buf[256];
    X509_NAME_oneline(name, buf, sizeof buf);
    return buf;
}

std::optional<Millis> NotAfter(X509* cert) {
    std::tm tm{};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return std::nullopt;
    return static_cast<Millis>(timegm(&tm)) * 1000;
}

awaitable<CheckResult> CheckTlsCert(Monitor m, const Clock& clock) {
    const auto start = SteadyClock::now();
    const auto deadline = DeadlineOf(m, start);
    const auto host = StringOf(m.target, "host");
    const auto port = PortOf(m, 443);
    auto name = StringOf(m.target, "server_name");
    if (name.empty()) name = host;
    const auto tls = TlsOptionsOf(m);
    const auto where = fmt::format("{}:{}", host, port);
    const auto ctx = TlsContext(tls);
    if (!ctx) co_return Done(State::kUnknown, std::nullopt, ctx.error().message, clock);
    beast::tcp_stream tcp(co_await net::this_coro::executor);
    if (auto ec = co_await Connect(tcp.socket(), host, port, deadline)) {
        co_return Done(State::kCritical, std::nullopt, fmt::format("{} に接続できません ({})", where, Why(ec)), clock);
    }
    tcp.expires_at(deadline);
    TlsStream stream(std::move(tcp), **ctx);
    SSL* ssl = stream.native_handle();
    if (!IsIpAddress(name)) SSL_set_tlsext_host_name(ssl, name.c_str());
    stream.set_verify_mode(net::ssl::verify_none);  // read the certificate whatever it is; judged below
    auto [herr] = co_await stream.async_handshake(net::ssl::stream_base::client, kAsTuple);
    if (herr) co_return Done(State::kCritical, std::nullopt, fmt::format("{}: {}", where, HandshakeFailure(stream, herr, false)), clock);
    const std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(ssl), X509_free);
    if (!cert) co_return Done(State::kCritical, std::nullopt, where + ": 証明書が提示されません", clock);
    const auto not_after = NotAfter(cert.get());
    if (!not_after) co_return Done(State::kUnknown, std::nullopt, where + ": 証明書の有効期限を読めません", clock);
    const double days = static_cast<double>(*not_after - clock.Now()) / (24.0 * kHourMs);
    const auto facts = fmt::format("期限 {} (残り {:.1f} 日), 発行者 {}", FormatRfc3339(*not_after).substr(0, 10), days,
                                   IssuerOf(cert.get()));
    const bool name_ok = IsIpAddress(name) ? X509_check_ip_asc(cert.get(), name.c_str(), 0) == 1
                                           : X509_check_host(cert.get(), name.data(), name.size(), 0, nullptr) == 1;
    const long verified = SSL_get_verify_result(ssl);
    if (days <= 0) co_return Done(State::kCritical, days, "証明書の期限が切れています: " + facts, clock);
    if (!name_ok) co_return Done(State::kCritical, days, fmt::format("証明書に名前 {} がありません: {}", name, facts), clock);
    if (tls.verify && verified != X509_V_OK) {
        co_return Done(State::kCritical, days,
                         fmt::format("証明書を検証できません ({}): {}", X509_verify_cert_error_string(verified), facts), clock);
    }
    if (!m.warning && !m.critical) {  // days left: 30 warns, 7 is critical unless told otherwise
        m.warning = 30;
        m.critical = 7;
    }
    co_return Done(Grade(m, days), days, "証明書 " + facts, clock);
}

// --- banners and handshakes --------------------------------------------------------------------

// A connection for a greeting or handshake check: where, by when, and the socket; or the result
// that the connection failed.
struct Session {
    SteadyClock::time_point start;
    Deadline deadline;
    std::string host, port;
    net::ip::tcp::socket socket;
    [[nodiscard]] std::string Where(std::string_view label) const { return fmt::format("{} {}:{}", label, host, port); }
};

awaitable<std::variant<Session, CheckResult>> Open(const Monitor& m, const Clock& clock, int default_port,
                                                  std::string_view label) {
    const auto start = SteadyClock::now();
    // co_await outside the braces: inside them the server crashed (g++ 12.2)
    auto ex = co_await net::this_coro::executor;
    Session s{start, DeadlineOf(m, start), StringOf(m.target, "host"), PortOf(m, default_port), net::ip::tcp::socket(ex)};
    if (auto ec = co_await Connect(s.socket, s.host, s.port, s.deadline)) {
        co_return Done(State::kCritical, std::nullopt, fmt::format("{} に接続できません ({})", s.Where(label), Why(ec)), clock);
    }
    co_return std::move(s);
}

// SMTP and FTP: the greeting must be 220 (a multi-line greeting ends with "220 ").
awaitable<CheckResult> CheckBanner(const Monitor& m, const Clock& clock, int default_port, std::string_view label) {
    auto opened = co_await Open(m, clock, default_port, label);
    if (auto* failed = std::get_if<CheckResult>(&opened)) co_return *failed;
    auto& [start, deadline, host, port, socket] = std::get<Session>(opened);
    std::string data, line;
    for (;;) {
        auto [ec, n] = co_await Within(net::async_read_until(socket, net::dynamic_buffer(data, 8192), "\r\n", kAsTuple), deadline);
        if (ec) co_return Done(State::kCritical, std::nullopt, fmt::format("{} {}:{} の応答がありません ({})", label, host, port, Why(ec)), clock);
        line = data.substr(0, n - 2);
        data.erase(0, n);
        if (line.size() < 4 || line[3] != '-') break;
    }
    error_code ignored;
    net::write(socket, net::buffer(std::string_view("QUIT\r\n")), ignored);
    const double ms = MsSince(start);
    if (!line.starts_with("220")) {
        co_return Done(State::kCritical, std::nullopt, fmt::format("{} {}:{} の応答: {}", label, host, port, line.substr(0, 120)), clock);
    }
    co_return Done(Grade(m, ms), ms, fmt::format("{} {:.1f} ms: {}", label, ms, line.substr(0, 120)), clock);
}

// PostgreSQL answers an SSLRequest with one byte, 'S' or 'N', before any authentication.
awaitable<CheckResult> CheckPostgres(const Monitor& m, const Clock& clock) {
    auto opened = co_await Open(m, clock, 5432, "PostgreSQL");
    if (auto* failed = std::get_if<CheckResult>(&opened)) co_return *failed;
    auto& [start, deadline, host, port, socket] = std::get<Session>(opened);
    static constexpr std::uint8_t kSslRequest[] = {0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F};
    char answer = 0;
    auto [werr, w] = co_await Within(net::async_write(socket, net::buffer(kSslRequest), kAsTuple), deadline);
    auto [rerr, r] = werr ? std::tuple{werr, std::size_t{0}}
                          : co_await Within(net::async_read(socket, net::buffer(&answer, 1), kAsTuple), deadline);
    const double ms = MsSince(start);
    if (rerr) co_return Done(State::kCritical, std::nullopt, fmt::format("PostgreSQL {}:{} の応答がありません ({})", host, port, Why(rerr)), clock);
    if (answer != 'S' && answer != 'N') {
        co_return Done(State::kCritical, std::nullopt, fmt::format("{}:{} は PostgreSQL の応答をしません", host, port), clock);
    }
    co_return Done(Grade(m, ms), ms, fmt::format("PostgreSQL 応答 {:.1f} ms (SSL {})", ms, answer == 'S' ? "対応" : "非対応"), clock);
}

// MySQL/MariaDB greet first: a protocol 10 handshake with the version, or an error packet.
awaitable<CheckResult> CheckMysql(const Monitor& m, const Clock& clock) {
    auto opened = co_await Open(m, clock, 3306, "MySQL");
    if (auto* failed = std::get_if<CheckResult>(&opened)) co_return *failed;
    auto& [start, deadline, host, port, socket] = std::get<Session>(opened);
    std::vector<std::uint8_t> packet(4);
    auto [herr, h] = co_await Within(net::async_read(socket, net::buffer(packet), kAsTuple), deadline);
    if (!herr) {
        const std::size_t len = std::min<std::size_t>(packet[0] | (packet[1] << 8) | (packet[2] << 16), 65536);
        packet.resize(4 + len);
        std::tie(herr, h) = co_await Within(net::async_read(socket, net::buffer(packet.data() + 4, len), kAsTuple), deadline);
    }
    const double ms = MsSince(start);
    if (herr) co_return Done(State::kCritical, std::nullopt, fmt::format("MySQL {}:{} の応答がありません ({})", host, port, Why(herr)), clock);
    const auto greeting = ParseMysqlGreeting(packet);
    if (!greeting) co_return Done(State::kCritical, std::nullopt, fmt::format("{}:{} は MySQL の応答をしません", host, port), clock);
    if (greeting->error) co_return Done(State::kCritical, ms, "MySQL がエラーを返しました: " + greeting->text, clock);
    co_return Done(Grade(m, ms), ms, fmt::format("MySQL {} 応答 {:.1f} ms", greeting->text, ms), clock);
}

// --- dns and ntp -------------------------------------------------------------------------------

std::mt19937& Random() {
    static std::mt19937 gen{std::random_device{}()};  // the io thread only
    return gen;
}

// The first nameserver of /etc/resolv.conf (127.0.0.1 when none).
std::string SystemNameserver() {
    std::ifstream in("/etc/resolv.conf");
    std::string word, value;
    while (in >> word) {
        if (word == "nameserver" && in >> value) return value;
    }
    return "127.0.0.1";
}

// Sends `request` to host:port over UDP and returns the first reply `accept` takes, by the deadline.
template <typename Accept>
awaitable<Result<std::vector<std::uint8_t>>> UdpAsk(const std::string& host, const std::string& port,
                                                          std::span<const std::uint8_t> request, Deadline deadline,
                                                          Accept accept) {
    auto ex = co_await net::this_coro::executor;
    net::ip::udp::resolver resolver(ex);
    net::steady_timer timer(ex, deadline);
    auto resolved = co_await (resolver.async_resolve(host, port, kAsTuple) || timer.async_wait(kAsTuple));
    if (resolved.index() == 1) co_return Fail(Error::Invalid(host + " の名前解決がタイムアウトしました"));
    auto [rerr, endpoints] = std::get<0>(resolved);
    if (rerr || endpoints.empty()) co_return Fail(Error::Invalid(fmt::format("{} を解決できません ({})", host, rerr.message())));
    const auto server = endpoints.begin()->endpoint();
    net::ip::udp::socket socket(ex, server.protocol());
    socket.connect(server, rerr);
    if (rerr) co_return Fail(Error::Invalid(fmt::format("{}:{} に送れません ({})", host, port, rerr.message())));
    auto [serr, sent] = co_await Within(socket.async_send(net::buffer(request.data(), request.size()), kAsTuple), deadline);
    if (serr) co_return Fail(Error::Invalid(fmt::format("{}:{} に送れません ({})", host, port, Why(serr))));
    std::vector<std::uint8_t> reply(4096);
    for (;;) {
        auto [ec, n] = co_await Within(socket.async_receive(net::buffer(reply), kAsTuple), deadline);
        if (ec == net::error::timed_out) co_return Fail(Error::Invalid(fmt::format("{}:{} から応答がありません", host, port)));
        if (ec) co_return Fail(Error::Invalid(fmt::format("{}:{} から応答がありません ({})", host, port, ec.message())));
        std::vector<std::uint8_t> got(reply.begin(), reply.begin() + static_cast<std::ptrdiff_t>(n));
        if (accept(got)) co_return got;
    }
}

awaitable<CheckResult> CheckDns(const Monitor& m, const Clock& clock) {
    const auto start = SteadyClock::now();
    const auto name = StringOf(m.target, "name");
    auto type_name = StringOf(m.target, "record_type");
    if (type_name.empty()) type_name = "A";
    auto server = StringOf(m.target, "server");
    if (server.empty()) server = SystemNameserver();
    const auto type = DnsTypeCode(type_name).value_or(1);
    const auto id = static_cast<std::uint16_t>(Random()());
    const auto query = BuildDnsQuery(id, name, type);
    if (!query) co_return Done(State::kUnknown, std::nullopt, "名前 " + name + " を問い合わせられません: " + query.error().message, clock);
    auto reply = co_await UdpAsk(server, PortOf(m, 53), *query, DeadlineOf(m, start),
                                 [&](const std::vector<std::uint8_t>& r) { return r.size() >= 2 && ((r[0] << 8) | r[1]) == id; });
    const double ms = MsSince(start);
    const auto who = fmt::format("DNS {} {} ({})", name, type_name, server);
    if (!reply) co_return Done(State::kCritical, std::nullopt, who + ": " + reply.error().message, clock);
    const auto answer = ParseDnsResponse(*reply, id, type);
    if (!answer) co_return Done(State::kCritical, std::nullopt, who + ": " + answer.error().message, clock);
    if (answer->rcode != 0) co_return Done(State::kCritical, std::nullopt, who + ": " + DnsRcodeName(answer->rcode), clock);
    if (answer->values.empty()) co_return Done(State::kCritical, std::nullopt, who + ": レコードがありません", clock);
    const auto values = fmt::format("{}", fmt::join(answer->values, ", "));
    if (const auto expect = StringOf(m.target, "expect"); !expect.empty()) {
        if (std::find(answer->values.begin(), answer->values.end(), expect) == answer->values.end()) {
            co_return Done(State::kCritical, ms, fmt::format("{}: {} がありません (応答: {})", who, expect, values), clock);
        }
    }
    co_return Done(Grade(m, ms), ms, fmt::format("{}: {} ({:.1f} ms)", who, values, ms), clock);
}

double UnixNow() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The clock offset against an NTP server, in ms (absolute value graded; MON-6).
awaitable<CheckResult> CheckNtp(Monitor m, const Clock& clock) {
    const auto start = SteadyClock::now();
    const auto host = StringOf(m.target, "host");
    const auto sent = ToNtpTimestamp(UnixNow());
    const auto request = BuildNtpRequest(sent);
    std::optional<double> received;
    auto reply = co_await UdpAsk(host, PortOf(m, 123), request, DeadlineOf(m, start), [&](const std::vector<std::uint8_t>& r) {
        received = UnixNow();
        return r.size() >= 48;
    });
    if (!reply) co_return Done(State::kCritical, std::nullopt, "NTP " + host + ": " + reply.error().message, clock);
    const auto parsed = ParseNtpReply(*reply, sent, *received);
    if (!parsed) co_return Done(State::kCritical, std::nullopt, "NTP " + host + ": " + parsed.error().message, clock);
    const double offset_ms = parsed->offset_s * 1000;
    if (!m.warning && !m.critical) {  // 1 s warns, 10 s is critical unless told otherwise
        m.warning = 1000;
        m.critical = 10000;
    }
    co_return Done(Grade(m, std::abs(offset_ms)), std::abs(offset_ms),
                     fmt::format("NTP {} 時刻差 {:+.1f} ms (stratum {}, 遅延 {:.1f} ms)", host, offset_ms, parsed->stratum,
                                 parsed->delay_s * 1000),
                     clock);
}

// --- icmp --------------------------------------------------------------------------------------

std::uint16_t InternetChecksum(std::span<const std::uint8_t> data) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < data.size(); i += 2) sum += static_cast<std::uint32_t>((data[i] << 8) | data[i + 1]);
    if (data.size() % 2 == 1) sum += static_cast<std::uint32_t>(data.back() << 8);
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// ICMP for IPv4 or ICMPv6: the socket's family and protocol and the echo message types. A raw
// IPv4 socket hands over the IP header too; IPv6 never does, and its kernel sums ICMPv6 itself.
struct IcmpFamily {
    int family, protocol;
    std::uint8_t request, reply;
};
constexpr IcmpFamily kIcmpV4{AF_INET, IPPROTO_ICMP, 8, 0};
constexpr IcmpFamily kIcmpV6{AF_INET6, IPPROTO_ICMPV6, 128, 129};

std::vector<std::uint8_t> EchoRequest(std::uint8_t type, std::uint16_t id, std::uint16_t seq) {
    std::vector<std::uint8_t> p{type, 0, 0, 0, static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id),
                                static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq)};
    for (std::uint8_t i = 0; i < 24; ++i) p.push_back(static_cast<std::uint8_t>('a' + i));
    const auto sum = InternetChecksum(p);
    p[2] = static_cast<std::uint8_t>(sum >> 8);
    p[3] = static_cast<std::uint8_t>(sum);
    return p;
}

// Round trips in ms of `count` echo requests (nullopt: lost), on an open socket.
template <typename Socket>
awaitable<std::vector<std::optional<double>>> Pings(Socket& socket, const typename Socket::endpoint_type& to,
                                                    const IcmpFamily& icmp, bool raw, int count, Deadline deadline) {
    std::vector<std::optional<double>> rtts;
    const auto id = static_cast<std::uint16_t>(Random()());
    std::vector<std::uint8_t> buf(1500);
    for (int seq = 1; seq <= count && SteadyClock::now() < deadline; ++seq) {
        const auto sent_at = SteadyClock::now();
        const auto each = std::min(deadline, sent_at + std::chrono::seconds(1));
        const auto packet = EchoRequest(icmp.request, id, static_cast<std::uint16_t>(seq));
        auto [serr, s] = co_await Within(socket.async_send_to(net::buffer(packet), to, kAsTuple), each);
        std::optional<double> rtt;
        while (!serr && !rtt) {
            typename Socket::endpoint_type from;
            auto [ec, n] = co_await Within(socket.async_receive_from(net::buffer(buf), from, kAsTuple), each);
            if (ec) break;
            const bool ip_header = raw && icmp.family == AF_INET;
            std::size_t at = ip_header ? static_cast<std::size_t>(buf[0] & 0x0F) * 4 : 0;  // past the IPv4 header
            if (n < at + 8 || buf[at] != icmp.reply) continue;                               // echo replies only
            const std::uint16_t rid = static_cast<std::uint16_t>((buf[at + 4] << 8) | buf[at + 5]);
            const std::uint16_t rseq = static_cast<std::uint16_t>((buf[at + 6] << 8) | buf[at + 7]);
            if (rseq != seq || (raw && rid != id)) continue;  // a datagram socket's id is the kernel's
            rtt = MsSince(sent_at);
        }
        rtts.push_back(rtt);
    }
    co_return rtts;
}

awaitable<CheckResult> CheckIcmp(const Monitor& m, const Clock& clock) {
    const auto start = SteadyClock::now();
    const auto deadline = DeadlineOf(m, start);
    const auto host = StringOf(m.target, "host");
    const int count = static_cast<int>(IntOf(m.target, "count", 3));
    auto ex = co_await net::this_coro::executor;
    net::ip::icmp::resolver resolver(ex);
    net::steady_timer timer(ex, deadline);
    auto resolved = co_await (resolver.async_resolve(host, "", kAsTuple) || timer.async_wait(kAsTuple));
    if (resolved.index() == 1) co_return Done(State::kCritical, std::nullopt, host + " の名前解決がタイムアウトしました", clock);
    auto [rerr, endpoints] = std::get<0>(resolved);
    if (rerr || endpoints.empty()) co_return Done(State::kCritical, std::nullopt, fmt::format("{} を解決できません ({})", host, rerr.message()), clock);
    const auto address = endpoints.begin()->endpoint();
    const IcmpFamily& icmp = address.address().is_v6() ? kIcmpV6 : kIcmpV4;
    // An unprivileged ICMP datagram socket (net.ipv4.ping_group_range), else a raw one (CAP_NET_RAW).
    std::vector<std::optional<double>> rtts;
    error_code dgram_error, raw_error;
    net::generic::datagram_protocol::socket dgram(ex);
    dgram.open(net::generic::datagram_protocol(icmp.family, icmp.protocol), dgram_error);
    if (!dgram_error) {
        rtts = co_await Pings(dgram, net::generic::datagram_protocol::endpoint(address), icmp, false, count, deadline);
    } else {
        net::generic::raw_protocol::socket raw(ex);
        raw.open(net::generic::raw_protocol(icmp.family, icmp.protocol), raw_error);
        if (raw_error) {
            co_return Done(State::kUnknown, std::nullopt,
                             "ICMP を送れません: net.ipv4.ping_group_range に unyo のグループを含めるか、"
                             "CAP_NET_RAW を与えてください (" + dgram_error.message() + ")",
                             clock);
        }
        rtts = co_await Pings(raw, net::generic::raw_protocol::endpoint(address), icmp, true, count, deadline);
    }
    int received = 0;
    double sum = 0;
    for (const auto& r : rtts) {
        if (r) {
            ++received;
            sum += *r;
        }
    }
    const int sent = static_cast<int>(rtts.size());
    if (received == 0) co_return Done(State::kCritical, std::nullopt, fmt::format("ping {}: 応答なし ({} 回送信)", host, sent), clock);
    const double avg = sum / received;
    const int loss = (sent - received) * 100 / sent;
    State state = Grade(m, avg);
    if (loss > 0 && state == State::kOk) state = State::kWarning;
    co_return Done(state, avg, fmt::format("ping {}: 平均 {:.2f} ms, 損失 {}% ({}/{})", host, avg, loss, received, sent), clock);
}

}  // namespace

bool IsNetworkType(std::string_view type) {
    static constexpr std::string_view kTypes[] = {"tcp",  "http", "tls_cert", "dns",   "ntp",  "icmp",
                                                  "smtp", "ftp",  "postgres", "mysql", "links"};
    return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

awaitable<CheckResult> CheckNetwork(const Monitor& m, const Clock& clock) {
    if (m.type == "tcp") co_return co_await CheckTcp(m, clock);
    if (m.type == "http") co_return co_await CheckHttp(m, clock);
    if (m.type == "links") co_return co_await CheckLinks(m, clock);
    if (m.type == "tls_cert") co_return co_await CheckTlsCert(m, clock);
    if (m.type == "dns") co_return co_await CheckDns(m, clock);
    if (m.type == "ntp") co_return co_await CheckNtp(m, clock);
    if (m.type == "icmp") co_return co_await CheckIcmp(m, clock);
    if (m.type == "smtp") co_return co_await CheckBanner(m, clock, 25, "SMTP");
    if (m.type == "ftp") co_return co_await CheckBanner(m, clock, 21, "FTP");
    if (m.type == "postgres") co_return co_await CheckPostgres(m, clock);
    if (m.type == "mysql") co_return co_await CheckMysql(m, clock);
    co_return Done(State::kUnknown, std::nullopt, "この種類の監視はまだ実行できません", clock);
}

}  // namespace unyo::monitor
