#include "http/server.hpp"

#include <atomic>
#include <map>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/asio.hpp"
#include "core/lock_guarded.hpp"
#include "http/problem.hpp"

namespace unyo::http {

using tcp = net::ip::tcp;

struct Server::Impl {
    ServerOptions options;
    Handler handler;
    Metrics& metrics;
    net::io_context ioc;
    net::thread_pool pool;
    // The acceptor, signals, timers and the stop sequence all live on this one strand, so that
    // the stop (from a signal or Stop()) never races the accept loop or a timer.
    net::strand<net::io_context::executor_type> control{net::make_strand(ioc)};
    tcp::acceptor acceptor{control};
    net::signal_set signals{control, SIGINT, SIGTERM};
    net::steady_timer drain_timer{control};
    std::atomic<bool> stopping{false};

    // Open connections, so that Stop() can close the idle ones. Keyed by a serial number.
    struct Conn {
        net::any_io_executor strand;
        beast::tcp_stream* stream;
        std::atomic<bool>* idle;
    };
    LockGuarded<std::map<std::uint64_t, Conn>> conns;
    std::atomic<std::uint64_t> next_conn{1};
    LockGuarded<std::vector<std::shared_ptr<net::steady_timer>>> timers;

    Impl(ServerOptions o, Handler h, Metrics& m)
        : options(std::move(o)),
          handler(std::move(h)),
          metrics(m),
          ioc(options.io_threads),
          pool(static_cast<std::size_t>(options.pool_threads)) {}

    void BeginStop();
};

namespace {

Request ToRequest(const bhttp::request<bhttp::string_body>& msg, std::string remote) {
    Request req;
    req.method = std::string(msg.method_string());
    const std::string_view target = msg.target();
    const auto q = target.find('?');
    req.path = PercentDecode(target.substr(0, q), false).value_or(std::string(target.substr(0, q)));
    if (q != std::string_view::npos) {
        req.query = ParseQuery(target.substr(q + 1));
    }
    for (const auto& f : msg) {
        std::string name(f.name_string());
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        req.headers.emplace_back(std::move(name), std::string(f.value()));
    }
    req.body = msg.body();
    req.remote_address = std::move(remote);
    return req;
}

bhttp::response<bhttp::string_body> ToMessage(Response& res, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> msg{static_cast<bhttp::status>(res.status), version};
    msg.set(bhttp::field::server, "unyo");
    if (!res.content_type.empty()) {
        msg.set(bhttp::field::content_type, res.content_type);
    }
    // API answers are per-user and must not be cached, unless the handler said otherwise
    // (static console files).
    bool cache_set = false;
    for (const auto& [k, v] : res.headers) {
        cache_set = cache_set || beast::iequals(k, "cache-control");
    }
    if (!cache_set) {
        msg.set(bhttp::field::cache_control, "no-store");
    }
    msg.set("X-Content-Type-Options", "nosniff");
    msg.set("Referrer-Policy", "no-referrer");
    for (const auto& [k, v] : res.headers) {
        msg.insert(k, v);
    }
    msg.keep_alive(keep_alive);
    msg.body() = std::move(res.body);
    msg.prepare_payload();
    return msg;
}

awaitable<Response> RunHandler(Server::Impl* impl, Request req) {
    try {
        co_return impl->handler(req);
    } catch (const std::exception& ex) {
        spdlog::error("handler for {} {} threw: {}", req.method, req.path, ex.what());
        co_return ProblemResponse(Error::Internal(ex.what()));
    }
}

// After refusing a request whose body is still arriving, read and discard for a while before
// closing, so that the client sees the answer instead of a reset connection.
awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(5));
    std::array<char, 65536> sink;
    std::size_t total = 0;
    while (total < 64u * 1024 * 1024) {
        auto [rec, n] = co_await stream.async_read_some(net::buffer(sink), kAsTuple);
        if (rec) {
            break;
        }
        total += n;
    }
    stream.socket().close(ec);
}

awaitable<std::optional<std::string>> RunPoll(std::function<std::optional<std::string>()>* poll) {
    try {
        co_return (*poll)();
    } catch (const std::exception& ex) {
        spdlog::error("event stream poll threw: {}", ex.what());
        co_return std::nullopt;
    }
}

// Server-Sent Events: headers, then whatever the poll yields each second, a comment every 15 s
// so that proxies and the browser keep the connection; ends when the client goes, the poll
// says so, or the server stops. The connection counts as idle for the stop.
awaitable<void> StreamEvents(Server::Impl* impl, beast::tcp_stream& stream, std::atomic<bool>& idle,
                             std::function<std::optional<std::string>()> poll) {
    std::string chunk =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: "
        "no-store\r\n"
        "Connection: close\r\nX-Accel-Buffering: no\r\nX-Content-Type-Options: nosniff\r\n\r\n: "
        "connected\n\n";
    net::steady_timer timer(stream.get_executor());
    for (int tick = 1; !impl->stopping; ++tick) {
        if (!chunk.empty()) {
            idle = false;
            stream.expires_after(std::chrono::seconds(30));
            auto [ec, n] = co_await net::async_write(stream, net::buffer(chunk), kAsTuple);
            idle = true;
            if (ec) {
                co_return;
            }
            stream.expires_never();
        }
        timer.expires_after(std::chrono::seconds(1));
        co_await timer.async_wait(kAsTuple);
        if (impl->stopping) {
            co_return;
        }
        auto next = co_await net::co_spawn(impl->pool, RunPoll(&poll), use_awaitable);
        if (!next) {
            co_return;
        }
        chunk = std::move(*next);
        if (tick % 15 == 0) {
            chunk += ": ping\n\n";
        }
    }
}

awaitable<void> Session(Server::Impl* impl, tcp::socket socket, std::uint64_t id) {
    beast::tcp_stream stream(std::move(socket));
    std::atomic<bool> idle{true};
    impl->conns.Lock()->emplace(id, Server::Impl::Conn{stream.get_executor(), &stream, &idle});
    beast::error_code rec;
    const auto ep = stream.socket().remote_endpoint(rec);
    const std::string remote = rec ? std::string() : ep.address().to_string();
    beast::flat_buffer buffer;
    bool first = true;
    while (!impl->stopping) {
        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(impl->options.header_limit);
        parser.body_limit(impl->options.body_limit);
        idle = true;
        stream.expires_after(first ? impl->options.header_timeout : impl->options.idle_timeout);
        first = false;
        auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kAsTuple);
        idle = false;
        const auto started = std::chrono::steady_clock::now();
        beast::error_code ec = hec;
        if (!ec && beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
            // The client waits for this before sending a large body (curl does above 1 MiB).
            static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
            auto [cec, cn] = co_await net::async_write(stream, net::buffer(kContinue), kAsTuple);
            ec = cec;
        }
        if (!ec) {
            stream.expires_after(impl->options.body_timeout);
            auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kAsTuple);
            ec = bec;
        }
        if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
            Response res =
                ProblemResponse({ErrorCode::kTooLarge,
                                 ec == bhttp::error::body_limit
                                     ? fmt::format("the body exceeds the limit of {} bytes",
                                                   impl->options.body_limit)
                                     : "the request headers are too large",
                                 {}});
            auto msg = ToMessage(res, 11, false);
            stream.expires_after(std::chrono::seconds(10));
            co_await bhttp::async_write(stream, msg, kAsTuple);
            impl->metrics.Observe("?", "(too large)", res.status, 0);
            spdlog::info("{} request too large: {}", remote, ec.message());
            co_await LingeringClose(stream);
            break;
        }
        if (ec) {
            break;  // closed, timed out or malformed: nothing sensible to answer
        }
        auto& msg_in = parser.get();
        const bool keep_alive = msg_in.keep_alive();
        const unsigned version = msg_in.version();
        Request req = ToRequest(msg_in, remote);
        const std::string method = req.method;
        const std::string path = req.path;
        Response res =
            co_await net::co_spawn(impl->pool, RunHandler(impl, std::move(req)), use_awaitable);
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
        impl->metrics.Observe(method, res.route.empty() ? "(unmatched)" : res.route, res.status,
                              micros);
        spdlog::info("{} \"{} {}\" {} {}B {:.1f}ms {}", remote, method, path, res.status,
                     res.body.size(), static_cast<double>(micros) / 1000.0,
                     res.actor.empty() ? "-" : res.actor);
        if (res.event_poll && res.status == 200) {
            co_await StreamEvents(impl, stream, idle, std::move(res.event_poll));
            break;
        }
        const bool keep = keep_alive && !impl->stopping;
        auto msg = ToMessage(res, version, keep);
        stream.expires_after(impl->options.body_timeout);
        auto [wec, wn] = co_await bhttp::async_write(stream, msg, kAsTuple);
        if (wec || !keep) {
            break;
        }
    }
    beast::error_code sec;
    stream.socket().shutdown(tcp::socket::shutdown_both, sec);
    stream.socket().close(sec);
    impl->conns.Lock()->erase(id);
}

awaitable<void> Accept(Server::Impl* impl) {
    for (;;) {
        // Each connection's socket gets its own strand as executor, and its session coroutine
        // runs on that strand: the stream's timeout handlers and the session never run at once.
        auto [ec, socket] =
            co_await impl->acceptor.async_accept(net::make_strand(impl->ioc), kAsTuple);
        if (ec) {
            if (ec == net::error::operation_aborted || !impl->acceptor.is_open()) {
                co_return;
            }
            spdlog::warn("accept failed: {}", ec.message());
            continue;
        }
        const auto id = impl->next_conn++;
        auto executor = socket.get_executor();
        net::co_spawn(executor, Session(impl, std::move(socket), id), [](std::exception_ptr e) {
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& ex) {
                    spdlog::error("connection failed: {}", ex.what());
                }
            }
        });
    }
}

awaitable<void> Periodic(Server::Impl* impl, std::shared_ptr<net::steady_timer> timer,
                         std::chrono::milliseconds interval, std::function<void()> task) {
    struct Shared {
        std::function<void()> task;
        std::atomic<bool> running{false};
    };
    auto shared = std::make_shared<Shared>();
    shared->task = std::move(task);
    for (;;) {
        timer->expires_after(interval);
        auto [ec] = co_await timer->async_wait(kAsTuple);
        if (ec || impl->stopping) {
            co_return;
        }
        if (shared->running.exchange(true)) {
            continue;  // the previous run is still going
        }
        net::post(impl->pool, [shared] {
            try {
                shared->task();
            } catch (const std::exception& ex) {
                spdlog::error("periodic task failed: {}", ex.what());
            }
            shared->running = false;
        });
    }
}

// Returns once every connection has closed, or stops the io_context at the deadline.
awaitable<void> AwaitDrained(Server::Impl* impl) {
    const auto deadline = std::chrono::steady_clock::now() + impl->options.stop_deadline;
    while (!impl->conns.Lock()->empty()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            spdlog::warn("stop deadline reached; closing remaining connections");
            impl->ioc.stop();
            co_return;
        }
        impl->drain_timer.expires_after(std::chrono::milliseconds(20));
        co_await impl->drain_timer.async_wait(kAsTuple);
    }
}

}  // namespace

void Server::Impl::BeginStop() {
    if (stopping.exchange(true)) {
        return;
    }
    spdlog::info("stopping: no new connections; finishing requests in flight");
    beast::error_code ec;
    acceptor.close(ec);
    signals.cancel();
    for (auto& t : *timers.Lock()) {
        t->cancel();
    }
    // Each close runs on the connection's strand and looks the connection up again there: it may
    // have finished meanwhile, and a session removes itself from `conns` on that same strand.
    for (auto& [id, c] : *conns.Lock()) {
        net::post(c.strand, [this, conn_id = id] {
            auto open = conns.Lock();
            auto it = open->find(conn_id);
            if (it != open->end() && *it->second.idle) {
                beast::error_code cec;
                it->second.stream->socket().shutdown(tcp::socket::shutdown_both, cec);
                it->second.stream->socket().close(cec);
            }
        });
    }
    net::co_spawn(control, AwaitDrained(this), net::detached);
}

Server::Server(ServerOptions options, Handler handler, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), metrics)) {}

Server::~Server() = default;

Result<std::uint16_t> Server::Bind() {
    beast::error_code ec;
    const auto address = net::ip::make_address(impl_->options.host, ec);
    if (ec) {
        return Fail(Error::Field("listen",
                                 fmt::format("\"{}\" is not an IP address", impl_->options.host),
                                 ErrorCode::kInvalidArgument));
    }
    const tcp::endpoint ep{address, impl_->options.port};
    auto& a = impl_->acceptor;
    if (a.open(ep.protocol(), ec); !ec) {
        a.set_option(net::socket_base::reuse_address(true), ec);
        if (a.bind(ep, ec); !ec) {
            a.listen(net::socket_base::max_listen_connections, ec);
        }
    }
    if (ec) {
        return Fail({ErrorCode::kUnavailable,
                     fmt::format("cannot listen on {}:{}: {}", impl_->options.host,
                                 impl_->options.port, ec.message()),
                     {}});
    }
    return a.local_endpoint().port();
}

void Server::Every(std::chrono::milliseconds interval, std::function<void()> task) {
    auto timer = std::make_shared<net::steady_timer>(impl_->control);
    impl_->timers.Lock()->push_back(timer);
    net::co_spawn(impl_->control, Periodic(impl_.get(), timer, interval, std::move(task)),
                  net::detached);
}

void Server::Run() {
    impl_->signals.async_wait([this](beast::error_code ec, int sig) {
        if (!ec) {
            spdlog::info("received signal {}", sig);
            impl_->BeginStop();
        }
    });
    net::co_spawn(impl_->control, Accept(impl_.get()), net::detached);
    std::vector<std::thread> threads;
    for (int i = 1; i < impl_->options.io_threads; ++i) {
        threads.emplace_back([this] { impl_->ioc.run(); });
    }
    impl_->ioc.run();
    for (auto& t : threads) {
        t.join();
    }
    impl_->pool.join();
    spdlog::info("stopped");
}

void Server::Stop() {
    net::post(impl_->control, [this] { impl_->BeginStop(); });
}

}  // namespace unyo::http
