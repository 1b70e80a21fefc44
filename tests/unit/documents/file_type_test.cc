#include "documents/file_type.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace egovbox::documents {
namespace {

using namespace std::string_literals;

// The signature and the IHDR chunk (with its CRC) of a 1x1 RGBA PNG.
const std::string kPng = "\x89PNG\r\n\x1a\n"s + "\x00\x00\x00\x0dIHDR"s + "\x00\x00\x00\x01\x00\x00\x00\x01"s +
                         "\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"s;
const std::string kPdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
const std::string kJpeg = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"s;
const std::string kGif = "GIF89a\x01\x00\x01\x00\x80\x00\x00"s;
const std::string kWebp = "RIFF\x24\x00\x00\x00WEBPVP8 "s;
const std::string kSvg =
    "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>\n";
// "hello\n" compressed by gzip.
const std::string kGzip =
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\xe7\x02\x00\x20\x30\x3a\x36\x06\x00\x00\x00"s;

class FileTypeTest : public ::testing::Test {
 protected:
  FileTypeDetector detector_;
};

TEST_F(FileTypeTest, TellsDocumentsAndImagesFromTheirBytes) {
  EXPECT_EQ(detector_.Detect(kPdf), "application/pdf");
  EXPECT_EQ(detector_.Detect(kPng), "image/png");
  EXPECT_EQ(detector_.Detect(kJpeg), "image/jpeg");
  EXPECT_EQ(detector_.Detect(kGif), "image/gif");
  EXPECT_EQ(detector_.Detect(kWebp), "image/webp");
  EXPECT_EQ(detector_.Detect(kSvg), "image/svg+xml");
}

TEST_F(FileTypeTest, TellsText) {
  EXPECT_EQ(detector_.Detect("Hello, world.\nA second line.\n"), "text/plain");
  EXPECT_EQ(detector_.Detect("Здравей, свят.\n"), "text/plain");
}

TEST_F(FileTypeTest, GivesXEmptyForNoBytes) {
  EXPECT_EQ(detector_.Detect(""), "application/x-empty");
}

TEST_F(FileTypeTest, GivesOctetStreamForUnknownBytes) {
  EXPECT_EQ(detector_.Detect("\x00\x01\x02\x03\xfe\xff\x00\x10"s), "application/octet-stream");
}

TEST_F(FileTypeTest, DoesNotLookInsideCompressedData) {
  EXPECT_EQ(detector_.Detect(kGzip), "application/gzip");
}

TEST_F(FileTypeTest, LooksOnlyAtTheLeadingBytes) {
  std::string large = kPdf;
  large.resize(3 * kTypeSniffBytes, ' ');
  EXPECT_EQ(detector_.Detect(large), "application/pdf");
}

TEST_F(FileTypeTest, IsSafeFromSeveralThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> types(8);
  for (std::size_t i = 0; i < types.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 50; ++round) types[i] = detector_.Detect(i % 2 == 0 ? kPdf : kPng);
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < types.size(); ++i) EXPECT_EQ(types[i], i % 2 == 0 ? "application/pdf" : "image/png");
}

TEST(TypeAllowedTest, MatchesExactTypesAndWildcards) {
  const std::vector<std::string> allowed = {"application/pdf", "image/*"};
  EXPECT_TRUE(TypeAllowed("application/pdf", allowed));
  EXPECT_TRUE(TypeAllowed("image/png", allowed));
  EXPECT_TRUE(TypeAllowed("image/svg+xml", allowed));
  EXPECT_FALSE(TypeAllowed("application/zip", allowed));
  EXPECT_FALSE(TypeAllowed("text/plain", allowed));
  EXPECT_FALSE(TypeAllowed("application/pdfx", allowed));
  EXPECT_FALSE(TypeAllowed("imagex/png", allowed));
  EXPECT_TRUE(TypeAllowed("anything/at-all", {"*/*"}));
  EXPECT_FALSE(TypeAllowed("application/pdf", {}));
}

TEST(TypeAllowedTest, IgnoresCaseParametersAndSpaces) {
  EXPECT_TRUE(TypeAllowed("Application/PDF", {"application/pdf"}));
  EXPECT_TRUE(TypeAllowed("image/png", {" IMAGE/* "}));
  EXPECT_TRUE(TypeAllowed("text/plain; charset=utf-8", {"text/plain"}));
}

TEST(TypeAllowedTest, NeedsAWholeMediaType) {
  EXPECT_FALSE(TypeAllowed("", {"*/*"}));
  EXPECT_FALSE(TypeAllowed("pdf", {"*/*"}));
  EXPECT_FALSE(TypeAllowed("image/png", {"*"}));
  EXPECT_FALSE(TypeAllowed("image/png", {"image"}));
}

TEST(PreviewableTest, TakesPdfAndRasterImagesOnly) {
  for (const char* type : {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "IMAGE/PNG"}) {
    EXPECT_TRUE(Previewable(type)) << type;
  }
  for (const char* type : {"image/svg+xml", "text/html", "text/plain", "application/octet-stream", "image/tiff",
                           "application/x-empty", ""}) {
    EXPECT_FALSE(Previewable(type)) << type;
  }
}

}  // namespace
}  // namespace egovbox::documents
