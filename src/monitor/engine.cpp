#include "monitor/engine.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/asio.hpp"
#include "core/time_format.hpp"
#include "monitor/local_checks.hpp"
#include "monitor/log_watch.hpp"
#include "monitor/net_checks.hpp"

namespace unyo::monitor {

using namespace net::experimental::awaitable_operators;
using SteadyClock = std::chrono::steady_clock;

namespace {

// How long cpu and net_traffic sample: a second, or half the timeout when shorter.
SteadyClock::duration SampleWindow(const Monitor& m) { return std::chrono::milliseconds(std::min(1000, m.timeout_ms / 2)); }

awaitable<void> Pause(SteadyClock::duration d) {
    net::steady_timer timer(co_await net::this_coro::executor, d);
    co_await timer.async_wait(kAsTuple);
}

awaitable<CheckResult> CheckCpu(const Monitor& m, const Clock& clock) {
    const auto first = ReadSmallFile("/proc/stat");
    const auto a = first ? ParseProcStat(*first) : std::nullopt;
    co_await Pause(SampleWindow(m));
    const auto second = ReadSmallFile("/proc/stat");
    const auto b = second ? ParseProcStat(*second) : std::nullopt;
    const auto busy = a && b ? CpuBusyPercent(*a, *b) : std::nullopt;
    if (!busy) co_return CheckResult{State::kUnknown, std::nullopt, "/proc/stat を読めません", clock.Now()};
    co_return CheckResult{Grade(m, *busy), *busy, fmt::format("CPU 使用率 {:.1f}%", *busy), clock.Now()};
}

awaitable<CheckResult> CheckNetTraffic(const Monitor& m, const Clock& clock) {
    const auto iface = StringOf(m.target, "interface");
    const auto window = SampleWindow(m);
    const auto first = ReadSmallFile("/proc/net/dev");
    const auto a = first ? ParseNetBytes(*first, iface) : std::nullopt;
    co_await Pause(window);
    const auto second = ReadSmallFile("/proc/net/dev");
    const auto b = second ? ParseNetBytes(*second, iface) : std::nullopt;
    if (!a || !b) {
        co_return CheckResult{State::kUnknown, std::nullopt,
                              fmt::format("インターフェース {} の通信量を読めません", iface.empty() ? "(全体)" : iface),
                              clock.Now()};
    }
    const double per_s = static_cast<double>(*b >= *a ? *b - *a : 0) / std::chrono::duration<double>(window).count();
    co_return CheckResult{Grade(m, per_s), per_s,
                          fmt::format("{} 通信量 {:.1f} KiB/s", iface.empty() ? "全体" : iface, per_s / 1024), clock.Now()};
}

}  // namespace

json::object ToJson(const LiveStatus& s) {
    return {{"monitor_id", s.monitor_id},
            {"state", s.hard ? json::value(StateName(*s.hard)) : json::value("pending")},
            {"soft_state", StateName(s.soft)},
            {"attempts", s.attempts},
            {"last_check_at", InstantOrNull(s.last_check_at)},
            {"last_value", OrNull(s.last_value)},
            {"message", s.message}};
}

// What a log monitor keeps between checks: its filter, the file it follows, or the syslog
// lines that arrived since the last check.
struct LogState {
    std::shared_ptr<const LogFilter> filter;
    std::unique_ptr<LogFile> file;
    LogTally syslog;
};

struct Engine::Impl {
    struct Slot {
        std::shared_ptr<const Monitor> m;  // shared with the check in flight (no copy per check)
        Runtime rt;
        std::unique_ptr<net::steady_timer> timer;
        SteadyClock::time_point next_due;
        std::uint64_t generation = 0;
        Millis last_heartbeat = 0;
        std::shared_ptr<LogState> log;  // log monitors only
        int inconclusive = 0;           // failures set aside in a row (the loop was late)
    };

    // The loop watches its own delay: a probe that should wake every kProbe. A failure seen while
    // the loop was more than kLagLimit late may be the engine's (its timers and reads waited in the
    // queue), so it is set aside, up to kMaxInconclusive times in a row, then believed: a target
    // that is really down is reported even when the engine stays overloaded (and its own alert says so).
    static constexpr auto kProbe = std::chrono::milliseconds(200);
    static constexpr auto kLagLimit = std::chrono::milliseconds(250);
    static constexpr int kMaxInconclusive = 3;

    Impl(const Clock& c, MonitorStore& s, ChangeHandler h) : clock(c), store(s), on_change(std::move(h)) {}

    const Clock& clock;
    MonitorStore& store;
    ChangeHandler on_change;
    ResultHandler on_results;
    FlapHandler on_flap;
    SettledHandler on_settled;
    // Stop() stops it: checks in flight and the loops below are abandoned, their frames destroyed
    // with it, so none of them watches for a stop.
    net::io_context io{1};
    std::optional<net::executor_work_guard<net::io_context::executor_type>> guard;
    net::thread_pool worker{1};
    std::thread thread;
    std::map<std::int64_t, Slot> slots;  // io thread only
    std::uint64_t generations = 0;
    const SteadyClock::time_point epoch = SteadyClock::now();  // the grid of due times starts here
    std::atomic<std::uint64_t> checks{0}, late{0}, results_written{0}, syslog_messages{0}, inconclusive{0};
    std::optional<net::ip::udp::socket> syslog_udp;
    std::optional<net::ip::tcp::acceptor> syslog_tcp;
    std::atomic<Millis> max_late{0}, recent_max_late{0};
    std::atomic<std::int64_t> last_tick_ms{0};  // steady clock, ms: the flush loop's last turn
    std::atomic<Millis> max_loop_lag{0};
    // The io thread's counters as of its last turn, for Stats() (which never waits on the loop).
    std::mutex published_mutex;
    EngineStats published;
    // io thread only:
    std::vector<ResultRow> pending;
    std::vector<std::pair<std::int64_t, HardChange>> pending_settled;
    SteadyClock::time_point probe_due = SteadyClock::now();
    SteadyClock::time_point lag_seen_at{};  // the probe last woke more than kLagLimit late
    std::map<std::string, EngineStats::PerType> by_type;
    std::array<std::uint64_t, EngineStats::kLatenessBuckets.size()> lateness_buckets{};
    double lateness_sum_s = 0;
    std::uint64_t lateness_count = 0;

    static std::int64_t SteadyMs() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now().time_since_epoch()).count();
    }

    void NoteLateness(Millis ms) {
        if (ms > 1000) ++late;
        if (ms > max_late.load()) max_late = ms;
        if (ms > recent_max_late.load()) recent_max_late = ms;
        const double s = static_cast<double>(std::max<Millis>(ms, 0)) / 1000.0;
        lateness_sum_s += s;
        ++lateness_count;
        for (std::size_t i = 0; i < lateness_buckets.size(); ++i) {
            if (s <= EngineStats::kLatenessBuckets[i]) ++lateness_buckets[i];
        }
    }

    // Hands the results and first states gathered to the worker (one database transaction each).
    void Flush() {
        if (!pending_settled.empty()) {
            net::post(worker, [this, batch = std::move(pending_settled)] {
                try {
                    on_settled(batch);
                } catch (const std::exception& e) {
                    spdlog::error("writing the first states of {} monitors failed: {}", batch.size(), e.what());
                }
            });
            pending_settled.clear();
        }
        if (pending.empty() || !on_results) {
            pending.clear();
            return;
        }
        net::post(worker, [this, batch = std::move(pending)] {
            try {
                on_results(batch);
                results_written += batch.size();
            } catch (const std::exception& e) {
                spdlog::error("writing {} check results failed: {}", batch.size(), e.what());
            }
        });
        pending.clear();
    }

    void Publish() {
        EngineStats s;
        s.monitors = slots.size();
        s.by_type = by_type;
        s.lateness_buckets = lateness_buckets;
        s.lateness_sum_s = lateness_sum_s;
        s.lateness_count = lateness_count;
        const std::lock_guard lock(published_mutex);
        published = std::move(s);
    }

    awaitable<void> LagProbe() {
        net::steady_timer timer(io);
        for (;;) {
            probe_due = SteadyClock::now() + kProbe;
            timer.expires_at(probe_due);
            co_await timer.async_wait(kAsTuple);
            const auto now = SteadyClock::now();
            const auto lag = std::chrono::duration_cast<std::chrono::milliseconds>(now - probe_due);
            if (lag > kLagLimit) lag_seen_at = now;
            if (lag.count() > max_loop_lag.load()) max_loop_lag = lag.count();
        }
    }

    // Whether the loop ran more than kLagLimit late at some time since `since` (or is late now).
    bool LoopLagged(SteadyClock::time_point since) const {
        return lag_seen_at >= since || SteadyClock::now() - probe_due > kLagLimit;
    }

    // Every second: write the results and show that the engine's loop is alive.
    awaitable<void> Ticker() {
        net::steady_timer timer(io);
        for (;;) {
            last_tick_ms = SteadyMs();
            Flush();
            Publish();
            timer.expires_after(std::chrono::seconds(1));
            co_await timer.async_wait(kAsTuple);
        }
    }

    // The first due time of a new monitor: its share of the interval, by id, on a 20 ms grid so
    // that checks falling in the same 20 ms share one wake of the loop (with the same timer
    // expiry), which is still no herd: 1,000 monitors every 10 s are 2 a slot.
    static SteadyClock::duration Phase(const Monitor& m) {
        constexpr std::uint64_t kGridMs = 20;
        const std::uint64_t slots = static_cast<std::uint64_t>(m.interval_s) * 1000 / kGridMs;
        return std::chrono::milliseconds((static_cast<std::uint64_t>(m.id) * 2654435761ULL) % slots * kGridMs);
    }

    // The next instant at or after `now` that is the monitor's phase past a whole number of its
    // intervals since the engine started: monitors added later land on the same grid.
    SteadyClock::time_point FirstDue(const Monitor& m, SteadyClock::time_point now) const {
        const auto interval = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::seconds(m.interval_s));
        auto due = epoch + Phase(m);
        if (due < now) due += ((now - due) / interval + 1) * interval;
        return due;
    }

    void Apply(std::vector<Monitor> monitors, const std::map<std::int64_t, StoredState>& states) {
        std::map<std::int64_t, Slot> next;
        const auto now = SteadyClock::now();
        for (auto& m : monitors) {
            if (!m.enabled) continue;
            auto old = slots.find(m.id);
            Slot slot;
            if (old != slots.end()) {
                slot.rt = old->second.rt;
                slot.last_heartbeat = old->second.last_heartbeat;
                if (old->second.m->target == m.target) slot.log = old->second.log;
                // Keep the phase; a shorter interval brings the next check forward, never a burst.
                slot.next_due = std::min(old->second.next_due, now + std::chrono::seconds(m.interval_s));
                old->second.timer->cancel();
            } else {
                slot.next_due = FirstDue(m, now);
                slot.last_heartbeat = clock.Now();
                if (auto st = states.find(m.id); st != states.end()) {
                    slot.rt.known = true;
                    slot.rt.hard = st->second.state;
                    slot.rt.hard_since = st->second.since;
                    slot.rt.soft = IsProblem(st->second.state) ? st->second.state : State::kOk;
                }
            }
            if (m.type == "log" && !slot.log) slot.log = MakeLogState(m);
            slot.m = std::make_shared<const Monitor>(std::move(m));
            slot.timer = std::make_unique<net::steady_timer>(io);
            slot.generation = ++generations;
            next.emplace(slot.m->id, std::move(slot));
        }
        for (auto& [id, slot] : slots) {
            if (!next.contains(id)) slot.timer->cancel();
        }
        slots = std::move(next);
        for (auto& [id, slot] : slots) {
            net::co_spawn(io, Loop(id, slot.generation), net::detached);
        }
    }

    Slot* Find(std::int64_t id, std::uint64_t generation) {
        auto it = slots.find(id);
        return it == slots.end() || it->second.generation != generation ? nullptr : &it->second;
    }

    static std::shared_ptr<LogState> MakeLogState(const Monitor& m) {
        auto filter = LogFilter::FromTarget(m.target);
        if (!filter) return nullptr;  // refused on input; the check says so
        auto state = std::make_shared<LogState>();
        state->filter = std::move(*filter);
        if (!state->filter->syslog()) state->file = std::make_unique<LogFile>(state->filter->path(), state->filter->from_start());
        return state;
    }

    CheckResult CheckLog(const Monitor& m, const std::shared_ptr<LogState>& log) {
        const Millis now = clock.Now();
        if (!log) return {State::kUnknown, std::nullopt, "ログ監視の設定が正しくありません", now};
        if (!log->file) return GradeLog(m, std::exchange(log->syslog, {}), "syslog", now);
        const auto tally = log->file->Poll(*log->filter);
        if (!tally) return {State::kUnknown, std::nullopt, tally.error().message, now};
        return GradeLog(m, *tally, log->filter->path(), now);
    }

    // One syslog message to every log monitor listening to syslog (io thread).
    void OnSyslog(std::string_view line) {
        ++syslog_messages;
        const auto message = ParseSyslog(line);
        for (auto& [id, slot] : slots) {
            if (slot.log && !slot.log->file && slot.log->filter->Accepts(message)) {
                slot.log->syslog.Add(*slot.log->filter, message.text);
            }
        }
    }

    awaitable<void> SyslogUdp() {
        std::vector<char> buf(65536);
        for (;;) {
            auto [ec, n] = co_await syslog_udp->async_receive(net::buffer(buf), kAsTuple);
            if (ec == net::error::operation_aborted) break;
            if (!ec) OnSyslog(std::string_view(buf.data(), n));
        }
    }

    // One TCP sender: octet-counted frames ("LEN SP MSG", RFC 6587) or lines.
    awaitable<void> SyslogConnection(net::ip::tcp::socket socket) {
        std::string data;
        constexpr std::size_t kMax = 65536;
        for (;;) {
            // Whole frames first.
            for (;;) {
                if (!data.empty() && data[0] >= '1' && data[0] <= '9') {
                    const auto space = data.find(' ');
                    if (space == std::string::npos || space > 6) break;
                    const std::size_t len = std::stoul(data.substr(0, space));
                    if (data.size() < space + 1 + len) break;
                    OnSyslog(std::string_view(data).substr(space + 1, len));
                    data.erase(0, space + 1 + len);
                } else {
                    const auto nl = data.find('\n');
                    if (nl == std::string::npos) break;
                    if (nl > 0) OnSyslog(std::string_view(data).substr(0, nl));
                    data.erase(0, nl + 1);
                }
            }
            if (data.size() > kMax) data.clear();  // a frame too long to be syslog: dropped
            char buf[8192];
            auto [ec, n] = co_await socket.async_read_some(net::buffer(buf), kAsTuple);
            if (ec) co_return;
            data.append(buf, n);
        }
    }

    awaitable<void> SyslogTcp() {
        for (;;) {
            auto [ec, socket] = co_await syslog_tcp->async_accept(kAsTuple);
            if (ec == net::error::operation_aborted) break;
            if (!ec) net::co_spawn(io, SyslogConnection(std::move(socket)), net::detached);
        }
    }

    awaitable<CheckResult> Check(const Monitor& m, Millis last_heartbeat, std::shared_ptr<LogState> log) {
        if (m.type == "log") co_return CheckLog(m, log);
        if (IsNetworkType(m.type)) co_return co_await CheckNetwork(m, clock);
        if (m.type == "command") co_return co_await CheckCommand(m, clock);
        if (m.type == "cpu") co_return co_await CheckCpu(m, clock);
        if (m.type == "net_traffic") co_return co_await CheckNetTraffic(m, clock);
        if (m.type == "memory") co_return CheckMemory(m, clock.Now());
        if (m.type == "load") co_return CheckLoad(m, clock.Now());
        if (m.type == "disk") co_return CheckDisk(m, clock.Now());
        if (m.type == "process") co_return CheckProcess(m, clock.Now());
        if (m.type == "heartbeat") {
            const Millis now = clock.Now();
            const Millis age = now - last_heartbeat;
            if (age > m.interval_s * 1000LL) {
                co_return CheckResult{State::kCritical, static_cast<double>(age),
                                      fmt::format("{} 秒間ハートビートがありません", age / 1000), now};
            }
            co_return CheckResult{State::kOk, static_cast<double>(age), "ハートビート受信", now};
        }
        co_return CheckResult{State::kUnknown, std::nullopt, "この種類の監視はまだ実行できません", clock.Now()};
    }

    awaitable<void> Loop(std::int64_t id, std::uint64_t generation) {
        for (;;) {
            Slot* slot = Find(id, generation);
            if (slot == nullptr) co_return;
            slot->timer->expires_at(slot->next_due);
            auto [ec] = co_await slot->timer->async_wait(kAsTuple);
            slot = Find(id, generation);
            if (slot == nullptr) co_return;
            if (ec && SteadyClock::now() < slot->next_due) continue;  // poked or rescheduled
            const auto due = slot->next_due;
            const auto started = SteadyClock::now();
            NoteLateness(std::chrono::duration_cast<std::chrono::milliseconds>(started - due).count());
            const std::shared_ptr<const Monitor> m = slot->m;
            // Awaited directly: a race with a stop signal would spawn a coroutine per check.
            const auto result = co_await Check(*m, slot->last_heartbeat, slot->log);
            ++checks;
            auto& t = by_type[m->type];
            ++t.checks;
            if (result.state != State::kOk) ++t.failures;
            t.duration_s += std::chrono::duration<double>(SteadyClock::now() - started).count();
            slot = Find(id, generation);
            if (slot == nullptr) co_return;
            slot->next_due = due + std::chrono::seconds(m->interval_s);
            if (slot->next_due < SteadyClock::now()) slot->next_due = SteadyClock::now();  // never a burst
            if (IsProblem(result.state) && LoopLagged(started) && slot->inconclusive < kMaxInconclusive) {
                ++slot->inconclusive;
                ++inconclusive;
                continue;
            }
            slot->inconclusive = 0;
            pending.push_back({m->id, result.at, result.state, result.value});
            Handle(*slot, result);
        }
    }

    // Flapping first: while a monitor flaps (and on the result that ends it) its changes are
    // recorded but alert no one; the start and the end are told instead.
    void Handle(Slot& slot, const CheckResult& result) {
        const auto flap = TrackFlapping(slot.rt, result.state);
        HandleState(slot, result, slot.rt.flapping || flap.has_value());
        if (flap && on_flap) {
            net::post(worker, [this, m = slot.m, f = *flap, hard = slot.rt.known ? slot.rt.hard : State::kUnknown] {
                try {
                    on_flap(*m, f, hard);
                } catch (const std::exception& e) {
                    spdlog::error("handling the flapping of monitor {} failed: {}", m->id, e.what());
                }
            });
        }
    }

    void HandleState(Slot& slot, const CheckResult& result, bool quiet) {
        const Runtime before = slot.rt;
        auto change = monitor::Apply(slot.rt, result, slot.m->retries);
        if (change) change->flapping = quiet;
        if (!change || !IsProblem(change->to)) {
            if (change && !before.known && on_settled) {
                pending_settled.emplace_back(slot.m->id, *change);
            } else if (change) {
                Emit(*slot.m, *change);
            }
            return;
        }
        // A failure: is a parent down? Wait for a parent that is failing but not yet decided, or
        // that has not been checked since this failure began (checking it now).
        bool parent_down = false;
        for (const auto pid : slot.m->parent_ids) {
            auto p = slots.find(pid);
            if (p == slots.end()) continue;
            auto& parent = p->second;
            if (parent.rt.known && IsProblem(parent.rt.hard)) {
                parent_down = true;
                continue;
            }
            const bool failing = parent.rt.attempts > 0;
            const bool stale = parent.rt.last_check_at < slot.rt.episode_start;
            if (failing || stale) {
                slot.rt = before;
                slot.rt.last_check_at = result.at;
                if (stale) {
                    parent.next_due = SteadyClock::now();
                    parent.timer->cancel();
                }
                slot.next_due = std::max(parent.next_due, SteadyClock::now()) +
                                std::chrono::milliseconds(parent.m->timeout_ms + 200);
                return;
            }
        }
        if (parent_down) {
            change->to = State::kUnreachable;
            change->message = "親の監視が異常のため到達不能: " + change->message;
            slot.rt.hard = State::kUnreachable;
            if (before.known && before.hard == State::kUnreachable) return;
        }
        Emit(*slot.m, *change);
    }

    void Emit(const Monitor& m, const HardChange& change) {
        net::post(worker, [this, m, change] {
            try {
                on_change(m, change);
            } catch (const std::exception& e) {
                spdlog::error("handling the state change of monitor {} failed: {}", m.id, e.what());
            }
        });
    }

    // Runs `f` on the io thread and waits for it, at most 2 s: a stalled engine must not stall
    // the API or /metrics that ask it (nullopt then).
    template <typename F>
    auto OnIo(F f) -> std::optional<decltype(f())> {
        auto promise = std::make_shared<std::promise<decltype(f())>>();
        auto future = promise->get_future();
        net::post(io, [promise, f = std::move(f)]() mutable { promise->set_value(f()); });
        if (future.wait_for(std::chrono::seconds(2)) != std::future_status::ready) return std::nullopt;
        return future.get();
    }
};

Engine::Engine(const Clock& clock, MonitorStore& store, ChangeHandler on_change)
    : impl_(std::make_unique<Impl>(clock, store, std::move(on_change))) {}

Engine::~Engine() { Stop(); }

void Engine::OnResults(ResultHandler f) { impl_->on_results = std::move(f); }

void Engine::OnFlapping(FlapHandler f) { impl_->on_flap = std::move(f); }

void Engine::OnSettled(SettledHandler f) { impl_->on_settled = std::move(f); }

Result<void> Engine::Start() {
    auto monitors = UNYO_TRY(impl_->store.List());
    std::map<std::int64_t, StoredState> states;
    for (auto& s : UNYO_TRY(impl_->store.States())) states.emplace(s.monitor_id, s);
    impl_->guard.emplace(impl_->io.get_executor());
    net::post(impl_->io, [this, monitors = std::move(monitors), states = std::move(states)]() mutable {
        impl_->Apply(std::move(monitors), states);
        net::co_spawn(impl_->io, impl_->Ticker(), net::detached);
        net::co_spawn(impl_->io, impl_->LagProbe(), net::detached);
        if (impl_->syslog_udp) net::co_spawn(impl_->io, impl_->SyslogUdp(), net::detached);
        if (impl_->syslog_tcp) net::co_spawn(impl_->io, impl_->SyslogTcp(), net::detached);
    });
    impl_->last_tick_ms = Impl::SteadyMs();
    impl_->thread = std::thread([this] { impl_->io.run(); });
    return {};
}

Result<std::string> Engine::ListenSyslog(const std::string& address) {
    const auto colon = address.rfind(':');
    auto refuse = [&](const std::string& why) {
        return Fail(Error::Field("monitoring.syslog_listen", fmt::format("{}: {}", address, why)));
    };
    if (colon == std::string::npos) return refuse("must be HOST:PORT");
    auto host = address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    const auto ip = net::ip::make_address(host, ec);
    if (ec) return refuse("the host must be an IP address");
    int port = -1;
    try {
        port = std::stoi(address.substr(colon + 1));
    } catch (const std::exception&) {
    }
    if (port < 0 || port > 65535) return refuse("the port must be 0–65535");
    auto& udp = impl_->syslog_udp.emplace(impl_->io);
    udp.open(ip.is_v4() ? net::ip::udp::v4() : net::ip::udp::v6(), ec);
    if (!ec) udp.bind({ip, static_cast<unsigned short>(port)}, ec);
    if (ec) {
        impl_->syslog_udp.reset();
        return refuse("cannot receive UDP there (" + ec.message() + ")");
    }
    const auto bound = udp.local_endpoint().port();
    auto& tcp = impl_->syslog_tcp.emplace(impl_->io);
    const net::ip::tcp::endpoint endpoint{ip, bound};
    tcp.open(endpoint.protocol(), ec);
    if (!ec) tcp.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) tcp.bind(endpoint, ec);
    if (!ec) tcp.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        impl_->syslog_udp.reset();
        impl_->syslog_tcp.reset();
        return refuse("cannot receive TCP there (" + ec.message() + ")");
    }
    return fmt::format("{}:{}", ip.is_v6() ? "[" + ip.to_string() + "]" : ip.to_string(), bound);
}

void Engine::Reload() {
    auto monitors = impl_->store.List();
    if (!monitors) {
        spdlog::error("reloading monitors failed: {}", monitors.error().message);
        return;
    }
    net::post(impl_->io, [this, list = std::move(*monitors)]() mutable { impl_->Apply(std::move(list), {}); });
}

void Engine::Stop() {
    if (!impl_->thread.joinable()) return;
    net::post(impl_->io, [this] {
        boost::system::error_code ignored;
        if (impl_->syslog_udp) impl_->syslog_udp->close(ignored);
        if (impl_->syslog_tcp) impl_->syslog_tcp->close(ignored);
        impl_->Flush();    // the results and first states of the last second
        impl_->io.stop();  // checks in flight are abandoned (their frames go with the io_context)
    });
    impl_->guard.reset();
    impl_->thread.join();
    impl_->worker.join();
}

void Engine::Heartbeat(std::int64_t id) {
    const Millis now = impl_->clock.Now();
    net::post(impl_->io, [this, id, now] {
        if (auto it = impl_->slots.find(id); it != impl_->slots.end()) it->second.last_heartbeat = now;
    });
}

std::vector<LiveStatus> Engine::Snapshot() {
    if (!impl_->thread.joinable()) return {};
    auto snapshot = impl_->OnIo([this] {
        std::vector<LiveStatus> out;
        for (const auto& [id, slot] : impl_->slots) {
            const auto& rt = slot.rt;
            out.push_back({id, rt.soft, rt.known ? std::optional<State>(rt.hard) : std::nullopt, rt.attempts,
                           rt.last_check_at ? std::optional<Millis>(rt.last_check_at) : std::nullopt, rt.last_value,
                           rt.last_message});
        }
        return out;
    });
    if (!snapshot) spdlog::warn("the monitoring engine did not answer within 2 s");
    return snapshot.value_or(std::vector<LiveStatus>{});
}

EngineStats Engine::Stats() {
    EngineStats s;
    {
        const std::lock_guard lock(impl_->published_mutex);
        s = impl_->published;
    }
    if (impl_->thread.joinable()) s.since_tick_ms = Impl::SteadyMs() - impl_->last_tick_ms;
    s.checks = impl_->checks;
    s.late_checks = impl_->late;
    s.max_lateness_ms = impl_->max_late;
    s.results_written = impl_->results_written;
    s.syslog_messages = impl_->syslog_messages;
    s.inconclusive_checks = impl_->inconclusive;
    s.max_loop_lag_ms = impl_->max_loop_lag;
    return s;
}

void Engine::StallForTest(std::chrono::milliseconds d) {
    (void)impl_->OnIo([d] {
        std::this_thread::sleep_for(d);
        return true;
    });
}

Millis Engine::TakeRecentMaxLateness() { return impl_->recent_max_late.exchange(0); }

}  // namespace unyo::monitor
