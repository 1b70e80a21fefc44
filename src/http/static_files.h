// The built web app (web/dist), read into memory at start and served from there.
// Files under /assets/ have content hashes in their names and are cached for a
// year; everything else, index.html above all, is revalidated every time. Any
// other GET path that is not under /api/ gets index.html, so the app's own
// routes (/colleagues, /security) survive a reload. Read-only after construction.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "http/request.h"
#include "http/response.h"

namespace egovbox::http {

class StaticFiles {
 public:
  // Reads every file below `root`. A missing root serves a short page that says
  // the web app has not been built, rather than failing the server.
  explicit StaticFiles(const std::filesystem::path& root);

  Response Serve(const Request& request) const;
  std::size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string content_type;
    std::string etag;
  };
  Response Answer(const Request& request, const File& file, bool immutable) const;

  std::map<std::string, File> files_;  // keyed by URL path, e.g. "/assets/index-3f2a.js"
};

}  // namespace egovbox::http
