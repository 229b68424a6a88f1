// The handover export's data dictionary against the real schema on both databases: every table
// and column is described or listed as not exported (a migration without its description fails
// here), the Markdown lists them all; an import refuses a database that holds data.
#include "dataexport/dataexport.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/crypto.hpp"
#include "support/test_db.hpp"

namespace unyo::dataexport {
namespace {

class DataExportTest : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        UNYO_SKIP_IF_UNAVAILABLE(GetParam());
        InitCrypto();
        t_ = std::make_unique<unyo::testing::TestDatabase>(GetParam());
    }
    std::unique_ptr<unyo::testing::TestDatabase> t_;
};

TEST_P(DataExportTest, TheDictionaryDescribesEveryTableAndColumnOfTheSchema) {
    ASSERT_FALSE(Dictionary().empty()) << "dictionary.json is embedded and valid";
    const auto gaps = DictionaryGaps(t_->db());
    ASSERT_TRUE(gaps) << gaps.error().message;
    std::string all;
    for (const auto& g : *gaps) all += g + "\n";
    EXPECT_TRUE(gaps->empty()) << all;
}

TEST_P(DataExportTest, AnExportIsRestoredOnlyIntoAnEmptyDatabase) {
    const auto dir = std::filesystem::temp_directory_path() / ("unyo-dataexport-test-" + RandomToken(6));
    std::filesystem::create_directories(dir);
    ASSERT_TRUE(t_->db().Write([](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("INSERT INTO organizations (name, kind, created_at, updated_at) VALUES ('市民課', 'owner', 1, 1)"));
        return {};
    }));
    const auto done = Export(t_->db(), dir / "attachments", dir / "a.tar.zst", 1'796'100'000'000, "test");
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_EQ(done->tables, static_cast<int>(Dictionary().at("tables").as_object().size()));
    EXPECT_GE(done->rows, 1);
    ASSERT_TRUE(t_->db().Write([](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("INSERT INTO users (login, display_name, organization_id, roles, password_hash, password_changed_at, "
                        "created_at, updated_at) SELECT 'u', 'u', id, '[\"viewer\"]', 'x', 1, 1, 1 FROM organizations"));
        return {};
    }));
    const auto refused = Import(dir / "a.tar.zst", t_->db(), dir / "attachments");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict) << refused.error().message;

    unyo::testing::TestDatabase fresh(GetParam());
    const auto restored = Import(dir / "a.tar.zst", fresh.db(), dir / "restored-attachments");
    ASSERT_TRUE(restored) << restored.error().message;
    const auto names = fresh.db().Read([](storage::Connection& c) -> Result<std::string> {
        return UNYO_TRY(c.Query("SELECT name FROM organizations")).front().Text(0);
    });
    ASSERT_TRUE(names);
    EXPECT_EQ(*names, "市民課");
    std::filesystem::remove_all(dir);
}

TEST(DataDictionaryTest, MarkdownNamesEveryTableAndWhatIsNotExported) {
    const std::string md = DictionaryMarkdown();
    for (const auto& kv : Dictionary().at("tables").as_object()) {
        EXPECT_NE(md.find("### `" + std::string(kv.key()) + "` — data/" + std::string(kv.key()) + ".jsonl"), std::string::npos)
            << kv.key();
    }
    EXPECT_NE(md.find("`users.password_hash`"), std::string::npos);
    EXPECT_NE(md.find("`sessions`"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, DataExportTest, ::testing::ValuesIn(unyo::testing::Backends()), unyo::testing::BackendName{});

}  // namespace
}  // namespace unyo::dataexport
