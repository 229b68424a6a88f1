#pragma once
// Matches a method and a path against route patterns such as "/api/v1/users/{id}".
// Header-only template over the route payload so that api/ keeps its own route type.
// Built once at start; Match() is const and safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace unyo::http {

/// Splits "/a/b/" into {"a", "b"}.
[[nodiscard]] std::vector<std::string_view> SplitPath(std::string_view path);

template <typename Route>
class Router {
  public:
    struct Match {
        const Route* route = nullptr;  // null: no route for this method
        Pairs params;
        bool path_known = false;  // another method matches this path (405)
        std::string allow;        // methods that do, for the Allow header
    };

    /// `route` must expose `method` and `pattern` strings.
    void Add(Route route) { routes_.push_back(std::move(route)); }
    [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

    [[nodiscard]] Match Find(std::string_view method, std::string_view path) const {
        Match m;
        const auto parts = SplitPath(path);
        for (const auto& r : routes_) {
            Pairs params;
            if (!MatchPattern(r.pattern, parts, params)) {
                continue;
            }
            if (r.method == method) {
                m.route = &r;
                m.params = std::move(params);
                return m;
            }
            m.path_known = true;
            m.allow += m.allow.empty() ? r.method : ", " + r.method;
        }
        return m;
    }

  private:
    static bool MatchPattern(std::string_view pattern, const std::vector<std::string_view>& parts,
                             Pairs& params) {
        const auto want = SplitPath(pattern);
        if (want.size() != parts.size()) {
            return false;
        }
        for (std::size_t i = 0; i < want.size(); ++i) {
            if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
                params.emplace_back(std::string(want[i].substr(1, want[i].size() - 2)),
                                    std::string(parts[i]));
            } else if (want[i] != parts[i]) {
                return false;
            }
        }
        return true;
    }

    std::vector<Route> routes_;
};

inline std::vector<std::string_view> SplitPath(std::string_view path) {
    std::vector<std::string_view> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        if (slash != 0) {
            out.push_back(path.substr(0, slash));
        }
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash + 1);
    }
    return out;
}

}  // namespace unyo::http
