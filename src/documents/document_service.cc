#include "documents/document_service.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "crypto/random.h"
#include "documents/file_name.h"
#include "identity/text_folding.h"

namespace egovbox::documents {
namespace {

using http::MakeProblem;

constexpr std::size_t kIdBytes = 16;
constexpr std::size_t kReadChunkBytes = 64 * std::size_t{1024};
constexpr std::size_t kPendingBatch = 20;

http::Problem NotFound() {
  return MakeProblem(404, "document-not-found");
}

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The types each filter group stands for, as the search matches them exactly.
std::vector<std::string> TypesOfGroup(const std::string& group) {
  if (group == "pdf") return {"application/pdf"};
  if (group == "image")
    return {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "image/tiff", "image/bmp"};
  if (group == "text") return {"text/plain", "text/csv", "text/rtf", "text/xml", "text/html"};
  if (group == "office") {
    return {"application/msword",
            "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation"};
  }
  return {};
}

}  // namespace

DocumentService::DocumentService(store::Database& database, audit::AuditLog& audit,
                                 notify::NotificationCentre& notifications, BlobStore& blobs,
                                 const FileTypeDetector& types, std::unique_ptr<ClamdClient> scanner,
                                 DocumentSettings settings, Clock clock)
    : database_(database),
      audit_(audit),
      notifications_(notifications),
      blobs_(blobs),
      types_(types),
      scanner_(std::move(scanner)),
      settings_(std::move(settings)),
      clock_(clock ? std::move(clock) : Clock(SystemNow)) {}

// --- uploads ---------------------------------------------------------------

http::Result<UploadOutcome> DocumentService::Create(const Actor& actor, const NewDocument& input,
                                                    http::BodyStream& body) {
  if (!IsClassification(input.classification)) return http::InvalidField("classification");
  std::unique_ptr<BlobWriter> writer;
  auto received = Receive(actor, body, writer);
  if (!received) return received.problem();
  const std::int64_t now = clock_();
  Document document;
  document.id = crypto::RandomToken(kIdBytes);
  document.owner.id = actor.employee_id;
  document.title = input.title;
  document.description = input.description;
  document.classification = input.classification;
  document.created_at = now;
  document.updated_at = now;
  return Record(actor, document, document.id, SanitiseFileName(input.file_name), *received, *writer);
}

http::Result<UploadOutcome> DocumentService::AddVersion(const Actor& actor, const std::string& document_id,
                                                        const std::string& file_name, http::BodyStream& body) {
  {
    auto lease = database_.Acquire();
    auto allowed = Require(*lease, actor.employee_id, document_id, Permission::kEdit);
    if (!allowed) return allowed.problem();
  }
  std::unique_ptr<BlobWriter> writer;
  auto received = Receive(actor, body, writer);
  if (!received) return received.problem();
  return Record(actor, std::nullopt, document_id, SanitiseFileName(file_name), *received, *writer);
}

http::Result<DocumentService::Received> DocumentService::Receive(const Actor& actor, http::BodyStream& body,
                                                                 std::unique_ptr<BlobWriter>& writer) {
  std::uint64_t used = 0;
  {
    auto lease = database_.Acquire();
    used = DocumentRepository::BytesUploadedBy(*lease, actor.employee_id);
  }
  const std::uint64_t room = used >= settings_.quota_bytes ? 0 : settings_.quota_bytes - used;
  const auto quota_problem = [&] {
    return MakeProblem(413, "document-quota-exceeded", {{"quota", settings_.quota_bytes}, {"used", used}});
  };
  if (body.declared_length() && *body.declared_length() > room) return quota_problem();

  writer = blobs_.Begin();
  std::string leading;
  Received received;
  // The type is told as soon as its bytes are in, so a refused type is not read whole.
  const auto type_refused = [&]() -> bool {
    received.media_type = types_.Detect(leading);
    return !TypeAllowed(received.media_type, settings_.allowed_types);
  };
  const auto type_problem = [&] {
    return MakeProblem(415, "document-type-not-allowed", {{"type", received.media_type}});
  };
  std::vector<char> chunk(kReadChunkBytes);
  try {
    for (;;) {
      const std::size_t got = body.Read(chunk);
      if (got == 0) break;
      if (writer->size() + got > room) return quota_problem();
      if (leading.size() < kTypeSniffBytes) {
        leading.append(chunk.data(), std::min(got, kTypeSniffBytes - leading.size()));
        if (leading.size() == kTypeSniffBytes && type_refused()) return type_problem();
      }
      writer->Write(std::span<const char>(chunk.data(), got));
    }
  } catch (const http::BodyStreamError& e) {
    if (e.kind() == http::BodyStreamError::Kind::kTooLarge) {
      return MakeProblem(413, "payload-too-large", {{"limit", settings_.max_bytes}});
    }
    return MakeProblem(400, "upload-interrupted");
  }
  if (leading.size() < kTypeSniffBytes && type_refused()) return type_problem();
  received.blob = writer->Finish();
  return received;
  // `writer` is committed by Record; when anything fails first, its destructor removes the temporary file.
}

http::Result<UploadOutcome> DocumentService::Record(const Actor& actor, const std::optional<Document>& new_document,
                                                    const std::string& document_id, const std::string& file_name,
                                                    const Received& received, BlobWriter& writer) {
  const std::int64_t now = clock_();
  Version version;
  version.document_id = document_id;
  version.uploader.id = actor.employee_id;
  version.uploaded_at = now;
  version.size = received.blob.size;
  version.sha256 = received.blob.sha256;
  version.media_type = received.media_type;
  version.file_name = file_name;
  version.scan_state = std::string(scanner_ ? kScanPending : kScanNotScanned);
  std::optional<ScanClaim> claim;
  {
    // The blob is referred to by its version in the same step, so a purge never sees it unused.
    std::lock_guard lock(blobs_.CommitLock());
    blobs_.Commit(writer);
    auto recorded = database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
      // Checked again here, where uploads are serialised: parallel ones each saw room before.
      const std::uint64_t used = DocumentRepository::BytesUploadedBy(tx, actor.employee_id);
      if (used + version.size > settings_.quota_bytes) {
        return MakeProblem(413, "document-quota-exceeded", {{"quota", settings_.quota_bytes}, {"used", used}});
      }
      if (new_document) {
        DocumentRepository::InsertDocument(tx, *new_document, "");
      } else {
        auto allowed = Require(tx, actor.employee_id, document_id, Permission::kEdit);
        if (!allowed) return allowed.problem();
      }
      version.number = DocumentRepository::NextVersionNumber(tx, document_id);
      // Claimed before the commit makes it visible, so the retry job never takes it meanwhile.
      if (scanner_) claim.emplace(*this, version);
      DocumentRepository::InsertVersion(tx, version);
      auto document = *DocumentRepository::FindDocument(tx, document_id);
      document.updated_at = now;
      DocumentRepository::UpdateDocument(tx, document, SearchText(tx, document));
      Audit(tx, actor, new_document ? "document.upload" : "document.version", document_id,
            {{"version", version.number},
             {"file_name", file_name},
             {"size", version.size},
             {"sha256", version.sha256},
             {"type", version.media_type}});
      return http::Ok();
    });
    if (!recorded) {
      claim.reset();
      RemoveBlobIfUnused(version.sha256);
      return recorded.problem();
    }
  }
  if (scanner_) {
    const auto verdict = ScanAndApply(version, actor.client_address, false);
    const auto outcome = verdict ? verdict->outcome : ScanVerdict::Outcome::kUnavailable;
    if (outcome == ScanVerdict::Outcome::kInfected) {
      return MakeProblem(422, "document-infected", {{"signature", verdict->detail}});
    }
    if (outcome == ScanVerdict::Outcome::kTooLarge) return MakeProblem(422, "document-unscannable");
  }
  auto lease = database_.Acquire();
  auto document = DocumentRepository::FindDocument(*lease, document_id);
  if (!document) return NotFound();
  version = DocumentRepository::FindVersion(*lease, document_id, version.number).value_or(version);
  UploadOutcome outcome;
  outcome.document =
      ViewOf(*lease, *document, PermissionOf(*lease, *document, actor.employee_id, clock_()), actor.employee_id);
  outcome.version = version;
  outcome.pending_scan = version.scan_state == kScanPending;
  return outcome;
}

std::optional<ScanVerdict> DocumentService::ScanAndApply(const Version& version, const std::string& client_address,
                                                         bool later) {
  ScanVerdict verdict;
  try {
    auto reader = blobs_.Open(version.sha256);
    verdict = scanner_->Scan([&](std::span<char> out) { return reader->Read(out); });
  } catch (const BlobError& e) {
    spdlog::error("document {} version {}: cannot read its file to scan it: {}", version.document_id, version.number,
                  e.what());
    return std::nullopt;
  }
  std::vector<notify::Notification> told;
  // What the uploader is told about a scan they no longer wait for.
  const auto tell = [&](store::Connection& tx, const char* kind) {
    if (!later) return;
    const auto document = DocumentRepository::FindDocument(tx, version.document_id);
    told.push_back(notifications_.Record(tx, version.uploader.id, kind,
                                         {{"document_id", version.document_id},
                                          {"title", document ? document->title : version.file_name},
                                          {"file_name", version.file_name},
                                          {"version", version.number}},
                                         clock_()));
  };
  switch (verdict.outcome) {
    case ScanVerdict::Outcome::kClean:
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
        DocumentRepository::Release(tx, version, std::string(kScanClean));
        if (auto document = DocumentRepository::FindDocument(tx, version.document_id)) {
          DocumentRepository::UpdateDocument(tx, *document, SearchText(tx, *document));
        }
        tell(tx, notify::kKindDocumentScanPassed);
      });
      break;
    case ScanVerdict::Outcome::kInfected:
    case ScanVerdict::Outcome::kTooLarge: {
      const bool infected = verdict.outcome == ScanVerdict::Outcome::kInfected;
      std::lock_guard lock(blobs_.CommitLock());
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
        tell(tx, infected ? notify::kKindDocumentInfected : notify::kKindDocumentUnscannable);
        // Malware goes wherever the same bytes are (uploaded before scanning was on).
        auto refused = infected ? DocumentRepository::VersionsWithBlob(tx, version.sha256) : std::vector<Version>{};
        if (refused.empty()) refused.push_back(version);
        for (const auto& each : refused)
          Refuse(tx, each, infected ? "document.infected" : "document.unscannable", verdict.detail, client_address);
      });
      RemoveBlobIfUnused(version.sha256);
      spdlog::warn("document {} version {}: refused by the scan ({})", version.document_id, version.number,
                   verdict.detail);
      break;
    }
    case ScanVerdict::Outcome::kUnavailable:
      spdlog::warn("document {} version {}: clamd unavailable ({}); the version waits for a scan", version.document_id,
                   version.number, verdict.detail);
      break;
  }
  notifications_.Publish(told);
  return verdict;
}

// Removes a version the scan refused (and its document when it was the only one), in the caller's transaction.
void DocumentService::Refuse(store::Connection& tx, const Version& version, const std::string& action,
                             const std::string& detail, const std::string& client_address) {
  DocumentRepository::DeleteVersion(tx, version.document_id, version.number);
  if (DocumentRepository::Versions(tx, version.document_id).empty()) {
    DocumentRepository::DeleteDocument(tx, version.document_id);
  } else if (auto document = DocumentRepository::FindDocument(tx, version.document_id)) {
    DocumentRepository::UpdateDocument(tx, *document, SearchText(tx, *document));
  }
  Audit(tx, {version.uploader.id, client_address}, action, version.document_id,
        {{"version", version.number},
         {"file_name", version.file_name},
         {"sha256", version.sha256},
         {"signature", detail}});
}

DocumentService::ScanClaim::ScanClaim(DocumentService& service, const Version& version)
    : service_(service), key_(version.document_id, version.number) {
  std::lock_guard lock(service_.scanning_mutex_);
  held_ = service_.scanning_.insert(key_).second;
}

DocumentService::ScanClaim::~ScanClaim() {
  if (!held_) return;
  std::lock_guard lock(service_.scanning_mutex_);
  service_.scanning_.erase(key_);
}

void DocumentService::RemoveBlobIfUnused(const std::string& sha256) {
  const bool in_use = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& connection) {
    return DocumentRepository::BlobInUse(connection, sha256);
  });
  if (!in_use) blobs_.Remove(sha256);
}

// --- reading ---------------------------------------------------------------

Permission DocumentService::PermissionOf(store::Connection& connection, const Document& document,
                                         const std::string& actor_id, std::int64_t now) const {
  if (document.owner.id == actor_id) return Permission::kManage;
  const bool restricted = document.classification == kClassificationRestricted;
  const Permission shared = DocumentRepository::SharedPermission(connection, document.id, actor_id, restricted, now);
  if (document.classification == kClassificationPublic) return std::max(shared, Permission::kView);
  return shared;
}

DocumentView DocumentService::ViewOf(store::Connection& connection, const Document& document, Permission permission,
                                     const std::string& actor_id) const {
  DocumentView view{document, permission, std::nullopt, false};
  for (const auto& version : DocumentRepository::Versions(connection, document.id)) {
    if (!view.latest && version.Released()) view.latest = version;
    if (version.scan_state == kScanPending && version.uploader.id == actor_id) view.pending_scan = true;
  }
  return view;
}

http::Result<DocumentView> DocumentService::Visible(store::Connection& connection, const std::string& actor_id,
                                                    const std::string& document_id, bool deleted_too) const {
  auto document = DocumentRepository::FindDocument(connection, document_id);
  if (!document) return NotFound();
  if (document->deleted_at && !(deleted_too && document->owner.id == actor_id)) return NotFound();
  const Permission permission = PermissionOf(connection, *document, actor_id, clock_());
  if (permission == Permission::kNone) return NotFound();
  DocumentView view = ViewOf(connection, *document, permission, actor_id);
  // Nothing released yet (every version waits for a scan): only the owner knows of it.
  if (!view.latest && document->owner.id != actor_id) return NotFound();
  return view;
}

http::Result<DocumentView> DocumentService::Require(store::Connection& connection, const std::string& actor_id,
                                                    const std::string& document_id, Permission needed) const {
  auto view = Visible(connection, actor_id, document_id);
  if (!view) return view.problem();
  if (view->permission < needed) {
    return MakeProblem(403, "document-permission-denied", {{"needed", std::string(PermissionName(needed))}});
  }
  return view;
}

std::string DocumentService::SearchText(store::Connection& connection, const Document& document) const {
  std::string text = document.title + " " + document.description;
  // Only released versions: the name of one waiting for its scan is not for others to find.
  for (const auto& version : DocumentRepository::Versions(connection, document.id)) {
    if (version.Released()) text += " " + version.file_name;
  }
  return identity::FoldCase(text);
}

http::Result<std::vector<DocumentView>> DocumentService::List(const Actor& actor, const DocumentFilter& filter) {
  if (filter.scope != "all" && filter.scope != "mine" && filter.scope != "shared" && filter.scope != "deleted") {
    return http::InvalidField("scope");
  }
  if (!filter.classification.empty() && !IsClassification(filter.classification)) {
    return http::InvalidField("classification");
  }
  DocumentQuery query;
  query.employee_id = actor.employee_id;
  query.scope = filter.scope;
  query.folded_text = identity::FoldCase(filter.text);
  query.classification = filter.classification;
  if (filter.type_group == "other") {
    for (const char* group : {"pdf", "image", "office"}) {
      for (auto& type : TypesOfGroup(group)) query.media_types.push_back(std::move(type));
    }
    query.exclude_media_types = true;
  } else if (!filter.type_group.empty()) {
    query.media_types = TypesOfGroup(filter.type_group);
    if (query.media_types.empty()) return http::InvalidField("type");
  }
  query.now = clock_();
  auto lease = database_.Acquire();
  std::vector<DocumentView> views;
  for (const auto& id : DocumentRepository::Search(*lease, query)) {
    auto view = Visible(*lease, actor.employee_id, id, filter.scope == "deleted");
    if (view) views.push_back(std::move(*view));
  }
  return views;
}

http::Result<std::vector<DocumentView>> DocumentService::MeetingDocuments(const Actor& actor,
                                                                          const std::string& meeting_id) {
  auto lease = database_.Acquire();
  if (!DocumentRepository::MeetingTitleFor(*lease, meeting_id, actor.employee_id)) {
    return MakeProblem(404, "meeting-not-found");
  }
  DocumentQuery query;
  query.employee_id = actor.employee_id;
  query.meeting_id = meeting_id;
  query.now = clock_();
  std::vector<DocumentView> views;
  for (const auto& id : DocumentRepository::Search(*lease, query)) {
    auto view = Visible(*lease, actor.employee_id, id);
    if (view) views.push_back(std::move(*view));
  }
  return views;
}

http::Result<DocumentView> DocumentService::Get(const Actor& actor, const std::string& document_id) {
  auto view = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& connection) {
    return Visible(connection, actor.employee_id, document_id, true);
  });
  if (view) AuditAlone(actor, "document.view", document_id);
  return view;
}

http::Result<std::vector<Version>> DocumentService::Versions(const Actor& actor, const std::string& document_id) {
  auto lease = database_.Acquire();
  auto view = Visible(*lease, actor.employee_id, document_id);
  if (!view) return view.problem();
  std::vector<Version> versions;
  for (auto& version : DocumentRepository::Versions(*lease, document_id)) {
    if (version.Released() || version.uploader.id == actor.employee_id) versions.push_back(std::move(version));
  }
  return versions;
}

http::Result<OpenedContent> DocumentService::Open(const Actor& actor, const std::string& document_id,
                                                  std::optional<std::int64_t> number, ContentPurpose purpose) {
  std::optional<Version> version;
  {
    auto lease = database_.Acquire();
    auto view = Visible(*lease, actor.employee_id, document_id);
    if (!view) return view.problem();
    if (!number && !view->latest && view->pending_scan) return MakeProblem(409, "document-pending-scan");
    version = number ? DocumentRepository::FindVersion(*lease, document_id, *number) : view->latest;
  }
  // A version waiting for its scan exists only for its uploader.
  const bool hidden = version && !version->Released() && version->uploader.id != actor.employee_id;
  if (!version || hidden) return MakeProblem(404, "document-version-not-found");
  if (!version->Released()) return MakeProblem(409, "document-pending-scan");
  if (purpose == ContentPurpose::kPreview && !Previewable(version->media_type)) {
    return MakeProblem(415, "document-not-previewable", {{"type", version->media_type}});
  }
  OpenedContent opened{*version, blobs_.Open(version->sha256)};
  AuditAlone(actor, purpose == ContentPurpose::kDownload ? "document.download" : "document.preview", document_id,
             {{"version", version->number}});
  return opened;
}

// --- changes ---------------------------------------------------------------

http::Result<DocumentView> DocumentService::Update(const Actor& actor, const std::string& document_id,
                                                   const DocumentChanges& changes) {
  if (changes.classification && !IsClassification(*changes.classification)) {
    return http::InvalidField("classification");
  }
  return database_.InTransaction(
      store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<DocumentView> {
        const Permission needed = changes.classification ? Permission::kManage : Permission::kEdit;
        auto view = Require(tx, actor.employee_id, document_id, needed);
        if (!view) return view.problem();
        Document document = view->document;
        if (changes.classification && *changes.classification == kClassificationRestricted &&
            document.classification != kClassificationRestricted &&
            DocumentRepository::HasNonEmployeeShares(tx, document_id)) {
          return MakeProblem(409, "restricted-document-share");
        }
        nlohmann::json detail = nlohmann::json::object();
        if (changes.title) detail["title"] = document.title = *changes.title;
        if (changes.description) detail["description"] = document.description = *changes.description;
        if (changes.classification) detail["classification"] = document.classification = *changes.classification;
        document.updated_at = clock_();
        DocumentRepository::UpdateDocument(tx, document, SearchText(tx, document));
        Audit(tx, actor, "document.update", document_id, detail);
        return ViewOf(tx, document, view->permission, actor.employee_id);
      });
}

http::Status DocumentService::Delete(const Actor& actor, const std::string& document_id) {
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto view = Require(tx, actor.employee_id, document_id, Permission::kManage);
    if (!view) return view.problem();
    DocumentRepository::SetDeleted(tx, document_id, clock_(), actor.employee_id);
    Audit(tx, actor, "document.delete", document_id);
    return http::Ok();
  });
}

http::Result<DocumentView> DocumentService::Restore(const Actor& actor, const std::string& document_id) {
  return database_.InTransaction(store::TransactionMode::kWrite,
                                 [&](store::Connection& tx) -> http::Result<DocumentView> {
                                   auto view = Visible(tx, actor.employee_id, document_id, true);
                                   if (!view) return view.problem();
                                   const auto& deleted_at = view->document.deleted_at;
                                   if (!deleted_at) return MakeProblem(409, "document-not-deleted");
                                   if (clock_() - *deleted_at > settings_.restore_seconds) return NotFound();
                                   DocumentRepository::SetDeleted(tx, document_id, std::nullopt, "");
                                   Audit(tx, actor, "document.restore", document_id);
                                   view->document.deleted_at.reset();
                                   return view;
                                 });
}

http::Result<std::vector<Share>> DocumentService::Shares(const Actor& actor, const std::string& document_id) {
  auto lease = database_.Acquire();
  auto view = Visible(*lease, actor.employee_id, document_id);
  if (!view) return view.problem();
  auto shares = DocumentRepository::Shares(*lease, document_id);
  // A meeting is named only to its invitees: others do not learn that it exists.
  for (auto& share : shares) {
    if (share.grantee.kind == kGranteeMeeting &&
        !DocumentRepository::MeetingTitleFor(*lease, share.grantee.id, actor.employee_id)) {
      share.grantee.id.clear();
      share.grantee.name.clear();
    }
  }
  return shares;
}

http::Result<Share> DocumentService::AddShare(const Actor& actor, const std::string& document_id,
                                              const ShareInput& input) {
  const std::int64_t now = clock_();
  if (input.expires_at && *input.expires_at <= now) return http::InvalidField("expires_at");
  std::vector<notify::Notification> told;
  auto added =
      database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<Share> {
        auto view = Require(tx, actor.employee_id, document_id, Permission::kManage);
        if (!view) return view.problem();
        Share share;
        share.document_id = document_id;
        share.grantee = {input.grantee_kind, input.grantee_id, ""};
        share.permission = input.permission;
        share.expires_at = input.expires_at;
        share.created_by.id = actor.employee_id;
        share.created_at = now;
        std::optional<std::string> grantee_name;
        if (input.grantee_kind == kGranteeEmployee) {
          if (auto person = DocumentRepository::FindActiveEmployee(tx, input.grantee_id)) grantee_name = person->name;
        } else if (input.grantee_kind == kGranteeDepartment) {
          grantee_name = DocumentRepository::DepartmentName(tx, input.grantee_id);
        } else if (input.grantee_kind == kGranteeMeeting) {
          grantee_name = DocumentRepository::MeetingTitleFor(tx, input.grantee_id, actor.employee_id);
        } else {
          return http::InvalidField("grantee.kind");
        }
        if (!grantee_name) return MakeProblem(422, "share-grantee-not-found", {{"kind", input.grantee_kind}});
        if (view->document.classification == kClassificationRestricted && input.grantee_kind != kGranteeEmployee) {
          return MakeProblem(409, "restricted-document-share");
        }
        // Someone who manages by a share cannot give themselves more, nor share past their own right.
        if (view->document.owner.id != actor.employee_id) {
          if (input.grantee_kind == kGranteeEmployee && input.grantee_id == actor.employee_id) {
            return MakeProblem(409, "share-with-yourself");
          }
          const auto own_expiry = DocumentRepository::ManageExpiry(
              tx, document_id, actor.employee_id, view->document.classification == kClassificationRestricted, now);
          if (own_expiry && (!share.expires_at || *share.expires_at > *own_expiry)) share.expires_at = own_expiry;
        }
        const std::string share_id = DocumentRepository::UpsertShare(tx, share);
        Audit(tx, actor, "document.share", document_id,
              {{"share", share_id},
               {"grantee_kind", input.grantee_kind},
               {"grantee_id", input.grantee_id},
               {"permission", std::string(PermissionName(input.permission))},
               {"expires_at", share.expires_at ? nlohmann::json(*share.expires_at) : nlohmann::json()}});
        auto written = *DocumentRepository::FindShare(tx, document_id, share_id);
        // A named colleague is told; departments and meetings find it in their lists.
        if (input.grantee_kind == kGranteeEmployee && input.grantee_id != actor.employee_id) {
          told.push_back(
              notifications_.Record(tx, input.grantee_id, notify::kKindDocumentShared,
                                    {{"document_id", document_id},
                                     {"title", view->document.title},
                                     {"sharer", {{"id", actor.employee_id}, {"name", written.created_by.name}}},
                                     {"permission", std::string(PermissionName(input.permission))}},
                                    now));
        }
        return written;
      });
  notifications_.Publish(told);
  return added;
}

http::Status DocumentService::RemoveShare(const Actor& actor, const std::string& document_id,
                                          const std::string& share_id) {
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Status {
    auto view = Require(tx, actor.employee_id, document_id, Permission::kManage);
    if (!view) return view.problem();
    auto share = DocumentRepository::FindShare(tx, document_id, share_id);
    if (!share) return MakeProblem(404, "share-not-found");
    DocumentRepository::DeleteShare(tx, share_id);
    Audit(tx, actor, "document.unshare", document_id,
          {{"share", share_id}, {"grantee_kind", share->grantee.kind}, {"grantee_id", share->grantee.id}});
    return http::Ok();
  });
}

http::Result<std::vector<Comment>> DocumentService::Comments(const Actor& actor, const std::string& document_id) {
  auto lease = database_.Acquire();
  auto view = Visible(*lease, actor.employee_id, document_id);
  if (!view) return view.problem();
  return DocumentRepository::Comments(*lease, document_id);
}

http::Result<Comment> DocumentService::AddComment(const Actor& actor, const std::string& document_id,
                                                  const std::string& body) {
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) -> http::Result<Comment> {
    auto view = Require(tx, actor.employee_id, document_id, Permission::kComment);
    if (!view) return view.problem();
    Comment comment{crypto::RandomToken(kIdBytes), document_id, {actor.employee_id, ""}, body, clock_()};
    DocumentRepository::InsertComment(tx, comment);
    Audit(tx, actor, "document.comment", document_id, {{"comment", comment.id}});
    auto comments = DocumentRepository::Comments(tx, document_id);
    for (auto& written : comments) {
      if (written.id == comment.id) return written;
    }
    return comment;
  });
}

// --- background ------------------------------------------------------------

std::size_t DocumentService::RetryPendingScans() {
  if (!scanner_) return 0;
  const auto pending = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& connection) {
    return DocumentRepository::PendingScans(connection, kPendingBatch);
  });
  std::size_t handled = 0;
  for (const auto& version : pending) {
    std::optional<ScanClaim> claim;
    claim.emplace(*this, version);
    if (!claim->held()) continue;  // the upload itself is scanning it
    const auto current = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& connection) {
      return DocumentRepository::FindVersion(connection, version.document_id, version.number);
    });
    if (!current || current->scan_state != kScanPending) continue;
    const auto verdict = ScanAndApply(version, "", true);
    if (!verdict) continue;  // its file is unreadable (logged); the others may still be scanned
    if (verdict->outcome == ScanVerdict::Outcome::kUnavailable) break;
    ++handled;
  }
  return handled;
}

std::size_t DocumentService::PurgeDeleted() {
  const std::int64_t before = clock_() - settings_.restore_seconds;
  const auto ids = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& connection) {
    return DocumentRepository::DeletedBefore(connection, before);
  });
  for (const auto& id : ids) {
    std::lock_guard lock(blobs_.CommitLock());
    std::vector<std::string> hashes;
    database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      for (const auto& version : DocumentRepository::Versions(tx, id)) hashes.push_back(version.sha256);
      DocumentRepository::DeleteDocument(tx, id);
      audit_.Append(tx, {std::nullopt, "document.purge", id, "", {{"versions", hashes.size()}}});
    });
    for (const auto& hash : hashes) RemoveBlobIfUnused(hash);
  }
  return ids.size();
}

std::size_t DocumentService::CleanStore() {
  std::size_t removed = blobs_.RemoveTemporaryFiles();
  std::lock_guard lock(blobs_.CommitLock());
  const auto referenced = database_.InTransaction(store::TransactionMode::kRead, [&](store::Connection& connection) {
    return DocumentRepository::AllBlobHashes(connection);
  });
  const std::set<std::string> in_use(referenced.begin(), referenced.end());
  for (const auto& hash : blobs_.List()) {
    if (in_use.count(hash) == 0) {
      blobs_.Remove(hash);
      ++removed;
    }
  }
  return removed;
}

void DocumentService::Audit(store::Connection& tx, const Actor& actor, const std::string& action,
                            const std::string& document_id, nlohmann::json detail) const {
  audit_.Append(tx, {actor.employee_id, action, document_id, actor.client_address, std::move(detail)});
}

void DocumentService::AuditAlone(const Actor& actor, const std::string& action, const std::string& document_id,
                                 nlohmann::json detail) const {
  audit_.Record({actor.employee_id, action, document_id, actor.client_address, std::move(detail)});
}

}  // namespace egovbox::documents
