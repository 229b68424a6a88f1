#include "monitor/protocols.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace unyo::monitor {
namespace {

constexpr std::uint64_t kNtpUnixOffset = 2208988800ULL;  // seconds from 1900 to 1970

std::uint16_t Be16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::uint32_t Be32(std::span<const std::uint8_t> b, std::size_t at) {
    return (static_cast<std::uint32_t>(b[at]) << 24) | (static_cast<std::uint32_t>(b[at + 1]) << 16) |
           (static_cast<std::uint32_t>(b[at + 2]) << 8) | b[at + 3];
}

std::uint64_t Be64(std::span<const std::uint8_t> b, std::size_t at) {
    return (static_cast<std::uint64_t>(Be32(b, at)) << 32) | Be32(b, at + 4);
}

Error Malformed(std::string what) { return Error::Invalid(std::move(what)); }

// A (possibly compressed) domain name at `at`; `at` moves past it in the message.
Result<std::string> ReadName(std::span<const std::uint8_t> msg, std::size_t& at) {
    std::string name;
    std::size_t pos = at;
    bool jumped = false;
    for (int hops = 0; hops < 64; ++hops) {
        if (pos >= msg.size()) return Fail(Malformed("DNS name runs past the message"));
        const std::uint8_t len = msg[pos];
        if ((len & 0xC0) == 0xC0) {
            if (pos + 1 >= msg.size()) return Fail(Malformed("DNS pointer runs past the message"));
            if (!jumped) at = pos + 2;
            jumped = true;
            pos = static_cast<std::size_t>(((len & 0x3F) << 8) | msg[pos + 1]);
            continue;
        }
        if (len == 0) {
            if (!jumped) at = pos + 1;
            return name.empty() ? std::string(".") : name;
        }
        if (pos + 1 + len > msg.size()) return Fail(Malformed("DNS label runs past the message"));
        if (!name.empty()) name += '.';
        name.append(reinterpret_cast<const char*>(msg.data() + pos + 1), len);
        pos += 1 + len;
    }
    return Fail(Malformed("DNS name has too many pointers"));
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

// The next space-separated word of `s` (moving past it).
std::string_view NextWord(std::string_view& s) {
    const auto end = s.find(' ');
    const auto word = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view{} : s.substr(end + 1);
    return word;
}

}  // namespace

std::optional<std::uint16_t> DnsTypeCode(std::string_view name) {
    static constexpr std::pair<std::string_view, std::uint16_t> kTypes[] = {
        {"A", 1}, {"NS", 2}, {"CNAME", 5}, {"SOA", 6}, {"PTR", 12}, {"MX", 15}, {"TXT", 16}, {"AAAA", 28}};
    for (const auto& [n, code] : kTypes) {
        if (n == name) return code;
    }
    return std::nullopt;
}

Result<std::vector<std::uint8_t>> BuildDnsQuery(std::uint16_t id, std::string_view name, std::uint16_t type) {
    std::vector<std::uint8_t> q{static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id & 0xFF),
                                0x01, 0x00,  // recursion desired
                                0, 1, 0, 0, 0, 0, 0, 0};
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (name.empty() || name.size() > 253) return Fail(Malformed("the name must be 1–253 characters"));
    while (!name.empty()) {
        const auto dot = name.find('.');
        const auto label = name.substr(0, dot);
        if (label.empty() || label.size() > 63) return Fail(Malformed("each label must be 1–63 characters"));
        q.push_back(static_cast<std::uint8_t>(label.size()));
        q.insert(q.end(), label.begin(), label.end());
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    }
    q.push_back(0);
    q.insert(q.end(), {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type & 0xFF), 0, 1});
    return q;
}

Result<DnsAnswer> ParseDnsResponse(std::span<const std::uint8_t> msg, std::uint16_t id, std::uint16_t type) {
    if (msg.size() < 12) return Fail(Malformed("DNS answer shorter than its header"));
    if (Be16(msg, 0) != id) return Fail(Malformed("DNS answer to another query"));
    if ((msg[2] & 0x80) == 0) return Fail(Malformed("DNS message is not an answer"));
    DnsAnswer out;
    out.truncated = (msg[2] & 0x02) != 0;
    out.rcode = msg[3] & 0x0F;
    const int questions = Be16(msg, 4), answers = Be16(msg, 6);
    std::size_t at = 12;
    for (int i = 0; i < questions; ++i) {
        UNYO_TRY(ReadName(msg, at));
        at += 4;
    }
    for (int i = 0; i < answers; ++i) {
        UNYO_TRY(ReadName(msg, at));
        if (at + 10 > msg.size()) return Fail(Malformed("DNS record runs past the message"));
        const auto rtype = Be16(msg, at);
        const auto rdlength = Be16(msg, at + 8);
        const std::size_t rdata = at + 10;
        if (rdata + rdlength > msg.size()) return Fail(Malformed("DNS record data runs past the message"));
        at = rdata + rdlength;
        if (rtype != type) continue;  // e.g. the CNAME chain before the A records
        const auto data = msg.subspan(rdata, rdlength);
        char text[INET6_ADDRSTRLEN] = {};
        std::size_t name_at = rdata;
        switch (rtype) {
            case 1:
                if (rdlength != 4) return Fail(Malformed("A record is not 4 bytes"));
                inet_ntop(AF_INET, data.data(), text, sizeof text);
                out.values.emplace_back(text);
                break;
            case 28:
                if (rdlength != 16) return Fail(Malformed("AAAA record is not 16 bytes"));
                inet_ntop(AF_INET6, data.data(), text, sizeof text);
                out.values.emplace_back(text);
                break;
            case 15: {
                if (rdlength < 3) return Fail(Malformed("MX record too short"));
                name_at += 2;
                out.values.push_back(fmt::format("{} {}", Be16(msg, rdata), UNYO_TRY(ReadName(msg, name_at))));
                break;
            }
            case 16: {
                std::string joined;
                for (std::size_t p = 0; p < data.size();) {
                    const std::size_t len = data[p];
                    if (p + 1 + len > data.size()) return Fail(Malformed("TXT string runs past its record"));
                    joined.append(reinterpret_cast<const char*>(data.data() + p + 1), len);
                    p += 1 + len;
                }
                out.values.push_back(std::move(joined));
                break;
            }
            default:  // NS, CNAME, PTR, SOA (its primary name)
                out.values.push_back(UNYO_TRY(ReadName(msg, name_at)));
        }
    }
    return out;
}

std::string DnsRcodeName(int rcode) {
    static constexpr std::string_view kNames[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
    if (rcode >= 0 && rcode < 6) return std::string(kNames[rcode]);
    return fmt::format("RCODE {}", rcode);
}

std::uint64_t ToNtpTimestamp(double unix_seconds) {
    const double whole = std::floor(unix_seconds);
    const auto seconds = static_cast<std::uint64_t>(whole) + kNtpUnixOffset;
    const auto fraction = static_cast<std::uint64_t>((unix_seconds - whole) * 4294967296.0);
    return (seconds << 32) | (fraction & 0xFFFFFFFFULL);
}

double FromNtpTimestamp(std::uint64_t ntp) {
    return static_cast<double>(ntp >> 32) - static_cast<double>(kNtpUnixOffset) +
           static_cast<double>(ntp & 0xFFFFFFFFULL) / 4294967296.0;
}

std::array<std::uint8_t, 48> BuildNtpRequest(std::uint64_t transmit) {
    std::array<std::uint8_t, 48> p{};
    p[0] = (0 << 6) | (4 << 3) | 3;  // no leap warning, version 4, client
    for (int i = 0; i < 8; ++i) p[40 + i] = static_cast<std::uint8_t>(transmit >> (56 - 8 * i));
    return p;
}

Result<NtpReply> ParseNtpReply(std::span<const std::uint8_t> msg, std::uint64_t sent, double received_unix) {
    if (msg.size() < 48) return Fail(Malformed("NTP reply shorter than 48 bytes"));
    const int leap = msg[0] >> 6, mode = msg[0] & 0x07;
    if (mode != 4) return Fail(Malformed(fmt::format("NTP reply has mode {}, not server", mode)));
    NtpReply r;
    r.stratum = msg[1];
    if (r.stratum == 0) {
        return Fail(Malformed(fmt::format("NTP server refused (kiss code {})",
                                          std::string_view(reinterpret_cast<const char*>(msg.data() + 12), 4))));
    }
    if (leap == 3 || r.stratum >= 16) return Fail(Malformed("NTP server is not synchronised"));
    if (Be64(msg, 24) != sent) return Fail(Malformed("NTP reply to another request"));
    const double t1 = FromNtpTimestamp(sent), t2 = FromNtpTimestamp(Be64(msg, 32)),
                 t3 = FromNtpTimestamp(Be64(msg, 40)), t4 = received_unix;
    r.offset_s = ((t2 - t1) + (t3 - t4)) / 2;
    r.delay_s = (t4 - t1) - (t3 - t2);
    return r;
}

std::optional<MysqlGreeting> ParseMysqlGreeting(std::span<const std::uint8_t> packet) {
    if (packet.size() < 5) return std::nullopt;
    const std::size_t len = packet[0] | (packet[1] << 8) | (packet[2] << 16);
    const auto payload = packet.subspan(4, std::min(len, packet.size() - 4));
    if (payload.empty()) return std::nullopt;
    if (payload[0] == 0xFF) {  // error packet: code (2), optional '#' + state (6), message
        std::size_t at = 3;
        if (payload.size() > at && payload[at] == '#') at += 6;
        if (at > payload.size()) at = payload.size();
        return MysqlGreeting{true, std::string(reinterpret_cast<const char*>(payload.data() + at), payload.size() - at)};
    }
    if (payload[0] != 10) return std::nullopt;
    const auto* begin = reinterpret_cast<const char*>(payload.data() + 1);
    const auto* end = static_cast<const char*>(std::memchr(begin, 0, payload.size() - 1));
    if (end == nullptr) return std::nullopt;
    return MysqlGreeting{false, std::string(begin, end)};
}

PluginOutput ParsePluginOutput(int exit_code, std::string_view output) {
    PluginOutput out;
    switch (exit_code) {
        case 0: out.state = State::kOk; break;
        case 1: out.state = State::kWarning; break;
        case 2: out.state = State::kCritical; break;
        default: out.state = State::kUnknown;
    }
    const auto first = output.substr(0, output.find('\n'));
    const auto bar = first.find('|');
    out.text = std::string(Trim(first.substr(0, bar)));
    // Performance data may also follow a '|' on a later line; the first line's is used.
    if (bar == std::string_view::npos) return out;
    auto perf = Trim(first.substr(bar + 1));
    std::string label;
    std::size_t eq;
    if (!perf.empty() && perf.front() == '\'') {
        const auto close = perf.find('\'', 1);
        if (close == std::string_view::npos) return out;
        label = std::string(perf.substr(1, close - 1));
        eq = close + 1;
    } else {
        eq = perf.find('=');
        if (eq == std::string_view::npos) return out;
        label = std::string(perf.substr(0, eq));
    }
    if (eq >= perf.size() || perf[eq] != '=') return out;
    auto rest = perf.substr(eq + 1);
    double v = 0;
    const auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
    if (ec != std::errc()) return out;
    out.value = v;
    out.label = std::move(label);
    return out;
}

std::vector<std::string> ExtractLinks(std::string_view html) {
    std::vector<std::string> out;
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (std::size_t i = 0; i < html.size(); ++i) {
        // An attribute name (href or src) after whitespace inside a tag, then '='.
        std::size_t name_len = 0;
        if (i + 5 <= html.size() && lower(html[i]) == 'h' && lower(html[i + 1]) == 'r' && lower(html[i + 2]) == 'e' &&
            lower(html[i + 3]) == 'f') {
            name_len = 4;
        } else if (i + 4 <= html.size() && lower(html[i]) == 's' && lower(html[i + 1]) == 'r' && lower(html[i + 2]) == 'c') {
            name_len = 3;
        }
        if (name_len == 0 || i == 0 || (html[i - 1] != ' ' && html[i - 1] != '\n' && html[i - 1] != '\t')) continue;
        std::size_t at = i + name_len;
        while (at < html.size() && html[at] == ' ') ++at;
        if (at >= html.size() || html[at] != '=') continue;
        ++at;
        while (at < html.size() && html[at] == ' ') ++at;
        if (at >= html.size()) break;
        std::string_view value;
        if (html[at] == '"' || html[at] == '\'') {
            const auto close = html.find(html[at], at + 1);
            if (close == std::string_view::npos) break;
            value = html.substr(at + 1, close - at - 1);
            i = close;
        } else {
            const auto end = html.find_first_of(" >\t\n", at);
            value = html.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
            i = end == std::string_view::npos ? html.size() : end;
        }
        value = Trim(value);
        std::string link;
        for (std::size_t k = 0; k < value.size(); ++k) {
            if (value.substr(k, 5) == "&amp;") {
                link += '&';
                k += 4;
            } else {
                link += value[k];
            }
        }
        if (link.empty() || link.front() == '#') continue;
        std::string scheme;
        for (char c : link.substr(0, 11)) scheme += lower(c);
        if (scheme.starts_with("javascript:") || scheme.starts_with("mailto:") || scheme.starts_with("tel:") ||
            scheme.starts_with("data:")) {
            continue;
        }
        if (const auto hash = link.find('#'); hash != std::string::npos) link.resize(hash);
        out.push_back(std::move(link));
    }
    return out;
}

SyslogMessage ParseSyslog(std::string_view line) {
    SyslogMessage m;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r' || line.back() == '\0')) line.remove_suffix(1);
    int pri = -1;
    if (line.size() > 2 && line.front() == '<') {
        const auto close = line.find('>');
        if (close != std::string_view::npos && close >= 2 && close <= 4) {
            int v = 0;
            const auto [p, ec] = std::from_chars(line.data() + 1, line.data() + close, v);
            if (ec == std::errc() && p == line.data() + close && v <= 191) pri = v;
        }
        if (pri >= 0) line.remove_prefix(line.find('>') + 1);
    }
    if (pri < 0) {
        m.text = std::string(line);
        return m;
    }
    m.facility = pri / 8;
    m.severity = pri % 8;
    if (line.size() > 2 && line[0] == '1' && line[1] == ' ') {  // RFC 5424
        line.remove_prefix(2);
        NextWord(line);  // timestamp
        auto word = [&] {
            const auto w = NextWord(line);
            return w == "-" ? std::string() : std::string(w);
        };
        m.host = word();
        m.app = word();
        NextWord(line);  // procid
        NextWord(line);  // msgid
        if (!line.empty() && line.front() == '[') {  // structured data: skip the elements
            bool quoted = false;
            std::size_t i = 0;
            for (; i < line.size(); ++i) {
                const char c = line[i];
                if (c == '\\') {
                    ++i;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ']' && !quoted && (i + 1 >= line.size() || line[i + 1] != '[')) {
                    ++i;
                    break;
                }
            }
            line.remove_prefix(std::min(i, line.size()));
        } else {
            NextWord(line);  // "-"
        }
        if (line.starts_with(" ")) line.remove_prefix(1);
        if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // BOM
        m.text = std::string(line);
        return m;
    }
    // RFC 3164: "Mmm dd hh:mm:ss HOST TAG[pid]: text" (the timestamp is 15 characters).
    if (line.size() > 16 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':') {
        line.remove_prefix(16);
        m.host = std::string(NextWord(line));
    }
    const auto colon = line.find(": ");
    const auto space = line.find(' ');
    if (colon != std::string_view::npos && colon < space) {
        auto tag = line.substr(0, colon);
        if (const auto bracket = tag.find('['); bracket != std::string_view::npos) tag = tag.substr(0, bracket);
        m.app = std::string(tag);
        line.remove_prefix(colon + 2);
    }
    m.text = std::string(line);
    return m;
}

int SyslogSeverityCode(std::string_view name) {
    static constexpr std::string_view kNames[] = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
    for (int i = 0; i < 8; ++i) {
        if (kNames[i] == name) return i;
    }
    return -1;
}

}  // namespace unyo::monitor
