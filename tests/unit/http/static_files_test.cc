#include "http/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "temporary_directory.h"

namespace egovbox::http {
namespace {

constexpr const char* kIndex = "<!doctype html><title>eGov box</title><script src=\"/assets/x-abc.js\"></script>";
constexpr const char* kScript = "console.log('здравей')";

class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    std::filesystem::create_directories(root_.path() / "assets");
    Write("index.html", kIndex);
    Write("assets/x-abc.js", kScript);
    Write("assets/x-def.css", "body{}");
    Write("manifest.webmanifest", "{}");
    Write("icons/logo.svg", "<svg/>");
    Write("notes.unknownext", "?");
  }

  void Write(const std::string& name, const std::string& content) {
    std::filesystem::create_directories((root_.path() / name).parent_path());
    std::ofstream(root_.path() / name, std::ios::binary) << content;
  }

  static Request Get(const std::string& path, const std::string& if_none_match = "") {
    Request request;
    request.path = path;
    if (!if_none_match.empty()) request.headers["if-none-match"] = if_none_match;
    return request;
  }

  unit_test::TemporaryDirectory root_;
};

TEST_F(StaticFilesTest, ReadsEveryFileBelowTheRoot) {
  const StaticFiles files(root_.path());
  EXPECT_EQ(files.file_count(), 6U);
}

TEST_F(StaticFilesTest, HashedAssetsAreCachedForAYear) {
  const StaticFiles files(root_.path());
  const Response response = files.Serve(Get("/assets/x-abc.js"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, kScript);
  EXPECT_EQ(response.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(response.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(files.Serve(Get("/assets/x-def.css")).Header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, IndexIsRevalidatedEveryTime) {
  const StaticFiles files(root_.path());
  for (const char* path : {"/", "/index.html"}) {
    const Response response = files.Serve(Get(path));
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(response.body, kIndex) << path;
    EXPECT_EQ(response.Header("Cache-Control"), "no-cache") << path;
    EXPECT_EQ(response.Header("Content-Type"), "text/html; charset=utf-8") << path;
  }
}

TEST_F(StaticFilesTest, OtherFilesOutsideAssetsAreRevalidated) {
  const StaticFiles files(root_.path());
  const Response manifest = files.Serve(Get("/manifest.webmanifest"));
  EXPECT_EQ(manifest.body, "{}");
  EXPECT_EQ(manifest.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(manifest.Header("Content-Type"), "application/manifest+json");
  EXPECT_EQ(files.Serve(Get("/icons/logo.svg")).Header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(files.Serve(Get("/notes.unknownext")).Header("Content-Type"), "application/octet-stream");
}

TEST_F(StaticFilesTest, MatchingETagAnswersNotModifiedWithoutBody) {
  const StaticFiles files(root_.path());
  const Response first = files.Serve(Get("/assets/x-abc.js"));
  const std::string etag(first.Header("ETag"));
  ASSERT_GE(etag.size(), 3U);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');

  const Response again = files.Serve(Get("/assets/x-abc.js", etag));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("ETag"), etag);
  EXPECT_EQ(again.Header("Cache-Control"), "public, max-age=31536000, immutable");

  const Response index = files.Serve(Get("/"));
  EXPECT_EQ(files.Serve(Get("/some/route", std::string(index.Header("ETag")))).status, 304);
}

TEST_F(StaticFilesTest, StaleETagGetsTheFile) {
  const StaticFiles files(root_.path());
  const Response response = files.Serve(Get("/assets/x-abc.js", "\"0123456789abcdef0123456789abcdef\""));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, kScript);
}

TEST_F(StaticFilesTest, ETagFollowsTheContent) {
  const std::string before(StaticFiles(root_.path()).Serve(Get("/")).Header("ETag"));
  Write("index.html", "<!doctype html><title>new build</title>");
  const std::string after(StaticFiles(root_.path()).Serve(Get("/")).Header("ETag"));
  EXPECT_NE(before, after);
  EXPECT_NE(before, std::string(StaticFiles(root_.path()).Serve(Get("/assets/x-abc.js")).Header("ETag")));
}

TEST_F(StaticFilesTest, AppRoutesFallBackToIndex) {
  const StaticFiles files(root_.path());
  for (const char* path : {"/colleagues", "/security/sessions", "/no-such-file.png", "/assets"}) {
    const Response response = files.Serve(Get(path));
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(response.body, kIndex) << path;
    EXPECT_EQ(response.Header("Cache-Control"), "no-cache") << path;
  }
}

TEST_F(StaticFilesTest, MissingAssetIsNotFoundRatherThanHtml) {
  const StaticFiles files(root_.path());
  const Response response = files.Serve(Get("/assets/x-old.js"));
  EXPECT_EQ(response.status, 404);
  ASSERT_TRUE(response.problem.has_value());
  EXPECT_EQ(response.problem->slug, "not-found");
  EXPECT_TRUE(response.body.empty());
}

TEST_F(StaticFilesTest, OnlyFilesReadAtStartAreServedNeverPathsOnDisk) {
  const StaticFiles files(root_.path());
  Write("assets/x-late.js", "written after start");
  EXPECT_EQ(files.Serve(Get("/assets/x-late.js")).status, 404);
  EXPECT_EQ(files.Serve(Get("/../index.html")).body, kIndex);  // the fallback, not a file lookup
  EXPECT_EQ(files.Serve(Get("/assets/../../../etc/passwd")).status, 404);
}

TEST(StaticFilesNotBuiltTest, MissingRootServesAPageThatSaysSo) {
  const StaticFiles files("/nonexistent/egovbox/web/dist");
  EXPECT_EQ(files.file_count(), 1U);
  Request request;
  request.path = "/";
  const Response response = files.Serve(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("make build"), std::string::npos);
  EXPECT_EQ(response.Header("Content-Type"), "text/html; charset=utf-8");
}

}  // namespace
}  // namespace egovbox::http
