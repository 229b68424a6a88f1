// File transfer against real servers on loopback (tests/unit/support/transfer_servers.py: FTP and
// FTPS by pyftpdlib, SFTP by asyncssh): PUT and GET over SFTP with a key and over FTP with a
// password, with the checksum file and the read-back; an interrupted transfer resumes from its
// part; a file that does not match its checksum is not delivered; an unknown SFTP host key and an
// untrusted FTPS certificate are refused; listing and removing for the backups' remote copies.
#include "transfer/transfer.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "support/transfer_servers.hpp"

namespace unyo::transfer {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void WriteAll(const fs::path& p, std::string_view data) {
    std::ofstream out(p, std::ios::binary);
    out << data;
}

class TransferTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("unyo-transfer-" + RandomToken(6));
        fs::create_directories(dir_ / "root");
        servers_ = std::make_unique<unyo::testing::TransferServers>(dir_ / "root", dir_ / "keys");
        ASSERT_TRUE(servers_->ok()) << "the test servers did not start (python3-pyftpdlib, python3-asyncssh)";
    }
    static void TearDownTestSuite() {
        servers_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    static std::string Info(const char* k) { return servers_->Text(k); }
    static std::int64_t Port(const char* k) { return servers_->Port(k); }

    static Endpoint Sftp(const std::string& path) {
        Endpoint e;
        e.url = fmt::format("sftp://127.0.0.1:{}/{}", Port("sftp"), path);
        e.user = Info("user");
        e.private_key = Info("client_key");
        e.host_key_sha256 = Info("host_key_sha256").substr(7);  // after "SHA256:"
        return e;
    }
    static Endpoint Ftp(const std::string& path) {
        Endpoint e;
        e.url = fmt::format("ftp://127.0.0.1:{}/{}", Port("ftp"), path);
        e.user = Info("user");
        e.password_file = Info("password_file");
        return e;
    }

    static fs::path Root() { return dir_ / "root"; }
    static fs::path Local(const std::string& name) { return dir_ / name; }

    static std::string Data(std::size_t n, char seed) {
        std::string s(n, '\0');
        for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + static_cast<std::size_t>(seed)) % 251);
        return s;
    }

    static inline fs::path dir_;
    static inline std::unique_ptr<unyo::testing::TransferServers> servers_;
};

TEST_F(TransferTest, SftpWithAKeyPutsAndGetsWithChecksumsAndResumesAnInterruptedTransfer) {
    const std::string data = Data(300'000, 1);
    WriteAll(Local("a.bin"), data);
    auto put = Put(Sftp("a.bin"), Local("a.bin"), {true, true, true});
    ASSERT_TRUE(put) << put.error().message;
    EXPECT_EQ(put->bytes, 300'000);
    EXPECT_EQ(put->resumed_from, 0);
    EXPECT_EQ(put->sha256, Sha256Hex(data));
    EXPECT_EQ(ReadAll(Root() / "a.bin"), data);
    EXPECT_FALSE(fs::exists(Root() / "a.bin.part")) << "renamed when complete";
    EXPECT_EQ(ReadAll(Root() / "a.bin.sha256"), Sha256Hex(data) + "  a.bin\n");

    // An upload cut off after 100,000 bytes goes on from there.
    WriteAll(Root() / "b.bin.part", data.substr(0, 100'000));
    put = Put(Sftp("b.bin"), Local("a.bin"), {true, false, false});
    ASSERT_TRUE(put) << put.error().message;
    EXPECT_EQ(put->resumed_from, 100'000);
    EXPECT_EQ(ReadAll(Root() / "b.bin"), data);
    // A part left by another file is found out by the read-back a resume always does.
    WriteAll(Root() / "s.bin.part", std::string(50'000, 'x'));
    put = Put(Sftp("s.bin"), Local("a.bin"), {true, false, false});
    ASSERT_FALSE(put);
    EXPECT_NE(put.error().message.find("reads back"), std::string::npos) << put.error().message;
    EXPECT_FALSE(fs::exists(Root() / "s.bin")) << "never delivered";
    EXPECT_FALSE(fs::exists(Root() / "s.bin.part")) << "removed: the next try starts afresh";
    ASSERT_TRUE(Put(Sftp("s.bin"), Local("a.bin"), {true, false, false}));
    EXPECT_EQ(ReadAll(Root() / "s.bin"), data);

    // A download cut off after 4,096 bytes goes on from there, and is checked against the sidecar.
    WriteAll(Local("got.bin.part"), data.substr(0, 4096));
    auto get = Get(Sftp("a.bin"), Local("got.bin"), {true, true, {}});
    ASSERT_TRUE(get) << get.error().message;
    EXPECT_EQ(get->resumed_from, 4096);
    EXPECT_EQ(ReadAll(Local("got.bin")), data);
    EXPECT_FALSE(fs::exists(Local("got.bin.part")));

    // Known hosts work as well as the fingerprint.
    Endpoint known = Sftp("a.bin");
    known.host_key_sha256.clear();
    known.known_hosts = Info("known_hosts");
    ASSERT_TRUE(Get(known, Local("got2.bin"), {false, false, Sha256Hex(data)}));
}

TEST_F(TransferTest, AnUnknownHostKeyOrAnUntrustedCertificateIsRefused) {
    Endpoint wrong = Sftp("a.bin");
    wrong.host_key_sha256 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    auto get = Get(wrong, Local("never.bin"));
    ASSERT_FALSE(get);
    EXPECT_NE(get.error().message.find("fingerprint"), std::string::npos) << get.error().message;
    EXPECT_FALSE(fs::exists(Local("never.bin")));

    Endpoint empty_known = Sftp("a.bin");
    empty_known.host_key_sha256.clear();
    WriteAll(Local("known_hosts_other"), "");
    empty_known.known_hosts = Local("known_hosts_other");
    EXPECT_FALSE(Get(empty_known, Local("never.bin"))) << "a host not in known_hosts";

    // FTPS (AUTH TLS) with the server's certificate not trusted: no login, no transfer.
    Endpoint tls = Ftp("a.bin");
    tls.url = fmt::format("ftp://127.0.0.1:{}/a.bin", Port("ftps"));
    tls.tls = true;
    get = Get(tls, Local("never.bin"));
    ASSERT_FALSE(get);
    EXPECT_NE(get.error().message.find("certificate"), std::string::npos) << get.error().message;

    // A definition without any host key check is refused before anything connects.
    json::object spec{{"url", "sftp://127.0.0.1:22/x"}, {"private_key", "/k"}};
    FieldReader f(spec);
    (void)EndpointFromJson(f);
    const auto done = f.Finish();
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error().fields.at(0).field, "known_hosts");
}

TEST_F(TransferTest, FtpWithAPasswordResumesDetectsACorruptFileAndListsAndRemoves) {
    const std::string data = Data(200'000, 7);
    WriteAll(Local("c.bin"), data);
    ASSERT_TRUE(Put(Ftp("c.bin"), Local("c.bin"), {true, true, true}));
    EXPECT_EQ(ReadAll(Root() / "c.bin"), data);
    WriteAll(Root() / "d.bin.part", data.substr(0, 50'000));
    auto put = Put(Ftp("d.bin"), Local("c.bin"), {true, false, true});
    ASSERT_TRUE(put) << put.error().message;
    EXPECT_EQ(put->resumed_from, 50'000);
    EXPECT_EQ(ReadAll(Root() / "d.bin"), data);

    WriteAll(Local("e.bin.part"), data.substr(0, 1000));
    auto get = Get(Ftp("c.bin"), Local("e.bin"), {true, true, {}});
    ASSERT_TRUE(get) << get.error().message;
    EXPECT_EQ(get->resumed_from, 1000);
    EXPECT_EQ(ReadAll(Local("e.bin")), data);

    // The file changed on the server after its checksum was written: not delivered.
    std::string bad = data;
    bad[123] ^= 1;
    WriteAll(Root() / "c.bin", bad);
    get = Get(Ftp("c.bin"), Local("f.bin"), {false, true, {}});
    ASSERT_FALSE(get);
    EXPECT_NE(get.error().message.find("expected " + Sha256Hex(data)), std::string::npos) << get.error().message;
    EXPECT_FALSE(fs::exists(Local("f.bin")));
    EXPECT_TRUE(fs::exists(Local("f.bin.bad"))) << "kept for a look";

    Endpoint dir = Ftp("");
    auto names = List(dir);
    ASSERT_TRUE(names) << names.error().message;
    EXPECT_NE(std::find(names->begin(), names->end(), "d.bin"), names->end());
    ASSERT_TRUE(Remove(dir, "d.bin"));
    EXPECT_FALSE(fs::exists(Root() / "d.bin"));
    Endpoint sdir = Sftp("");
    ASSERT_TRUE(Remove(sdir, "c.bin.sha256"));
    EXPECT_FALSE(fs::exists(Root() / "c.bin.sha256"));
    names = List(sdir);
    ASSERT_TRUE(names) << names.error().message;
    EXPECT_NE(std::find(names->begin(), names->end(), "c.bin"), names->end());
}

}  // namespace
}  // namespace unyo::transfer
