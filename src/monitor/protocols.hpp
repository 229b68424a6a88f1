#pragma once
// The wire formats the network checks speak, pure and unit-tested apart from the sockets: DNS
// queries and answers (RFC 1035), SNTP (RFC 4330), the MySQL greeting, the output of a Nagios
// plugin, and syslog lines (RFC 5424 and RFC 3164).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "monitor/monitor.hpp"

namespace unyo::monitor {

// --- DNS ---------------------------------------------------------------------------------------

/// A, AAAA, CNAME, MX, NS, TXT, PTR, SOA: the code of a record type name; nullopt when unknown.
[[nodiscard]] std::optional<std::uint16_t> DnsTypeCode(std::string_view name);
/// A standard recursive query for `name` (an error when a label is empty or over 63 bytes).
[[nodiscard]] Result<std::vector<std::uint8_t>> BuildDnsQuery(std::uint16_t id, std::string_view name,
                                                              std::uint16_t type);
struct DnsAnswer {
    int rcode = 0;                    // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN …
    bool truncated = false;
    std::vector<std::string> values;  // of the records of the asked type, in order
};
/// The answer to query `id`; an error when the bytes are not a well-formed answer to it.
[[nodiscard]] Result<DnsAnswer> ParseDnsResponse(std::span<const std::uint8_t> msg, std::uint16_t id,
                                                 std::uint16_t type);
/// NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED or RCODE n.
[[nodiscard]] std::string DnsRcodeName(int rcode);

// --- NTP ---------------------------------------------------------------------------------------

/// A client request (version 4, mode 3) whose transmit timestamp is `transmit` (NTP format).
[[nodiscard]] std::array<std::uint8_t, 48> BuildNtpRequest(std::uint64_t transmit);
/// Unix seconds as a 64-bit NTP timestamp (seconds since 1900 in the high half).
[[nodiscard]] std::uint64_t ToNtpTimestamp(double unix_seconds);
[[nodiscard]] double FromNtpTimestamp(std::uint64_t ntp);
struct NtpReply {
    double offset_s = 0;  // server clock minus ours
    double delay_s = 0;   // round trip less the server's processing
    int stratum = 0;
};
/// The offset from a server reply: `sent` is the request's transmit timestamp (which the reply
/// must echo), `received_unix` when the reply arrived. An error for a kiss-o'-death (stratum 0),
/// an unsynchronised server or a reply to another request.
[[nodiscard]] Result<NtpReply> ParseNtpReply(std::span<const std::uint8_t> msg, std::uint64_t sent,
                                             double received_unix);

// --- MySQL -------------------------------------------------------------------------------------

struct MysqlGreeting {
    bool error = false;   // the server answered with an error packet (e.g. host not allowed)
    std::string text;     // the server version, or the error message
};
/// The first packet a MySQL/MariaDB server sends (protocol 10 handshake or an error packet);
/// nullopt when it is neither.
[[nodiscard]] std::optional<MysqlGreeting> ParseMysqlGreeting(std::span<const std::uint8_t> packet);

// --- Nagios plugins ----------------------------------------------------------------------------

struct PluginOutput {
    State state = State::kUnknown;
    std::string text;              // the first line before '|'
    std::optional<double> value;   // the first performance datum
    std::string label;             // its label
};
/// Exit 0 ok, 1 warning, 2 critical, anything else unknown (Nagios plugin guidelines); the
/// performance data "label=value[UOM];warn;crit;min;max …" after '|'.
[[nodiscard]] PluginOutput ParsePluginOutput(int exit_code, std::string_view output);

// --- HTML ---------------------------------------------------------------------------------------

/// The href and src attribute values of an HTML page, in order, with &amp; decoded; fragments,
/// javascript:, mailto:, tel: and data: links left out.
[[nodiscard]] std::vector<std::string> ExtractLinks(std::string_view html);

// --- syslog ------------------------------------------------------------------------------------

struct SyslogMessage {
    int facility = 1;   // user
    int severity = 5;   // notice
    std::string host;
    std::string app;
    std::string text;
};
/// One message in RFC 5424 or RFC 3164 form ("<PRI>…"); without a valid PRI the whole line is
/// the text (as rsyslog does with facility user, severity notice).
[[nodiscard]] SyslogMessage ParseSyslog(std::string_view line);
/// emerg, alert, crit, err, warning, notice, info, debug; -1 when unknown.
[[nodiscard]] int SyslogSeverityCode(std::string_view name);

}  // namespace unyo::monitor
