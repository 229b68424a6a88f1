#include "http/static_files.hpp"

#include <gtest/gtest.h>

namespace unyo::http {
namespace {

constexpr std::string_view kIndex = "<!doctype html>";
constexpr std::string_view kJs = "console.log(1)";

std::vector<StaticFile> Files() {
    return {{"/index.html", ContentTypeFor("/index.html"), kIndex.data(),
             kIndex.data() + kIndex.size()},
            {"/assets/app-1a2b.js", ContentTypeFor("/assets/app-1a2b.js"), kJs.data(),
             kJs.data() + kJs.size()}};
}

TEST(StaticFilesTest, ServesFilesAndTheIndexForClientRoutes) {
    const auto files = Files();
    EXPECT_EQ(FindStaticFile(files, "/assets/app-1a2b.js")->body(), kJs);
    EXPECT_EQ(FindStaticFile(files, "/")->path, "/index.html");
    EXPECT_EQ(FindStaticFile(files, "/admin/users/12")->path, "/index.html")
        << "deep links survive reload";
    EXPECT_EQ(FindStaticFile(files, "/assets/missing.js"), nullptr)
        << "a missing asset is a 404, not the page";
    EXPECT_EQ(FindStaticFile({}, "/"), nullptr);
}

TEST(StaticFilesTest, CachesHashedAssetsOnly) {
    const auto files = Files();
    auto js = StaticResponse(files[1]);
    auto html = StaticResponse(files[0]);
    EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(js.headers.at(0).second, "public, max-age=31536000, immutable");
    EXPECT_EQ(html.headers.at(0).second, "no-cache");
    bool csp = false;
    for (const auto& [k, v] : html.headers) {
        csp = csp ||
              (k == "Content-Security-Policy" && v.find("default-src 'self'") != std::string::npos);
    }
    EXPECT_TRUE(csp);
}

}  // namespace
}  // namespace unyo::http
