// The documents module's HTTP API (see docs/api/openapi.yaml and docs/documents.md):
// documents, versions, content and previews, shares, comments, and the documents
// shared with a meeting. Uploads stream their body (Route::streamed_body_limit).
#pragma once

#include "documents/document_service.h"
#include "http/router.h"

namespace egovbox::documents {

void AddDocumentsRoutes(http::Router& router, DocumentService& documents);
void RegisterDocumentsProblems();

}  // namespace egovbox::documents
