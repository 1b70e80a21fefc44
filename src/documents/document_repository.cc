#include "documents/document_repository.h"

#include "crypto/random.h"

namespace egovbox::documents {
namespace {

constexpr std::size_t kIdBytes = 16;

constexpr const char* kSelectDocument =
    "SELECT d.id, d.owner_id, o.name, d.title, d.description, d.classification, d.created_at, d.updated_at,"
    " d.deleted_at FROM documents d JOIN employees o ON o.id = d.owner_id ";

Document ReadDocument(const store::Row& row) {
  return Document{row.Text(0), {row.Text(1), row.Text(2)}, row.Text(3), row.Text(4), row.Text(5), row.Int(6),
                  row.Int(7),  row.OptionalInt(8)};
}

constexpr const char* kSelectVersion =
    "SELECT v.document_id, v.number, v.uploader_id, u.name, v.uploaded_at, v.size, v.sha256, v.media_type,"
    " v.file_name, v.scan_state FROM document_versions v JOIN employees u ON u.id = v.uploader_id ";

Version ReadVersion(const store::Row& row) {
  return Version{row.Text(0),
                 row.Int(1),
                 {row.Text(2), row.Text(3)},
                 row.Int(4),
                 static_cast<std::uint64_t>(row.Int(5)),
                 row.Text(6),
                 row.Text(7),
                 row.Text(8),
                 row.Text(9)};
}

// The grantee's name comes from the table its kind names.
constexpr const char* kSelectShare =
    "SELECT s.id, s.document_id, s.grantee_kind, s.grantee_id,"
    " COALESCE(ge.name, gd.name, gm.title, ''), s.permission, s.expires_at, s.created_by, c.name, s.created_at"
    " FROM document_shares s JOIN employees c ON c.id = s.created_by"
    " LEFT JOIN employees ge ON s.grantee_kind = 'employee' AND ge.id = s.grantee_id"
    " LEFT JOIN departments gd ON s.grantee_kind = 'department' AND gd.id = s.grantee_id"
    " LEFT JOIN meetings gm ON s.grantee_kind = 'meeting' AND gm.id = s.grantee_id ";

Share ReadShare(const store::Row& row) {
  return Share{row.Text(0),
               row.Text(1),
               {row.Text(2), row.Text(3), row.Text(4)},
               ParsePermission(row.Text(5)).value_or(Permission::kView),
               row.OptionalInt(6),
               {row.Text(7), row.Text(8)},
               row.Int(9)};
}

// A share `s` that reaches employee ?1 (bound three times) and has not expired (?2).
constexpr const char* kShareReachesEmployee =
    "(s.expires_at IS NULL OR s.expires_at > ?) AND ("
    "(s.grantee_kind = 'employee' AND s.grantee_id = ?)"
    " OR (s.grantee_kind = 'department' AND s.grantee_id = (SELECT department_id FROM employees WHERE id = ?))"
    " OR (s.grantee_kind = 'meeting' AND EXISTS (SELECT 1 FROM invitations i"
    " WHERE i.meeting_id = s.grantee_id AND i.employee_id = ?)))";

void BindReach(store::Params& params, const std::string& employee_id, std::int64_t now) {
  params.emplace_back(now);
  params.emplace_back(employee_id);
  params.emplace_back(employee_id);
  params.emplace_back(employee_id);
}

store::Params WithOptionalInt(store::Params params, const std::optional<std::int64_t>& value, std::size_t at) {
  if (value) params.at(at) = *value;
  return params;
}

constexpr const char* kPermissionRank =
    "CASE s.permission WHEN 'view' THEN 1 WHEN 'comment' THEN 2 WHEN 'edit' THEN 3 ELSE 4 END";

}  // namespace

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kView: return "view";
    case Permission::kComment: return "comment";
    case Permission::kEdit: return "edit";
    case Permission::kManage: return "manage";
    case Permission::kNone: break;
  }
  return "none";
}

std::optional<Permission> ParsePermission(std::string_view name) {
  if (name == "view") return Permission::kView;
  if (name == "comment") return Permission::kComment;
  if (name == "edit") return Permission::kEdit;
  if (name == "manage") return Permission::kManage;
  return std::nullopt;
}

bool IsClassification(std::string_view name) {
  return name == kClassificationPublic || name == kClassificationInternal || name == kClassificationRestricted;
}

std::optional<Document> DocumentRepository::FindDocument(store::Connection& connection,
                                                         const std::string& document_id) {
  auto row = connection.QueryOne(std::string(kSelectDocument) + "WHERE d.id = ?", {document_id});
  if (!row) return std::nullopt;
  return ReadDocument(*row);
}

void DocumentRepository::InsertDocument(store::Connection& connection, const Document& document,
                                        const std::string& search_text) {
  connection.Execute(
      "INSERT INTO documents (id, owner_id, title, description, classification, search_text, created_at, updated_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {document.id, document.owner.id, document.title, document.description, document.classification, search_text,
       document.created_at, document.updated_at});
}

void DocumentRepository::UpdateDocument(store::Connection& connection, const Document& document,
                                        const std::string& search_text) {
  connection.Execute(
      "UPDATE documents SET title = ?, description = ?, classification = ?, search_text = ?, updated_at = ?"
      " WHERE id = ?",
      {document.title, document.description, document.classification, search_text, document.updated_at, document.id});
}

void DocumentRepository::SetDeleted(store::Connection& connection, const std::string& document_id,
                                    std::optional<std::int64_t> deleted_at, const std::string& deleted_by) {
  if (!deleted_at) {
    connection.Execute("UPDATE documents SET deleted_at = NULL, deleted_by = NULL WHERE id = ?", {document_id});
    return;
  }
  connection.Execute("UPDATE documents SET deleted_at = ?, deleted_by = ? WHERE id = ?",
                     {*deleted_at, deleted_by, document_id});
}

void DocumentRepository::DeleteDocument(store::Connection& connection, const std::string& document_id) {
  connection.Execute("DELETE FROM document_comments WHERE document_id = ?", {document_id});
  connection.Execute("DELETE FROM document_shares WHERE document_id = ?", {document_id});
  connection.Execute("DELETE FROM document_versions WHERE document_id = ?", {document_id});
  connection.Execute("DELETE FROM documents WHERE id = ?", {document_id});
}

Permission DocumentRepository::SharedPermission(store::Connection& connection, const std::string& document_id,
                                                const std::string& employee_id, bool employee_shares_only,
                                                std::int64_t now) {
  std::string sql = std::string("SELECT MAX(") + kPermissionRank +
                    ") FROM document_shares s WHERE s.document_id = ? AND " + kShareReachesEmployee;
  if (employee_shares_only) sql += " AND s.grantee_kind = 'employee'";
  store::Params params{document_id};
  BindReach(params, employee_id, now);
  auto row = connection.QueryOne(sql, params);
  if (!row || row->IsNull(0)) return Permission::kNone;
  return static_cast<Permission>(row->Int(0));
}

std::optional<std::int64_t> DocumentRepository::ManageExpiry(store::Connection& connection,
                                                             const std::string& document_id,
                                                             const std::string& employee_id, bool employee_shares_only,
                                                             std::int64_t now) {
  store::Params params{document_id};
  BindReach(params, employee_id, now);
  std::string sql =
      std::string(
          "SELECT s.expires_at FROM document_shares s WHERE s.document_id = ? AND s.permission = 'manage' AND ") +
      kShareReachesEmployee;
  // As in SharedPermission: a restricted document's department and meeting shares give nothing.
  if (employee_shares_only) sql += " AND s.grantee_kind = 'employee'";
  const auto rows = connection.Query(sql, params);
  std::optional<std::int64_t> latest;
  for (const auto& row : rows) {
    if (row.IsNull(0)) return std::nullopt;
    latest = std::max(latest.value_or(row.Int(0)), row.Int(0));
  }
  return latest;
}

std::vector<std::string> DocumentRepository::Search(store::Connection& connection, const DocumentQuery& query) {
  std::string sql = "SELECT d.id FROM documents d WHERE ";
  store::Params params;
  const std::string shared = std::string("EXISTS (SELECT 1 FROM document_shares s WHERE s.document_id = d.id AND ") +
                             kShareReachesEmployee +
                             " AND (d.classification <> 'restricted' OR s.grantee_kind = 'employee'))";
  if (query.scope == "deleted") {
    sql += "d.deleted_at IS NOT NULL AND d.owner_id = ?";
    params.emplace_back(query.employee_id);
  } else if (query.scope == "mine") {
    sql += "d.deleted_at IS NULL AND d.owner_id = ?";
    params.emplace_back(query.employee_id);
  } else if (query.scope == "shared") {
    sql += "d.deleted_at IS NULL AND d.owner_id <> ? AND " + shared;
    params.emplace_back(query.employee_id);
    BindReach(params, query.employee_id, query.now);
  } else {
    sql += "d.deleted_at IS NULL AND (d.owner_id = ? OR d.classification = 'public' OR " + shared + ")";
    params.emplace_back(query.employee_id);
    BindReach(params, query.employee_id, query.now);
  }
  if (!query.folded_text.empty()) {
    // instr() rather than LIKE: the text is the user's and may hold % or _.
    sql += " AND instr(d.search_text, ?) > 0";
    params.emplace_back(query.folded_text);
  }
  if (!query.classification.empty()) {
    sql += " AND d.classification = ?";
    params.emplace_back(query.classification);
  }
  if (query.meeting_id) {
    sql +=
        " AND d.classification <> 'restricted' AND EXISTS (SELECT 1 FROM document_shares m WHERE m.document_id = d.id"
        " AND m.grantee_kind = 'meeting' AND m.grantee_id = ? AND (m.expires_at IS NULL OR m.expires_at > ?))";
    params.emplace_back(*query.meeting_id);
    params.emplace_back(query.now);
  }
  if (!query.media_types.empty()) {
    // The type of the newest released version decides (the one a reader sees).
    sql +=
        " AND (SELECT v.media_type FROM document_versions v WHERE v.document_id = d.id"
        " AND v.scan_state IN ('clean', 'not-scanned') ORDER BY v.number DESC LIMIT 1) ";
    sql += query.exclude_media_types ? "NOT IN (" : "IN (";
    for (std::size_t i = 0; i < query.media_types.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(query.media_types[i]);
    }
    sql += ")";
  }
  sql += " ORDER BY d.updated_at DESC, d.id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(query.limit));
  std::vector<std::string> ids;
  for (const auto& row : connection.Query(sql, params)) ids.push_back(row.Text(0));
  return ids;
}

std::vector<Version> DocumentRepository::Versions(store::Connection& connection, const std::string& document_id) {
  std::vector<Version> versions;
  for (const auto& row : connection.Query(
           std::string(kSelectVersion) + "WHERE v.document_id = ? ORDER BY v.number DESC", {document_id})) {
    versions.push_back(ReadVersion(row));
  }
  return versions;
}

std::optional<Version> DocumentRepository::FindVersion(store::Connection& connection, const std::string& document_id,
                                                       std::int64_t number) {
  auto row = connection.QueryOne(std::string(kSelectVersion) + "WHERE v.document_id = ? AND v.number = ?",
                                 {document_id, number});
  if (!row) return std::nullopt;
  return ReadVersion(*row);
}

std::int64_t DocumentRepository::NextVersionNumber(store::Connection& connection, const std::string& document_id) {
  auto row = connection.QueryOne("SELECT COALESCE(MAX(number), 0) + 1 FROM document_versions WHERE document_id = ?",
                                 {document_id});
  return row ? row->Int(0) : 1;
}

void DocumentRepository::InsertVersion(store::Connection& connection, const Version& version) {
  connection.Execute(
      "INSERT INTO document_versions (document_id, number, uploader_id, uploaded_at, size, sha256, media_type,"
      " file_name, scan_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {version.document_id, version.number, version.uploader.id, version.uploaded_at,
       static_cast<std::int64_t>(version.size), version.sha256, version.media_type, version.file_name,
       version.scan_state});
}

void DocumentRepository::Release(store::Connection& connection, const Version& version, const std::string& scan_state) {
  connection.Execute(
      "UPDATE document_versions SET scan_state = ? WHERE document_id = ? AND number = ? AND sha256 = ?"
      " AND scan_state = 'pending-scan'",
      {scan_state, version.document_id, version.number, version.sha256});
}

std::vector<Version> DocumentRepository::VersionsWithBlob(store::Connection& connection, const std::string& sha256) {
  std::vector<Version> versions;
  for (const auto& row : connection.Query(std::string(kSelectVersion) + "WHERE v.sha256 = ?", {sha256})) {
    versions.push_back(ReadVersion(row));
  }
  return versions;
}

void DocumentRepository::DeleteVersion(store::Connection& connection, const std::string& document_id,
                                       std::int64_t number) {
  connection.Execute("DELETE FROM document_versions WHERE document_id = ? AND number = ?", {document_id, number});
}

std::vector<Version> DocumentRepository::PendingScans(store::Connection& connection, std::size_t limit) {
  std::vector<Version> versions;
  for (const auto& row : connection.Query(
           std::string(kSelectVersion) + "WHERE v.scan_state = 'pending-scan' ORDER BY v.uploaded_at LIMIT ?",
           {static_cast<std::int64_t>(limit)})) {
    versions.push_back(ReadVersion(row));
  }
  return versions;
}

std::uint64_t DocumentRepository::BytesUploadedBy(store::Connection& connection, const std::string& employee_id) {
  auto row =
      connection.QueryOne("SELECT COALESCE(SUM(size), 0) FROM document_versions WHERE uploader_id = ?", {employee_id});
  return row ? static_cast<std::uint64_t>(row->Int(0)) : 0;
}

bool DocumentRepository::BlobInUse(store::Connection& connection, const std::string& sha256) {
  return connection.QueryOne("SELECT 1 FROM document_versions WHERE sha256 = ? LIMIT 1", {sha256}).has_value();
}

std::vector<std::string> DocumentRepository::AllBlobHashes(store::Connection& connection) {
  std::vector<std::string> hashes;
  for (const auto& row : connection.Query("SELECT DISTINCT sha256 FROM document_versions")) {
    hashes.push_back(row.Text(0));
  }
  return hashes;
}

std::vector<std::string> DocumentRepository::DeletedBefore(store::Connection& connection, std::int64_t before) {
  std::vector<std::string> ids;
  for (const auto& row : connection.Query(
           "SELECT id FROM documents WHERE deleted_at IS NOT NULL AND deleted_at < ? ORDER BY deleted_at", {before})) {
    ids.push_back(row.Text(0));
  }
  return ids;
}

std::vector<Share> DocumentRepository::Shares(store::Connection& connection, const std::string& document_id) {
  std::vector<Share> shares;
  for (const auto& row : connection.Query(
           std::string(kSelectShare) + "WHERE s.document_id = ? ORDER BY s.created_at, s.id", {document_id})) {
    shares.push_back(ReadShare(row));
  }
  return shares;
}

std::optional<Share> DocumentRepository::FindShare(store::Connection& connection, const std::string& document_id,
                                                   const std::string& share_id) {
  auto row =
      connection.QueryOne(std::string(kSelectShare) + "WHERE s.document_id = ? AND s.id = ?", {document_id, share_id});
  if (!row) return std::nullopt;
  return ReadShare(*row);
}

std::string DocumentRepository::UpsertShare(store::Connection& connection, const Share& share) {
  auto existing = connection.QueryOne(
      "SELECT id FROM document_shares WHERE document_id = ? AND grantee_kind = ? AND grantee_id = ?",
      {share.document_id, share.grantee.kind, share.grantee.id});
  if (existing) {
    std::string id = existing->Text(0);
    connection.Execute(
        "UPDATE document_shares SET permission = ?, expires_at = ?, created_by = ?, created_at = ? WHERE id = ?",
        WithOptionalInt({std::string(PermissionName(share.permission)), std::monostate{}, share.created_by.id,
                         share.created_at, id},
                        share.expires_at, 1));
    return id;
  }
  std::string id = crypto::RandomToken(kIdBytes);
  connection.Execute(
      "INSERT INTO document_shares (id, document_id, grantee_kind, grantee_id, permission, expires_at, created_by,"
      " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      WithOptionalInt(
          {id, share.document_id, share.grantee.kind, share.grantee.id, std::string(PermissionName(share.permission)),
           std::monostate{}, share.created_by.id, share.created_at},
          share.expires_at, 5));
  return id;
}

void DocumentRepository::DeleteShare(store::Connection& connection, const std::string& share_id) {
  connection.Execute("DELETE FROM document_shares WHERE id = ?", {share_id});
}

bool DocumentRepository::HasNonEmployeeShares(store::Connection& connection, const std::string& document_id) {
  return connection
      .QueryOne("SELECT 1 FROM document_shares WHERE document_id = ? AND grantee_kind <> 'employee' LIMIT 1",
                {document_id})
      .has_value();
}

std::vector<Comment> DocumentRepository::Comments(store::Connection& connection, const std::string& document_id) {
  std::vector<Comment> comments;
  for (const auto& row :
       connection.Query("SELECT c.id, c.document_id, c.author_id, a.name, c.body, c.created_at FROM document_comments c"
                        " JOIN employees a ON a.id = c.author_id WHERE c.document_id = ? ORDER BY c.seq",
                        {document_id})) {
    comments.push_back(Comment{row.Text(0), row.Text(1), {row.Text(2), row.Text(3)}, row.Text(4), row.Int(5)});
  }
  return comments;
}

void DocumentRepository::InsertComment(store::Connection& connection, const Comment& comment) {
  connection.Execute(
      "INSERT INTO document_comments (id, document_id, author_id, body, created_at, seq)"
      " VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM document_comments))",
      {comment.id, comment.document_id, comment.author.id, comment.body, comment.created_at});
}

std::optional<PersonRef> DocumentRepository::FindActiveEmployee(store::Connection& connection,
                                                                const std::string& employee_id) {
  auto row = connection.QueryOne("SELECT id, name FROM employees WHERE id = ? AND status = 'active'", {employee_id});
  if (!row) return std::nullopt;
  return PersonRef{row->Text(0), row->Text(1)};
}

std::optional<std::string> DocumentRepository::DepartmentName(store::Connection& connection,
                                                              const std::string& department_id) {
  auto row = connection.QueryOne("SELECT name FROM departments WHERE id = ?", {department_id});
  if (!row) return std::nullopt;
  return row->Text(0);
}

std::optional<std::string> DocumentRepository::MeetingTitleFor(store::Connection& connection,
                                                               const std::string& meeting_id,
                                                               const std::string& employee_id) {
  auto row = connection.QueryOne(
      "SELECT m.title FROM meetings m JOIN invitations i ON i.meeting_id = m.id WHERE m.id = ? AND i.employee_id = ?",
      {meeting_id, employee_id});
  if (!row) return std::nullopt;
  return row->Text(0);
}

}  // namespace egovbox::documents
