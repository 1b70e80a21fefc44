#include "documents/document_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "crypto/digest.h"
#include "documents/document_repository.h"
#include "documents_world.h"

namespace egovbox::documents {
namespace {

using test::FakeBody;
using test::kDay;
using test::kHour;
using test::kPdf;
using test::kPng;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using Kind = http::BodyStreamError::Kind;

DocumentFilter Scope(std::string scope) {
  DocumentFilter filter;
  filter.scope = std::move(scope);
  return filter;
}
DocumentFilter Text(std::string text) {
  DocumentFilter filter;
  filter.text = std::move(text);
  return filter;
}
DocumentFilter Classification(std::string classification) {
  DocumentFilter filter;
  filter.classification = std::move(classification);
  return filter;
}
DocumentFilter TypeGroup(std::string type_group) {
  DocumentFilter filter;
  filter.type_group = std::move(type_group);
  return filter;
}

// Holds each caller until `count` have arrived, so that uploads are read at the
// same time. Gives up after ten seconds (a failing test must not hang): false.
class Gate {
 public:
  explicit Gate(int count) : missing_(count) {}

  bool ArriveAndWait() {
    std::unique_lock lock(mutex_);
    if (--missing_ <= 0) {
      everyone_.notify_all();
      return true;
    }
    return everyone_.wait_for(lock, std::chrono::seconds(10), [this] { return missing_ <= 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable everyone_;
  int missing_;  // GUARDED_BY(mutex_)
};

// A FakeBody that, once it has handed out its first piece, waits at `gate` before
// the next one: every upload through the gate has passed the checks made before
// the body is read.
class GatedBody : public FakeBody {
 public:
  GatedBody(std::string bytes, std::size_t piece, Gate& gate) : FakeBody(std::move(bytes), piece), gate_(gate) {}

  std::size_t Read(std::span<char> out) override {
    if (read() > 0 && !arrived_) {
      arrived_ = true;
      met_ = gate_.ArriveAndWait();
    }
    return FakeBody::Read(out);
  }
  bool met() const { return met_; }

 private:
  Gate& gate_;
  bool arrived_ = false;
  bool met_ = false;
};

class DocumentServiceTest : public test::DocumentsTest {
 protected:
  DocumentServiceTest()
      : ana_(AddEmployee("Ана Иванова", "Архив")),
        boris_(AddEmployee("Борис Петров", "Финанси")),
        carol_(AddEmployee("Цветана Колева", "Правна дирекция")) {}

  // Every refusal Get, Versions, Open, Shares and Comments give `employee_id`, or "ok".
  std::vector<std::string> ReadingAnswers(const std::string& employee_id, const std::string& document_id) {
    const Actor actor = As(employee_id);
    return {Slug(service_->Get(actor, document_id)),
            Slug(service_->Versions(actor, document_id)),
            Slug(service_->Open(actor, document_id, std::nullopt, ContentPurpose::kDownload)),
            Slug(service_->Open(actor, document_id, 1, ContentPurpose::kDownload)),
            Slug(service_->Shares(actor, document_id)),
            Slug(service_->Comments(actor, document_id))};
  }
  static std::vector<std::string> All(const std::string& answer) { return std::vector<std::string>(6, answer); }

  std::string ContentOf(const std::string& employee_id, const std::string& document_id,
                        std::optional<std::int64_t> number = std::nullopt) {
    auto opened = service_->Open(As(employee_id), document_id, number, ContentPurpose::kDownload);
    if (!opened.ok()) return "(" + Slug(opened) + ")";
    return ReadAll(*opened->reader);
  }

  std::string ana_, boris_, carol_;
};

// --- who sees a document -----------------------------------------------------

TEST_F(DocumentServiceTest, OwnerManagesTheirDocument) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  EXPECT_EQ(PermissionFor(ana_, id), "manage");
  EXPECT_EQ(ReadingAnswers(ana_, id), All("ok"));
  EXPECT_EQ(ContentOf(ana_, id), "notes\n");
}

TEST_F(DocumentServiceTest, InternalDocumentNotSharedIsNotFoundForOthers) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  EXPECT_EQ(ReadingAnswers(boris_, id), All("404 document-not-found"));
  // The same answer as for an id that does not exist.
  EXPECT_EQ(ReadingAnswers(boris_, "no-such-document"), All("404 document-not-found"));
  FakeBody body("more\n");
  EXPECT_EQ(Slug(service_->AddVersion(As(boris_), id, "x.txt", body)), "404 document-not-found");
  EXPECT_EQ(Slug(service_->AddComment(As(boris_), id, "Здравей")), "404 document-not-found");
  EXPECT_EQ(Slug(service_->Delete(As(boris_), id)), "404 document-not-found");
  EXPECT_THAT(ListIds(boris_), IsEmpty());
}

TEST_F(DocumentServiceTest, PublicDocumentIsViewableByEveryone) {
  const auto id = Upload(ana_, "Наредба", "public text\n", "public");
  EXPECT_EQ(PermissionFor(boris_, id), "view");
  EXPECT_EQ(PermissionFor(carol_, id), "view");
  EXPECT_EQ(ContentOf(carol_, id), "public text\n");
  EXPECT_THAT(ListIds(carol_), ElementsAre(id));
}

TEST_F(DocumentServiceTest, ShareWithAnEmployeeReachesOnlyThem) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  EXPECT_EQ(PermissionFor(boris_, id), "view");
  EXPECT_EQ(ReadingAnswers(boris_, id), All("ok"));
  EXPECT_EQ(PermissionFor(carol_, id), "404 document-not-found");
  EXPECT_THAT(ListIds(boris_), ElementsAre(id));
  EXPECT_THAT(ListIds(carol_), IsEmpty());
}

TEST_F(DocumentServiceTest, ShareWithADepartmentReachesItsMembersOnly) {
  const auto id = Upload(ana_, "Бюджет", "numbers\n");
  ShareWith(ana_, id, kGranteeDepartment, DepartmentOf(boris_), Permission::kComment);
  EXPECT_EQ(PermissionFor(boris_, id), "comment");
  EXPECT_EQ(PermissionFor(carol_, id), "404 document-not-found");
  const auto colleague = AddEmployee("Димитър Стоянов", "Финанси");
  EXPECT_EQ(PermissionFor(colleague, id), "comment");  // members at the time of the request
  EXPECT_THAT(ListIds(boris_), ElementsAre(id));
  EXPECT_THAT(ListIds(carol_), IsEmpty());
}

TEST_F(DocumentServiceTest, ShareWithAMeetingReachesItsInviteesOnly) {
  const auto id = Upload(ana_, "Дневен ред", "agenda\n");
  const auto meeting = CreateMeeting(ana_, {boris_});
  ASSERT_FALSE(meeting.empty());
  ShareWith(ana_, id, kGranteeMeeting, meeting, Permission::kView);
  EXPECT_EQ(PermissionFor(boris_, id), "view");
  EXPECT_EQ(PermissionFor(carol_, id), "404 document-not-found");
  auto listed = service_->MeetingDocuments(As(boris_), meeting);
  ASSERT_TRUE(listed.ok()) << Slug(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().document.id, id);
  EXPECT_EQ(Slug(service_->MeetingDocuments(As(carol_), meeting)), "404 meeting-not-found");
}

TEST_F(DocumentServiceTest, MeetingShareIsNamedOnlyToItsInvitees) {
  const auto meeting = CreateMeeting(ana_, {boris_});
  ASSERT_FALSE(meeting.empty());
  // Carol may view both documents (one is public, the other is shared with her) but is not invited.
  const auto open = Upload(ana_, "Наредба", "public text\n", "public");
  ShareWith(ana_, open, kGranteeMeeting, meeting, Permission::kView);
  const auto internal = Upload(ana_, "Дневен ред", "agenda\n");
  ShareWith(ana_, internal, kGranteeEmployee, carol_, Permission::kView);
  ShareWith(ana_, internal, kGranteeMeeting, meeting, Permission::kComment);

  // (kind, id, name) of each share, as `employee_id` gets them.
  const auto grantees = [&](const std::string& employee_id, const std::string& document_id) {
    std::vector<std::vector<std::string>> seen;
    auto shares = service_->Shares(As(employee_id), document_id);
    if (!shares.ok()) {
      ADD_FAILURE() << "shares refused: " << Slug(shares);
      return seen;
    }
    for (const auto& share : *shares) seen.push_back({share.grantee.kind, share.grantee.id, share.grantee.name});
    return seen;
  };
  const std::vector<std::string> hidden{"meeting", "", ""};
  const std::vector<std::string> named{"meeting", meeting, "Оперативка"};
  EXPECT_THAT(grantees(carol_, open), ElementsAre(hidden));
  EXPECT_THAT(grantees(carol_, internal),
              UnorderedElementsAre(std::vector<std::string>{"employee", carol_, "Цветана Колева"}, hidden));
  EXPECT_THAT(grantees(boris_, open), ElementsAre(named));
  EXPECT_THAT(grantees(boris_, internal),
              UnorderedElementsAre(std::vector<std::string>{"employee", carol_, "Цветана Колева"}, named));
  EXPECT_THAT(grantees(ana_, open), ElementsAre(named));  // the organiser is invited too
  // The permission of the share is still shown; only who it names is not.
  auto shares = service_->Shares(As(carol_), internal);
  ASSERT_TRUE(shares.ok());
  for (const auto& share : *shares) {
    if (share.grantee.kind == kGranteeMeeting) {
      EXPECT_EQ(share.permission, Permission::kComment);
    }
  }
}

TEST_F(DocumentServiceTest, MeetingDocumentsAreStillFoundAfterTheMeetingIsCancelled) {
  const auto id = Upload(ana_, "Дневен ред", "agenda\n");
  const auto meeting = CreateMeeting(ana_, {boris_});
  ASSERT_FALSE(meeting.empty());
  ShareWith(ana_, id, kGranteeMeeting, meeting, Permission::kView);
  ASSERT_EQ(Slug(meetings_.Cancel(ana_, meeting)), "ok");

  for (const auto& invitee : {ana_, boris_}) {
    auto listed = service_->MeetingDocuments(As(invitee), meeting);
    ASSERT_TRUE(listed.ok()) << Slug(listed);
    ASSERT_EQ(listed->size(), 1U);
    EXPECT_EQ(listed->front().document.id, id);
  }
  EXPECT_EQ(PermissionFor(boris_, id), "view");
  auto shares = service_->Shares(As(boris_), id);
  ASSERT_TRUE(shares.ok());
  ASSERT_EQ(shares->size(), 1U);
  EXPECT_EQ(shares->front().grantee.name, "Оперативка");
  EXPECT_EQ(Slug(service_->MeetingDocuments(As(carol_), meeting)), "404 meeting-not-found");
}

TEST_F(DocumentServiceTest, TheStrongestOfSeveralSharesWins) {
  const auto id = Upload(ana_, "Бюджет", "numbers\n");
  const auto meeting = CreateMeeting(ana_, {boris_});
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  ShareWith(ana_, id, kGranteeDepartment, DepartmentOf(boris_), Permission::kEdit);
  ShareWith(ana_, id, kGranteeMeeting, meeting, Permission::kComment);
  EXPECT_EQ(PermissionFor(boris_, id), "edit");
  FakeBody body("numbers, revised\n");
  EXPECT_EQ(Slug(service_->AddVersion(As(boris_), id, "budget.txt", body)), "ok");
}

TEST_F(DocumentServiceTest, SharingAgainWithTheSameGranteeReplacesThePermission) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit);
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  EXPECT_EQ(PermissionFor(boris_, id), "view");
  auto shares = service_->Shares(As(ana_), id);
  ASSERT_TRUE(shares.ok());
  ASSERT_EQ(shares->size(), 1U);
  EXPECT_EQ(shares->front().permission, Permission::kView);
}

TEST_F(DocumentServiceTest, ExpiredShareGivesNothing) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit, Now() + kHour);
  ShareWith(ana_, id, kGranteeDepartment, DepartmentOf(carol_), Permission::kView, Now() + kHour);
  EXPECT_EQ(PermissionFor(boris_, id), "edit");
  EXPECT_EQ(PermissionFor(carol_, id), "view");
  Advance(kHour);
  EXPECT_EQ(ReadingAnswers(boris_, id), All("404 document-not-found"));
  EXPECT_EQ(ReadingAnswers(carol_, id), All("404 document-not-found"));
  FakeBody body("late\n");
  EXPECT_EQ(Slug(service_->AddVersion(As(boris_), id, "late.txt", body)), "404 document-not-found");
  EXPECT_THAT(ListIds(boris_), IsEmpty());
  EXPECT_THAT(ListIds(carol_), IsEmpty());
}

TEST_F(DocumentServiceTest, ShareCannotExpireInThePast) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  EXPECT_EQ(Slug(service_->AddShare(As(ana_), id,
                                    ShareInput{std::string(kGranteeEmployee), boris_, Permission::kView, Now()})),
            "400 invalid-field");
}

TEST_F(DocumentServiceTest, RestrictedDocumentRefusesDepartmentAndMeetingShares) {
  const auto id = Upload(ana_, "Лично", "secret\n", "restricted");
  const auto meeting = CreateMeeting(ana_, {boris_});
  EXPECT_EQ(Slug(service_->AddShare(
                As(ana_), id,
                ShareInput{std::string(kGranteeDepartment), DepartmentOf(boris_), Permission::kView, std::nullopt})),
            "409 restricted-document-share");
  EXPECT_EQ(Slug(service_->AddShare(
                As(ana_), id, ShareInput{std::string(kGranteeMeeting), meeting, Permission::kView, std::nullopt})),
            "409 restricted-document-share");
  EXPECT_EQ(CountRows("document_shares"), 0);
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  EXPECT_EQ(PermissionFor(boris_, id), "view");
}

TEST_F(DocumentServiceTest, RestrictedDocumentIgnoresDepartmentAndMeetingShares) {
  const auto id = Upload(ana_, "Лично", "secret\n", "restricted");
  const auto meeting = CreateMeeting(ana_, {carol_});
  // Such shares cannot be made through the service; written straight to the store
  // (as an older release might have left them), they still give nothing.
  {
    auto connection = database_.Acquire();
    Share share;
    share.document_id = id;
    share.permission = Permission::kManage;
    share.created_by.id = ana_;
    share.created_at = Now();
    share.grantee = {std::string(kGranteeDepartment), DepartmentOf(boris_), ""};
    DocumentRepository::UpsertShare(*connection, share);
    share.grantee = {std::string(kGranteeMeeting), meeting, ""};
    DocumentRepository::UpsertShare(*connection, share);
  }
  EXPECT_EQ(ReadingAnswers(boris_, id), All("404 document-not-found"));
  EXPECT_EQ(ReadingAnswers(carol_, id), All("404 document-not-found"));
  EXPECT_THAT(ListIds(boris_), IsEmpty());
  EXPECT_THAT(ListIds(carol_), IsEmpty());
  auto meeting_documents = service_->MeetingDocuments(As(carol_), meeting);
  ASSERT_TRUE(meeting_documents.ok()) << Slug(meeting_documents);
  EXPECT_THAT(*meeting_documents, IsEmpty());
}

TEST_F(DocumentServiceTest, CannotBeMadeRestrictedWhileADepartmentOrMeetingShareExists) {
  const auto by_department = Upload(ana_, "Бюджет", "numbers\n");
  ShareWith(ana_, by_department, kGranteeDepartment, DepartmentOf(boris_), Permission::kView);
  DocumentChanges restrict;
  restrict.classification = "restricted";
  EXPECT_EQ(Slug(service_->Update(As(ana_), by_department, restrict)), "409 restricted-document-share");
  EXPECT_EQ(service_->Get(As(ana_), by_department)->document.classification, "internal");

  const auto by_meeting = Upload(ana_, "Дневен ред", "agenda\n");
  ShareWith(ana_, by_meeting, kGranteeMeeting, CreateMeeting(ana_, {boris_}), Permission::kView);
  EXPECT_EQ(Slug(service_->Update(As(ana_), by_meeting, restrict)), "409 restricted-document-share");

  // Employee shares are no obstacle.
  const auto by_employee = Upload(ana_, "Лично", "secret\n");
  ShareWith(ana_, by_employee, kGranteeEmployee, boris_, Permission::kView);
  EXPECT_EQ(Slug(service_->Update(As(ana_), by_employee, restrict)), "ok");
  EXPECT_EQ(service_->Get(As(ana_), by_employee)->document.classification, "restricted");
  EXPECT_EQ(PermissionFor(boris_, by_employee), "view");
}

// --- what each permission allows ----------------------------------------------

TEST_F(DocumentServiceTest, ViewCannotCommentButCommentCan) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  ShareWith(ana_, id, kGranteeEmployee, carol_, Permission::kComment);
  EXPECT_EQ(Slug(service_->AddComment(As(boris_), id, "Мнение")), "403 document-permission-denied");
  auto comment = service_->AddComment(As(carol_), id, "Съгласна съм");
  ASSERT_TRUE(comment.ok()) << Slug(comment);
  EXPECT_EQ(comment->author.id, carol_);
  EXPECT_EQ(comment->body, "Съгласна съм");
  auto comments = service_->Comments(As(boris_), id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1U);
  EXPECT_EQ(comments->front().body, "Съгласна съм");
  // Commenting gives no more than that.
  FakeBody body("changed\n");
  EXPECT_EQ(Slug(service_->AddVersion(As(carol_), id, "notes.txt", body)), "403 document-permission-denied");
  DocumentChanges retitle;
  retitle.title = "Друго";
  EXPECT_EQ(Slug(service_->Update(As(carol_), id, retitle)), "403 document-permission-denied");
}

TEST_F(DocumentServiceTest, EditCanAddVersionsAndRetitleButNotClassifyShareOrDelete) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit);
  FakeBody body("notes, edited\n");
  auto added = service_->AddVersion(As(boris_), id, "notes.txt", body);
  ASSERT_TRUE(added.ok()) << Slug(added);
  EXPECT_EQ(added->version.number, 2);
  EXPECT_EQ(added->version.uploader.id, boris_);

  DocumentChanges retitle;
  retitle.title = "Бележка, редактирана";
  retitle.description = "по-ясно";
  auto updated = service_->Update(As(boris_), id, retitle);
  ASSERT_TRUE(updated.ok()) << Slug(updated);
  EXPECT_EQ(updated->document.title, "Бележка, редактирана");
  EXPECT_EQ(updated->document.description, "по-ясно");

  DocumentChanges classify;
  classify.classification = "public";
  EXPECT_EQ(Slug(service_->Update(As(boris_), id, classify)), "403 document-permission-denied");
  DocumentChanges both = retitle;
  both.title = "Не";
  both.classification = "public";
  EXPECT_EQ(Slug(service_->Update(As(boris_), id, both)), "403 document-permission-denied");
  EXPECT_EQ(service_->Get(As(ana_), id)->document.title, "Бележка, редактирана");
  EXPECT_EQ(service_->Get(As(ana_), id)->document.classification, "internal");

  EXPECT_EQ(Slug(service_->AddShare(
                As(boris_), id, ShareInput{std::string(kGranteeEmployee), carol_, Permission::kView, std::nullopt})),
            "403 document-permission-denied");
  EXPECT_EQ(Slug(service_->Delete(As(boris_), id)), "403 document-permission-denied");
  EXPECT_EQ(PermissionFor(carol_, id), "404 document-not-found");
}

TEST_F(DocumentServiceTest, ManageCanShareUnshareClassifyAndDelete) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kManage);

  auto share = service_->AddShare(As(boris_), id,
                                  ShareInput{std::string(kGranteeEmployee), carol_, Permission::kView, std::nullopt});
  ASSERT_TRUE(share.ok()) << Slug(share);
  EXPECT_EQ(share->grantee.name, "Цветана Колева");
  EXPECT_EQ(PermissionFor(carol_, id), "view");
  EXPECT_EQ(Slug(service_->RemoveShare(As(boris_), id, share->id)), "ok");
  EXPECT_EQ(PermissionFor(carol_, id), "404 document-not-found");
  EXPECT_EQ(Slug(service_->RemoveShare(As(boris_), id, share->id)), "404 share-not-found");

  DocumentChanges classify;
  classify.classification = "public";
  EXPECT_EQ(Slug(service_->Update(As(boris_), id, classify)), "ok");
  EXPECT_EQ(PermissionFor(carol_, id), "view");

  EXPECT_EQ(Slug(service_->Delete(As(boris_), id)), "ok");
  EXPECT_EQ(PermissionFor(boris_, id), "404 document-not-found");
  EXPECT_EQ(PermissionFor(carol_, id), "404 document-not-found");
}

TEST_F(DocumentServiceTest, OnlyManageMayUnshare) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit);
  auto shares = service_->Shares(As(boris_), id);
  ASSERT_TRUE(shares.ok());
  ASSERT_EQ(shares->size(), 1U);
  EXPECT_EQ(Slug(service_->RemoveShare(As(boris_), id, shares->front().id)), "403 document-permission-denied");
  EXPECT_EQ(PermissionFor(boris_, id), "edit");
}

TEST_F(DocumentServiceTest, ManagerByShareCannotShareWithThemselvesButTheOwnerMayShareWithAnyone) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kManage, Now() + kDay);
  for (const auto permission : {Permission::kView, Permission::kManage}) {
    EXPECT_EQ(Slug(service_->AddShare(As(boris_), id,
                                      ShareInput{std::string(kGranteeEmployee), boris_, permission, std::nullopt})),
              "409 share-with-yourself");
  }
  // Boris's own share is as the owner made it.
  auto shares = service_->Shares(As(ana_), id);
  ASSERT_TRUE(shares.ok());
  ASSERT_EQ(shares->size(), 1U);
  EXPECT_EQ(shares->front().created_by.id, ana_);
  EXPECT_EQ(shares->front().expires_at, Now() + kDay);
  // He may still share with others.
  EXPECT_EQ(Slug(service_->AddShare(
                As(boris_), id, ShareInput{std::string(kGranteeEmployee), carol_, Permission::kView, std::nullopt})),
            "ok");

  // The owner may share with anyone, herself included (she manages it anyway).
  EXPECT_EQ(Slug(service_->AddShare(
                As(ana_), id, ShareInput{std::string(kGranteeEmployee), carol_, Permission::kEdit, std::nullopt})),
            "ok");
  EXPECT_EQ(Slug(service_->AddShare(As(ana_), id,
                                    ShareInput{std::string(kGranteeEmployee), ana_, Permission::kView, std::nullopt})),
            "ok");
  EXPECT_EQ(PermissionFor(ana_, id), "manage");
  EXPECT_EQ(PermissionFor(carol_, id), "edit");
}

TEST_F(DocumentServiceTest, SharesOfAManagerByShareEndNoLaterThanTheirOwnRight) {
  const auto dimitar = AddEmployee("Димитър Стоянов", "Архив");
  const auto id = Upload(ana_, "Бележка", "notes\n");
  const std::int64_t until = Now() + kDay;
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kManage, until);
  const auto share_as_boris = [&](const std::string& grantee, std::optional<std::int64_t> expires_at) {
    return service_->AddShare(As(boris_), id,
                              ShareInput{std::string(kGranteeEmployee), grantee, Permission::kEdit, expires_at});
  };

  auto open_ended = share_as_boris(carol_, std::nullopt);
  ASSERT_TRUE(open_ended.ok()) << Slug(open_ended);
  EXPECT_EQ(open_ended->expires_at, until);
  auto sooner = share_as_boris(dimitar, until - kHour);
  ASSERT_TRUE(sooner.ok()) << Slug(sooner);
  EXPECT_EQ(sooner->expires_at, until - kHour);
  auto later = share_as_boris(carol_, until + kDay);
  ASSERT_TRUE(later.ok()) << Slug(later);
  EXPECT_EQ(later->expires_at, until);
  // As stored, not only as answered.
  auto shares = service_->Shares(As(ana_), id);
  ASSERT_TRUE(shares.ok());
  for (const auto& share : *shares) {
    if (share.grantee.id == carol_) {
      EXPECT_EQ(share.expires_at, until);
    }
  }
  // A share that only lets him edit does not lift the cap.
  ShareWith(ana_, id, kGranteeDepartment, DepartmentOf(boris_), Permission::kEdit);
  auto still_capped = share_as_boris(carol_, std::nullopt);
  ASSERT_TRUE(still_capped.ok()) << Slug(still_capped);
  EXPECT_EQ(still_capped->expires_at, until);

  Advance(kDay);
  EXPECT_EQ(PermissionFor(carol_, id), "404 document-not-found");
  EXPECT_EQ(PermissionFor(dimitar, id), "404 document-not-found");
}

TEST_F(DocumentServiceTest, SharesOfAManagerByAShareThatNeverExpiresAreNotCapped) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kManage);
  auto open_ended = service_->AddShare(
      As(boris_), id, ShareInput{std::string(kGranteeEmployee), carol_, Permission::kView, std::nullopt});
  ASSERT_TRUE(open_ended.ok()) << Slug(open_ended);
  EXPECT_FALSE(open_ended->expires_at.has_value());
  auto dated = service_->AddShare(
      As(boris_), id, ShareInput{std::string(kGranteeEmployee), carol_, Permission::kView, Now() + 30 * kDay});
  ASSERT_TRUE(dated.ok()) << Slug(dated);
  EXPECT_EQ(dated->expires_at, Now() + 30 * kDay);

  // One of his manage shares expires, another (through his department) does not: his right does not end.
  const auto other = Upload(ana_, "Друга", "other\n");
  ShareWith(ana_, other, kGranteeEmployee, boris_, Permission::kManage, Now() + kHour);
  ShareWith(ana_, other, kGranteeDepartment, DepartmentOf(boris_), Permission::kManage);
  auto through_department = service_->AddShare(
      As(boris_), other, ShareInput{std::string(kGranteeEmployee), carol_, Permission::kView, std::nullopt});
  ASSERT_TRUE(through_department.ok()) << Slug(through_department);
  EXPECT_FALSE(through_department->expires_at.has_value());
}

// A restricted document ignores department and meeting shares (left by an older
// release), so they do not lengthen a manager's right either.
TEST_F(DocumentServiceTest, IgnoredDepartmentShareOfARestrictedDocumentDoesNotLiftTheCap) {
  const auto id = Upload(ana_, "Лично", "secret\n", "restricted");
  const std::int64_t until = Now() + kDay;
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kManage, until);
  {
    auto connection = database_.Acquire();
    Share share;
    share.document_id = id;
    share.permission = Permission::kManage;
    share.created_by.id = ana_;
    share.created_at = Now();
    share.grantee = {std::string(kGranteeDepartment), DepartmentOf(boris_), ""};
    DocumentRepository::UpsertShare(*connection, share);
  }
  auto shared = service_->AddShare(As(boris_), id,
                                   ShareInput{std::string(kGranteeEmployee), carol_, Permission::kView, std::nullopt});
  ASSERT_TRUE(shared.ok()) << Slug(shared);
  EXPECT_EQ(shared->expires_at, until);
}

// --- uploads -----------------------------------------------------------------------

TEST_F(DocumentServiceTest, TypeIsTakenFromTheContentNotTheName) {
  FakeBody body(kPng);
  NewDocument input;
  input.title = "Снимка";
  input.file_name = "x.pdf";
  auto created = service_->Create(As(ana_), input, body);
  ASSERT_TRUE(created.ok()) << Slug(created);
  EXPECT_EQ(created->version.media_type, "image/png");
  EXPECT_EQ(created->version.file_name, "x.pdf");
  EXPECT_EQ(created->version.number, 1);
  EXPECT_EQ(created->version.size, kPng.size());
  EXPECT_EQ(created->version.sha256, crypto::Sha256Hex(kPng));
  EXPECT_EQ(created->version.scan_state, "not-scanned");
  EXPECT_FALSE(created->pending_scan);
  ASSERT_TRUE(created->document.latest.has_value());
  EXPECT_EQ(created->document.latest->media_type, "image/png");
  EXPECT_EQ(created->document.permission, Permission::kManage);
  EXPECT_EQ(ContentOf(ana_, created->document.document.id), kPng);
}

TEST_F(DocumentServiceTest, DisallowedTypeIsRefusedAndLeavesNothing) {
  FakeBody body(test::kGzip);
  NewDocument input;
  input.title = "Архив";
  input.file_name = "x.pdf";
  auto created = service_->Create(As(ana_), input, body);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(Slug(created), "415 document-type-not-allowed");
  EXPECT_EQ(created.problem().params.value("type", ""), "application/gzip");
  EXPECT_EQ(CountRows("documents"), 0);
  EXPECT_EQ(CountRows("document_versions"), 0);
  EXPECT_EQ(FilesUnder("blobs"), 0U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);

  // A new version of a disallowed type, likewise.
  const auto id = Upload(ana_, "Бележка", "notes\n");
  FakeBody version(test::kGzip);
  EXPECT_EQ(Slug(service_->AddVersion(As(ana_), id, "x.txt", version)), "415 document-type-not-allowed");
  EXPECT_EQ(CountRows("document_versions"), 1);
  EXPECT_EQ(FilesUnder("blobs"), 1U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);
}

TEST_F(DocumentServiceTest, DeclaredLengthOverTheQuotaIsRefusedBeforeReading) {
  auto settings = test::TestSettings();
  settings.quota_bytes = 1000;
  auto service = MakeService(settings);
  FakeBody body(std::string(1001, 'a'));
  body.DeclareItsLength();
  NewDocument input;
  input.title = "Голям";
  input.file_name = "big.txt";
  auto created = service->Create(As(ana_), input, body);
  EXPECT_EQ(Slug(created), "413 document-quota-exceeded");
  EXPECT_EQ(body.read(), 0U);
  EXPECT_EQ(CountRows("documents"), 0);
  EXPECT_EQ(FilesUnder("tmp"), 0U);
}

TEST_F(DocumentServiceTest, QuotaCountsWhatThePersonUploadedBefore) {
  auto settings = test::TestSettings();
  settings.quota_bytes = 1000;
  auto service = MakeService(settings);
  Upload(ana_, "Първи", std::string(600, 'a'), "internal", "a.txt", service.get());
  FakeBody body(std::string(600, 'b'));
  body.DeclareItsLength();
  NewDocument input;
  input.title = "Втори";
  input.file_name = "b.txt";
  auto refused = service->Create(As(ana_), input, body);
  EXPECT_EQ(Slug(refused), "413 document-quota-exceeded");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem().params.value("used", 0), 600);
  // Someone else's quota is their own.
  FakeBody boris_body(std::string(600, 'b'));
  EXPECT_EQ(Slug(service->Create(As(boris_), input, boris_body)), "ok");
  // Exactly up to the quota is allowed.
  FakeBody rest(std::string(400, 'c'));
  EXPECT_EQ(Slug(service->Create(As(ana_), input, rest)), "ok");
}

TEST_F(DocumentServiceTest, UndeclaredBodyPassingTheQuotaIsRefusedAndLeavesNothing) {
  auto settings = test::TestSettings();
  settings.quota_bytes = 1000;
  auto service = MakeService(settings);
  FakeBody body(std::string(5000, 'a'), 300);  // chunked: no Content-Length
  NewDocument input;
  input.title = "Голям";
  input.file_name = "big.txt";
  EXPECT_EQ(Slug(service->Create(As(ana_), input, body)), "413 document-quota-exceeded");
  EXPECT_LT(body.read(), 5000U);  // stopped reading at the quota
  EXPECT_EQ(CountRows("documents"), 0);
  EXPECT_EQ(CountRows("document_versions"), 0);
  EXPECT_EQ(FilesUnder("blobs"), 0U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);
}

TEST_F(DocumentServiceTest, QuotaIsCheckedAgainWhenParallelUploadsAreRecorded) {
  auto settings = test::TestSettings();
  settings.quota_bytes = 1000;
  auto service = MakeService(settings);
  const std::string first(600, 'a');
  const std::string second(600, 'b');
  // Each fits the quota alone, so both pass the check before the body; together they do not.
  Gate gate(2);
  GatedBody first_body(first, 100, gate);
  GatedBody second_body(second, 100, gate);
  first_body.DeclareItsLength();
  second_body.DeclareItsLength();
  const auto upload = [&](GatedBody& body, const std::string& name) {
    NewDocument input;
    input.title = name;
    input.file_name = name + ".txt";
    return Slug(service->Create(As(ana_), input, body));
  };

  std::string second_answer;
  std::thread other([&] { second_answer = upload(second_body, "second"); });
  const std::string first_answer = upload(first_body, "first");
  other.join();

  ASSERT_TRUE(first_body.met() && second_body.met()) << "the two bodies were not read at the same time";
  EXPECT_THAT((std::vector<std::string>{first_answer, second_answer}),
              UnorderedElementsAre("ok", "413 document-quota-exceeded"));
  EXPECT_EQ(CountRows("documents"), 1);
  EXPECT_EQ(CountRows("document_versions"), 1);
  const std::string& kept = first_answer == "ok" ? first : second;
  const std::string& refused = first_answer == "ok" ? second : first;
  EXPECT_TRUE(blobs_.Contains(crypto::Sha256Hex(kept)));
  EXPECT_FALSE(blobs_.Contains(crypto::Sha256Hex(refused)));
  EXPECT_EQ(FilesUnder("blobs"), 1U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);
}

TEST_F(DocumentServiceTest, DisallowedTypeIsRefusedAfterItsFirstBytesWithoutReadingTheRest) {
  std::string bytes = test::kGzip;
  bytes.resize(std::size_t{10} * 1024 * 1024, '\x5a');
  FakeBody body(std::move(bytes), 64 * 1024);
  body.DeclareItsLength();
  NewDocument input;
  input.title = "Архив";
  input.file_name = "archive.pdf";
  auto created = service_->Create(As(ana_), input, body);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(Slug(created), "415 document-type-not-allowed");
  EXPECT_EQ(created.problem().params.value("type", ""), "application/gzip");
  EXPECT_GE(body.read(), kTypeSniffBytes);
  EXPECT_LT(body.read(), std::size_t{1024} * 1024) << "read on past the bytes that tell the type";
  EXPECT_EQ(CountRows("documents"), 0);
  EXPECT_EQ(FilesUnder("blobs"), 0U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);

  // Exactly the bytes that tell the type, and no more: refused too.
  std::string exact = test::kGzip;
  exact.resize(kTypeSniffBytes, '\x5a');
  FakeBody exact_body(std::move(exact), 1000);
  EXPECT_EQ(Slug(service_->Create(As(ana_), input, exact_body)), "415 document-type-not-allowed");
  EXPECT_EQ(FilesUnder("tmp"), 0U);
}

TEST_F(DocumentServiceTest, AllowedTypeLongerThanTheTypeSniffIsTakenWhole) {
  std::string text;
  while (text.size() < 3 * kTypeSniffBytes) text += "Ред от дълъг текст.\n";
  const auto id = Upload(ana_, "Дълъг", text, "internal", "long.txt");
  auto view = service_->Get(As(ana_), id);
  ASSERT_TRUE(view.ok()) << Slug(view);
  ASSERT_TRUE(view->latest.has_value());
  EXPECT_EQ(view->latest->size, text.size());
  EXPECT_EQ(view->latest->media_type, "text/plain");
  EXPECT_EQ(ContentOf(ana_, id), text);
}

TEST_F(DocumentServiceTest, BodyPassingTheRouteLimitIsPayloadTooLarge) {
  FakeBody body(std::string(5000, 'a'), 300);
  body.FailAfter(2000, Kind::kTooLarge);
  NewDocument input;
  input.title = "Голям";
  input.file_name = "big.txt";
  EXPECT_EQ(Slug(service_->Create(As(ana_), input, body)), "413 payload-too-large");
  EXPECT_EQ(CountRows("documents"), 0);
  EXPECT_EQ(FilesUnder("blobs"), 0U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);
}

TEST_F(DocumentServiceTest, InterruptedUploadIsRefusedAndLeavesNothing) {
  FakeBody body(std::string(5000, 'a'), 300);
  body.FailAfter(2000, Kind::kBroken);
  NewDocument input;
  input.title = "Прекъснат";
  input.file_name = "cut.txt";
  EXPECT_EQ(Slug(service_->Create(As(ana_), input, body)), "400 upload-interrupted");
  EXPECT_EQ(CountRows("documents"), 0);
  EXPECT_EQ(CountRows("document_versions"), 0);
  EXPECT_EQ(FilesUnder("blobs"), 0U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);

  // An interrupted new version keeps the document as it was.
  const auto id = Upload(ana_, "Бележка", "notes\n");
  FakeBody version(std::string(5000, 'b'), 300);
  version.FailAfter(1000, Kind::kBroken);
  EXPECT_EQ(Slug(service_->AddVersion(As(ana_), id, "notes.txt", version)), "400 upload-interrupted");
  EXPECT_EQ(service_->Versions(As(ana_), id)->size(), 1U);
  EXPECT_EQ(FilesUnder("blobs"), 1U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);
}

TEST_F(DocumentServiceTest, FileNameIsStoredWithoutItsPath) {
  const auto id = Upload(ana_, "Пароли", "root:x:0:0\n", "internal", "../../etc/passwd");
  auto versions = service_->Versions(As(ana_), id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 1U);
  EXPECT_EQ(versions->front().file_name, "passwd");

  FakeBody body("root:x:0:0:root\n");
  auto added = service_->AddVersion(As(ana_), id, "..\\..\\windows\\win.ini", body);
  ASSERT_TRUE(added.ok()) << Slug(added);
  EXPECT_EQ(added->version.file_name, "win.ini");
  // Nothing was written outside the store.
  EXPECT_FALSE(std::filesystem::exists(StoreRoot().parent_path() / "etc"));
}

TEST_F(DocumentServiceTest, EqualContentIsStoredOnce) {
  const auto first = Upload(ana_, "Първи", "the same bytes\n");
  const auto second = Upload(boris_, "Втори", "the same bytes\n");
  EXPECT_NE(first, second);
  EXPECT_EQ(FilesUnder("blobs"), 1U);
  EXPECT_TRUE(std::filesystem::is_regular_file(BlobFile(crypto::Sha256Hex("the same bytes\n"))));
  EXPECT_EQ(FilesUnder("tmp"), 0U);
  EXPECT_EQ(ContentOf(ana_, first), "the same bytes\n");
  EXPECT_EQ(ContentOf(boris_, second), "the same bytes\n");
}

TEST_F(DocumentServiceTest, StoredFilesAreEncrypted) {
  const std::string content = "Поверително: заплати за 2026 г.\n";
  const auto id = Upload(ana_, "Заплати", content);
  std::ifstream in(BlobFile(crypto::Sha256Hex(content)), std::ios::binary);
  const std::string stored{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_EQ(stored.find("заплати"), std::string::npos);
  EXPECT_EQ(ContentOf(ana_, id), content);
}

// --- versions ------------------------------------------------------------------------

TEST_F(DocumentServiceTest, NewVersionKeepsTheOldOne) {
  const auto id = Upload(ana_, "Бележка", "first text\n", "internal", "v1.txt");
  Advance(kHour);
  FakeBody body(kPdf);
  auto added = service_->AddVersion(As(ana_), id, "v2.pdf", body);
  ASSERT_TRUE(added.ok()) << Slug(added);
  EXPECT_EQ(added->version.number, 2);
  ASSERT_TRUE(added->document.latest.has_value());
  EXPECT_EQ(added->document.latest->number, 2);

  auto versions = service_->Versions(As(ana_), id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2U);
  EXPECT_EQ((*versions)[0].number, 2);  // newest first
  EXPECT_EQ((*versions)[0].file_name, "v2.pdf");
  EXPECT_EQ((*versions)[0].media_type, "application/pdf");
  EXPECT_EQ((*versions)[1].number, 1);
  EXPECT_EQ((*versions)[1].file_name, "v1.txt");
  EXPECT_EQ((*versions)[1].media_type, "text/plain");

  auto old = service_->Open(As(ana_), id, 1, ContentPurpose::kDownload);
  ASSERT_TRUE(old.ok()) << Slug(old);
  EXPECT_EQ(old->version.number, 1);
  EXPECT_EQ(ReadAll(*old->reader), "first text\n");

  auto latest = service_->Open(As(ana_), id, std::nullopt, ContentPurpose::kDownload);
  ASSERT_TRUE(latest.ok()) << Slug(latest);
  EXPECT_EQ(latest->version.number, 2);
  EXPECT_EQ(ReadAll(*latest->reader), kPdf);

  auto view = service_->Get(As(ana_), id);
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(view->latest.has_value());
  EXPECT_EQ(view->latest->number, 2);
  EXPECT_EQ(view->document.updated_at, Now());

  EXPECT_EQ(Slug(service_->Open(As(ana_), id, 3, ContentPurpose::kDownload)), "404 document-version-not-found");
}

TEST_F(DocumentServiceTest, PreviewOnlyForPdfAndRasterImages) {
  const auto text = Upload(ana_, "Бележка", "notes\n");
  const auto image = Upload(ana_, "Снимка", kPng, "internal", "x.png");
  EXPECT_EQ(Slug(service_->Open(As(ana_), text, std::nullopt, ContentPurpose::kPreview)),
            "415 document-not-previewable");
  EXPECT_EQ(Slug(service_->Open(As(ana_), image, std::nullopt, ContentPurpose::kPreview)), "ok");
}

// --- delete and restore -----------------------------------------------------------

TEST_F(DocumentServiceTest, DeletedDocumentDisappearsForEveryoneButItsOwnersDeletedList) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  const auto kept = Upload(ana_, "Друга", "other\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  ASSERT_EQ(Slug(service_->Delete(As(ana_), id)), "ok");

  EXPECT_EQ(ReadingAnswers(boris_, id), All("404 document-not-found"));
  EXPECT_THAT(ListIds(boris_), IsEmpty());
  EXPECT_THAT(ListIds(ana_), ElementsAre(kept));
  EXPECT_THAT(ListIds(ana_, Scope("mine")), ElementsAre(kept));
  EXPECT_THAT(ListIds(ana_, Scope("deleted")), ElementsAre(id));
  EXPECT_THAT(ListIds(boris_, Scope("deleted")), IsEmpty());
  // Its owner can still look at it, to restore it.
  auto view = service_->Get(As(ana_), id);
  ASSERT_TRUE(view.ok()) << Slug(view);
  EXPECT_EQ(view->document.deleted_at, Now());
  EXPECT_EQ(Slug(service_->Delete(As(ana_), id)), "404 document-not-found");
}

TEST_F(DocumentServiceTest, RestoreWithinThirtyDaysBringsItBack) {
  const auto id = Upload(ana_, "Бележка", "notes\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  ASSERT_EQ(Slug(service_->Delete(As(ana_), id)), "ok");
  Advance(29 * kDay);
  EXPECT_EQ(Slug(service_->Restore(As(boris_), id)), "404 document-not-found");
  auto restored = service_->Restore(As(ana_), id);
  ASSERT_TRUE(restored.ok()) << Slug(restored);
  EXPECT_FALSE(restored->document.deleted_at.has_value());
  EXPECT_EQ(PermissionFor(boris_, id), "view");
  EXPECT_THAT(ListIds(ana_), ElementsAre(id));
  EXPECT_THAT(ListIds(ana_, Scope("deleted")), IsEmpty());
  EXPECT_EQ(Slug(service_->Restore(As(ana_), id)), "409 document-not-deleted");
  EXPECT_EQ(service_->PurgeDeleted(), 0U);
}

TEST_F(DocumentServiceTest, AfterThirtyDaysItCannotBeRestoredAndIsPurgedWithItsFiles) {
  const auto id = Upload(ana_, "Бележка", "only here\n");
  FakeBody shared_body("also elsewhere\n");
  ASSERT_TRUE(service_->AddVersion(As(ana_), id, "v2.txt", shared_body).ok());
  const auto other = Upload(boris_, "Чужд", "also elsewhere\n");
  ShareWith(ana_, id, kGranteeEmployee, carol_, Permission::kComment);
  ASSERT_TRUE(service_->AddComment(As(carol_), id, "Добре").ok());
  ASSERT_EQ(Slug(service_->Delete(As(ana_), id)), "ok");
  EXPECT_EQ(FilesUnder("blobs"), 2U);

  Advance(30 * kDay - kHour);
  EXPECT_EQ(service_->PurgeDeleted(), 0U);  // still restorable
  Advance(kDay + kHour);
  EXPECT_EQ(Slug(service_->Restore(As(ana_), id)), "404 document-not-found");
  EXPECT_EQ(service_->PurgeDeleted(), 1U);

  auto connection = database_.Acquire();
  EXPECT_EQ(connection->QueryOne("SELECT count(*) FROM documents WHERE id = ?", {id})->Int(0), 0);
  for (const std::string table : {"document_versions", "document_shares", "document_comments"}) {
    EXPECT_EQ(connection->QueryOne("SELECT count(*) FROM " + table + " WHERE document_id = ?", {id})->Int(0), 0)
        << table;
  }
  EXPECT_FALSE(std::filesystem::exists(BlobFile(crypto::Sha256Hex("only here\n"))));
  // The file another document still uses stays.
  EXPECT_TRUE(std::filesystem::exists(BlobFile(crypto::Sha256Hex("also elsewhere\n"))));
  EXPECT_EQ(FilesUnder("blobs"), 1U);
  EXPECT_EQ(ContentOf(boris_, other), "also elsewhere\n");
  EXPECT_EQ(service_->PurgeDeleted(), 0U);
}

// --- versions waiting for a virus scan ----------------------------------------------------

TEST_F(DocumentServiceTest, UploadWhileClamdIsUnreachableWaitsForAScan) {
  auto scanning = MakeScanningService();
  ASSERT_TRUE(scanning->scanning());
  FakeBody body("scan me\n");
  NewDocument input;
  input.title = "Чака";
  input.file_name = "wait.txt";
  auto created = scanning->Create(As(ana_), input, body);
  ASSERT_TRUE(created.ok()) << Slug(created);
  EXPECT_TRUE(created->pending_scan);
  EXPECT_EQ(created->version.scan_state, "pending-scan");
  EXPECT_FALSE(created->document.latest.has_value());
  EXPECT_TRUE(created->document.pending_scan);
  const auto id = created->document.document.id;

  // Nobody can open it, its uploader neither.
  EXPECT_EQ(Slug(scanning->Open(As(ana_), id, 1, ContentPurpose::kDownload)), "409 document-pending-scan");
  EXPECT_EQ(Slug(scanning->Open(As(ana_), id, 1, ContentPurpose::kPreview)), "409 document-pending-scan");
  // Its uploader sees it, and the version.
  auto view = scanning->Get(As(ana_), id);
  ASSERT_TRUE(view.ok()) << Slug(view);
  EXPECT_TRUE(view->pending_scan);
  auto versions = scanning->Versions(As(ana_), id);
  ASSERT_TRUE(versions.ok()) << Slug(versions);
  ASSERT_EQ(versions->size(), 1U);
  EXPECT_EQ(versions->front().scan_state, "pending-scan");

  // A sharee learns nothing of a document that has only a pending version.
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit);
  EXPECT_EQ(ReadingAnswers(boris_, id), All("404 document-not-found"));
  EXPECT_THAT(ListIds(boris_), IsEmpty());

  EXPECT_EQ(scanning->RetryPendingScans(), 0U);
  EXPECT_EQ(ScanStateOf(id, 1), "pending-scan");
  EXPECT_EQ(Slug(scanning->Open(As(ana_), id, 1, ContentPurpose::kDownload)), "409 document-pending-scan");
}

TEST_F(DocumentServiceTest, OpeningTheLatestOfADocumentWithOnlyAPendingVersionSaysPendingScan) {
  auto scanning = MakeScanningService();
  const auto id = Upload(ana_, "Чака", "scan me\n", "internal", "wait.txt", scanning.get());
  EXPECT_EQ(Slug(scanning->Open(As(ana_), id, std::nullopt, ContentPurpose::kDownload)), "409 document-pending-scan");
}

TEST_F(DocumentServiceTest, PendingVersionIsHiddenFromSharees) {
  auto scanning = MakeScanningService();
  const auto id = Upload(ana_, "Бележка", "released\n");  // not scanned: visible
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit);
  FakeBody body("waiting\n");
  auto added = scanning->AddVersion(As(boris_), id, "v2.txt", body);
  ASSERT_TRUE(added.ok()) << Slug(added);
  EXPECT_TRUE(added->pending_scan);
  EXPECT_EQ(added->version.number, 2);

  // The owner is not its uploader: for them it does not exist yet.
  auto owner_versions = service_->Versions(As(ana_), id);
  ASSERT_TRUE(owner_versions.ok());
  ASSERT_EQ(owner_versions->size(), 1U);
  EXPECT_EQ(owner_versions->front().number, 1);
  auto owner_view = service_->Get(As(ana_), id);
  ASSERT_TRUE(owner_view.ok());
  EXPECT_EQ(owner_view->latest->number, 1);
  EXPECT_FALSE(owner_view->pending_scan);
  EXPECT_EQ(ContentOf(ana_, id), "released\n");
  EXPECT_NE(Slug(service_->Open(As(ana_), id, 2, ContentPurpose::kDownload)), "ok");

  // Its uploader sees it waiting, and still gets version 1 as the latest.
  auto uploader_versions = service_->Versions(As(boris_), id);
  ASSERT_TRUE(uploader_versions.ok());
  ASSERT_EQ(uploader_versions->size(), 2U);
  EXPECT_EQ(uploader_versions->front().scan_state, "pending-scan");
  EXPECT_TRUE(service_->Get(As(boris_), id)->pending_scan);
  EXPECT_EQ(ContentOf(boris_, id), "released\n");
  EXPECT_EQ(Slug(service_->Open(As(boris_), id, 2, ContentPurpose::kDownload)), "409 document-pending-scan");
}

TEST_F(DocumentServiceTest, PendingVersionNumberIsNotRevealedToOthers) {
  auto scanning = MakeScanningService();
  const auto id = Upload(ana_, "Бележка", "released\n");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit);
  FakeBody body("waiting\n");
  ASSERT_TRUE(scanning->AddVersion(As(boris_), id, "v2.txt", body).ok());
  // "Not shown to anyone but its uploader": the owner's answer for version 2 is the
  // same as for a version that does not exist.
  EXPECT_EQ(Slug(service_->Open(As(ana_), id, 2, ContentPurpose::kDownload)),
            Slug(service_->Open(As(ana_), id, 3, ContentPurpose::kDownload)));
}

TEST_F(DocumentServiceTest, SearchIgnoresTheNamesOfVersionsWaitingForAScan) {
  auto scanning = MakeScanningService();
  const auto id = Upload(ana_, "Бележка", "released\n", "internal", "смета.txt");  // not scanned: released
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kEdit);
  ShareWith(ana_, id, kGranteeEmployee, carol_, Permission::kView);
  FakeBody body("waiting\n");
  auto added = scanning->AddVersion(As(ana_), id, "тайна-поръчка.txt", body);
  ASSERT_TRUE(added.ok()) << Slug(added);
  ASSERT_TRUE(added->pending_scan);
  EXPECT_EQ(scanning->RetryPendingScans(), 0U);  // clamd is still away

  for (const auto& sharee : {boris_, carol_}) {
    EXPECT_THAT(ListIds(sharee, Text("тайна")), IsEmpty()) << sharee;
    EXPECT_THAT(ListIds(sharee, Text("смета")), ElementsAre(id)) << sharee;
  }
  // A change of the document meanwhile does not bring the name in.
  DocumentChanges retitle;
  retitle.title = "Бележка, редактирана";
  ASSERT_TRUE(service_->Update(As(boris_), id, retitle).ok());
  EXPECT_THAT(ListIds(carol_, Text("тайна")), IsEmpty());
  EXPECT_THAT(ListIds(carol_, Text("редактирана")), ElementsAre(id));
  EXPECT_THAT(ListIds(carol_, Text("смета")), ElementsAre(id));
}

// --- the store at start-up -----------------------------------------------------------

TEST_F(DocumentServiceTest, CleanStoreRemovesStrayFilesAndKeepsReferencedBlobs) {
  const auto id = Upload(ana_, "Бележка", "kept\n");
  { std::ofstream(StoreRoot() / "tmp" / "0123abcd.part", std::ios::binary) << "half an upload"; }
  {
    auto writer = blobs_.Begin();
    const std::string orphan = "nobody refers to me\n";
    writer->Write(orphan);
    writer->Finish();
    blobs_.Commit(*writer);
  }
  ASSERT_EQ(FilesUnder("tmp"), 1U);
  ASSERT_EQ(FilesUnder("blobs"), 2U);

  EXPECT_EQ(service_->CleanStore(), 2U);
  EXPECT_EQ(FilesUnder("tmp"), 0U);
  EXPECT_EQ(FilesUnder("blobs"), 1U);
  EXPECT_FALSE(blobs_.Contains(crypto::Sha256Hex("nobody refers to me\n")));
  EXPECT_TRUE(blobs_.Contains(crypto::Sha256Hex("kept\n")));
  EXPECT_EQ(ContentOf(ana_, id), "kept\n");
  EXPECT_EQ(service_->CleanStore(), 0U);
}

TEST_F(DocumentServiceTest, CleanStoreKeepsBlobsOfDeletedAndPendingVersions) {
  auto scanning = MakeScanningService();
  const auto deleted = Upload(ana_, "Изтрит", "deleted, restorable\n");
  ASSERT_EQ(Slug(service_->Delete(As(ana_), deleted)), "ok");
  Upload(ana_, "Чака", "pending\n", "internal", "wait.txt", scanning.get());
  EXPECT_EQ(service_->CleanStore(), 0U);
  EXPECT_EQ(FilesUnder("blobs"), 2U);
}

// --- the list ----------------------------------------------------------------------------

TEST_F(DocumentServiceTest, ListFindsTextIgnoringCase) {
  const auto budget = Upload(ana_, "Бюджет 2026", "numbers\n", "internal", "budget.txt");
  const auto report = Upload(ana_, "Отчет", "text\n", "internal", "Справка.txt");
  EXPECT_THAT(ListIds(ana_, Text("бюджет")), ElementsAre(budget));
  EXPECT_THAT(ListIds(ana_, Text("БЮДЖЕТ")), ElementsAre(budget));
  EXPECT_THAT(ListIds(ana_, Text("отч")), ElementsAre(report));
  EXPECT_THAT(ListIds(ana_, Text("справка")), ElementsAre(report));  // the file name counts
  EXPECT_THAT(ListIds(ana_, Text("протокол")), IsEmpty());
  EXPECT_THAT(ListIds(ana_, Text("%")), IsEmpty());  // not a LIKE pattern

  // A new title is found, the old one no more.
  DocumentChanges retitle;
  retitle.title = "Протокол";
  ASSERT_TRUE(service_->Update(As(ana_), report, retitle).ok());
  EXPECT_THAT(ListIds(ana_, Text("протокол")), ElementsAre(report));
  EXPECT_THAT(ListIds(ana_, Text("отчет")), IsEmpty());
  // The name of a new version is found too.
  FakeBody body("more numbers\n");
  ASSERT_TRUE(service_->AddVersion(As(ana_), budget, "Приложение.txt", body).ok());
  EXPECT_THAT(ListIds(ana_, Text("приложение")), ElementsAre(budget));
}

TEST_F(DocumentServiceTest, ListFiltersByClassification) {
  const auto open = Upload(ana_, "Наредба", "a\n", "public");
  const auto internal = Upload(ana_, "Бележка", "b\n", "internal");
  const auto secret = Upload(ana_, "Лично", "c\n", "restricted");
  EXPECT_THAT(ListIds(ana_, Classification("public")), ElementsAre(open));
  EXPECT_THAT(ListIds(ana_, Classification("internal")), ElementsAre(internal));
  EXPECT_THAT(ListIds(ana_, Classification("restricted")), ElementsAre(secret));
  EXPECT_THAT(ListIds(ana_), UnorderedElementsAre(open, internal, secret));
  EXPECT_EQ(Slug(service_->List(As(ana_), Classification("secret"))), "400 invalid-field");
}

TEST_F(DocumentServiceTest, ListFiltersByTypeGroup) {
  const auto pdf = Upload(ana_, "Договор", kPdf, "internal", "contract.pdf");
  const auto image = Upload(ana_, "Снимка", kPng, "internal", "photo.png");
  const auto text = Upload(ana_, "Бележка", "plain text\n", "internal", "notes.txt");
  EXPECT_THAT(ListIds(ana_, TypeGroup("pdf")), ElementsAre(pdf));
  EXPECT_THAT(ListIds(ana_, TypeGroup("image")), ElementsAre(image));
  EXPECT_THAT(ListIds(ana_, TypeGroup("other")), ElementsAre(text));
  EXPECT_THAT(ListIds(ana_, TypeGroup("office")), IsEmpty());
  EXPECT_EQ(Slug(service_->List(As(ana_), TypeGroup("video"))), "400 invalid-field");

  // The newest version's type decides.
  FakeBody body(kPdf + "%% revised\n");
  ASSERT_TRUE(service_->AddVersion(As(ana_), text, "notes.pdf", body).ok());
  EXPECT_THAT(ListIds(ana_, TypeGroup("pdf")), UnorderedElementsAre(pdf, text));
  EXPECT_THAT(ListIds(ana_, TypeGroup("other")), IsEmpty());
}

TEST_F(DocumentServiceTest, ListTypeGroupFollowsTheVersionTheReaderSees) {
  auto scanning = MakeScanningService();
  const auto id = Upload(ana_, "Договор", kPdf, "internal", "contract.pdf");
  ShareWith(ana_, id, kGranteeEmployee, boris_, Permission::kView);
  FakeBody body(kPng);
  ASSERT_TRUE(scanning->AddVersion(As(ana_), id, "scan.png", body).ok());
  // For Boris the newest version is still the PDF: the pending image is not shown to him.
  auto view = service_->Get(As(boris_), id);
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(view->latest.has_value());
  EXPECT_EQ(view->latest->media_type, "application/pdf");
  EXPECT_THAT(ListIds(boris_, TypeGroup("pdf")), ElementsAre(id));
  EXPECT_THAT(ListIds(boris_, TypeGroup("image")), IsEmpty());
}

TEST_F(DocumentServiceTest, ListScopesMineAndShared) {
  const auto mine = Upload(ana_, "Мой", "a\n");
  const auto shared = Upload(boris_, "Споделен", "b\n");
  ShareWith(boris_, shared, kGranteeEmployee, ana_, Permission::kView);
  const auto by_department = Upload(carol_, "За отдела", "c\n");
  ShareWith(carol_, by_department, kGranteeDepartment, DepartmentOf(ana_), Permission::kView);
  const auto open = Upload(carol_, "Публичен", "d\n", "public");
  Upload(carol_, "Чужд", "e\n");

  EXPECT_THAT(ListIds(ana_, Scope("mine")), ElementsAre(mine));
  EXPECT_THAT(ListIds(ana_, Scope("shared")), UnorderedElementsAre(shared, by_department));
  EXPECT_THAT(ListIds(ana_), UnorderedElementsAre(mine, shared, by_department, open));
  EXPECT_EQ(Slug(service_->List(As(ana_), Scope("everything"))), "400 invalid-field");

  auto listed = service_->List(As(ana_), Scope("shared"));
  ASSERT_TRUE(listed.ok());
  for (const auto& view : *listed) EXPECT_EQ(view.permission, Permission::kView) << view.document.title;
}

TEST_F(DocumentServiceTest, ListTellsEachDocumentsPermissionAndLatestVersion) {
  const auto id = Upload(boris_, "Споделен", "b\n", "internal", "b.txt");
  ShareWith(boris_, id, kGranteeEmployee, ana_, Permission::kComment);
  auto listed = service_->List(As(ana_), {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().permission, Permission::kComment);
  ASSERT_TRUE(listed->front().latest.has_value());
  EXPECT_EQ(listed->front().latest->file_name, "b.txt");
  EXPECT_EQ(listed->front().document.owner.name, "Борис Петров");
}

}  // namespace
}  // namespace egovbox::documents
