#include "notify/mail_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>

#include "mime_reader.h"
#include "temporary_database.h"

namespace egovbox::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kFrom = "noreply@plovdiv.bg";

std::int64_t At(int year, int month, int day, int hour, int minute) {
  std::tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  return static_cast<std::int64_t>(timegm(&utc));
}

class MailMessageTest : public ::testing::Test {
 protected:
  MailMessageTest() { unit_test::InitializeLibrariesOnce(); }

  static MailMessage Simple() {
    MailMessage message;
    message.to_address = "ivan@example.org";
    message.to_name = "Иван Петров";
    message.subject = "Покана: Оперативка в залата";
    message.text = "Здравейте,\nимате покана.\n";
    return message;
  }

  static std::string Build(const MailMessage& message, const std::string& from_name = "Община Пловдив") {
    return BuildMimeMessage(message, kFrom, from_name, At(2026, 12, 1, 8, 0), "abc123");
  }
};

TEST_F(MailMessageTest, UsesOnlyCrlfAsciiAndShortLines) {
  MailMessage message = Simple();
  message.subject = std::string(300, 'x') + " " + std::string(100, 'y');
  message.text = "ред\rдруг ред\r\nтрети\n" + std::string(5000, 'z');
  message.attachment = MailAttachment{"покана за заседание на комисията по бюджет и финанси.ics",
                                      "text/calendar; method=REQUEST; charset=utf-8", std::string(3000, 'q')};
  message.alternative_calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
  const std::string text = Build(message);
  ASSERT_GE(text.size(), 2u);
  EXPECT_EQ(text.substr(text.size() - 2), "\r\n");
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    ASSERT_LT(c, 0x80) << "non-ASCII byte at " << i;
    if (c == '\r') {
      ASSERT_LT(i + 1, text.size());
      ASSERT_EQ(text[i + 1], '\n') << "bare CR at " << i;
    }
    if (c == '\n') {
      ASSERT_GT(i, 0u);
      ASSERT_EQ(text[i - 1], '\r') << "bare LF at " << i;
      // RFC 5322 §2.1.1: at most 998 characters; we keep them under 78 + the CRLF.
      EXPECT_LE(i - 1 - line_start, 78u) << text.substr(line_start, i - line_start);
      line_start = i + 1;
    }
  }
}

TEST_F(MailMessageTest, WritesTheStandardHeaders) {
  const test::Entity mail = test::ParseEntity(Build(Simple()));
  EXPECT_EQ(mail.Header("date"), "Tue, 01 Dec 2026 08:00:00 +0000");
  EXPECT_EQ(mail.Header("message-id"), "<abc123@plovdiv.bg>");
  EXPECT_EQ(mail.Header("mime-version"), "1.0");
  EXPECT_EQ(mail.Header("auto-submitted"), "auto-generated");
  for (const char* name : {"date", "from", "to", "subject", "message-id", "mime-version", "content-type"}) {
    EXPECT_EQ(mail.Count(name), 1) << name;
  }
}

TEST_F(MailMessageTest, KeepsAFullMessageIdAsItIs) {
  const auto text = BuildMimeMessage(Simple(), kFrom, "", 0, "xyz@mail.example.org");
  EXPECT_EQ(test::ParseEntity(text).Header("message-id"), "<xyz@mail.example.org>");
}

TEST_F(MailMessageTest, EncodesNonAsciiSubjectAndNamesAsEncodedWords) {
  const test::Entity mail = test::ParseEntity(Build(Simple()));
  EXPECT_THAT(mail.Header("subject"), StartsWith("=?UTF-8?B?"));
  EXPECT_EQ(test::DecodeWords(mail.Header("subject")), "Покана: Оперативка в залата");
  EXPECT_EQ(test::DecodeWords(mail.Header("from")), "Община Пловдив <noreply@plovdiv.bg>");
  EXPECT_EQ(test::DecodeWords(mail.Header("to")), "Иван Петров <ivan@example.org>");
}

TEST_F(MailMessageTest, KeepsShortAsciiTextReadable) {
  MailMessage message = Simple();
  message.subject = "Weekly meeting";
  message.to_name = "Ivan \"the\" Petrov";
  const test::Entity mail = test::ParseEntity(Build(message, "eGov box"));
  EXPECT_EQ(mail.Header("subject"), "Weekly meeting");
  EXPECT_EQ(mail.Header("to"), "\"Ivan \\\"the\\\" Petrov\" <ivan@example.org>");
  EXPECT_EQ(mail.Header("from"), "\"eGov box\" <noreply@plovdiv.bg>");
}

TEST_F(MailMessageTest, WritesABareAddressWithoutAName) {
  MailMessage message = Simple();
  message.to_name = "";
  EXPECT_EQ(test::ParseEntity(Build(message)).Header("to"), "ivan@example.org");
}

TEST_F(MailMessageTest, EncodesAsciiThatLooksLikeAnEncodedWord) {
  MailMessage message = Simple();
  message.subject = "=?UTF-8?B?abc?=";
  const test::Entity mail = test::ParseEntity(Build(message));
  EXPECT_EQ(test::DecodeWords(mail.Header("subject")), "=?UTF-8?B?abc?=");
}

TEST_F(MailMessageTest, NeverSplitsACharacterBetweenEncodedWords) {
  MailMessage message = Simple();
  std::string subject;
  for (int i = 0; i < 50; ++i) subject += "Ж€😀a";  // 2, 3, 4 and 1 bytes
  message.subject = subject;
  const std::string header = test::ParseEntity(Build(message)).Header("subject");
  EXPECT_EQ(test::DecodeWords(header), subject);
  // Each word alone is whole UTF-8: no word ends inside a character.
  std::size_t at = 0;
  int words = 0;
  while ((at = header.find("=?UTF-8?B?", at)) != std::string::npos) {
    const auto end = header.find("?=", at + 10);
    ASSERT_LE(end + 2 - at, 75u);  // RFC 2047 §2
    const std::string bytes = test::DecodeBase64(header.substr(at + 10, end - at - 10));
    std::size_t i = 0;
    while (i < bytes.size()) {
      const auto lead = static_cast<unsigned char>(bytes[i]);
      const std::size_t length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
      ASSERT_LE(i + length, bytes.size()) << "word " << words << " cuts a character";
      for (std::size_t k = 1; k < length; ++k) ASSERT_EQ(static_cast<unsigned char>(bytes[i + k]) & 0xc0, 0x80);
      i += length;
    }
    ++words;
    at = end;
  }
  EXPECT_GT(words, 5);
}

TEST_F(MailMessageTest, PlainTextBodyIsBase64OfTheCrlfText) {
  const test::Entity mail = test::ParseEntity(Build(Simple()));
  EXPECT_EQ(mail.Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(mail.Header("content-transfer-encoding"), "base64");
  EXPECT_EQ(test::DecodeBase64(mail.body), "Здравейте,\r\nимате покана.\r\n");
}

TEST_F(MailMessageTest, AttachmentIsABase64PartWithItsFileName) {
  MailMessage message = Simple();
  const std::string calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
  message.attachment = MailAttachment{"invite.ics", "text/calendar; method=REQUEST; charset=utf-8", calendar};
  const test::Entity mail = test::ParseEntity(Build(message));
  EXPECT_THAT(mail.Header("content-type"), StartsWith("multipart/mixed;"));
  const auto parts = test::SplitMultipart(mail);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(test::DecodeBase64(parts[0].body), "Здравейте,\r\nимате покана.\r\n");
  EXPECT_THAT(parts[1].Header("content-type"), StartsWith("text/calendar; method=REQUEST; charset=utf-8;"));
  EXPECT_EQ(test::Parameter(parts[1].Header("content-type"), "name"), "invite.ics");
  EXPECT_EQ(parts[1].Header("content-transfer-encoding"), "base64");
  EXPECT_THAT(parts[1].Header("content-disposition"), StartsWith("attachment;"));
  EXPECT_EQ(test::Parameter(parts[1].Header("content-disposition"), "filename"), "invite.ics");
  EXPECT_EQ(test::DecodeBase64(parts[1].body), calendar);
}

TEST_F(MailMessageTest, AttachmentKeepsBinaryBytes) {
  MailMessage message = Simple();
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>(i % 256);
  message.attachment = MailAttachment{"data.bin", "", bytes};
  const auto parts = test::SplitMultipart(test::ParseEntity(Build(message)));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_THAT(parts[1].Header("content-type"), StartsWith("application/octet-stream;"));
  EXPECT_EQ(test::DecodeBase64(parts[1].body), bytes);
}

TEST_F(MailMessageTest, NonAsciiFileNameUsesRfc2231) {
  MailMessage message = Simple();
  message.attachment = MailAttachment{"покана.ics", "text/calendar", "x"};
  const auto parts = test::SplitMultipart(test::ParseEntity(Build(message)));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_THAT(parts[1].Header("content-disposition"),
              HasSubstr("filename*=UTF-8''%D0%BF%D0%BE%D0%BA%D0%B0%D0%BD%D0%B0.ics"));
}

TEST_F(MailMessageTest, CalendarAlternativeCarriesItsMethod) {
  MailMessage message = Simple();
  const std::string calendar = "BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:CANCEL\nEND:VCALENDAR\n";
  message.alternative_calendar = calendar;
  message.attachment = MailAttachment{"cancel.ics", "text/calendar; method=CANCEL", calendar};
  const auto mixed = test::SplitMultipart(test::ParseEntity(Build(message)));
  ASSERT_EQ(mixed.size(), 2u);
  EXPECT_THAT(mixed[0].Header("content-type"), StartsWith("multipart/alternative;"));
  const auto alternatives = test::SplitMultipart(mixed[0]);
  ASSERT_EQ(alternatives.size(), 2u);
  EXPECT_EQ(alternatives[0].Header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(alternatives[1].Header("content-type"), "text/calendar; charset=utf-8; method=CANCEL");
  EXPECT_EQ(test::DecodeBase64(alternatives[1].body),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n");
}

TEST_F(MailMessageTest, CalendarAlternativeWithoutAttachmentIsTheTopLevelBody) {
  MailMessage message = Simple();
  message.alternative_calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
  const test::Entity mail = test::ParseEntity(Build(message));
  EXPECT_THAT(mail.Header("content-type"), StartsWith("multipart/alternative;"));
  EXPECT_EQ(test::SplitMultipart(mail).size(), 2u);
}

TEST_F(MailMessageTest, EmptyTextStillMakesAWellFormedPart) {
  MailMessage message = Simple();
  message.text = "";
  message.attachment = MailAttachment{"a.txt", "text/plain", ""};
  const auto parts = test::SplitMultipart(test::ParseEntity(Build(message)));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].body, "");
  EXPECT_EQ(parts[1].body, "");
}

TEST_F(MailMessageTest, NoHeaderCanBeInjected) {
  MailMessage message = Simple();
  message.subject = "Hello\r\nBcc: victim@example.org";
  message.to_name = "Ivan\nBcc: other@example.org";
  message.to_address = "ivan@example.org\r\nBcc: third@example.org";
  message.attachment =
      MailAttachment{"a.ics\r\nX-Evil: 1", "text/calendar\r\nX-Evil: 2", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};
  const std::string text =
      BuildMimeMessage(message, "noreply@plovdiv.bg\r\nBcc: x@y", "eGov\r\nBcc: z@y", 0, "id\r\nBcc: w@y");
  EXPECT_THAT(text, Not(HasSubstr("\nBcc")));
  EXPECT_THAT(text, Not(HasSubstr("\nX-Evil")));
  const test::Entity mail = test::ParseEntity(text);
  EXPECT_EQ(mail.Count("bcc"), 0);
  EXPECT_EQ(mail.Count("to"), 1);
  EXPECT_EQ(test::SplitMultipart(mail).size(), 2u);
}

TEST_F(MailMessageTest, RecognisesMailAddresses) {
  EXPECT_TRUE(IsMailAddress("ivan@example.org"));
  EXPECT_TRUE(IsMailAddress("ivan.petrov+council@mail.plovdiv.bg"));
  EXPECT_FALSE(IsMailAddress(""));
  EXPECT_FALSE(IsMailAddress("ivan"));
  EXPECT_FALSE(IsMailAddress("@example.org"));
  EXPECT_FALSE(IsMailAddress("ivan@"));
  EXPECT_FALSE(IsMailAddress("a@b@c"));
  EXPECT_FALSE(IsMailAddress("ivan petrov@example.org"));
  EXPECT_FALSE(IsMailAddress("ivan@example.org\r\nRCPT TO:<x@y>"));
  EXPECT_FALSE(IsMailAddress("ivan@example.org>"));
  EXPECT_FALSE(IsMailAddress(std::string(250, 'a') + "@b.org"));
}

}  // namespace
}  // namespace egovbox::notify
