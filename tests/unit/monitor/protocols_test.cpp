// The wire formats of the network checks: DNS, SNTP, the MySQL greeting, Nagios plugin output
// and syslog lines, on bytes built by hand after the RFCs.
#include "monitor/protocols.hpp"

#include <gtest/gtest.h>

namespace unyo::monitor {
namespace {

using Bytes = std::vector<std::uint8_t>;

// An answer to `query`: the question echoed, then `records` (each already encoded).
Bytes Answer(const Bytes& query, int rcode, const std::vector<Bytes>& records) {
    Bytes r = query;
    r[2] = 0x81;  // QR, RD
    r[3] = static_cast<std::uint8_t>(0x80 | rcode);  // RA
    r[7] = static_cast<std::uint8_t>(records.size());
    for (const auto& rec : records) r.insert(r.end(), rec.begin(), rec.end());
    return r;
}

// A record whose owner is the question's name (pointer to offset 12).
Bytes Record(std::uint16_t type, const Bytes& rdata) {
    Bytes r{0xC0, 0x0C, static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, 1, 0, 0, 0x0E, 0x10,
            static_cast<std::uint8_t>(rdata.size() >> 8), static_cast<std::uint8_t>(rdata.size())};
    r.insert(r.end(), rdata.begin(), rdata.end());
    return r;
}

TEST(Dns, QueryEncodesTheNameAsLabels) {
    const auto q = BuildDnsQuery(0x1234, "www.example.jp.", 1);
    ASSERT_TRUE(q);
    const Bytes expected{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm',
                         'p', 'l', 'e', 2, 'j', 'p', 0, 0, 1, 0, 1};
    EXPECT_EQ(*q, expected);
    EXPECT_FALSE(BuildDnsQuery(1, "a..b", 1)) << "an empty label";
    std::string long_label(64, 'x');
    long_label += ".jp";
    EXPECT_FALSE(BuildDnsQuery(1, long_label, 1)) << "a label over 63 bytes";
    EXPECT_FALSE(BuildDnsQuery(1, "", 1));
}

TEST(Dns, AnswerFollowsPointersAndKeepsOnlyTheAskedType) {
    const auto q = *BuildDnsQuery(7, "www.example.jp", 1);
    // www.example.jp CNAME web.example.jp (web + pointer to "example.jp" at offset 16), then A.
    const Bytes cname{3, 'w', 'e', 'b', 0xC0, 16};
    const auto r = Answer(q, 0, {Record(5, cname), Record(1, {192, 0, 2, 10}), Record(1, {192, 0, 2, 11})});
    const auto a = ParseDnsResponse(r, 7, 1);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->rcode, 0);
    EXPECT_EQ(a->values, (std::vector<std::string>{"192.0.2.10", "192.0.2.11"}));
    const auto c = ParseDnsResponse(r, 7, 5);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->values, std::vector<std::string>{"web.example.jp"});
}

TEST(Dns, MxTxtAndAaaaAreReadable) {
    const auto q = *BuildDnsQuery(9, "example.jp", 15);
    const auto mx = ParseDnsResponse(Answer(q, 0, {Record(15, {0, 10, 4, 'm', 'a', 'i', 'l', 0xC0, 12})}), 9, 15);
    ASSERT_TRUE(mx);
    EXPECT_EQ(mx->values, std::vector<std::string>{"10 mail.example.jp"});
    const auto txt = ParseDnsResponse(Answer(q, 0, {Record(16, {2, 'a', 'b', 1, 'c'})}), 9, 16);
    ASSERT_TRUE(txt);
    EXPECT_EQ(txt->values, std::vector<std::string>{"abc"});
    Bytes v6(16, 0);
    v6[0] = 0x20;
    v6[1] = 0x01;
    v6[2] = 0x0d;
    v6[3] = 0xb8;
    v6[15] = 1;
    const auto aaaa = ParseDnsResponse(Answer(q, 0, {Record(28, v6)}), 9, 28);
    ASSERT_TRUE(aaaa);
    EXPECT_EQ(aaaa->values, std::vector<std::string>{"2001:db8::1"});
}

TEST(Dns, ErrorsAndForeignOrBrokenAnswersAreTold) {
    const auto q = *BuildDnsQuery(5, "nowhere.example.jp", 1);
    const auto nx = ParseDnsResponse(Answer(q, 3, {}), 5, 1);
    ASSERT_TRUE(nx);
    EXPECT_EQ(DnsRcodeName(nx->rcode), "NXDOMAIN");
    EXPECT_FALSE(ParseDnsResponse(Answer(q, 0, {}), 6, 1)) << "an answer to another id";
    EXPECT_FALSE(ParseDnsResponse(q, 5, 1)) << "a query is not an answer";
    auto cut = Answer(q, 0, {Record(1, {192, 0, 2, 1})});
    cut.resize(cut.size() - 2);
    EXPECT_FALSE(ParseDnsResponse(cut, 5, 1)) << "record data past the end";
    Bytes loop = Answer(q, 0, {Record(1, {192, 0, 2, 1})});
    loop[12] = 0xC0;  // the question's name points at itself
    loop[13] = 12;
    EXPECT_FALSE(ParseDnsResponse(loop, 5, 1)) << "a pointer loop ends with an error";
}

Bytes NtpReply(std::uint8_t first, std::uint8_t stratum, std::uint64_t origin, double receive, double transmit) {
    Bytes p(48, 0);
    p[0] = first;
    p[1] = stratum;
    auto put = [&](std::size_t at, std::uint64_t v) {
        for (int i = 0; i < 8; ++i) p[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
    };
    put(24, origin);
    put(32, ToNtpTimestamp(receive));
    put(40, ToNtpTimestamp(transmit));
    return p;
}

TEST(Ntp, OffsetAndDelayFollowRfc4330) {
    const double t1 = 1795000000.0;  // sent
    const auto sent = ToNtpTimestamp(t1);
    EXPECT_NEAR(FromNtpTimestamp(sent), t1, 1e-6);
    const auto req = BuildNtpRequest(sent);
    EXPECT_EQ(req[0], 0x23) << "version 4, mode 3";
    // The server is 2.5 s ahead; 40 ms each way, 10 ms inside the server.
    const double t2 = t1 + 0.040 + 2.5, t3 = t2 + 0.010, t4 = t1 + 0.090;
    const auto r = ParseNtpReply(NtpReply(0x24, 2, sent, t2, t3), sent, t4);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_NEAR(r->offset_s, 2.5, 1e-4);
    EXPECT_NEAR(r->delay_s, 0.080, 1e-4);
    EXPECT_EQ(r->stratum, 2);
}

TEST(Ntp, KissOfDeathUnsynchronisedAndForeignRepliesAreRefused) {
    const auto sent = ToNtpTimestamp(1795000000.0);
    EXPECT_FALSE(ParseNtpReply(NtpReply(0x24, 0, sent, 1, 1), sent, 1795000000.1)) << "stratum 0: kiss-o'-death";
    EXPECT_FALSE(ParseNtpReply(NtpReply(0xE4, 2, sent, 1, 1), sent, 1795000000.1)) << "leap 3: unsynchronised";
    EXPECT_FALSE(ParseNtpReply(NtpReply(0x24, 2, sent + 1, 1, 1), sent, 1795000000.1)) << "another request's";
    EXPECT_FALSE(ParseNtpReply(NtpReply(0x23, 2, sent, 1, 1), sent, 1795000000.1)) << "mode 3 is not a server";
}

TEST(Mysql, GreetingGivesTheVersionOrTheError) {
    Bytes hello{0, 0, 0, 0, 10};
    for (char c : std::string("10.11.6-MariaDB")) hello.push_back(static_cast<std::uint8_t>(c));
    hello.push_back(0);
    hello.insert(hello.end(), {1, 0, 0, 0});
    hello[0] = static_cast<std::uint8_t>(hello.size() - 4);
    const auto g = ParseMysqlGreeting(hello);
    ASSERT_TRUE(g);
    EXPECT_FALSE(g->error);
    EXPECT_EQ(g->text, "10.11.6-MariaDB");
    Bytes err{0, 0, 0, 0, 0xFF, 0x10, 0x04};
    for (char c : std::string("Too many connections")) err.push_back(static_cast<std::uint8_t>(c));
    err[0] = static_cast<std::uint8_t>(err.size() - 4);
    const auto e = ParseMysqlGreeting(err);
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->error);
    EXPECT_EQ(e->text, "Too many connections");
    EXPECT_FALSE(ParseMysqlGreeting(Bytes{'S', 'S', 'H', '-', '2'})) << "an SSH banner is not MySQL";
}

TEST(Plugins, ExitCodeAndFirstPerformanceDatum) {
    const auto ok = ParsePluginOutput(0, "TCP OK - 0.001 second response time on 127.0.0.1 port 22|time=0.000512s;;;0.000000;10.000000\n");
    EXPECT_EQ(ok.state, State::kOk);
    EXPECT_EQ(ok.text, "TCP OK - 0.001 second response time on 127.0.0.1 port 22");
    ASSERT_TRUE(ok.value);
    EXPECT_DOUBLE_EQ(*ok.value, 0.000512);
    EXPECT_EQ(ok.label, "time");
    const auto quoted = ParsePluginOutput(1, "DISK WARNING | '/var used'=81%;80;90\nmore text\n");
    EXPECT_EQ(quoted.state, State::kWarning);
    EXPECT_EQ(quoted.label, "/var used");
    EXPECT_DOUBLE_EQ(*quoted.value, 81);
    EXPECT_EQ(ParsePluginOutput(2, "CRITICAL").state, State::kCritical);
    EXPECT_FALSE(ParsePluginOutput(2, "CRITICAL").value);
    EXPECT_EQ(ParsePluginOutput(3, "UNKNOWN").state, State::kUnknown);
    EXPECT_EQ(ParsePluginOutput(127, "sh: not found").state, State::kUnknown) << "exit codes above 3";
    EXPECT_FALSE(ParsePluginOutput(0, "OK | garbage").value);
}

TEST(Syslog, Rfc5424WithStructuredData) {
    const auto m = ParseSyslog(
        R"(<165>1 2026-11-23T09:00:00.003Z web01.city.lg.jp juki 8710 ID47 [exampleSDID@32473 iut="3" eventSource="App\]"] 住民票の発行に失敗しました)"
        "\n");
    EXPECT_EQ(m.facility, 20);
    EXPECT_EQ(m.severity, 5);
    EXPECT_EQ(m.host, "web01.city.lg.jp");
    EXPECT_EQ(m.app, "juki");
    EXPECT_EQ(m.text, "住民票の発行に失敗しました");
    const auto nil = ParseSyslog("<11>1 - - - - - - disk failure");
    EXPECT_EQ(nil.severity, 3);
    EXPECT_EQ(nil.host, "");
    EXPECT_EQ(nil.text, "disk failure");
}

TEST(Syslog, Rfc3164AndLinesWithoutPriority) {
    const auto m = ParseSyslog("<38>Nov 23 09:00:01 fw01 sshd[1234]: Failed password for root from 192.0.2.9");
    EXPECT_EQ(m.facility, 4);
    EXPECT_EQ(m.severity, 6);
    EXPECT_EQ(m.host, "fw01");
    EXPECT_EQ(m.app, "sshd");
    EXPECT_EQ(m.text, "Failed password for root from 192.0.2.9");
    const auto plain = ParseSyslog("just text");
    EXPECT_EQ(plain.severity, 5);
    EXPECT_EQ(plain.text, "just text");
    EXPECT_EQ(ParseSyslog("<999>x").text, "<999>x") << "an invalid PRI keeps the line";
    EXPECT_EQ(SyslogSeverityCode("err"), 3);
    EXPECT_EQ(SyslogSeverityCode("bogus"), -1);
}

TEST(Html, LinksFromHrefAndSrcInAnyQuoting) {
    const auto links = ExtractLinks(R"html(<a href="/a?x=1&amp;y=2#top">A</a> <IMG SRC='img/b.png'>
<a class="x" href=c.html>C</a><a href="#only">in page</a><a href="mailto:x@city.jp">m</a>
<a href="JavaScript:void(0)">j</a><a data-href="/not-a-link">n</a><link rel=stylesheet href = "/s.css">)html");
    EXPECT_EQ(links, (std::vector<std::string>{"/a?x=1&y=2", "img/b.png", "c.html", "/s.css"}));
}

}  // namespace
}  // namespace unyo::monitor
