// The `command` check: runs a Nagios plugin (argv, no shell) in its own process group with a
// clean environment, reads its output (bounded), and judges by its exit code and performance
// data. A plugin still running at the timeout is killed with its group.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "monitor/local_checks.hpp"
#include "monitor/net_checks.hpp"
#include "monitor/protocols.hpp"

namespace unyo::monitor {

using namespace net::experimental::awaitable_operators;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kOutputLimit = 64 * 1024;

// argv and envp for posix_spawn, owning their strings.
struct Argv {
    std::vector<std::string> strings;
    std::vector<char*> pointers;
    explicit Argv(std::vector<std::string> s) : strings(std::move(s)) {
        for (auto& x : strings) pointers.push_back(x.data());
        pointers.push_back(nullptr);
    }
};

std::vector<std::string> Environment(const json::object& target) {
    std::vector<std::string> env{"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG=C.UTF-8"};
    if (const auto* e = target.if_contains("env"); e && e->is_object()) {
        for (const auto& [k, v] : e->as_object()) {
            if (v.is_string()) env.push_back(fmt::format("{}={}", std::string_view(k), std::string_view(v.as_string())));
        }
    }
    return env;
}

// Starts argv with stdout and stderr into one pipe (its read end returned) in a new process group.
Result<std::pair<pid_t, int>> Spawn(const Argv& argv, const Argv& env) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return Fail(Error::Internal(fmt::format("pipe: {}", std::strerror(errno))));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv.pointers[0], &actions, &attr, argv.pointers.data(), env.pointers.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return Fail(Error::Invalid(std::strerror(rc)));
    }
    return std::pair{pid, fds[0]};
}

awaitable<void> Pause(std::chrono::milliseconds d) {
    net::steady_timer timer(co_await net::this_coro::executor, d);
    co_await timer.async_wait(kAsTuple);
}

// The plugin's output up to its end of file (true) or the deadline (false), bounded.
awaitable<std::pair<std::string, bool>> ReadOutput(net::posix::stream_descriptor& out, SteadyClock::time_point deadline) {
    std::string output;
    std::vector<char> buf(4096);
    net::steady_timer timer(out.get_executor(), deadline);
    for (;;) {
        auto r = co_await (out.async_read_some(net::buffer(buf), kAsTuple) || timer.async_wait(kAsTuple));
        if (r.index() == 1) co_return std::pair{std::move(output), false};
        auto [ec, n] = std::get<0>(r);
        if (ec) co_return std::pair{std::move(output), true};  // eof: the plugin closed its output
        if (output.size() < kOutputLimit) output.append(buf.data(), std::min(n, kOutputLimit - output.size()));
    }
}

// Waits for the plugin to exit, until `deadline`; then kills its group. Its wait status, or
// nullopt when it had to be killed.
awaitable<std::optional<int>> Reap(pid_t pid, SteadyClock::time_point deadline) {
    int status = 0;
    for (;;) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) co_return status;
        if (SteadyClock::now() >= deadline) break;
        co_await Pause(std::chrono::milliseconds(5));
    }
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
    co_return std::nullopt;
}

}  // namespace

awaitable<CheckResult> CheckCommand(const Monitor& m, const Clock& clock) {
    const auto start = SteadyClock::now();
    const auto deadline = start + std::chrono::milliseconds(m.timeout_ms);
    std::vector<std::string> args;
    if (const auto* c = m.target.if_contains("command"); c && c->is_array()) {
        for (const auto& a : c->as_array()) {
            if (a.is_string()) args.emplace_back(a.as_string());
        }
    }
    if (args.empty()) co_return CheckResult{State::kUnknown, std::nullopt, "コマンドがありません", clock.Now()};
    const Argv argv(args), env(Environment(m.target));
    const auto spawned = Spawn(argv, env);
    if (!spawned) {
        co_return CheckResult{State::kUnknown, std::nullopt,
                              fmt::format("{} を実行できません ({})", args[0], spawned.error().message), clock.Now()};
    }
    const pid_t pid = spawned->first;
    net::posix::stream_descriptor out(co_await net::this_coro::executor, spawned->second);
    auto [output, read_all] = co_await ReadOutput(out, deadline);
    const auto status = co_await Reap(pid, read_all ? deadline : SteadyClock::now());
    if (!status) {
        co_return CheckResult{State::kCritical, std::nullopt,
                              fmt::format("{} が {} ms で終わらないため打ち切りました", args[0], m.timeout_ms), clock.Now()};
    }
    const int exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + (WIFSIGNALED(*status) ? WTERMSIG(*status) : 0);
    auto parsed = ParsePluginOutput(exit_code, output);
    if (parsed.text.empty()) parsed.text = fmt::format("{} 終了コード {}", args[0], exit_code);
    State state = parsed.state;
    if (parsed.value && (m.warning || m.critical) && state != State::kUnknown) state = std::max(state, Grade(m, *parsed.value));
    co_return CheckResult{state, parsed.value, std::move(parsed.text), clock.Now()};
}

}  // namespace unyo::monitor
