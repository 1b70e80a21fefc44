#include "identity/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace egovbox::identity {
namespace {

using ::testing::ElementsAre;

std::vector<std::vector<std::string>> Fields(const CsvDocument& document) {
  std::vector<std::vector<std::string>> fields;
  for (const auto& record : document.records) fields.push_back(record.fields);
  return fields;
}

std::vector<std::size_t> Lines(const CsvDocument& document) {
  std::vector<std::size_t> lines;
  for (const auto& record : document.records) lines.push_back(record.line);
  return lines;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReaderTest, ReadsPlainRecords) {
  const auto document = ParseCsv("name,email\nИван Петров,ivan@example.bg\nМария,maria@example.bg\n");
  ASSERT_FALSE(document.error.has_value());
  EXPECT_EQ(Fields(document),
            (Rows{{"name", "email"}, {"Иван Петров", "ivan@example.bg"}, {"Мария", "maria@example.bg"}}));
  EXPECT_THAT(Lines(document), ElementsAre(1, 2, 3));
}

TEST(CsvReaderTest, LastLineNeedsNoLineBreak) {
  EXPECT_EQ(Fields(ParseCsv("a,b\n1,2")), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReaderTest, QuotedFieldsHoldSeparatorsQuotesAndLineBreaks) {
  const auto document = ParseCsv(
      "name,position\n"
      "\"Петров, Иван\",\"Главен \"\"експерт\"\"\"\n"
      "\"Мария\",\"ред едно\nред две\"\n"
      "Георги,\"\"\n");
  ASSERT_FALSE(document.error.has_value());
  EXPECT_EQ(Fields(document), (Rows{{"name", "position"},
                                    {"Петров, Иван", "Главен \"експерт\""},
                                    {"Мария", "ред едно\nред две"},
                                    {"Георги", ""}}));
  // A record spanning two lines starts on its first; the next one starts after both.
  EXPECT_THAT(Lines(document), ElementsAre(1, 2, 3, 5));
}

TEST(CsvReaderTest, ReadsCrLfLineEndings) {
  const auto document = ParseCsv("a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,5\r\n");
  ASSERT_FALSE(document.error.has_value());
  EXPECT_EQ(Fields(document), (Rows{{"a", "b"}, {"1", "2"}, {"x\r\ny", "3"}, {"4", "5"}}));
  EXPECT_THAT(Lines(document), ElementsAre(1, 2, 3, 5));
}

TEST(CsvReaderTest, SkipsAUtf8ByteOrderMark) {
  const auto document = ParseCsv("\xEF\xBB\xBFname,email\nИван,ivan@example.bg\n");
  ASSERT_FALSE(document.error.has_value());
  EXPECT_EQ(document.records.at(0).fields.at(0), "name");
}

TEST(CsvReaderTest, ReadsSemicolonsWhenTheHeaderHasNoComma) {
  // What Excel writes in a Bulgarian locale.
  const auto document = ParseCsv("име;имейл;длъжност\nИван;ivan@example.bg;експерт, старши\n");
  ASSERT_FALSE(document.error.has_value());
  EXPECT_EQ(Fields(document), (Rows{{"име", "имейл", "длъжност"}, {"Иван", "ivan@example.bg", "експерт, старши"}}));
}

TEST(CsvReaderTest, CommaInTheHeaderKeepsCommaAsSeparator) {
  EXPECT_EQ(Fields(ParseCsv("a,b;c\n1,2;3\n")), (Rows{{"a", "b;c"}, {"1", "2;3"}}));
}

TEST(CsvReaderTest, SkipsBlankLinesButCountsThem) {
  // Empty lines, lines of separators only, and lines of spaces only.
  const auto document =
      ParseCsv("\nname,email\n\n\nИван,ivan@example.bg\n,\n  \n\t, \nМария,maria@example.bg\n\n\"\"\n");
  ASSERT_FALSE(document.error.has_value());
  EXPECT_EQ(Fields(document), (Rows{{"name", "email"}, {"Иван", "ivan@example.bg"}, {"Мария", "maria@example.bg"}}));
  EXPECT_THAT(Lines(document), ElementsAre(2, 5, 9));
}

TEST(CsvReaderTest, KeepsEmptyFieldsInTheMiddleAndAtTheEnd) {
  EXPECT_EQ(Fields(ParseCsv("a,b,c\n1,,\n,2,\n")), (Rows{{"a", "b", "c"}, {"1", "", ""}, {"", "2", ""}}));
}

TEST(CsvReaderTest, QuoteInsideAnUnquotedFieldIsKept) {
  EXPECT_EQ(Fields(ParseCsv("a,b\nO\"Brien,x\n")), (Rows{{"a", "b"}, {"O\"Brien", "x"}}));
}

TEST(CsvReaderTest, EmptyTextHasNoRecords) {
  const auto document = ParseCsv("");
  EXPECT_FALSE(document.error.has_value());
  EXPECT_TRUE(document.records.empty());
  EXPECT_TRUE(ParseCsv("\xEF\xBB\xBF\n\r\n").records.empty());
}

TEST(CsvReaderTest, UnterminatedQuoteIsAnErrorAtTheLineWhereTheRecordStarts) {
  const auto document = ParseCsv("name,email\nИван,ivan@example.bg\n\"Мария,maria@example.bg\nГеорги,g@example.bg\n");
  ASSERT_TRUE(document.error.has_value());
  EXPECT_EQ(document.error->reason, "unterminated-quote");
  EXPECT_EQ(document.error->line, 3U);
}

TEST(CsvReaderTest, TextThatIsNotUtf8IsAnErrorAtItsLine) {
  // "Иван" in Windows-1251, as an old Excel saves it.
  const auto document = ParseCsv("name,email\nPetar,p@example.bg\n\xC8\xE2\xE0\xED,ivan@example.bg\n");
  ASSERT_TRUE(document.error.has_value());
  EXPECT_EQ(document.error->reason, "not-utf8");
  EXPECT_EQ(document.error->line, 3U);
  EXPECT_TRUE(document.records.empty());
}

}  // namespace
}  // namespace egovbox::identity
