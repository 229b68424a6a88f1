// The log check: RE2 filters from a target, a file followed across rename and copytruncate
// rotation, and the grading of a count.
#include "monitor/log_watch.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace unyo::monitor {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const LogFilter> Filter(json::object target) {
    auto f = LogFilter::FromTarget(target);
    EXPECT_TRUE(f) << (f ? "" : f.error().message);
    return f ? *f : nullptr;
}

class LogFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("unyo-log-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        path_ = (dir_ / "app.log").string();
    }
    void TearDown() override { fs::remove_all(dir_); }
    void Append(const std::string& text) { std::ofstream(path_, std::ios::app) << text; }

    fs::path dir_;
    std::string path_;
};

TEST(LogFilterTest, TargetsAreValidatedNamingTheMember) {
    const auto bad = LogFilter::FromTarget({{"pattern", "("}, {"source", "journal"}, {"severity", "loud"}});
    ASSERT_FALSE(bad);
    std::vector<std::string> fields;
    for (const auto& f : bad.error().fields) fields.push_back(f.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"target.pattern", "target.source", "target.path", "target.severity"}));
    EXPECT_FALSE(LogFilter::FromTarget({{"pattern", "x"}, {"path", "relative.log"}}));
    EXPECT_FALSE(LogFilter::FromTarget({{"path", "/var/log/x"}})) << "the pattern is required";
    EXPECT_TRUE(LogFilter::FromTarget({{"pattern", "x"}, {"source", "syslog"}})) << "syslog needs no path";
}

TEST(LogFilterTest, PatternExcludeAndSyslogFilters) {
    const auto f = Filter({{"pattern", "(ERROR|FATAL)"}, {"exclude", "retry \\d+/3"}, {"source", "syslog"},
                           {"host", "ap01"}, {"severity", "warning"}});
    EXPECT_TRUE(f->Matches("2026-11-23 ERROR 住民票 発行失敗"));
    EXPECT_FALSE(f->Matches("ERROR retry 1/3"));
    EXPECT_FALSE(f->Matches("INFO ok"));
    EXPECT_TRUE(f->Accepts({1, 3, "ap01", "juki", "x"}));
    EXPECT_FALSE(f->Accepts({1, 3, "ap02", "juki", "x"})) << "another host";
    EXPECT_FALSE(f->Accepts({1, 6, "ap01", "juki", "x"})) << "info is less severe than warning";
}

TEST_F(LogFileTest, StartsAtTheEndThenCountsNewLines) {
    Append("ERROR old news\n");
    const auto f = Filter({{"pattern", "ERROR"}, {"path", path_}});
    LogFile file(path_, false);
    auto t = file.Poll(*f);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->lines, 0u) << "history before the first check is not news";
    Append("INFO fine\nERROR disk full\nERROR half a li");
    t = file.Poll(*f);
    EXPECT_EQ(t->lines, 2u);
    EXPECT_EQ(t->matches, 1u);
    EXPECT_EQ(t->last, "ERROR disk full");
    Append("ne\r\n");
    t = file.Poll(*f);
    EXPECT_EQ(t->matches, 1u);
    EXPECT_EQ(t->last, "ERROR half a line") << "a line is judged once it ends, without its CR";
}

TEST_F(LogFileTest, FromStartReadsTheHistory) {
    Append("ERROR a\nERROR b\n");
    LogFile file(path_, true);
    EXPECT_EQ(file.Poll(*Filter({{"pattern", "ERROR"}, {"path", path_}}))->matches, 2u);
}

TEST_F(LogFileTest, RenameRotationReadsTheOldFileToItsEndThenTheNewOne) {
    const auto f = Filter({{"pattern", "ERROR"}, {"path", path_}});
    LogFile file(path_, false);
    Append("");
    ASSERT_TRUE(file.Poll(*f));
    Append("ERROR before rotation\n");
    fs::rename(path_, path_ + ".1");
    std::ofstream(path_ + ".1", std::ios::app) << "ERROR written late to the old file\n";
    Append("ERROR in the new file\nINFO fine\n");
    const auto t = file.Poll(*f);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->matches, 3u) << "nothing is lost across the rename";
    EXPECT_EQ(t->last, "ERROR in the new file");
    Append("ERROR next\n");
    EXPECT_EQ(file.Poll(*f)->matches, 1u) << "and the new file is followed from there";
}

TEST_F(LogFileTest, CopyTruncateIsReadAgainFromTheStart) {
    const auto f = Filter({{"pattern", "ERROR"}, {"path", path_}});
    LogFile file(path_, false);
    Append("INFO a long line that makes the file bigger than what follows\n");
    ASSERT_TRUE(file.Poll(*f));
    ASSERT_EQ(file.Poll(*f)->lines, 0u);
    Append("INFO more\n");
    EXPECT_EQ(file.Poll(*f)->lines, 1u);
    fs::resize_file(path_, 0);
    Append("ERROR after truncate\n");
    const auto t = file.Poll(*f);
    EXPECT_EQ(t->matches, 1u);
    EXPECT_EQ(t->last, "ERROR after truncate");
}

TEST_F(LogFileTest, AMissingFileIsAnErrorUntilItAppears) {
    const auto f = Filter({{"pattern", "ERROR"}, {"path", path_}});
    LogFile file(path_, false);
    const auto missing = file.Poll(*f);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("app.log を開けません"), std::string::npos);
    Append("ERROR first\n");
    EXPECT_EQ(file.Poll(*f)->matches, 1u) << "a file that appeared after the first check is read from its start";
}

TEST(GradeLogTest, OneMatchIsCriticalUnlessThresholdsSayOtherwise) {
    const auto f = Filter({{"pattern", "ERROR"}, {"source", "syslog"}});
    LogTally tally;
    tally.Add(*f, "INFO ok");
    Monitor m;
    m.type = "log";
    auto r = GradeLog(m, tally, "syslog", 1);
    EXPECT_EQ(r.state, State::kOk);
    EXPECT_EQ(r.message, "syslog: 一致なし (1 行)");
    tally.Add(*f, "ERROR one");
    r = GradeLog(m, tally, "syslog", 1);
    EXPECT_EQ(r.state, State::kCritical);
    EXPECT_EQ(*r.value, 1);
    EXPECT_EQ(r.message, "syslog: 1 件一致 (最後: ERROR one)");
    m.warning = 2;
    m.critical = 5;
    EXPECT_EQ(GradeLog(m, tally, "syslog", 1).state, State::kOk) << "thresholds count matches per interval";
    tally.Add(*f, "ERROR two");
    EXPECT_EQ(GradeLog(m, tally, "syslog", 1).state, State::kWarning);
}

}  // namespace
}  // namespace unyo::monitor
