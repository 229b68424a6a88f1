#pragma once
// The network checks of the engine (MON-1, MON-6, SEC-3), each a coroutine on the engine's
// io_context that ends by the monitor's timeout: tcp, http/https (status, keyword, redirects,
// TLS verification), tls_cert (days to expiry, issuer, name match), dns, ntp, icmp, smtp/ftp
// banners and postgres/mysql handshakes. Includes Asio: only engine files include this.

#include "core/asio.hpp"
#include "monitor/state_machine.hpp"

namespace unyo::monitor {

/// Runs the check of a network type; `clock` stamps the result.
[[nodiscard]] awaitable<CheckResult> CheckNetwork(const Monitor& m, const Clock& clock);

/// Runs a Nagios plugin (target.command: argv; target.env: extra variables) and judges by its
/// exit code, with its first performance datum as the value (command_check.cpp).
[[nodiscard]] awaitable<CheckResult> CheckCommand(const Monitor& m, const Clock& clock);

/// Whether `type` is one CheckNetwork runs.
[[nodiscard]] bool IsNetworkType(std::string_view type);

}  // namespace unyo::monitor
