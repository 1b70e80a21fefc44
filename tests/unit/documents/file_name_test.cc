#include "documents/file_name.h"

#include <gtest/gtest.h>

#include <string>

namespace egovbox::documents {
namespace {

TEST(FileNameTest, KeepsAnOrdinaryName) {
  EXPECT_EQ(SanitiseFileName("report.pdf"), "report.pdf");
  EXPECT_EQ(SanitiseFileName("Протокол от заседание 3.docx"), "Протокол от заседание 3.docx");
  EXPECT_EQ(SanitiseFileName("a b  c.tar.gz"), "a b  c.tar.gz");
}

TEST(FileNameTest, KeepsOnlyTheLastPathComponent) {
  EXPECT_EQ(SanitiseFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitiseFileName("/etc/shadow"), "shadow");
  EXPECT_EQ(SanitiseFileName("C:\\Users\\Иван\\Desktop\\заповед.pdf"), "заповед.pdf");
  EXPECT_EQ(SanitiseFileName("..\\..\\windows\\system32\\cmd.exe"), "cmd.exe");
  EXPECT_EQ(SanitiseFileName("mixed/path\\name.txt"), "name.txt");
  EXPECT_EQ(SanitiseFileName("folder/"), "document");
}

TEST(FileNameTest, GivesDocumentWhenNothingIsLeft) {
  EXPECT_EQ(SanitiseFileName(""), "document");
  EXPECT_EQ(SanitiseFileName("."), "document");
  EXPECT_EQ(SanitiseFileName(".."), "document");
  EXPECT_EQ(SanitiseFileName("../.."), "document");
  EXPECT_EQ(SanitiseFileName(" . . "), "document");
  EXPECT_EQ(SanitiseFileName(std::string("\x01\x02\x7f", 3)), "document");
}

TEST(FileNameTest, TrimsLeadingDotsAndSpacesAndTrailingOnes) {
  EXPECT_EQ(SanitiseFileName(".bashrc"), "bashrc");
  EXPECT_EQ(SanitiseFileName("...hidden.txt"), "hidden.txt");
  EXPECT_EQ(SanitiseFileName("  name.txt  "), "name.txt");
  EXPECT_EQ(SanitiseFileName("name.txt. . ."), "name.txt");
  // A control character before the dot does not protect it.
  EXPECT_EQ(SanitiseFileName("\x01.profile"), "profile");
}

TEST(FileNameTest, RemovesControlCharacters) {
  EXPECT_EQ(SanitiseFileName(std::string("a\0b.txt", 7)), "ab.txt");
  EXPECT_EQ(SanitiseFileName("line\r\nbreak\t.txt"), "linebreak.txt");
  EXPECT_EQ(SanitiseFileName("bell\x07\x1b[31m.txt"), "bell[31m.txt");
  EXPECT_EQ(SanitiseFileName("del\x7f.txt"), "del.txt");
  EXPECT_EQ(SanitiseFileName("c1\u0085\u009b.txt"), "c1.txt");  // NEL and CSI
  EXPECT_EQ(SanitiseFileName("para\u2029graph.txt"), "paragraph.txt");
}

TEST(FileNameTest, RemovesBidirectionalControls) {
  // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice<RLO>fdp.exe" as "invoiceexe.pdf".
  EXPECT_EQ(SanitiseFileName("invoice\u202efdp.exe"), "invoicefdp.exe");
  EXPECT_EQ(SanitiseFileName("a\u202ab\u202bc\u202cd\u202de.txt"), "abcde.txt");
  EXPECT_EQ(SanitiseFileName("a\u2066b\u2067c\u2068d\u2069e.txt"), "abcde.txt");
  EXPECT_EQ(SanitiseFileName("a\u200eb\u200fc\u061cd.txt"), "abcd.txt");
  // Right-to-left text itself stays.
  EXPECT_EQ(SanitiseFileName("שלום.pdf"), "שלום.pdf");
}

TEST(FileNameTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(SanitiseFileName("bad\xff.txt"), "bad\uFFFD.txt");
  EXPECT_EQ(SanitiseFileName("latin1-\xe9t\xe9.txt"), "latin1-\uFFFDt\uFFFD.txt");
  // An overlong '/' is neither a separator nor kept.
  EXPECT_EQ(SanitiseFileName("a\xc0\xaf"
                             "b"),
            "a\uFFFD\uFFFDb");
  // A surrogate encoded in UTF-8 (CESU), and a code point past U+10FFFF.
  EXPECT_EQ(SanitiseFileName("s\xed\xa0\x80.txt"), "s\uFFFD\uFFFD\uFFFD.txt");
  EXPECT_EQ(SanitiseFileName("big\xf4\x90\x80\x80"), "big\uFFFD\uFFFD\uFFFD\uFFFD");
  // A truncated sequence is one replacement (its maximal subpart).
  EXPECT_EQ(SanitiseFileName("cut\xe2\x82.txt"), "cut\uFFFD.txt");
  EXPECT_EQ(SanitiseFileName("end\xf0\x9f\x98"), "end\uFFFD");
  EXPECT_EQ(SanitiseFileName("emoji\xf0\x9f\x98\x80.png"), "emoji😀.png");
}

TEST(FileNameTest, CutsLongNamesKeepingTheExtension) {
  const std::string name = SanitiseFileName(std::string(300, 'a') + ".pdf");
  EXPECT_EQ(name.size(), 200u);
  EXPECT_EQ(name, std::string(196, 'a') + ".pdf");
}

TEST(FileNameTest, CutsOnACharacterBoundary) {
  // Cyrillic letters take two bytes: 97 of them and ".docx" is 199 bytes.
  std::string long_name;
  for (int i = 0; i < 150; ++i) long_name += "ж";
  const std::string name = SanitiseFileName(long_name + ".docx");
  std::string expected;
  for (int i = 0; i < 97; ++i) expected += "ж";
  EXPECT_EQ(name, expected + ".docx");
  // Three-byte characters without an extension: 66 of them, 198 bytes.
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "€";
  EXPECT_EQ(SanitiseFileName(wide).size(), 198u);
}

TEST(FileNameTest, CutsAnOverlongExtensionLikeTheRestOfTheName) {
  const std::string name = SanitiseFileName("a." + std::string(300, 'x'));
  EXPECT_EQ(name, "a." + std::string(198, 'x'));
}

TEST(FileNameTest, DoesNotEndACutNameWithADotOrASpace) {
  const std::string name = SanitiseFileName(std::string(199, 'a') + " .b" + std::string(100, 'c'));
  EXPECT_EQ(name, std::string(199, 'a'));
}

TEST(FileNameTest, KeepsAtMostTwoHundredBytesOfReplacements) {
  const std::string name = SanitiseFileName(std::string(250, '\xff'));
  EXPECT_EQ(name.size(), 198u);  // 66 replacement characters of three bytes
}

TEST(ContentDispositionTest, GivesAnAsciiFallbackAndTheUtf8Name) {
  EXPECT_EQ(ContentDisposition("attachment", "report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  EXPECT_EQ(ContentDisposition("inline", "Отчет 2024.pdf"),
            "inline; filename=\"_____ 2024.pdf\"; "
            "filename*=UTF-8''%D0%9E%D1%82%D1%87%D0%B5%D1%82%202024.pdf");
}

TEST(ContentDispositionTest, KeepsQuotesAndSeparatorsOutOfTheFallback) {
  EXPECT_EQ(ContentDisposition("attachment", "a\"b\\c;d%41e.txt"),
            "attachment; filename=\"a_b_c_d_41e.txt\"; filename*=UTF-8''a%22b%5Cc%3Bd%2541e.txt");
  EXPECT_EQ(ContentDisposition("attachment", std::string("x\ry\n.txt")),
            "attachment; filename=\"x_y_.txt\"; filename*=UTF-8''x%0Dy%0A.txt");
}

TEST(ContentDispositionTest, PercentEncodesAllButRfc8187AttrChars) {
  EXPECT_EQ(ContentDisposition("attachment", "!#$&+-.^_`|~ ()*,/:<=>?@[]{}'"),
            "attachment; filename=\"!#$&+-.^_`|~ ()*,/:<=>?@[]{}'\"; "
            "filename*=UTF-8''!#$&+-.^_`|~%20%28%29%2A%2C%2F%3A%3C%3D%3E%3F%40%5B%5D%7B%7D%27");
}

TEST(ContentDispositionTest, NamesAnEmptyNameDocument) {
  EXPECT_EQ(ContentDisposition("attachment", ""), "attachment; filename=\"document\"; filename*=UTF-8''document");
}

}  // namespace
}  // namespace egovbox::documents
