// What people receive parses back with libical without errors: the iCalendar
// attachment of the invitation and cancellation e-mails as they sit in the outbox,
// and the private subscription feed as the server serves it.
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <memory>

#include "meetings_world.h"
#include "notify/mime_reader.h"

namespace egovbox::meetings {
namespace {

using test::kDay;
using test::kMonday;

struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

// Parses the calendar and checks it is valid iCalendar and a valid iTIP message
// (libical marks what it cannot parse or what breaks RFC 5545/5546 with X-LIC-ERROR).
void ExpectParsesBack(const std::string& text, const std::string& method) {
  Component calendar(icalparser_parse_string(text.c_str()));
  ASSERT_TRUE(calendar) << text;
  EXPECT_EQ(icalcomponent_isa(calendar.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_count_errors(calendar.get()), 0) << text;
  EXPECT_EQ(icalrestriction_check(calendar.get()), 1) << text;
  EXPECT_EQ(icalcomponent_count_errors(calendar.get()), 0) << icalcomponent_as_ical_string(calendar.get());
  const icalproperty* declared = icalcomponent_get_first_property(calendar.get(), ICAL_METHOD_PROPERTY);
  ASSERT_NE(declared, nullptr);
  EXPECT_EQ(icalproperty_get_value_as_string(declared), method);
  EXPECT_NE(icalcomponent_get_first_component(calendar.get(), ICAL_VTIMEZONE_COMPONENT), nullptr);
  EXPECT_NE(icalcomponent_get_first_component(calendar.get(), ICAL_VEVENT_COMPONENT), nullptr);
}

// The text/calendar attachment of a queued e-mail, decoded.
std::string CalendarAttachment(const std::string& message) {
  const auto mail = notify::test::ParseEntity(message);
  for (const auto& part : notify::test::SplitMultipart(mail)) {
    if (part.Header("content-type").rfind("text/calendar", 0) != 0) continue;
    return notify::test::DecodeBase64(part.body);
  }
  ADD_FAILURE() << "no text/calendar part in\n" << message;
  return {};
}

class CalendarParseBackTest : public test::MeetingsTest {
 protected:
  CalendarParseBackTest() : ana_(AddEmployee("Ана Иванова")), boris_(AddEmployee("Борис Петров")) {}
  std::string ana_, boris_;
};

TEST_F(CalendarParseBackTest, InvitationAndCancellationAttachmentsParseBack) {
  MeetingInput weekly = Input(kMonday + kDay, 60, {boris_}, "Седмична оперативка; \"бюджет\", точка 2");
  weekly.agenda = "1. Бюджет\n2. Разни, с точка и запетая;";
  weekly.recurrence = Recurrence{Frequency::kWeekly, 1, {"TU", "TH"}, std::nullopt, 10};
  const std::string id = CreateMeeting(ana_, weekly);
  ASSERT_TRUE(meetings_.CancelOccurrence(ana_, id, kMonday + 3 * kDay).ok());
  ASSERT_TRUE(meetings_.Cancel(ana_, id).ok());

  const auto mail = MailTo(boris_);
  ASSERT_EQ(mail.size(), 3U);
  ExpectParsesBack(CalendarAttachment(mail[0].message), "REQUEST");  // the invitation
  ExpectParsesBack(CalendarAttachment(mail[1].message), "REQUEST");  // one occurrence cancelled: an EXDATE
  ExpectParsesBack(CalendarAttachment(mail[2].message), "CANCEL");
}

TEST_F(CalendarParseBackTest, SubscriptionFeedParsesBack) {
  MeetingInput weekly = Input(kMonday + kDay, 60, {boris_});
  weekly.recurrence = Recurrence{Frequency::kWeekly, 1, {}, std::nullopt, std::nullopt};
  const std::string series = CreateMeeting(ana_, weekly);
  ASSERT_TRUE(
      meetings_.MoveOccurrence(ana_, series, kMonday + 8 * kDay, kMonday + 9 * kDay, kMonday + 9 * kDay + 3600).ok());
  const std::string cancelled = CreateMeeting(ana_, Input(kMonday + 2 * kDay, 30, {boris_}));
  ASSERT_TRUE(meetings_.Cancel(ana_, cancelled).ok());

  const auto feed = meetings_.CreateFeed(boris_);
  ASSERT_TRUE(feed.ok());
  const std::string url = feed->at("url");
  const std::string token = url.substr(url.rfind('/') + 1, url.size() - url.rfind('/') - 1 - 4);  // drop ".ics"
  const auto calendar = meetings_.FeedCalendar(token);
  ASSERT_TRUE(calendar.ok());
  ExpectParsesBack(calendar.value(), "PUBLISH");
  EXPECT_NE(calendar.value().find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_NE(calendar.value().find("RECURRENCE-ID"), std::string::npos);
}

}  // namespace
}  // namespace egovbox::meetings
