// The plain data of the documents module: documents, versions, shares, comments,
// and the permission scale. No behaviour beyond naming and ordering.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::documents {

// Ordered: each permission includes the ones below it.
enum class Permission { kNone = 0, kView = 1, kComment = 2, kEdit = 3, kManage = 4 };

std::string_view PermissionName(Permission permission);
std::optional<Permission> ParsePermission(std::string_view name);

inline constexpr std::string_view kClassificationPublic = "public";
inline constexpr std::string_view kClassificationInternal = "internal";
inline constexpr std::string_view kClassificationRestricted = "restricted";
bool IsClassification(std::string_view name);

inline constexpr std::string_view kScanClean = "clean";
inline constexpr std::string_view kScanNotScanned = "not-scanned";
inline constexpr std::string_view kScanPending = "pending-scan";

inline constexpr std::string_view kGranteeEmployee = "employee";
inline constexpr std::string_view kGranteeDepartment = "department";
inline constexpr std::string_view kGranteeMeeting = "meeting";

struct PersonRef {
  std::string id;
  std::string name;
};

struct Version {
  std::string document_id;
  std::int64_t number = 0;
  PersonRef uploader;
  std::int64_t uploaded_at = 0;
  std::uint64_t size = 0;
  std::string sha256;
  std::string media_type;
  std::string file_name;
  std::string scan_state;

  // Clean or not scanned: anyone who may view the document may open it.
  bool Released() const { return scan_state == kScanClean || scan_state == kScanNotScanned; }
};

struct Document {
  std::string id;
  PersonRef owner;
  std::string title;
  std::string description;
  std::string classification;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> deleted_at;
};

struct Grantee {
  std::string kind;  // kGrantee*
  std::string id;
  std::string name;  // the employee's, department's or meeting's
};

struct Share {
  std::string id;
  std::string document_id;
  Grantee grantee;
  Permission permission = Permission::kView;
  std::optional<std::int64_t> expires_at;
  PersonRef created_by;
  std::int64_t created_at = 0;
};

struct Comment {
  std::string id;
  std::string document_id;
  PersonRef author;
  std::string body;
  std::int64_t created_at = 0;
};

}  // namespace egovbox::documents
