#include "documents/documents_routes.h"

#include <fmt/format.h>

#include "documents/file_name.h"
#include "http/byte_range.h"
#include "http/json_input.h"
#include "http/rfc3339.h"
#include "identity/text_folding.h"
#include "meetings/sofia_time.h"

namespace egovbox::documents {
namespace {

using http::Access;
using http::MakeProblem;
using http::Method;
using http::Request;
using http::Response;
using nlohmann::json;

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxDescription = 5000;
constexpr std::size_t kMaxFileName = 1000;
constexpr std::size_t kMaxComment = 4000;
constexpr std::size_t kMaxSearch = 200;
constexpr const char* kPreviewPolicy = "sandbox; default-src 'none'";

Actor ActorOf(const Request& request) {
  return Actor{request.principal->subject_id, request.client_address};
}

json OptionalTime(const std::optional<std::int64_t>& time) {
  return time ? json(http::FormatRfc3339Utc(*time)) : json();
}

json PersonJson(const PersonRef& person) {
  return {{"id", person.id}, {"name", person.name}};
}

json VersionJson(const Version& version) {
  return {{"number", version.number},
          {"uploader", PersonJson(version.uploader)},
          {"uploaded_at", http::FormatRfc3339Utc(version.uploaded_at)},
          {"size", version.size},
          {"sha256", version.sha256},
          {"media_type", version.media_type},
          {"file_name", version.file_name},
          {"scan_state", version.scan_state},
          {"previewable", Previewable(version.media_type)}};
}

json DocumentJson(const DocumentView& view, std::int64_t restore_seconds) {
  const auto& document = view.document;
  return {{"id", document.id},
          {"title", document.title},
          {"description", document.description},
          {"classification", document.classification},
          {"owner", PersonJson(document.owner)},
          {"created_at", http::FormatRfc3339Utc(document.created_at)},
          {"updated_at", http::FormatRfc3339Utc(document.updated_at)},
          {"deleted_at", OptionalTime(document.deleted_at)},
          {"restorable_until",
           OptionalTime(document.deleted_at ? std::optional(*document.deleted_at + restore_seconds) : std::nullopt)},
          {"permission", std::string(PermissionName(view.permission))},
          {"latest_version", view.latest ? VersionJson(*view.latest) : json()},
          {"pending_scan", view.pending_scan}};
}

json ShareJson(const Share& share) {
  return {{"id", share.id},
          {"grantee", {{"kind", share.grantee.kind}, {"id", share.grantee.id}, {"name", share.grantee.name}}},
          {"permission", std::string(PermissionName(share.permission))},
          {"expires_at", OptionalTime(share.expires_at)},
          {"created_by", PersonJson(share.created_by)},
          {"created_at", http::FormatRfc3339Utc(share.created_at)}};
}

json CommentJson(const Comment& comment) {
  return {{"id", comment.id},
          {"author", PersonJson(comment.author)},
          {"body", comment.body},
          {"created_at", http::FormatRfc3339Utc(comment.created_at)}};
}

// Valid UTF-8 with no control characters but line breaks and tabs.
bool IsCleanMultiline(std::string_view text) {
  std::string flattened(text);
  for (char& c : flattened) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return identity::IsCleanText(flattened);
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

http::Result<std::string> QueryText(const Request& request, const std::string& name, std::size_t max_length,
                                    bool multiline) {
  const std::string value = request.QueryParam(name).value_or("");
  if (value.size() > max_length) return http::InvalidField(name);
  if (!(multiline ? IsCleanMultiline(value) : identity::IsCleanText(value))) return http::InvalidField(name);
  return value;
}

// The file name as sent; it is sanitised by the service, but it must be text.
http::Result<std::string> FileNameParam(const Request& request) {
  const auto name = request.QueryParam("file_name");
  if (!name || name->empty() || name->size() > kMaxFileName) return http::InvalidField("file_name");
  return *name;
}

Response UploadResponse(const http::Result<UploadOutcome>& outcome, std::int64_t restore_seconds) {
  if (!outcome) return Response::FromProblem(outcome.problem());
  return Response::Json(
      outcome->pending_scan ? 202 : 201,
      {{"document", DocumentJson(outcome->document, restore_seconds)}, {"version", VersionJson(outcome->version)}});
}

Response CreateDocument(DocumentService& documents, Request& request) {
  auto file_name = FileNameParam(request);
  if (!file_name) return Response::FromProblem(file_name.problem());
  auto title = QueryText(request, "title", kMaxTitle, false);
  if (!title) return Response::FromProblem(title.problem());
  auto description = QueryText(request, "description", kMaxDescription, true);
  if (!description) return Response::FromProblem(description.problem());
  NewDocument input;
  input.title = IsBlank(*title) ? SanitiseFileName(*file_name) : *title;
  input.description = *description;
  input.classification = request.QueryParam("classification").value_or(std::string(kClassificationInternal));
  input.file_name = *file_name;
  return UploadResponse(documents.Create(ActorOf(request), input, *request.body_stream),
                        documents.settings().restore_seconds);
}

Response AddVersion(DocumentService& documents, Request& request) {
  auto file_name = FileNameParam(request);
  if (!file_name) return Response::FromProblem(file_name.problem());
  return UploadResponse(
      documents.AddVersion(ActorOf(request), request.PathParam("id"), *file_name, *request.body_stream),
      documents.settings().restore_seconds);
}

Response ListJson(const http::Result<std::vector<DocumentView>>& views, std::int64_t restore_seconds) {
  if (!views) return Response::FromProblem(views.problem());
  json list = json::array();
  for (const auto& view : *views) list.push_back(DocumentJson(view, restore_seconds));
  return Response::Json(200, {{"documents", std::move(list)}});
}

Response ListDocuments(DocumentService& documents, Request& request) {
  DocumentFilter filter;
  filter.scope = request.QueryParam("scope").value_or("all");
  auto text = QueryText(request, "q", kMaxSearch, false);
  if (!text) return Response::FromProblem(text.problem());
  filter.text = *text;
  filter.classification = request.QueryParam("classification").value_or("");
  filter.type_group = request.QueryParam("type").value_or("");
  return ListJson(documents.List(ActorOf(request), filter), documents.settings().restore_seconds);
}

Response UpdateDocument(DocumentService& documents, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  DocumentChanges changes;
  auto title = http::OptionalString(*body, "title", kMaxTitle);
  if (!title) return Response::FromProblem(title.problem());
  if (*title && (IsBlank(**title) || !identity::IsCleanText(**title))) {
    return Response::FromProblem(http::InvalidField("title"));
  }
  auto description = http::OptionalString(*body, "description", kMaxDescription);
  if (!description) return Response::FromProblem(description.problem());
  if (*description && !IsCleanMultiline(**description)) return Response::FromProblem(http::InvalidField("description"));
  auto classification = http::OptionalString(*body, "classification", 20);
  if (!classification) return Response::FromProblem(classification.problem());
  changes.title = *title;
  changes.description = *description;
  changes.classification = *classification;
  auto view = documents.Update(ActorOf(request), request.PathParam("id"), changes);
  if (!view) return Response::FromProblem(view.problem());
  return Response::Json(200, DocumentJson(*view, documents.settings().restore_seconds));
}

// A body that reads `length` bytes of a blob, from where its reader stands.
class BlobBodySource final : public http::BodySource {
 public:
  BlobBodySource(std::unique_ptr<BlobReader> reader, std::uint64_t length)
      : reader_(std::move(reader)), remaining_(length) {}
  std::size_t Read(std::span<char> out) override {
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), remaining_));
    const std::size_t got = reader_->Read(out.first(wanted));
    remaining_ -= got;
    return got;
  }

 private:
  std::unique_ptr<BlobReader> reader_;
  std::uint64_t remaining_;
};

std::optional<std::int64_t> VersionNumber(const Request& request) {
  const auto found = request.path_params.find("number");
  if (found == request.path_params.end()) return std::nullopt;
  const std::string& text = found->second;
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoll(text);
}

Response Content(DocumentService& documents, Request& request, ContentPurpose purpose) {
  const auto number = VersionNumber(request);
  if (number && *number <= 0) return Response::FromProblem(MakeProblem(404, "document-version-not-found"));
  const bool download = purpose == ContentPurpose::kDownload;
  auto opened = documents.Open(ActorOf(request), request.PathParam("id"), number, purpose);
  if (!opened) return Response::FromProblem(opened.problem());
  const Version& version = opened->version;
  const std::string etag = fmt::format("\"{}\"", version.sha256);
  http::RangeDecision range;
  // If-Range names the version the client has; a range of another one would mix them.
  const auto if_range = request.Header("if-range");
  if (download && (if_range.empty() || if_range == etag))
    range = http::DecideRange(request.Header("range"), version.size);

  Response response;
  response.SetHeader("Content-Type", version.media_type);
  response.SetHeader("Content-Disposition", ContentDisposition(download ? "attachment" : "inline", version.file_name));
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("ETag", etag);
  response.SetHeader("Cache-Control", "private, no-store");
  if (download) response.SetHeader("Accept-Ranges", "bytes");
  if (!download) response.SetHeader("Content-Security-Policy", kPreviewPolicy);
  std::uint64_t length = version.size;
  if (range.outcome == http::RangeOutcome::kUnsatisfiable) {
    Response refusal = Response::FromProblem(MakeProblem(416, "range-not-satisfiable", {{"size", version.size}}));
    refusal.SetHeader("Content-Range", fmt::format("bytes */{}", version.size));
    return refusal;
  }
  if (range.outcome == http::RangeOutcome::kPartial) {
    response.status = 206;
    response.SetHeader("Content-Range", fmt::format("bytes {}-{}/{}", range.range.first,
                                                    range.range.first + range.range.length - 1, version.size));
    opened->reader->Skip(range.range.first);
    length = range.range.length;
  }
  response.streamed_body = std::make_shared<BlobBodySource>(std::move(opened->reader), length);
  response.streamed_length = length;
  return response;
}

http::Result<ShareInput> ReadShareInput(const json& body) {
  ShareInput input;
  const auto grantee = body.find("grantee");
  if (grantee == body.end() || !grantee->is_object()) return http::InvalidField("grantee");
  auto kind = http::RequiredString(*grantee, "kind", 20);
  if (!kind) return http::InvalidField("grantee.kind");
  auto id = http::RequiredString(*grantee, "id", 100);
  if (!id) return http::InvalidField("grantee.id");
  input.grantee_kind = *kind;
  input.grantee_id = *id;
  auto permission = http::RequiredString(body, "permission", 20);
  if (!permission) return permission.problem();
  const auto parsed = ParsePermission(*permission);
  if (!parsed) return http::InvalidField("permission");
  input.permission = *parsed;
  auto expires = http::OptionalString(body, "expires_at", 64);
  if (!expires) return expires.problem();
  if (*expires) {
    input.expires_at = meetings::ParseRfc3339(**expires);
    if (!input.expires_at) return http::InvalidField("expires_at");
  }
  return input;
}

Response AddShare(DocumentService& documents, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto input = ReadShareInput(*body);
  if (!input) return Response::FromProblem(input.problem());
  auto share = documents.AddShare(ActorOf(request), request.PathParam("id"), *input);
  if (!share) return Response::FromProblem(share.problem());
  return Response::Json(201, ShareJson(*share));
}

Response AddComment(DocumentService& documents, Request& request) {
  auto body = http::ParseJsonObject(request);
  if (!body) return Response::FromProblem(body.problem());
  auto text = http::RequiredString(*body, "body", kMaxComment);
  if (!text) return Response::FromProblem(text.problem());
  if (IsBlank(*text) || !IsCleanMultiline(*text)) return Response::FromProblem(http::InvalidField("body"));
  auto comment = documents.AddComment(ActorOf(request), request.PathParam("id"), *text);
  if (!comment) return Response::FromProblem(comment.problem());
  return Response::Json(201, CommentJson(*comment));
}

}  // namespace

void AddDocumentsRoutes(http::Router& router, DocumentService& documents) {
  const auto restore_seconds = documents.settings().restore_seconds;
  const auto signed_in = [&router](Method method, const char* pattern, http::Handler handler,
                                   std::uint64_t streamed_body_limit = 0) {
    http::Route route{method, pattern, Access::kSignedIn, std::move(handler)};
    route.streamed_body_limit = streamed_body_limit;
    router.Add(std::move(route));
  };
  const auto id = [](const Request& request) -> const std::string& { return request.PathParam("id"); };
  auto& d = documents;
  const std::uint64_t upload_limit = documents.settings().max_bytes;

  signed_in(Method::kGet, "/api/v1/documents", [&d](Request& r) { return ListDocuments(d, r); });
  signed_in(
      Method::kPost, "/api/v1/documents", [&d](Request& r) { return CreateDocument(d, r); }, upload_limit);
  signed_in(Method::kGet, "/api/v1/documents/{id}", [&d, id, restore_seconds](Request& r) {
    auto view = d.Get(ActorOf(r), id(r));
    if (!view) return Response::FromProblem(view.problem());
    return Response::Json(200, DocumentJson(*view, restore_seconds));
  });
  signed_in(Method::kPatch, "/api/v1/documents/{id}", [&d](Request& r) { return UpdateDocument(d, r); });
  signed_in(Method::kDelete, "/api/v1/documents/{id}",
            [&d, id](Request& r) { return Response::FromStatus(d.Delete(ActorOf(r), id(r))); });
  signed_in(Method::kPost, "/api/v1/documents/{id}/restore", [&d, id, restore_seconds](Request& r) {
    auto view = d.Restore(ActorOf(r), id(r));
    if (!view) return Response::FromProblem(view.problem());
    return Response::Json(200, DocumentJson(*view, restore_seconds));
  });
  signed_in(Method::kGet, "/api/v1/documents/{id}/versions", [&d, id](Request& r) {
    auto versions = d.Versions(ActorOf(r), id(r));
    if (!versions) return Response::FromProblem(versions.problem());
    json list = json::array();
    for (const auto& version : *versions) list.push_back(VersionJson(version));
    return Response::Json(200, {{"versions", std::move(list)}});
  });
  signed_in(
      Method::kPost, "/api/v1/documents/{id}/versions", [&d](Request& r) { return AddVersion(d, r); }, upload_limit);
  signed_in(Method::kGet, "/api/v1/documents/{id}/content",
            [&d](Request& r) { return Content(d, r, ContentPurpose::kDownload); });
  signed_in(Method::kGet, "/api/v1/documents/{id}/versions/{number}/content",
            [&d](Request& r) { return Content(d, r, ContentPurpose::kDownload); });
  signed_in(Method::kGet, "/api/v1/documents/{id}/preview",
            [&d](Request& r) { return Content(d, r, ContentPurpose::kPreview); });
  signed_in(Method::kGet, "/api/v1/documents/{id}/versions/{number}/preview",
            [&d](Request& r) { return Content(d, r, ContentPurpose::kPreview); });
  signed_in(Method::kGet, "/api/v1/documents/{id}/shares", [&d, id](Request& r) {
    auto shares = d.Shares(ActorOf(r), id(r));
    if (!shares) return Response::FromProblem(shares.problem());
    json list = json::array();
    for (const auto& share : *shares) list.push_back(ShareJson(share));
    return Response::Json(200, {{"shares", std::move(list)}});
  });
  signed_in(Method::kPost, "/api/v1/documents/{id}/shares", [&d](Request& r) { return AddShare(d, r); });
  signed_in(Method::kDelete, "/api/v1/documents/{id}/shares/{share_id}", [&d, id](Request& r) {
    return Response::FromStatus(d.RemoveShare(ActorOf(r), id(r), r.PathParam("share_id")));
  });
  signed_in(Method::kGet, "/api/v1/documents/{id}/comments", [&d, id](Request& r) {
    auto comments = d.Comments(ActorOf(r), id(r));
    if (!comments) return Response::FromProblem(comments.problem());
    json list = json::array();
    for (const auto& comment : *comments) list.push_back(CommentJson(comment));
    return Response::Json(200, {{"comments", std::move(list)}});
  });
  signed_in(Method::kPost, "/api/v1/documents/{id}/comments", [&d](Request& r) { return AddComment(d, r); });
  signed_in(Method::kGet, "/api/v1/meetings/{id}/documents", [&d, id, restore_seconds](Request& r) {
    return ListJson(d.MeetingDocuments(ActorOf(r), id(r)), restore_seconds);
  });
}

}  // namespace egovbox::documents
