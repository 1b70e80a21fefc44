// The documents service on a fresh migrated SQLite database, with a real blob
// store (in a temporary directory, under a key held in memory), real libmagic, no
// virus scanner unless a test asks for one, a clock the test moves by hand, and
// the identity and meetings services that make the employees, departments and
// meetings documents are shared with. Bodies of uploads come from FakeBody.
// Shared by the documents service tests.
#pragma once

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "crypto/capability.h"
#include "crypto/password_hasher.h"
#include "documents/blob_store.h"
#include "documents/clamd_client.h"
#include "documents/document_keyring.h"
#include "documents/document_service.h"
#include "documents/file_type.h"
#include "http/request.h"
#include "identity/employee_service.h"
#include "meetings/meeting_service.h"
#include "meetings/meetings_world.h"
#include "meetings/messenger.h"
#include "notify/mail_outbox.h"
#include "notify/notification_centre.h"
#include "realtime/hub.h"
#include "temporary_database.h"

namespace egovbox::documents::test {

using meetings::test::kDay;
using meetings::test::kHour;
using meetings::test::kMinute;
using meetings::test::kMonday;

using namespace std::string_literals;

// The signature and IHDR chunk of a 1x1 PNG, and the start of a PDF: enough for libmagic.
inline const std::string kPng = "\x89PNG\r\n\x1a\n"s + "\x00\x00\x00\x0dIHDR"s + "\x00\x00\x00\x01\x00\x00\x00\x01"s +
                                "\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"s;
inline const std::string kPdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
// "hello\n" compressed by gzip: application/gzip, which the tests' settings do not allow.
inline const std::string kGzip =
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\xe7\x02\x00\x20\x30\x3a\x36\x06\x00\x00\x00"s;

// An upload's body: `bytes` handed out at most `piece` bytes per Read, with a
// Content-Length when declared, and optionally failing as the HTTP layer does
// (the route's limit passed, the client gone) once `fail_after` bytes were read.
class FakeBody : public http::BodyStream {
 public:
  explicit FakeBody(std::string bytes, std::size_t piece = 1000) : bytes_(std::move(bytes)), piece_(piece) {}

  FakeBody& Declare(std::uint64_t length) {
    declared_ = length;
    return *this;
  }
  FakeBody& DeclareItsLength() { return Declare(bytes_.size()); }
  FakeBody& FailAfter(std::size_t bytes, http::BodyStreamError::Kind kind) {
    fail_after_ = bytes;
    failure_ = kind;
    return *this;
  }

  std::size_t Read(std::span<char> out) override {
    if (failure_ && offset_ >= fail_after_) throw http::BodyStreamError(*failure_, "the fake body fails here");
    const std::size_t until = failure_ ? std::min(fail_after_, bytes_.size()) : bytes_.size();
    const std::size_t count = std::min({out.size(), piece_, until - offset_});
    std::memcpy(out.data(), bytes_.data() + offset_, count);
    offset_ += count;
    return count;
  }
  std::optional<std::uint64_t> declared_length() const override { return declared_; }

  std::size_t read() const { return offset_; }

 private:
  std::string bytes_;
  std::size_t piece_;
  std::size_t offset_ = 0;
  std::optional<std::uint64_t> declared_;
  std::size_t fail_after_ = std::numeric_limits<std::size_t>::max();
  std::optional<http::BodyStreamError::Kind> failure_;
};

inline DocumentSettings TestSettings() {
  DocumentSettings settings;
  settings.allowed_types = {"application/pdf", "image/*", "text/plain"};
  return settings;
}

// The meetings world (store, employees, departments, meetings, notifications, the
// clock) with the documents service on top.
class DocumentsTest : public meetings::test::MeetingsTest {
 protected:
  DocumentsTest() = default;
  std::string DepartmentOf(const std::string& employee_id) {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT department_id FROM employees WHERE id = ?", {employee_id})->Text(0);
  }

  // A meeting on Tuesday organised by `organiser_id`, inviting `invitees`; returns its id.
  std::string CreateMeeting(const std::string& organiser_id, std::vector<std::string> invitees) {
    meetings::MeetingInput input;
    input.title = "Оперативка";
    input.starts_at = kMonday + kDay;
    input.ends_at = input.starts_at + kHour;
    for (auto& id : invitees) input.invitees.push_back({std::move(id), std::string(meetings::kRoleParticipant)});
    auto created = meetings_.Create(organiser_id, input);
    if (!created.ok()) {
      ADD_FAILURE() << "meeting refused: " << created.problem().slug;
      return "";
    }
    return created->at("id").get<std::string>();
  }

  // A documents service over the world's store and blobs; `scanner` null: no scanning.
  std::unique_ptr<DocumentService> MakeService(DocumentSettings settings,
                                               std::unique_ptr<ClamdClient> scanner = nullptr) {
    return std::make_unique<DocumentService>(database_, audit_, notifications_, blobs_, types_, std::move(scanner),
                                             std::move(settings), [this] { return now_.load(); });
  }
  // A service whose clamd never answers: a socket path where nothing listens.
  std::unique_ptr<DocumentService> MakeScanningService() {
    return MakeService(TestSettings(),
                       std::make_unique<ClamdClient>((temporary_.directory() / "no-clamd.sock").string(),
                                                     std::chrono::milliseconds(500)));
  }

  static Actor As(const std::string& employee_id) { return Actor{employee_id, "127.0.0.1"}; }

  // Uploads a new document through `service` (the plain one when null) and returns its
  // id; fails the test when refused.
  std::string Upload(const std::string& owner_id, const std::string& title, const std::string& content,
                     const std::string& classification = "internal", const std::string& file_name = "file.txt",
                     DocumentService* service = nullptr) {
    FakeBody body(content);
    NewDocument input;
    input.title = title;
    input.classification = classification;
    input.file_name = file_name;
    auto created = (service != nullptr ? *service : *service_).Create(As(owner_id), input, body);
    if (!created.ok()) {
      ADD_FAILURE() << "upload refused: " << Slug(created);
      return "";
    }
    return created->document.document.id;
  }

  // Shares the document as `actor_id`; fails the test when refused.
  void ShareWith(const std::string& actor_id, const std::string& document_id, std::string_view kind,
                 const std::string& grantee_id, Permission permission,
                 std::optional<std::int64_t> expires_at = std::nullopt) {
    auto shared = service_->AddShare(As(actor_id), document_id,
                                     ShareInput{std::string(kind), grantee_id, permission, expires_at});
    if (!shared.ok()) ADD_FAILURE() << "share refused: " << Slug(shared);
  }

  // The permission the employee has on the document, or the problem that refuses Get.
  std::string PermissionFor(const std::string& employee_id, const std::string& document_id) {
    auto view = service_->Get(As(employee_id), document_id);
    if (!view.ok()) return Slug(view);
    return std::string(PermissionName(view->permission));
  }

  // The ids of the documents the employee's List answers, in its order.
  std::vector<std::string> ListIds(const std::string& employee_id, DocumentFilter filter = {}) {
    auto listed = service_->List(As(employee_id), filter);
    if (!listed.ok()) {
      ADD_FAILURE() << "list refused: " << Slug(listed);
      return {};
    }
    std::vector<std::string> ids;
    for (const auto& view : *listed) ids.push_back(view.document.id);
    return ids;
  }

  static std::string ReadAll(BlobReader& reader) {
    std::string all;
    std::string buffer(4096, '\0');
    while (const std::size_t count = reader.Read(buffer)) all.append(buffer.data(), count);
    return all;
  }

  std::int64_t CountRows(const std::string& table) {
    auto connection = database_.Acquire();
    return connection->QueryOne("SELECT count(*) FROM " + table)->Int(0);
  }
  std::string ScanStateOf(const std::string& document_id, std::int64_t number) {
    auto connection = database_.Acquire();
    return connection
        ->QueryOne("SELECT scan_state FROM document_versions WHERE document_id = ? AND number = ?",
                   {document_id, number})
        ->Text(0);
  }

  std::filesystem::path StoreRoot() const { return temporary_.directory() / "documents"; }
  std::filesystem::path BlobFile(const std::string& sha256) const {
    return StoreRoot() / "blobs" / sha256.substr(0, 2) / sha256;
  }
  // Regular files under blobs/ or tmp/.
  std::size_t FilesUnder(const std::string& directory) const {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(StoreRoot() / directory)) {
      count += entry.is_regular_file() ? 1 : 0;
    }
    return count;
  }

  static std::string Slug(const http::Problem& problem) { return std::to_string(problem.status) + " " + problem.slug; }
  template <typename T>
  static std::string Slug(const http::Result<T>& result) {
    return result.ok() ? "ok" : Slug(result.problem());
  }

  void Advance(std::int64_t seconds) { now_ += seconds; }

  BlobStore blobs_{StoreRoot(), DocumentKeyring(DocumentKey{0x5a, 0x17, 0x42}, {})};
  FileTypeDetector types_;
  std::unique_ptr<DocumentService> service_ = MakeService(TestSettings());
};

}  // namespace egovbox::documents::test
