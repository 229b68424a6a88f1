#pragma once
// The HTTP/1.1 server: Boost.Beast with C++20 coroutines on an io_context run by a few I/O
// threads. Each request is read with header, body and idle limits, then handed to `handler` on
// a separate blocking pool (handlers may touch the database and hash passwords) and the answer
// written back; every request gets one access-log line and a metrics observation.
// Graceful stop (SIGTERM/SIGINT or Stop()): stop accepting, close idle connections, let in-flight
// requests finish within the deadline, stop timers, drain the pool. Asio stays inside server.cpp.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"

namespace unyo::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port
    std::size_t body_limit = 10 * 1024 * 1024;
    std::uint32_t header_limit = 16 * 1024;
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds body_timeout{60};
    std::chrono::seconds idle_timeout{60};
    std::chrono::seconds stop_deadline{10};
    int io_threads = 2;
    int pool_threads = 8;
};

/// Turns a request into a response. Runs on the blocking pool; must not throw (a throw becomes
/// 500).
using Handler = std::function<Response(Request&)>;

class Server {
  public:
    Server(ServerOptions options, Handler handler, Metrics& metrics);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds the listening socket. Returns the bound port; Error::Unavailable when the address
    /// is taken or not allowed.
    [[nodiscard]] Result<std::uint16_t> Bind();
    /// Runs `task` on the blocking pool every `interval` until stop (first run after one interval).
    /// It is the same task object each time (state it captures persists between runs), and a run
    /// never overlaps the previous one: a tick that finds it still running is skipped.
    void Every(std::chrono::milliseconds interval, std::function<void()> task);
    /// Serves until SIGTERM/SIGINT or Stop(); returns after the graceful stop completed.
    void Run();
    /// Starts the graceful stop from any thread.
    void Stop();

    /// The Asio state, defined in server.cpp only (public so that its free coroutines see it).
    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace unyo::http
