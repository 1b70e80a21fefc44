#include "notify/notification_centre.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

#include "http/problem_catalog.h"
#include "http/router.h"
#include "notify/notify_routes.h"
#include "recording_peer.h"
#include "temporary_database.h"

namespace egovbox::notify {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

using egovbox::test::RecordingPeer;

class NotificationCentreTest : public ::testing::Test {
 protected:
  NotificationCentreTest() {
    RegisterNotifyProblems();
    AddEmployee("ana");
    AddEmployee("boris");
  }

  void AddEmployee(const std::string& id) {
    auto connection = database().Acquire();
    connection->Execute(
        "INSERT INTO employees (id, code, name, search_text, email, status, password_hash, must_change_password,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', 'x', 0, 0, 0)",
        {id, "CODE" + id, id, id, id + "@example.org"});
  }

  // Records in one committed transaction, then publishes.
  std::vector<Notification> RecordAndPublish(const std::vector<std::pair<std::string, std::int64_t>>& who_when) {
    std::vector<Notification> recorded;
    database().InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      for (const auto& [employee_id, at] : who_when) {
        recorded.push_back(
            centre_.Record(tx, employee_id, kKindMeetingInvited, {{"meeting_id", "m1"}, {"title", "Оперативка"}}, at));
      }
    });
    centre_.Publish(recorded);
    return recorded;
  }

  std::string RecordOne(const std::string& employee_id, std::int64_t at) {
    return RecordAndPublish({{employee_id, at}}).front().id;
  }

  std::vector<std::string> Ids(const NotificationPage& page) {
    std::vector<std::string> ids;
    for (const auto& notification : page.notifications) ids.push_back(notification.id);
    return ids;
  }

  NotificationPage ListOk(const std::string& employee_id, int limit = 50,
                          const std::optional<std::string>& before = std::nullopt) {
    auto page = centre_.List(employee_id, limit, before);
    if (!page.ok()) {
      ADD_FAILURE() << "List failed: " << page.problem().slug;
      return {};
    }
    return page.value();
  }

  store::Database& database() { return temporary_.database(); }

  unit_test::TemporaryDatabase temporary_;
  realtime::Hub hub_;
  NotificationCentre centre_{temporary_.database(), hub_};
};

TEST_F(NotificationCentreTest, RecordsInTheCallersTransaction) {
  try {
    database().InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      centre_.Record(tx, "ana", kKindCallMissed, {{"call_id", "c1"}}, 100);
      throw std::runtime_error("the caller's change failed");
    });
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(ListOk("ana").notifications.empty());
  EXPECT_EQ(centre_.UnreadCount("ana"), 0);
}

TEST_F(NotificationCentreTest, ListsNewestFirstWithTheUnreadCount) {
  const auto first = RecordOne("ana", 100);
  const auto second = RecordOne("ana", 200);
  const auto third = RecordOne("ana", 300);
  RecordOne("boris", 250);
  const auto page = ListOk("ana");
  EXPECT_THAT(Ids(page), ElementsAre(third, second, first));
  EXPECT_EQ(page.unread, 3);
  const auto& newest = page.notifications.front();
  EXPECT_EQ(newest.kind, "meeting.invited");
  EXPECT_EQ(newest.payload.at("title"), "Оперативка");
  EXPECT_FALSE(newest.read);
}

TEST_F(NotificationCentreTest, PagesWithLimitAndBefore) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(RecordOne("ana", 100 + i));
  // Two at the same second: the id breaks the tie, the same way every time.
  ids.push_back(RecordOne("ana", 104));
  const auto all = Ids(ListOk("ana"));
  ASSERT_EQ(all.size(), 6u);
  const auto first = ListOk("ana", 2);
  EXPECT_THAT(Ids(first), ElementsAre(all[0], all[1]));
  EXPECT_EQ(first.unread, 6);
  const auto second = ListOk("ana", 2, all[1]);
  EXPECT_THAT(Ids(second), ElementsAre(all[2], all[3]));
  const auto last = ListOk("ana", 10, all[3]);
  EXPECT_THAT(Ids(last), ElementsAre(all[4], all[5]));
  EXPECT_TRUE(ListOk("ana", 10, all[5]).notifications.empty());
}

TEST_F(NotificationCentreTest, RefusesALimitOutOfRangeAndAForeignCursor) {
  const auto boris = RecordOne("boris", 100);
  for (int limit : {0, -1, 101}) {
    auto page = centre_.List("ana", limit);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.problem().status, 400);
    EXPECT_EQ(page.problem().params.at("field"), "limit");
  }
  for (const std::string& before : {boris, std::string("no-such-id")}) {
    auto page = centre_.List("ana", 10, before);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.problem().params.at("field"), "before");
  }
  EXPECT_TRUE(centre_.List("ana", 100).ok());
}

TEST_F(NotificationCentreTest, MarksOneRead) {
  const auto first = RecordOne("ana", 100);
  RecordOne("ana", 200);
  ASSERT_TRUE(centre_.MarkRead("ana", first).ok());
  EXPECT_EQ(centre_.UnreadCount("ana"), 1);
  const auto page = ListOk("ana");
  EXPECT_EQ(page.unread, 1);
  EXPECT_FALSE(page.notifications[0].read);
  EXPECT_TRUE(page.notifications[1].read);
  // Reading it again is fine.
  EXPECT_TRUE(centre_.MarkRead("ana", first).ok());
  EXPECT_EQ(centre_.UnreadCount("ana"), 1);
}

TEST_F(NotificationCentreTest, AnotherPersonsNotificationIsNotFound) {
  const auto boris = RecordOne("boris", 100);
  for (const std::string& id : {boris, std::string("no-such-id")}) {
    const auto status = centre_.MarkRead("ana", id);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.problem().status, 404);
    EXPECT_EQ(status.problem().slug, "notification-not-found");
  }
  EXPECT_EQ(centre_.UnreadCount("boris"), 1);
  EXPECT_TRUE(ListOk("ana").notifications.empty());
}

TEST_F(NotificationCentreTest, MarksAllOfOnePersonRead) {
  RecordOne("ana", 100);
  RecordOne("ana", 200);
  RecordOne("boris", 300);
  centre_.MarkAllRead("ana");
  EXPECT_EQ(centre_.UnreadCount("ana"), 0);
  EXPECT_EQ(centre_.UnreadCount("boris"), 1);
  for (const auto& notification : ListOk("ana").notifications) EXPECT_TRUE(notification.read);
}

TEST_F(NotificationCentreTest, PublishPushesToThePersonsTabsWithTheUnreadCount) {
  auto ana_tab = std::make_shared<RecordingPeer>("ana");
  auto ana_other_tab = std::make_shared<RecordingPeer>("ana");
  auto boris_tab = std::make_shared<RecordingPeer>("boris");
  hub_.Opened(ana_tab);
  hub_.Opened(ana_other_tab);
  hub_.Opened(boris_tab);
  RecordOne("ana", 100);
  const auto recorded = RecordAndPublish({{"ana", 200}, {"boris", 200}});

  const auto pushed = ana_tab->Of("notification");
  ASSERT_EQ(pushed.size(), 2u);
  EXPECT_EQ(pushed[0]["unread"], 1);
  EXPECT_EQ(pushed[1]["unread"], 2);
  const json& notification = pushed[1]["notification"];
  EXPECT_EQ(notification["id"], recorded[0].id);
  EXPECT_EQ(notification["kind"], "meeting.invited");
  EXPECT_EQ(notification["payload"]["meeting_id"], "m1");
  EXPECT_EQ(notification["created_at"], "1970-01-01T00:03:20Z");
  EXPECT_EQ(notification["read"], false);
  EXPECT_FALSE(notification.contains("employee_id"));
  EXPECT_EQ(ana_other_tab->Of("notification").size(), 2u);

  const auto to_boris = boris_tab->Of("notification");
  ASSERT_EQ(to_boris.size(), 1u);
  EXPECT_EQ(to_boris[0]["notification"]["id"], recorded[1].id);
  EXPECT_EQ(to_boris[0]["unread"], 1);
}

TEST_F(NotificationCentreTest, PageJsonHasTheApiShape) {
  const auto id = RecordOne("ana", 1796112000);  // 2026-12-01T08:00:00Z
  const json page = NotificationPageJson(ListOk("ana"));
  EXPECT_EQ(page, json::parse(R"({"notifications": [{"id": ")" + id +
                              R"(", "kind": "meeting.invited", "payload": {"meeting_id": "m1", "title": "Оперативка"},
                                 "created_at": "2026-12-01T08:00:00Z", "read": false}], "unread": 1})"));
}

TEST_F(NotificationCentreTest, DeletingAnEmployeeDeletesTheirNotifications) {
  RecordOne("boris", 100);
  {
    auto connection = database().Acquire();
    connection->Execute("DELETE FROM employees WHERE id = ?", {"boris"});
    EXPECT_EQ(connection->QueryOne("SELECT COUNT(*) FROM notifications")->Int(0), 0);
  }
}

// The routes, called the way the dispatcher calls them.
class NotifyRoutesTest : public NotificationCentreTest {
 protected:
  NotifyRoutesTest() { AddNotifyRoutes(router_, centre_); }

  http::Response Call(http::Method method, const std::string& path, std::map<std::string, std::string> query = {}) {
    const auto match = router_.Match(method, path);
    if (match.route == nullptr) {
      ADD_FAILURE() << "no route for " << path;
      return {};
    }
    EXPECT_EQ(match.route->access, http::Access::kSignedIn);
    http::Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.path_params = match.params;
    request.principal = http::Principal{};
    request.principal->subject_id = "ana";
    return match.route->handler(request);
  }

  http::Router router_;
};

TEST_F(NotifyRoutesTest, ListsReadsOneAndReadsAll) {
  const auto first = RecordOne("ana", 100);
  RecordOne("ana", 200);
  auto listed = Call(http::Method::kGet, "/api/v1/notifications", {{"limit", "1"}});
  EXPECT_EQ(listed.status, 200);
  auto body = json::parse(listed.body);
  EXPECT_EQ(body["notifications"].size(), 1u);
  EXPECT_EQ(body["unread"], 2);

  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/notifications/" + first + "/read").status, 204);
  EXPECT_EQ(centre_.UnreadCount("ana"), 1);
  EXPECT_EQ(Call(http::Method::kPost, "/api/v1/notifications/read-all").status, 204);
  EXPECT_EQ(centre_.UnreadCount("ana"), 0);
}

TEST_F(NotifyRoutesTest, AnswersProblems) {
  const auto boris = RecordOne("boris", 100);
  for (const std::string limit : {"0", "101", "abc", "", "1000", "-5"}) {
    auto response = Call(http::Method::kGet, "/api/v1/notifications", {{"limit", limit}});
    ASSERT_TRUE(response.problem.has_value()) << limit;
    EXPECT_EQ(response.problem->status, 400);
    EXPECT_EQ(response.problem->params.at("field"), "limit");
  }
  auto foreign_cursor = Call(http::Method::kGet, "/api/v1/notifications", {{"before", boris}});
  ASSERT_TRUE(foreign_cursor.problem.has_value());
  EXPECT_EQ(foreign_cursor.problem->params.at("field"), "before");
  auto foreign = Call(http::Method::kPost, "/api/v1/notifications/" + boris + "/read");
  ASSERT_TRUE(foreign.problem.has_value());
  EXPECT_EQ(foreign.problem->status, 404);
  EXPECT_EQ(foreign.problem->slug, "notification-not-found");
  EXPECT_TRUE(http::ProblemCatalog::Instance().Has("notification-not-found"));
}

}  // namespace
}  // namespace egovbox::notify
