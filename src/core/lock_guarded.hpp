#pragma once
// LockGuarded<T>: shared mutable state whose only way in is Lock(), which holds the mutex for the
// lifetime of the returned handle (after PowerDNS's LockGuarded).

#include <mutex>
#include <utility>

namespace unyo {

template <typename T>
class LockGuarded {
  public:
    class Handle {
      public:
        Handle(std::mutex& m, T& v) : lock_(m), value_(v) {}
        T* operator->() { return &value_; }
        T& operator*() { return value_; }

      private:
        std::unique_lock<std::mutex> lock_;
        T& value_;
    };

    LockGuarded() = default;
    explicit LockGuarded(T value) : value_(std::move(value)) {}
    LockGuarded(const LockGuarded&) = delete;
    LockGuarded& operator=(const LockGuarded&) = delete;

    /// Locks; the handle unlocks when it goes out of scope.
    [[nodiscard]] Handle Lock() { return Handle(mutex_, value_); }

  private:
    std::mutex mutex_;
    T value_;
};

}  // namespace unyo
