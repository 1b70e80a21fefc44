// The one place that calls libmagic.
#include "documents/file_type.h"

#include <magic.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace egovbox::documents {
namespace {

constexpr std::string_view kUnknown = "application/octet-stream";
constexpr std::string_view kEmpty = "application/x-empty";
constexpr std::array<std::string_view, 5> kPreviewable = {"application/pdf", "image/png", "image/jpeg", "image/gif",
                                                          "image/webp"};

char Lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string LowerCase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), Lower);
  return lower;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// RFC 9110 §5.6.2 token characters.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// "type/subtype" with both parts tokens: what libmagic should answer, checked
// because the answer ends up in a Content-Type header.
bool IsMediaType(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != slash && !IsTokenChar(text[i])) return false;
  }
  return true;
}

// The type without parameters, lower case: "Image/PNG; x=y" -> "image/png".
std::string Essence(std::string_view media_type) {
  return LowerCase(TrimSpaces(media_type.substr(0, media_type.find(';'))));
}

}  // namespace

struct FileTypeDetector::Handle {
  magic_t cookie = nullptr;
  ~Handle() {
    if (cookie != nullptr) magic_close(cookie);
  }
};

FileTypeDetector::FileTypeDetector() : handle_(std::make_unique<Handle>()) {
  // The media type only, and compressed data named as such rather than unpacked and
  // looked into (a zip bomb costs nothing then).
  handle_->cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
  if (handle_->cookie == nullptr) throw std::runtime_error("libmagic: magic_open failed");
  // nullptr: the default database (Debian's /usr/lib/file/magic.mgc from libmagic-mgc).
  if (magic_load(handle_->cookie, nullptr) != 0) {
    const char* error = magic_error(handle_->cookie);
    throw std::runtime_error(std::string("libmagic: cannot load the magic database: ") +
                             (error != nullptr ? error : "unknown error"));
  }
}

FileTypeDetector::~FileTypeDetector() = default;

std::string FileTypeDetector::Detect(std::string_view leading_bytes) const {
  if (leading_bytes.empty()) return std::string(kEmpty);
  leading_bytes = leading_bytes.substr(0, kTypeSniffBytes);
  std::string type;
  {
    std::lock_guard lock(mutex_);
    const char* answer = magic_buffer(handle_->cookie, leading_bytes.data(), leading_bytes.size());
    if (answer != nullptr) type = Essence(answer);
  }
  if (!IsMediaType(type)) return std::string(kUnknown);
  return type;
}

bool TypeAllowed(std::string_view media_type, const std::vector<std::string>& allowed) {
  const std::string type = Essence(media_type);
  const auto slash = type.find('/');
  if (slash == std::string::npos) return false;
  const std::string_view main_type = std::string_view(type).substr(0, slash);
  for (const auto& entry : allowed) {
    const std::string pattern = Essence(entry);
    if (pattern == "*/*" || pattern == type) return true;
    if (pattern.size() == main_type.size() + 2 && pattern.ends_with("/*") && pattern.starts_with(main_type)) {
      return true;
    }
  }
  return false;
}

bool Previewable(std::string_view media_type) {
  const std::string type = Essence(media_type);
  return std::find(kPreviewable.begin(), kPreviewable.end(), type) != kPreviewable.end();
}

}  // namespace egovbox::documents
