// The rules of documents, checked here for every route: who sees a document (its
// owner, everyone for a public one, and those a live share reaches; nobody else
// learns that it exists), what each permission allows, uploads (limits, quota,
// type, virus scan, encryption at rest), downloads, shares, comments, soft delete
// and restore, and the background work (scans waiting for clamd, purging deleted
// documents, collecting stored files nothing refers to).
//
// Thread-safe. Blocks on the store and the disk: call from worker threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "documents/blob_store.h"
#include "documents/clamd_client.h"
#include "documents/document.h"
#include "documents/document_repository.h"
#include "documents/file_type.h"
#include "http/problem.h"
#include "http/request.h"
#include "notify/notification_centre.h"
#include "store/database.h"

namespace egovbox::documents {

struct DocumentSettings {
  std::uint64_t max_bytes = std::uint64_t{200} * 1024 * 1024;
  std::uint64_t quota_bytes = std::uint64_t{5} * 1024 * 1024 * 1024;
  std::vector<std::string> allowed_types;
  std::int64_t restore_seconds = std::int64_t{30} * 86400;
};

// Who acts, for the checks and the audit log.
struct Actor {
  std::string employee_id;
  std::string client_address;
};

struct NewDocument {
  std::string title;
  std::string description;
  std::string classification = std::string(kClassificationInternal);
  std::string file_name;
};

struct DocumentChanges {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> classification;
};

struct ShareInput {
  std::string grantee_kind;
  std::string grantee_id;
  Permission permission = Permission::kView;
  std::optional<std::int64_t> expires_at;
};

struct DocumentFilter {
  std::string scope = "all";
  std::string text;
  std::string classification;
  std::string type_group;  // pdf, image, office, text, other (none of the first three); empty: any
};

// A document as one person sees it.
struct DocumentView {
  Document document;
  Permission permission = Permission::kNone;
  std::optional<Version> latest;  // the newest released version
  bool pending_scan = false;      // the person has a version of it waiting for a scan
};

struct UploadOutcome {
  DocumentView document;
  Version version;
  bool pending_scan = false;
};

enum class ContentPurpose { kDownload, kPreview };

struct OpenedContent {
  Version version;
  std::unique_ptr<BlobReader> reader;
};

class DocumentService {
 public:
  using Clock = std::function<std::int64_t()>;

  // `scanner` is null when no clamd is configured: uploads are then not scanned.
  DocumentService(store::Database& database, audit::AuditLog& audit, notify::NotificationCentre& notifications,
                  BlobStore& blobs, const FileTypeDetector& types, std::unique_ptr<ClamdClient> scanner,
                  DocumentSettings settings, Clock clock = nullptr);

  http::Result<UploadOutcome> Create(const Actor& actor, const NewDocument& input, http::BodyStream& body);
  http::Result<UploadOutcome> AddVersion(const Actor& actor, const std::string& document_id,
                                         const std::string& file_name, http::BodyStream& body);
  http::Result<std::vector<DocumentView>> List(const Actor& actor, const DocumentFilter& filter);
  http::Result<std::vector<DocumentView>> MeetingDocuments(const Actor& actor, const std::string& meeting_id);
  http::Result<DocumentView> Get(const Actor& actor, const std::string& document_id);
  http::Result<DocumentView> Update(const Actor& actor, const std::string& document_id, const DocumentChanges& changes);
  http::Status Delete(const Actor& actor, const std::string& document_id);
  http::Result<DocumentView> Restore(const Actor& actor, const std::string& document_id);
  http::Result<std::vector<Version>> Versions(const Actor& actor, const std::string& document_id);
  // The latest released version, or the numbered one. Audited as a download or a
  // preview, every time (a range of a download too).
  http::Result<OpenedContent> Open(const Actor& actor, const std::string& document_id,
                                   std::optional<std::int64_t> number, ContentPurpose purpose);
  http::Result<std::vector<Share>> Shares(const Actor& actor, const std::string& document_id);
  http::Result<Share> AddShare(const Actor& actor, const std::string& document_id, const ShareInput& input);
  http::Status RemoveShare(const Actor& actor, const std::string& document_id, const std::string& share_id);
  http::Result<std::vector<Comment>> Comments(const Actor& actor, const std::string& document_id);
  http::Result<Comment> AddComment(const Actor& actor, const std::string& document_id, const std::string& body);

  // Background work; each returns how many it handled.
  // Scans versions waiting for clamd; stops at the first "unavailable".
  std::size_t RetryPendingScans();
  // Removes documents deleted longer ago than the restore period, and their files.
  std::size_t PurgeDeleted();
  // At start-up, before serving: temporary files and stored files no version uses.
  std::size_t CleanStore();

  const DocumentSettings& settings() const { return settings_; }
  bool scanning() const { return scanner_ != nullptr; }

 private:
  struct Received {
    WrittenBlob blob;
    std::string media_type;
  };
  // Streams the body into the blob store; the blob is committed but not yet recorded.
  http::Result<Received> Receive(const Actor& actor, http::BodyStream& body, std::unique_ptr<BlobWriter>& writer);
  // Records the version (pending a scan when there is a scanner), scans, and
  // releases or refuses it. `document` is inserted first when it is new.
  http::Result<UploadOutcome> Record(const Actor& actor, const std::optional<Document>& new_document,
                                     const std::string& document_id, const std::string& file_name,
                                     const Received& received, BlobWriter& writer);
  // Runs the scan of a recorded pending version and applies the verdict. `later`:
  // the uploader is no longer waiting for the answer, so a notification tells them.
  // nullopt when the version's file cannot be read (logged): it stays pending.
  std::optional<ScanVerdict> ScanAndApply(const Version& version, const std::string& client_address, bool later);
  void Refuse(store::Connection& tx, const Version& version, const std::string& action, const std::string& detail,
              const std::string& client_address);
  // With CommitLock held.
  void RemoveBlobIfUnused(const std::string& sha256);
  // A version is scanned by one caller at a time: the upload that waits for its
  // answer, or the retry job. Held from construction (unless another holds it)
  // until destruction.
  class ScanClaim {
   public:
    ScanClaim(DocumentService& service, const Version& version);
    ~ScanClaim();
    ScanClaim(const ScanClaim&) = delete;
    ScanClaim& operator=(const ScanClaim&) = delete;
    bool held() const { return held_; }

   private:
    DocumentService& service_;
    std::pair<std::string, std::int64_t> key_;
    bool held_ = false;
  };

  // The document and the actor's permission on it; 404 when they may not view it
  // (or it is deleted, unless `deleted_too`).
  http::Result<DocumentView> Visible(store::Connection& connection, const std::string& actor_id,
                                     const std::string& document_id, bool deleted_too = false) const;
  http::Result<DocumentView> Require(store::Connection& connection, const std::string& actor_id,
                                     const std::string& document_id, Permission needed) const;
  Permission PermissionOf(store::Connection& connection, const Document& document, const std::string& actor_id,
                          std::int64_t now) const;
  DocumentView ViewOf(store::Connection& connection, const Document& document, Permission permission,
                      const std::string& actor_id) const;
  std::string SearchText(store::Connection& connection, const Document& document) const;
  void Audit(store::Connection& tx, const Actor& actor, const std::string& action, const std::string& document_id,
             nlohmann::json detail = nlohmann::json::object()) const;
  void AuditAlone(const Actor& actor, const std::string& action, const std::string& document_id,
                  nlohmann::json detail = nlohmann::json::object()) const;

  store::Database& database_;
  audit::AuditLog& audit_;
  notify::NotificationCentre& notifications_;
  BlobStore& blobs_;
  const FileTypeDetector& types_;
  std::unique_ptr<ClamdClient> scanner_;
  DocumentSettings settings_;
  Clock clock_;
  std::mutex scanning_mutex_;
  std::set<std::pair<std::string, std::int64_t>> scanning_;  // GUARDED_BY(scanning_mutex_)
};

}  // namespace egovbox::documents
