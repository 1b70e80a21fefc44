#include "http/static_files.h"

#include <fstream>
#include <sstream>

#include "crypto/digest.h"

namespace egovbox::http {
namespace {

std::string ContentType(const std::filesystem::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".yaml", "application/yaml"},
  };
  const auto found = kTypes.find(file.extension().string());
  return found == kTypes.end() ? "application/octet-stream" : found->second;
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

constexpr const char* kNotBuiltPage =
    "<!doctype html><html lang=\"bg\"><meta charset=\"utf-8\"><title>eGov box</title>"
    "<p>Уеб приложението не е изградено (web/dist). Изпълнете <code>make build</code>.</p>"
    "<p lang=\"en\">The web app has not been built (web/dist). Run <code>make build</code>.</p></html>";

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& root) {
  std::error_code error;
  if (std::filesystem::is_directory(root, error)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      File file;
      file.content = ReadFile(entry.path());
      file.content_type = ContentType(entry.path());
      file.etag = "\"" + crypto::Sha256Hex(file.content).substr(0, 32) + "\"";
      files_.emplace("/" + std::filesystem::relative(entry.path(), root).generic_string(), std::move(file));
    }
  }
  if (files_.count("/index.html") == 0) {
    files_["/index.html"] = File{kNotBuiltPage, "text/html; charset=utf-8", "\"not-built\""};
  }
}

Response StaticFiles::Serve(const Request& request) const {
  const auto found = files_.find(request.path);
  if (found != files_.end() && request.path != "/index.html") {
    return Answer(request, found->second, request.path.rfind("/assets/", 0) == 0);
  }
  // A missing hashed asset is a real 404: answering with HTML would confuse the browser.
  if (request.path.rfind("/assets/", 0) == 0) return Response::FromProblem(MakeProblem(404, "not-found"));
  return Answer(request, files_.at("/index.html"), false);
}

Response StaticFiles::Answer(const Request& request, const File& file, bool immutable) const {
  Response response;
  response.SetHeader("ETag", file.etag);
  response.SetHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (request.Header("if-none-match") == file.etag) {
    response.status = 304;
    return response;
  }
  response.SetHeader("Content-Type", file.content_type);
  response.body = file.content;
  return response;
}

}  // namespace egovbox::http
