// SQL for documents, versions, shares and comments. Every function runs on the
// connection it is given, so the caller decides the transaction. Throws StoreError.
//
// Who may see a document is decided here in SQL, because a list must be filtered
// in the query: a share matches an employee directly, through their department
// (identity's `employees` table), or through an invitation to a meeting
// (meetings' `invitations` table). Those tables are read, never written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "documents/document.h"
#include "store/database.h"

namespace egovbox::documents {

struct DocumentQuery {
  std::string employee_id;
  std::string scope = "all";              // all, mine, shared, deleted
  std::string folded_text;                // matched against the search text; empty: any
  std::string classification;             // empty: any
  std::vector<std::string> media_types;   // the newest version's type is one of these; empty: any
  bool exclude_media_types = false;       // ... or, when set, none of these
  std::optional<std::string> meeting_id;  // only documents shared with this meeting
  std::int64_t now = 0;
  std::size_t limit = 500;
};

class DocumentRepository {
 public:
  static std::optional<Document> FindDocument(store::Connection& connection, const std::string& document_id);
  static void InsertDocument(store::Connection& connection, const Document& document, const std::string& search_text);
  static void UpdateDocument(store::Connection& connection, const Document& document, const std::string& search_text);
  static void SetDeleted(store::Connection& connection, const std::string& document_id,
                         std::optional<std::int64_t> deleted_at, const std::string& deleted_by);
  static void DeleteDocument(store::Connection& connection, const std::string& document_id);

  // The strongest permission the employee's shares give, ignoring ownership and
  // classification; kNone when none. Expired shares give nothing.
  static Permission SharedPermission(store::Connection& connection, const std::string& document_id,
                                     const std::string& employee_id, bool employee_shares_only, std::int64_t now);
  // Until when the employee's shares give them manage: nullopt when one of them
  // never expires (or none gives it; the caller knows they do).
  static std::optional<std::int64_t> ManageExpiry(store::Connection& connection, const std::string& document_id,
                                                  const std::string& employee_id, bool employee_shares_only,
                                                  std::int64_t now);
  // Ids of the documents a query selects, most recently changed first.
  static std::vector<std::string> Search(store::Connection& connection, const DocumentQuery& query);

  static std::vector<Version> Versions(store::Connection& connection, const std::string& document_id);
  static std::optional<Version> FindVersion(store::Connection& connection, const std::string& document_id,
                                            std::int64_t number);
  static std::int64_t NextVersionNumber(store::Connection& connection, const std::string& document_id);
  static void InsertVersion(store::Connection& connection, const Version& version);
  // Moves a version from pending-scan to `scan_state`, only if it is still that
  // version (same content) and still pending.
  static void Release(store::Connection& connection, const Version& version, const std::string& scan_state);
  // Every version with this content, in any document.
  static std::vector<Version> VersionsWithBlob(store::Connection& connection, const std::string& sha256);
  static void DeleteVersion(store::Connection& connection, const std::string& document_id, std::int64_t number);
  // Versions waiting for a virus scan, oldest first.
  static std::vector<Version> PendingScans(store::Connection& connection, std::size_t limit);
  // Bytes of every version the employee uploaded.
  static std::uint64_t BytesUploadedBy(store::Connection& connection, const std::string& employee_id);
  static bool BlobInUse(store::Connection& connection, const std::string& sha256);
  static std::vector<std::string> AllBlobHashes(store::Connection& connection);
  // Soft-deleted documents deleted before `before`.
  static std::vector<std::string> DeletedBefore(store::Connection& connection, std::int64_t before);

  static std::vector<Share> Shares(store::Connection& connection, const std::string& document_id);
  static std::optional<Share> FindShare(store::Connection& connection, const std::string& document_id,
                                        const std::string& share_id);
  // Inserts, or replaces the permission and expiry of the share with the same grantee.
  // Returns the id of the share written.
  static std::string UpsertShare(store::Connection& connection, const Share& share);
  static void DeleteShare(store::Connection& connection, const std::string& share_id);
  static bool HasNonEmployeeShares(store::Connection& connection, const std::string& document_id);

  static std::vector<Comment> Comments(store::Connection& connection, const std::string& document_id);
  static void InsertComment(store::Connection& connection, const Comment& comment);

  // Grantees, checked and named.
  static std::optional<PersonRef> FindActiveEmployee(store::Connection& connection, const std::string& employee_id);
  static std::optional<std::string> DepartmentName(store::Connection& connection, const std::string& department_id);
  // The meeting's title when the employee is invited to it.
  static std::optional<std::string> MeetingTitleFor(store::Connection& connection, const std::string& meeting_id,
                                                    const std::string& employee_id);
};

}  // namespace egovbox::documents
