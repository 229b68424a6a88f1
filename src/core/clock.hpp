#pragma once
// Injected time. Components take a Clock& and never read the system clock themselves, so tests
// drive time with FakeClock and never sleep. Instants are UTC Unix milliseconds (DESIGN §4).

#include <atomic>
#include <cstdint>

namespace unyo {

/// UTC Unix time in milliseconds.
using Millis = std::int64_t;

constexpr Millis kSecondMs = 1000;
constexpr Millis kMinuteMs = 60 * kSecondMs;
constexpr Millis kHourMs = 60 * kMinuteMs;
constexpr Millis kDayMs = 24 * kHourMs;

/// Source of wall time. Implementations are thread-safe.
class Clock {
  public:
    virtual ~Clock() = default;
    /// Current wall time (what users see).
    [[nodiscard]] virtual Millis Now() const = 0;
};

/// The real system clock.
class SystemClock final : public Clock {
  public:
    [[nodiscard]] Millis Now() const override;
};

/// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
  public:
    explicit FakeClock(Millis start) : now_(start) {}
    [[nodiscard]] Millis Now() const override { return now_.load(); }
    void Advance(Millis by) { now_ += by; }
    void Set(Millis at) { now_ = at; }

  private:
    std::atomic<Millis> now_;
};

}  // namespace unyo
