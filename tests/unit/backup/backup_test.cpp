// Backups with generations: an archive verifies, one corrupted byte is caught, only N generations
// are kept (in the copies too), a restore refuses a directory with data in it and writes identical
// files, and unyo's own backup of a live SQLite database gives a drill that restores it, verifies
// its audit chain and records the RTO and RPO evidence (a corrupted generation is recorded as a
// failed drill). An encrypted generation carries no plain data, verifies and restores with its key
// only, and a changed or cut byte is caught; a command's output is a source; a remote SFTP copy
// keeps the same generations there.
#include "backup/self_backup.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "support/test_db.hpp"
#include "support/transfer_servers.hpp"

namespace unyo::backup {
namespace {

namespace fs = std::filesystem;
const audit::Actor kActor{std::nullopt, "admin", "127.0.0.1"};

std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void Write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

// Flips one byte in the middle of `p`.
void Corrupt(const fs::path& p) {
    std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
    const auto middle = static_cast<std::streamoff>(fs::file_size(p) / 2);
    f.seekg(middle);
    char c = 0;
    f.get(c);
    f.seekp(middle);
    f.put(static_cast<char>(c ^ 0x01));
}

class BackupTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("unyo-backup-" + RandomToken(6));
        Write(dir_ / "src" / "住民" / "台帳.csv", "番号,氏名\n1,山田\n");
        std::string big(3 * 1024 * 1024, '\0');
        for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 13);
        Write(dir_ / "src" / "data.bin", big);
        Write(dir_ / "one.conf", "x=1\n");
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    CreateOptions Options() const {
        return {"juki", {{dir_ / "src", "src"}, {dir_ / "one.conf", "etc/one.conf"}}, dir_ / "primary", {dir_ / "second"}, 7, 3};
    }
    fs::path dir_;
    Millis t0_ = ParseRfc3339("2026-12-02T17:00:00Z").value();
};

TEST_F(BackupTest, AGenerationVerifiesAndOneCorruptedByteIsCaught) {
    const auto g = Create(Options(), t0_);
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(g->archive.filename(), "juki-20261202T170000.000Z.tar.zst");
    ASSERT_EQ(g->manifest.files.size(), 3u);
    EXPECT_EQ(g->manifest.files[0].path, "etc/one.conf");
    EXPECT_EQ(g->manifest.files[2].path, "src/住民/台帳.csv");
    EXPECT_EQ(g->manifest.files[2].sha256, Sha256Hex("番号,氏名\n1,山田\n"));
    EXPECT_LT(g->manifest.archive_bytes, 3 * 1024 * 1024) << "compressed";
    const auto ok = Verify(g->archive);
    EXPECT_TRUE(ok.ok) << (ok.problems.empty() ? "" : ok.problems.front());
    EXPECT_EQ(ok.files, 3);
    EXPECT_TRUE(Verify(dir_ / "second" / g->archive.filename()).ok) << "the copy verifies too";

    Corrupt(g->archive);
    const auto bad = Verify(g->archive);
    EXPECT_FALSE(bad.ok);
    ASSERT_FALSE(bad.problems.empty());
    EXPECT_NE(bad.problems.front().find("SHA-256"), std::string::npos) << bad.problems.front();
    EXPECT_FALSE(Restore(g->archive, dir_ / "restored", false)) << "a corrupted generation is not restored";
}

TEST_F(BackupTest, OnlyTheNewestGenerationsAreKeptInEveryPlace) {
    for (int i = 0; i < 9; ++i) ASSERT_TRUE(Create(Options(), t0_ + i * kDayMs));
    for (const char* place : {"primary", "second"}) {
        const auto gens = List(dir_ / place, "juki").value();
        ASSERT_EQ(gens.size(), 7u) << place;
        EXPECT_EQ(gens.front().manifest.created_at, t0_ + 8 * kDayMs) << "newest first";
        EXPECT_EQ(gens.back().manifest.created_at, t0_ + 2 * kDayMs);
        int files = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_ / place)) ++files;
        EXPECT_EQ(files, 14) << place << ": archives and their manifests, nothing else";
    }
    const auto missing = Create({"x", {{dir_ / "nope", "nope"}}, dir_ / "primary", {}, 7, 3}, t0_);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().fields.at(0).field, "sources[0]");
}

TEST_F(BackupTest, ARestoreNeedsAnEmptyPlaceAndWritesTheSameFiles) {
    const auto g = Create(Options(), t0_).value();
    Write(dir_ / "busy" / "keep.txt", "live data");
    const auto refused = Restore(g.archive, dir_ / "busy", false);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
    EXPECT_EQ(Read(dir_ / "busy" / "keep.txt"), "live data");
    ASSERT_TRUE(Restore(g.archive, dir_ / "restored", false));
    EXPECT_EQ(Read(dir_ / "restored" / "src" / "住民" / "台帳.csv"), Read(dir_ / "src" / "住民" / "台帳.csv"));
    EXPECT_EQ(Read(dir_ / "restored" / "src" / "data.bin"), Read(dir_ / "src" / "data.bin"));
    EXPECT_EQ(Read(dir_ / "restored" / "etc" / "one.conf"), "x=1\n");
}

TEST_F(BackupTest, AnEncryptedGenerationNeedsItsKeyAndCatchesAnyChange) {
    Write(dir_ / "keys" / "backup.key", std::string(64, 'a') + "\n");
    Write(dir_ / "keys" / "other.key", std::string(64, 'b'));
    Write(dir_ / "src" / "noise.txt", RandomToken(600 * 1024));  // so the archive has several chunks
    auto o = Options();
    o.key_file = dir_ / "keys" / "backup.key";
    const auto g = Create(o, t0_);
    ASSERT_TRUE(g) << g.error().message;
    EXPECT_EQ(g->archive.filename(), "juki-20261202T170000.000Z.tar.zst.enc");
    EXPECT_EQ(g->manifest.encryption, "xchacha20poly1305-secretstream");
    const std::string sealed = Read(g->archive);
    EXPECT_EQ(sealed.find("番号,氏名"), std::string::npos);
    EXPECT_EQ(sealed.find("MANIFEST.json"), std::string::npos) << "not even the names";
    EXPECT_EQ(Read(fs::path(g->archive.parent_path() / "juki-20261202T170000.000Z.json")).find(std::string(64, 'a')),
              std::string::npos)
        << "the sidecar names the key file, never the key";
    for (const auto& e : fs::directory_iterator(dir_ / "primary")) {
        EXPECT_TRUE(e.path().string().ends_with(".enc") || e.path().string().ends_with(".json")) << e.path() << " left behind";
    }
    const auto ok = Verify(g->archive);
    EXPECT_TRUE(ok.ok) << (ok.problems.empty() ? "" : ok.problems.front());
    EXPECT_EQ(ok.files, 4);
    const auto wrong = Verify(g->archive, dir_ / "keys" / "other.key");
    ASSERT_FALSE(wrong.ok);
    EXPECT_NE(wrong.problems.front().find("is not the key"), std::string::npos) << wrong.problems.front();
    ASSERT_TRUE(Restore(g->archive, dir_ / "restored", false));
    EXPECT_EQ(Read(dir_ / "restored" / "src" / "data.bin"), Read(dir_ / "src" / "data.bin"));
    EXPECT_EQ(List(dir_ / "second", "juki").value().size(), 1u) << "the copy is encrypted too";

    // One byte changed, with the sidecar's hash made to match: the cipher still refuses it.
    const fs::path copy = dir_ / "second" / g->archive.filename();
    Corrupt(copy);
    auto side = ParseObject(Read(dir_ / "second" / "juki-20261202T170000.000Z.json")).value();
    side["archive_sha256"] = FileSha256(copy).value();
    Write(dir_ / "second" / "juki-20261202T170000.000Z.json", json::serialize(side));
    const auto changed = Verify(copy);
    ASSERT_FALSE(changed.ok);
    EXPECT_NE(changed.problems.front().find("does not decrypt"), std::string::npos) << changed.problems.front();
    // Cut short after the first chunk: no final chunk.
    ASSERT_GT(fs::file_size(g->archive), 2u * 256 * 1024);
    fs::resize_file(g->archive, 8 + 24 + 256 * 1024 + 17);
    side = ParseObject(Read(dir_ / "primary" / "juki-20261202T170000.000Z.json")).value();
    side["archive_sha256"] = FileSha256(g->archive).value();
    Write(dir_ / "primary" / "juki-20261202T170000.000Z.json", json::serialize(side));
    const auto cut = Verify(g->archive);
    ASSERT_FALSE(cut.ok);
    EXPECT_NE(cut.problems.front().find("cut short"), std::string::npos) << cut.problems.front();
}

TEST_F(BackupTest, ACommandsOutputIsASourceAndAFailingCommandIsNamed) {
    auto o = Options();
    o.sources.push_back({{}, "db/dump.sql", {"/bin/sh", "-c", "printf 'COPY 台帳;\\n'"}});
    const auto g = Create(o, t0_);
    ASSERT_TRUE(g) << g.error().message;
    ASSERT_TRUE(Restore(g->archive, dir_ / "restored", false));
    EXPECT_EQ(Read(dir_ / "restored" / "db" / "dump.sql"), "COPY 台帳;\n");
    for (const auto& e : fs::directory_iterator(dir_ / "primary")) {
        EXPECT_EQ(e.path().filename().string().find(".source"), std::string::npos) << "spooled output removed";
    }
    o.sources.back().command = {"/bin/sh", "-c", "echo partial; exit 3"};
    const auto failed = Create(o, t0_ + kDayMs);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().fields.at(0).field, "sources[2].command");
    EXPECT_EQ(List(dir_ / "primary", "juki").value().size(), 1u) << "no generation from a failed dump";
    const auto spec = CreateOptionsFromJson(json::parse(R"({"name": "db", "destination": "/b",
        "sources": [{"command": []}], "remote": {"url": "sftp://h/x"}, "encrypt": {"key_file": "k"}})").as_object());
    ASSERT_FALSE(spec);
    std::vector<std::string> fields;
    for (const auto& f : spec.error().fields) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"encrypt.key_file", "remote.known_hosts", "remote.private_key", "remote.url",
                                                "sources[0].command", "sources[0].as"}));
}

TEST_F(BackupTest, ARemoteSftpCopyKeepsTheSameGenerations) {
    unyo::testing::TransferServers servers(dir_ / "remote", dir_ / "sshkeys");
    fs::create_directories(dir_ / "remote" / "backups");
    ASSERT_TRUE(servers.ok()) << "the test servers did not start (python3-pyftpdlib, python3-asyncssh)";
    auto o = Options();
    o.generations = 2;
    transfer::Endpoint e;
    e.url = fmt::format("sftp://127.0.0.1:{}/backups/", servers.Port("sftp"));
    e.user = servers.Text("user");
    e.private_key = servers.Text("client_key");
    e.known_hosts = servers.Text("known_hosts");
    o.remote = e;
    for (int i = 0; i < 3; ++i) {
        const auto g = Create(o, t0_ + i * kDayMs);
        ASSERT_TRUE(g) << g.error().message;
    }
    std::vector<std::string> names;
    for (const auto& f : fs::directory_iterator(dir_ / "remote" / "backups")) names.push_back(f.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"juki-20261203T170000.000Z.json", "juki-20261203T170000.000Z.tar.zst",
                                               "juki-20261204T170000.000Z.json", "juki-20261204T170000.000Z.tar.zst"}));
    EXPECT_TRUE(Verify(dir_ / "remote" / "backups" / "juki-20261204T170000.000Z.tar.zst").ok) << "the remote copy verifies";
    o.remote->url = fmt::format("sftp://127.0.0.1:{}/nowhere/", servers.Port("sftp"));
    const auto failed = Create(o, t0_ + 5 * kDayMs);
    ASSERT_FALSE(failed) << "a copy that cannot be sent fails the backup";
    EXPECT_NE(failed.error().message.find("remote copy failed"), std::string::npos) << failed.error().message;
}

TEST_F(BackupTest, UnyosOwnBackupOfALiveDatabaseDrillsWithRtoAndRpoEvidence) {
    unyo::testing::TestDatabase t("sqlite");
    FakeClock clock(t0_);
    // Some audited data to find again.
    ASSERT_TRUE(t.db().Write([&](storage::Connection& c) -> Result<void> {
        for (int i = 0; i < 5; ++i) {
            UNYO_TRY(audit::Append(c, kActor, {"test.write", "test", std::to_string(i), nullptr, json::object{{"i", i}}},
                                   clock.Now()));
        }
        return {};
    }));
    const fs::path data = dir_ / "var";
    Write(data / "config.json", "{}\n");
    Write(data / "attachments" / "1" / "報告書.pdf", "%PDF-1.4 …");
    const SelfOptions self{data, t.target(), data / "backups", {}, 7};
    const auto g = BackupSelf(self, clock.Now());
    ASSERT_TRUE(g) << g.error().message;
    std::vector<std::string> paths;
    for (const auto& f : g->manifest.files) paths.push_back(f.path);
    EXPECT_EQ(paths, (std::vector<std::string>{"attachments/1/報告書.pdf", "config.json", "unyo.db"}));
    EXPECT_EQ(List(data / "backups").value().size(), 1u) << "no snapshot left behind";

    clock.Advance(6 * kHourMs);
    const auto d = RunDrill(t.db(), clock, g->archive, data / "backups" / ".drills", kActor);
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_TRUE(d->ok) << d->message;
    EXPECT_EQ(d->files, 3);
    EXPECT_EQ(d->data_age_ms, 6 * kHourMs) << "RPO evidence: how old the restored data was";
    EXPECT_LT(d->duration_ms, 60'000) << "RTO evidence in milliseconds (a restore of a few files)";
    EXPECT_NE(d->message.find("監査ログ 5 件"), std::string::npos) << d->message;
    EXPECT_FALSE(fs::exists(data / "backups" / ".drills") && !fs::is_empty(data / "backups" / ".drills"))
        << "the scratch place is removed";

    Corrupt(g->archive);
    const auto failed = RunDrill(t.db(), clock, g->archive, data / "backups" / ".drills", kActor);
    ASSERT_TRUE(failed);
    EXPECT_FALSE(failed->ok);
    const auto drills = ListDrills(t.db(), 10).value();
    ASSERT_EQ(drills.size(), 2u);
    EXPECT_EQ(drills[1].duration_ms, d->duration_ms) << "the evidence is stored as measured";
    EXPECT_EQ(drills[1].data_age_ms, 6 * kHourMs);
    EXPECT_FALSE(drills[0].ok) << "a failed drill is evidence too";
    EXPECT_TRUE(drills[1].ok);
    EXPECT_EQ(drills[1].backup_name, "unyo");
}

}  // namespace
}  // namespace unyo::backup
