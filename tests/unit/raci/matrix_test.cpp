// The role tables as the seeds print them: seed 000 (○ 作業主体 △ 作業協力, organisations under
// 実施者, three pages with the header repeated and one organisation spelled differently, headings
// as rows without marks) gives 135 work items with their marks; seed 001 (●:作業主体 ○:作業支援,
// 大項目/中項目/作業項目 columns left empty under the row above, organisations over two header rows)
// gives 41; what the reader had to guess is in its warnings; written back, each reads the same.
#include "raci/matrix.hpp"

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "reports/table.hpp"

namespace unyo::raci {
namespace {

std::string Fixture(const char* name) {
    const std::filesystem::path path = std::filesystem::path(UNYO_FIXTURES) / "seeds" / name;
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const Item& Seq(const Matrix& m, int seq) {
    for (const auto& it : m.items) {
        if (it.seq == seq) return it;
    }
    throw std::runtime_error("no item " + std::to_string(seq));
}

std::map<int, Role> Marks(std::initializer_list<std::pair<const int, Role>> l) { return l; }
constexpr Role M = Role::kMain, S = Role::kSupport;

bool Warned(const Matrix& m, std::string_view part) {
    return std::any_of(m.warnings.begin(), m.warnings.end(), [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

// Written back and read again, the matrix is the same.
void ExpectRoundTrip(const Matrix& m) {
    for (const bool csv : {false, true}) {
        const auto text = Write(m, csv);
        auto again = csv ? ReadCsv(text) : ReadText(text);
        ASSERT_TRUE(again) << again.error().message;
        EXPECT_EQ(again->organizations, m.organizations);
        EXPECT_EQ(again->main_mark, m.main_mark);
        ASSERT_EQ(again->items.size(), m.items.size());
        for (std::size_t i = 0; i < m.items.size(); ++i) {
            const auto &a = again->items[i], &b = m.items[i];
            EXPECT_EQ(a.seq, b.seq);
            EXPECT_EQ(a.title, b.title) << b.seq;
            EXPECT_EQ(a.path, b.path) << b.seq;
            EXPECT_EQ(a.content, b.content) << b.seq;
            EXPECT_EQ(a.note, b.note) << b.seq;
            EXPECT_EQ(a.section, b.section) << b.seq;
            EXPECT_EQ(a.marks, b.marks) << b.seq;
        }
        EXPECT_TRUE(again->warnings.empty()) << again->warnings.front();
    }
}

TEST(RaciSeeds, Seed000Gives135WorkItemsWithTheirMarks) {
    const auto read = ReadText(Fixture("raci_000.txt"));
    ASSERT_TRUE(read) << read.error().message;
    const Matrix& m = *read;
    EXPECT_EQ(m.main_mark, "○");
    EXPECT_EQ(m.support_mark, "△");
    EXPECT_EQ(m.organizations,
              (std::vector<std::string>{"厚生労働省／日本年金機構", "サーバ保守等業者", "追加サーバシステム導入・保守業者",
                                        "サーバアプリ開発等業者", "サーバ運用監視サービス業者", "構築LAN構築業者",
                                        "5次端運用監視サービス業者", "画像システムネットワーク業者"}));
    ASSERT_EQ(m.items.size(), 135u);
    for (std::size_t i = 0; i < m.items.size(); ++i) EXPECT_EQ(m.items[i].seq, static_cast<int>(i) + 1);
    EXPECT_EQ(std::count_if(m.items.begin(), m.items.end(), [](const Item& it) { return it.section; }), 27);
    EXPECT_TRUE(Seq(m, 1).section);
    EXPECT_EQ(Seq(m, 3).path, (std::vector<std::string>{"管理", "ユーザ情報管理"}));
    EXPECT_EQ(Seq(m, 3).marks, Marks({{0, M}}));

    const Item& accept = Seq(m, 112);
    EXPECT_EQ(accept.title, "障害受付");
    EXPECT_EQ(accept.path, (std::vector<std::string>{"障害時運用", "エンドユーザ検知時"}));
    EXPECT_EQ(accept.content, "エンドユーザからの連絡を受け、関係各課及び委託先(開発担当)へ連絡");
    EXPECT_EQ(accept.marks, Marks({{3, M}}));
    EXPECT_EQ(Seq(m, 113).marks, Marks({{0, S}, {1, S}, {2, S}, {3, M}, {4, S}, {5, S}, {6, S}}));
    EXPECT_EQ(Seq(m, 35).marks, Marks({{1, S}, {2, S}, {3, S}, {4, M}, {5, S}, {6, S}, {7, S}}))
        << "the eighth organisation of the first page";
    EXPECT_EQ(Seq(m, 40).marks, Marks({}));
    EXPECT_EQ(Seq(m, 40).note, "システム変更内容により実施主体が異なる");

    // The owner's decisions, whose mark was copied one column early, are read as the owner's.
    EXPECT_EQ(Seq(m, 66).marks, Marks({{0, M}}));
    EXPECT_EQ(Seq(m, 106).marks, Marks({{0, M}}));
    EXPECT_TRUE(Warned(m, "項番 66: 組織の列より前"));
    // Text in an organisation's column is a note; a name spelled otherwise on a later page is the same column.
    EXPECT_EQ(Seq(m, 107).note, "関連業者との計画停止順序等にかかる調整");
    EXPECT_EQ(Seq(m, 107).marks, Marks({{0, S}, {1, S}, {3, M}}));
    EXPECT_TRUE(Warned(m, "「機構LAN構築業者」と書かれていますが、最初の表の「構築LAN構築業者」"));
    ExpectRoundTrip(m);
}

TEST(RaciSeeds, Seed001Gives41WorkItemsWithTheBlackCircleLegend) {
    const auto read = ReadText(Fixture("raci_001.txt"));
    ASSERT_TRUE(read) << read.error().message;
    const Matrix& m = *read;
    EXPECT_EQ(m.main_mark, "●");
    EXPECT_EQ(m.support_mark, "○");
    EXPECT_EQ(m.organizations, (std::vector<std::string>{"国保連合会", "クラウドベンダ", "市町村", "既存ベンダ",
                                                         "他システムベンダ", "導入ベンダ"}));
    ASSERT_EQ(m.items.size(), 41u);
    EXPECT_FALSE(std::any_of(m.items.begin(), m.items.end(), [](const Item& it) { return it.section; }));
    const Item& first = Seq(m, 1);
    EXPECT_EQ(first.path, (std::vector<std::string>{"運用保守", "業務運用"}));
    EXPECT_EQ(first.title, "オンライン処理");
    EXPECT_EQ(first.content, "日々の異動入力");
    EXPECT_EQ(first.marks, Marks({{2, M}}));
    EXPECT_EQ(Seq(m, 3).title, "バッチ処理") << "left empty under the row above";
    EXPECT_EQ(Seq(m, 3).content, "月次処理");
    EXPECT_EQ(Seq(m, 3).marks, Marks({{2, M}, {5, S}}));
    const Item& printer = Seq(m, 8);
    EXPECT_EQ(printer.title, "プリンタの設定（増設・変更）");
    EXPECT_EQ(printer.path, (std::vector<std::string>{"システム運用", "システム運用"}));
    EXPECT_EQ(printer.marks, Marks({{0, S}, {3, M}}));
    EXPECT_TRUE(Warned(m, "項番 8: 表の列の外 (13 列目) の「●」は読みませんでした"));
    const Item& watch = Seq(m, 27);
    EXPECT_EQ(watch.title, "稼働監視の実施");
    EXPECT_EQ(watch.content, "・日々のサーバ稼働確認 ・時刻同期正常性確認 ・稼働報告書の作成 ・稼働報告書の定期報告");
    EXPECT_EQ(watch.marks, Marks({{0, M}, {1, M}}));
    ExpectRoundTrip(m);
}

// The seed's table pasted into Excel (each line a row, each tab a cell, numbers typed as numbers)
// and saved by libxlsxwriter reads as the text does.
TEST(RaciSeeds, AWorkbookReadsAsItsText) {
    for (const char* name : {"raci_000.txt", "raci_001.txt"}) {
        const auto text = Fixture(name);
        reports::Table sheet{"raci", {}, {}};
        std::size_t width = 0;
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            std::vector<reports::Cell> row;
            std::size_t at = 0;
            while (true) {
                const auto tab = line.find('\t', at);
                const auto cell = line.substr(at, tab == std::string::npos ? std::string::npos : tab - at);
                const bool number = !cell.empty() && cell.size() < 10 && cell.find_first_not_of("0123456789") == std::string::npos;
                if (cell.empty()) {
                    row.emplace_back(std::monostate{});
                } else if (number) {
                    row.emplace_back(static_cast<std::int64_t>(std::stoll(cell)));
                } else {
                    row.emplace_back(cell);
                }
                if (tab == std::string::npos) break;
                at = tab + 1;
            }
            width = std::max(width, row.size());
            sheet.rows.push_back(std::move(row));
        }
        sheet.columns.assign(width, reports::Column{"", ""});  // the writer's title row: empty
        const auto book = reports::RenderXlsx(sheet, {});
        ASSERT_TRUE(book) << book.error().message;
        const auto from_book = ReadXlsx(*book);
        ASSERT_TRUE(from_book) << name << ": " << from_book.error().message;
        const auto from_text = ReadText(text).value();
        EXPECT_EQ(from_book->organizations, from_text.organizations) << name;
        EXPECT_EQ(from_book->main_mark, from_text.main_mark) << name;
        ASSERT_EQ(from_book->items.size(), from_text.items.size()) << name;
        for (std::size_t i = 0; i < from_text.items.size(); ++i) {
            EXPECT_EQ(from_book->items[i].seq, from_text.items[i].seq);
            EXPECT_EQ(from_book->items[i].title, from_text.items[i].title);
            EXPECT_EQ(from_book->items[i].marks, from_text.items[i].marks) << name << " " << from_text.items[i].seq;
        }
    }
    EXPECT_FALSE(ReadXlsx("not a workbook"));
}

TEST(RaciRead, NoTableOrAContradictoryLegendIsRefused) {
    EXPECT_FALSE(ReadText("役割分担\n1\t作業\t○\n"));
    EXPECT_FALSE(ReadText("○ 作業主体 ○ 作業協力\n項番\t作業項目\t市\n1\ta\t○\n"));
    EXPECT_FALSE(ReadCsv("項番,作業項目,\"市\n"));
    const auto m = ReadCsv("\xEF\xBB\xBF項番,作業項目,作業内容,市,\"ベンダ, A\",備考\r\n1,受付,\"電話で\n受ける\",○,△,\r\n");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->organizations, (std::vector<std::string>{"市", "ベンダ,A"}));
    EXPECT_EQ(m->items.at(0).content, "電話で\n受ける");
    EXPECT_EQ(m->items.at(0).marks, Marks({{0, M}, {1, S}}));
}

}  // namespace
}  // namespace unyo::raci
